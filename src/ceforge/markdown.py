"""The Markdown dialect of ceforge modules: CommonMark plus tables, footnotes, task lists,
attributes, front matter and the ``:::`` containers. Block tokens keep ``token.map``."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import render_footnote_open
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from ceforge.model import BlockKind

#: The blocks the learner runtime draws (quiz, test, survey, attestation, scenario, video,
#: audio, reflection).
BLOCK_KINDS = tuple(kind.value for kind in BlockKind)
#: Callouts: a boxed note of one kind (GitHub's alerts, ``> [!NOTE]``, are the same).
CALLOUT_KINDS = ("note", "tip", "important", "warning", "caution", "example")
#: Containers written into the page at build time: callouts, tabs, accordions, a glossary.
STATIC_KINDS = (*CALLOUT_KINDS, "tabs", "accordion", "glossary")
#: Every word that may follow ``:::``.
CONTAINER_KINDS = (*BLOCK_KINDS, *STATIC_KINDS)
CONTAINER = "block"
CONTAINER_OPEN = f"container_{CONTAINER}_open"

# `{#id key=value key="quoted value" .class}` at the end of a heading or container line.
_TRAILING_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
_ATTR = re.compile(
    r"""\s*(?:#([^\s}]+)|\.([^\s}]+)|([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"'}]+)))"""
)


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
    # One container rule for every `::: kind` line (four rules would test each line four
    # times); the kind is checked when the block is read, so a misspelt one gets a clear error.
    md.use(container_plugin, name=CONTAINER, validate=_is_container_line)
    md.add_render_rule("footnote_open", _render_footnote_open)
    return md


def _render_footnote_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """A note's ``<li>`` with its number as ``value``: a page lists only its own notes, so the
    list must not count from 1 (a module's third note reads 3 on the page that cites it)."""
    html: str = render_footnote_open(self, tokens, idx, options, env)
    return html.replace("<li ", f'<li value="{tokens[idx].meta["id"] + 1}" ', 1)


def _is_container_line(params: str, *args: object) -> bool:
    return bool(params.strip())


def block_kind(token: Token) -> str:
    """The kind word of a ``::: kind {attrs}`` line."""
    return token.info.strip().split(maxsplit=1)[0].split("{")[0] if token.info.strip() else ""


def _silence_debug_logging() -> None:
    """markdown-it's block rules log every call at DEBUG (about 2 000 calls a module, each a
    ``Logger.debug`` that looks up the level): ceforge never shows them, so its loggers get a
    ``debug`` that does nothing, a C call (``"".format`` takes any arguments)."""
    for name in list(logging.root.manager.loggerDict):
        if name == "markdown_it" or name.startswith("markdown_it."):
            logger = logging.getLogger(name)
            logger.debug = "".format  # type: ignore[method-assign,assignment]


MD = _make()
_silence_debug_logging()


def parse(text: str) -> list[Token]:
    return MD.parse(text)


def render(tokens: Sequence[Token]) -> str:
    html: str = MD.renderer.render(list(tokens), MD.options, {})
    return html.strip()


def render_inline(children: Sequence[Token]) -> str:
    return render(children)


def plain_text(tokens: Sequence[Token]) -> str:
    """The text a reader sees, without markup (for SCORM descriptions and xAPI names).

    An image counts by its alt text, which ``walk`` yields as the image's children.
    """
    parts: list[str] = []
    for token in walk(tokens):
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
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
    """Parse ``#id key=value .class`` into a dict; None if it is malformed."""
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


# --- footnotes, page by page --------------------------------------------------------------------

FOOTNOTE_BLOCK = "footnote_block_open"


def take_footnotes(parts: list[list[Token]]) -> tuple[list[list[Token]], dict[int, list[Token]]]:
    """The top-level blocks of a module without its footnote list (which markdown-it puts at
    the end of the module), and each note's tokens by its id."""
    kept = [group for group in parts if group[0].type != FOOTNOTE_BLOCK]
    notes: dict[int, list[Token]] = {}
    for group in parts:
        if group[0].type != FOOTNOTE_BLOCK:
            continue
        current: list[Token] = []
        for token in group[1:-1]:
            current.append(token)
            if token.type == "footnote_close":
                notes[int(current[0].meta["id"])] = current
                current = []
    return kept, notes


def render_footnotes(tokens: Sequence[Token], notes: dict[int, list[Token]]) -> str:
    """The footnote list of a page: the notes its ``tokens`` cite, in the order of their
    numbers, each with the back-links to the citations on this page only."""
    if not notes:  # a module without notes: no page of it cites one
        return ""
    cited: dict[int, set[int]] = {}
    for token in walk(tokens):
        if token.type == "footnote_ref" and int(token.meta["id"]) in notes:
            # An inline note (``^[text]``) is cited once and its citation has no subId.
            cited.setdefault(int(token.meta["id"]), set()).add(int(token.meta.get("subId", 0)))
    if not cited:
        return ""
    block = [Token(FOOTNOTE_BLOCK, "", 1)]
    for ident in sorted(cited):
        block += [
            t
            for t in notes[ident]
            if t.type != "footnote_anchor" or int(t.meta["subId"]) in cited[ident]
        ]
    block.append(Token("footnote_block_close", "", -1))
    return render(block)
