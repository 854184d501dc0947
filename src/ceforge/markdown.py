"""The Markdown dialect of ceforge modules: CommonMark plus tables, footnotes, task lists,
attributes, front matter and the four ``:::`` block kinds. Block tokens keep ``token.map``."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from ceforge.model import BlockKind

BLOCK_KINDS = tuple(kind.value for kind in BlockKind)

# `{#id key=value key="quoted value" .class}` at the end of a heading or container line.
_TRAILING_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
_ATTR = re.compile(r"""\s*(?:#([^\s}]+)|\.([^\s}]+)|([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"'}]+)))""")


def _make() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .enable("strikethrough")
        .use(front_matter_plugin)
        .use(footnote_plugin)
        .use(tasklists_plugin)
        .use(attrs_plugin)
        .use(attrs_block_plugin)
    )
    for kind in BLOCK_KINDS:
        md.use(container_plugin, name=kind)
    return md


MD = _make()


def parse(text: str) -> list[Token]:
    return MD.parse(text)


def render(tokens: Sequence[Token]) -> str:
    return MD.renderer.render(list(tokens), MD.options, {}).strip()


def render_inline(children: Sequence[Token]) -> str:
    return MD.renderer.render(list(children), MD.options, {}).strip()


def plain_text(tokens: Sequence[Token]) -> str:
    """The text a reader sees, without markup (for SCORM descriptions and xAPI names)."""
    parts: list[str] = []
    for token in walk(tokens):
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(token.content)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def walk(tokens: Sequence[Token]) -> Iterator[Token]:
    """Every token, inline children included, in document order."""
    for token in tokens:
        yield token
        if token.children:
            yield from walk(token.children)


def split_attrs(text: str) -> tuple[str, str | None]:
    """Split ``Prompt {#id points=2}`` into ``("Prompt", "#id points=2")``."""
    match = _TRAILING_ATTRS.search(text)
    if not match:
        return text, None
    return text[: match.start()], match.group(1)


def parse_attrs(spec: str) -> dict[str, str] | None:
    """Parse ``#id key=value .class`` into a dict (``id``, ``class`` and the keys); None if malformed."""
    attrs: dict[str, str] = {}
    pos = 0
    spec = spec.rstrip()
    while pos < len(spec):
        match = _ATTR.match(spec, pos)
        if not match:
            return None
        ident, cls, key, *values = match.groups()
        if ident is not None:
            attrs["id"] = ident
        elif cls is not None:
            attrs["class"] = (attrs.get("class", "") + " " + cls).strip()
        else:
            attrs[key] = next(v for v in values if v is not None)
        pos = match.end()
    return attrs
