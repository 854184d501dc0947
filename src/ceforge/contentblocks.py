"""The containers written into the page at build time: callouts (``::: note`` and GitHub's
``> [!NOTE]`` alerts), ``::: tabs``, ``::: accordion`` and ``::: glossary``.

Each becomes plain HTML in the page; the runtime only adds behaviour (the tab keys, the labels
of callouts in the course's language, expanding everything for print) and nothing is lost
without it. On GitHub, where ``:::`` lines show as text, the content reads as it is written:
a tab or an accordion item is a ``###`` heading and what follows it.

    ::: tabs
    ### Adults
    …
    ### Adolescents
    …
    :::
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html import escape

from markdown_it.token import Token

from ceforge import markdown
from ceforge.diagnostics import Code
from ceforge.model import GlossaryTerm
from ceforge.quiz import (
    ID_PATTERN,
    BlockContext,
    block_attributes,
    checked_attrs,
    checked_id,
    container_line,
    groups,
    heading_attrs,
    is_heading,
)

#: GitHub's alerts and the callout each one is.
ALERTS = {
    "NOTE": "note",
    "TIP": "tip",
    "IMPORTANT": "important",
    "WARNING": "warning",
    "CAUTION": "caution",
}
_ALERT = re.compile(r"^\[!([A-Za-z]+)\]\s*$")
_SPLIT_TERMS = re.compile(r"\s*[,;]\s*")
STATIC_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    **{kind: ("id",) for kind in markdown.CALLOUT_KINDS},
    "tabs": ("id",),
    "accordion": ("id",),
    "glossary": (),
}
TERM_ATTRIBUTES = ("id", "also")


@dataclass
class Rendered:
    """What a static container gives the page: its HTML, and the terms it defines."""

    html: str
    terms: list[GlossaryTerm] = field(default_factory=list)


def render_static(
    open_token: Token, inner: list[Token], closed: bool, ctx: BlockContext
) -> Rendered:
    kind = markdown.block_kind(open_token)
    if not closed:
        ctx.report(
            open_token,
            Code.CONTAINER_UNCLOSED,
            f"'::: {kind}' is never closed; end it with a line ':::'",
        )
    if kind in markdown.CALLOUT_KINDS:
        return Rendered(_callout(kind, open_token, inner, ctx))
    attrs = block_attributes(open_token, kind, STATIC_ATTRIBUTES[kind], ctx)
    anchor = _anchor(attrs, open_token, ctx)
    sections = _sections(kind, open_token, inner, ctx)
    if kind == "glossary":
        return _glossary(sections, ctx)
    if kind == "tabs":
        panels = [
            f'<section class="cf-tab-panel">\n<h3 class="cf-tab-label">{label}</h3>\n{body}\n'
            "</section>"
            for label, body in _labelled(sections)
        ]
        return Rendered(f'<div class="cf-tabs"{anchor}>\n' + "\n".join(panels) + "\n</div>")
    items = [
        f'<details class="cf-accordion-item">\n<summary class="cf-accordion-summary">{label}'
        f'</summary>\n<div class="cf-accordion-body">\n{body}\n</div>\n</details>'
        for label, body in _labelled(sections)
    ]
    return Rendered(f'<div class="cf-accordion"{anchor}>\n' + "\n".join(items) + "\n</div>")


def _anchor(attrs: dict[str, str], token: Token, ctx: BlockContext) -> str:
    if "id" not in attrs:
        return ""
    return f' id="{escape(checked_id(attrs["id"], token, ctx, Code.QUIZ_BAD_ID))}"'


def _callout(kind: str, open_token: Token, inner: list[Token], ctx: BlockContext) -> str:
    """``::: warning Duty to warn {#an-id}``: the text after the kind is the callout's title
    (without one, the runtime shows the kind's name in the course's language)."""
    title, spec = container_line(open_token, kind)
    attrs = checked_attrs(spec, STATIC_ATTRIBUTES[kind], f"'::: {kind}'", open_token, ctx)
    pictures = any(t.type == "image" for t in markdown.walk(inner))
    if not markdown.plain_text(inner) and not pictures:
        ctx.report(open_token, Code.CONTAINER_EMPTY, f"the {kind} is empty; write its text")
    anchor = _anchor(attrs, open_token, ctx)
    return callout_html(kind, escape(title), markdown.render(inner), anchor)


def callout_html(kind: str, title_html: str, body_html: str, anchor: str = "") -> str:
    return (
        f'<div class="cf-callout cf-callout-{kind}" role="note" data-callout="{kind}"{anchor}>\n'
        f'<p class="cf-callout-title">{title_html}</p>\n{body_html}\n</div>'
    )


def alert(group: list[Token]) -> str | None:
    """A GitHub alert (``> [!NOTE]`` on the first line of a blockquote) as a callout; None for
    any other blockquote."""
    if len(group) < 4 or group[0].type != "blockquote_open" or group[1].type != "paragraph_open":
        return None
    inline = group[2]
    first, _, _rest = inline.content.partition("\n")
    match = _ALERT.match(first)
    if not match or match.group(1).upper() not in ALERTS:
        return None
    children = list(inline.children or [])
    cut = next((i for i, c in enumerate(children) if c.type in ("softbreak", "hardbreak")), None)
    body = group[1:-1]
    if cut is None:
        body = body[3:]  # the paragraph held the marker alone
    else:
        rest = inline.copy()
        rest.children = children[cut + 1 :]
        rest.content = inline.content.partition("\n")[2]
        body = [group[1], rest, *body[2:]]
    return callout_html(ALERTS[match.group(1).upper()], "", markdown.render(body))


# --- sections of tabs, accordions and glossaries -------------------------------------------------


Section = tuple[list[Token], list[Token]]  # (the ### heading's tokens, the tokens after it)


def _sections(kind: str, open_token: Token, inner: list[Token], ctx: BlockContext) -> list[Section]:
    parts = groups(inner)
    first = next((i for i, g in enumerate(parts) if is_heading(g, "h3")), len(parts))
    if first:
        ctx.report(
            parts[0][0],
            Code.CONTAINER_STRAY_CONTENT,
            f"text before the first ### heading of '::: {kind}'; each "
            + ("term" if kind == "glossary" else "tab" if kind == "tabs" else "item")
            + " starts with a ### heading",
        )
    sections: list[Section] = []
    for index in range(first, len(parts)):
        if is_heading(parts[index], "h3"):
            sections.append((parts[index], []))
        else:
            sections[-1][1].extend(parts[index])
    if not sections:
        ctx.report(
            open_token,
            Code.CONTAINER_EMPTY,
            f"'::: {kind}' has nothing in it; start each part with a ### heading",
        )
    return sections


def _labelled(sections: list[Section]) -> list[tuple[str, str]]:
    """Each section's heading (inline HTML) and body (HTML)."""
    return [
        (markdown.render_inline(heading_attrs(heading[1])[0]), markdown.render(body))
        for heading, body in sections
    ]


def _glossary(sections: list[Section], ctx: BlockContext) -> Rendered:
    """``### Term {also="other form, another"}`` and its definition below."""
    terms: list[GlossaryTerm] = []
    entries = []
    for heading, body in sections:
        title, spec = heading_attrs(heading[1])
        attrs = checked_attrs(spec, TERM_ATTRIBUTES, "a glossary term", heading[0], ctx)
        term = markdown.plain_text(title)
        html = markdown.render(body)
        if not term or not markdown.plain_text(body):
            ctx.report(
                heading[0],
                Code.GLOSSARY_BAD_TERM,
                "a glossary entry is a ### heading naming the term, then its definition",
            )
            continue
        ident = term_id(term)
        if "id" in attrs:
            ident = checked_id(attrs["id"], heading[0], ctx, Code.QUIZ_BAD_ID)
        also = tuple(a for a in _SPLIT_TERMS.split(attrs.get("also", "").strip()) if a)
        terms.append(
            GlossaryTerm(ident, term, html, markdown.plain_text(body), ctx.loc(heading[0]), also)
        )
        entries.append(glossary_entry(term, html))
    return Rendered('<dl class="cf-glossary">\n' + "\n".join(entries) + "\n</dl>", terms)


def glossary_entry(term: str, html: str, anchor: str = "") -> str:
    return (
        f'<div class="cf-glossary-entry"><dt{anchor}><dfn>{escape(term)}</dfn></dt>\n'
        f"<dd>{html}</dd></div>"
    )


def term_id(term: str) -> str:
    """A term's id: its words joined by ``-``; for a term in another script, ``term-`` and a
    hash of it."""
    ident = re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")
    if ident and ID_PATTERN.match(ident):
        return ident
    return "term-" + hashlib.sha1(term.encode()).hexdigest()[:8]
