"""The course glossary: ``glossary.yml`` and the modules' ``::: glossary`` blocks, gathered into
``Course.glossary``, and the first use of each term on a page marked for the runtime.

``glossary.yml`` maps each term to its definition (Markdown), or to ``definition`` and ``also``
(other forms of the term that are marked too) and ``id``::

    Active listening: Attending fully to what a client says and means.
    Reflection of feeling:
      definition: A statement that names the emotion the client conveys.
      also: [reflecting feelings, reflections of feeling]

A term is marked where it first appears in a page's text (any case, whole words), outside
headings, links, code, buttons and the glossary itself: the runtime shows its definition there
on focus and hover (docs/runtime.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any

from ceforge import markdown
from ceforge.contentblocks import term_id
from ceforge.diagnostics import Code, Reporter, SourceLocation
from ceforge.model import Course, GlossaryTerm
from ceforge.quiz import ID_PATTERN
from ceforge.yamlsource import load_yaml

GLOSSARY_FILE = "glossary.yml"
ENTRY_KEYS = ("definition", "also", "id")

LocalUrl = Callable[[str, SourceLocation], str | None]
RewriteHtml = Callable[[str, SourceLocation], str]


def read_glossary(
    text: str, reporter: Reporter, local_url: LocalUrl, rewrite_html: RewriteHtml
) -> list[GlossaryTerm]:
    """The terms of ``glossary.yml``; each problem reported at its line."""
    doc = load_yaml(text, GLOSSARY_FILE, reporter)
    if doc is None or doc.value is None:
        return []
    if not isinstance(doc.value, dict):
        reporter.report(
            doc.loc(),
            Code.GLOSSARY_BAD_TERM,
            "glossary.yml maps each term to its definition: 'Empathy: Feeling with a client.'",
        )
        return []
    terms = []
    for key, entry in doc.value.items():
        term = str(key).strip()
        loc = doc.loc(str(key))
        definition, also, ident = _entry(term, entry, loc, reporter)
        if definition is None:
            continue
        html = _markdown(definition, loc, local_url, rewrite_html)
        terms.append(GlossaryTerm(ident, term, html, _text(definition), loc, also))
    return terms


def _entry(
    term: str, entry: Any, loc: SourceLocation, reporter: Reporter
) -> tuple[str | None, tuple[str, ...], str]:
    ident = term_id(term)
    if isinstance(entry, dict):
        unknown = [str(k) for k in entry if k not in ENTRY_KEYS]
        if unknown:
            reporter.report(
                loc,
                Code.GLOSSARY_BAD_TERM,
                f"{term!r}: unknown key {unknown[0]!r}; an entry takes "
                f"{', '.join(ENTRY_KEYS)}",
            )
        raw_also = entry.get("also", [])
        also_list = [raw_also] if isinstance(raw_also, str) else raw_also
        if not isinstance(also_list, list) or not all(isinstance(a, str) for a in also_list):
            reporter.report(loc, Code.GLOSSARY_BAD_TERM, f"{term!r}: also is a list of words")
            also_list = []
        if "id" in entry:
            ident = str(entry["id"])
            if not ID_PATTERN.match(ident):
                reporter.report(
                    loc,
                    Code.QUIZ_BAD_ID,
                    f"{term!r}: id {ident!r} may only hold letters, digits, '_', '.' and '-'",
                )
        entry = entry.get("definition")
        also = tuple(a.strip() for a in also_list if a.strip())
    else:
        also = ()
    if not term or not isinstance(entry, str | int | float) or not str(entry).strip():
        reporter.report(
            loc,
            Code.GLOSSARY_BAD_TERM,
            f"{term!r} has no definition: write it after the colon, or under 'definition:'",
        )
        return None, also, ident
    return str(entry).strip(), also, ident


def _markdown(text: str, loc: SourceLocation, local_url: LocalUrl, rewrite: RewriteHtml) -> str:
    """A definition as HTML, its local links checked and pointed at their place (relative to
    the course folder, where glossary.yml is)."""
    tokens = markdown.parse(text)
    for token in markdown.walk(tokens):
        attr = "src" if token.type == "image" else "href" if token.type == "link_open" else ""
        if attr:
            new = local_url(str(token.attrGet(attr) or ""), loc)
            if new is not None:
                token.attrSet(attr, new)
        elif token.type in ("html_block", "html_inline"):
            token.content = rewrite(token.content, loc)
    return markdown.render(tokens)


def _text(definition: str) -> str:
    return markdown.plain_text(markdown.parse(definition))


def gather(course: Course, file_terms: list[GlossaryTerm], reporter: Reporter) -> None:
    """``Course.glossary``: the file's terms, then the modules', in course order; a term (or
    another form) defined twice, or two terms with one id, is reported at the second."""
    seen: dict[str, GlossaryTerm] = {}
    ids: dict[str, GlossaryTerm] = {}
    for term in [*file_terms, *(t for m in course.modules for t in m.glossary)]:
        forms = [term.term, *term.also]
        twice = next((f for f in forms if f.casefold() in seen), None)
        if twice is not None:
            first = seen[twice.casefold()]
            reporter.report(
                term.loc,
                Code.GLOSSARY_DUPLICATE_TERM,
                f"{twice!r} is defined already, at {first.loc} ({first.term!r}); define each "
                "term once",
            )
            continue
        if term.id in ids:
            reporter.report(
                term.loc,
                Code.GLOSSARY_DUPLICATE_TERM,
                f"the term {term.term!r} has the id {term.id!r} of {ids[term.id].term!r} "
                f"({ids[term.id].loc}); give it another with id",
            )
            continue
        for form in forms:
            seen[form.casefold()] = term
        ids[term.id] = term
        course.glossary.append(term)


# --- marking the first use of each term on a page ------------------------------------------------

#: Elements whose text is never marked: headings, links, code, controls, the glossary itself.
_SKIP = frozenset(
    {
        *("a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "script"),
        *("style", "button", "dfn", "summary", "label", "select", "option", "textarea"),
        *("svg", "math", "abbr"),
    }
)
_SKIP_CLASSES = ("cf-glossary", "cf-callout-title", "cf-term")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr"}
)
_PIECE = re.compile(r"<!--.*?-->|<[^>]*>|[^<]+", re.DOTALL)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)([^>]*)>")


def mark_pages(course: Course) -> None:
    """Mark the first use of each glossary term on every page of the course."""
    if not course.glossary:
        return
    forms = {f.casefold(): t for t in course.glossary for f in (t.term, *t.also)}
    alternatives = sorted(forms, key=len, reverse=True)
    escaped = "|".join(re.escape(escape(f, quote=False)) for f in alternatives)
    pattern = re.compile(rf"(?<!\w)({escaped})(?!\w)", re.IGNORECASE)
    lookup = {escape(f, quote=False).casefold(): t for f, t in forms.items()}
    for module in course.modules:
        for page in module.pages:
            page.html = mark(page.html, pattern, lookup)


def mark(html: str, pattern: re.Pattern[str], lookup: dict[str, GlossaryTerm]) -> str:
    """``html`` with the first use of each term in its text wrapped in a
    ``<span class="cf-term" data-term="ID">``."""
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open elements, and whether text in them is skipped
    done: set[str] = set()
    for match in _PIECE.finditer(html):
        piece = match.group(0)
        if piece.startswith("<"):
            _follow(piece, stack)
            out.append(piece)
        elif stack and stack[-1][1]:
            out.append(piece)
        else:
            out.append(_mark_text(piece, pattern, lookup, done))
    return "".join(out)


def _follow(piece: str, stack: list[tuple[str, bool]]) -> None:
    tag = _TAG.match(piece)
    if tag is None:
        return  # a comment, a doctype
    closing, name, rest = tag.group(1), tag.group(2).lower(), tag.group(3)
    if closing:
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == name:
                del stack[depth:]
                break
        return
    if name in _VOID or rest.rstrip().endswith("/"):
        return
    skipped = (stack and stack[-1][1]) or name in _SKIP or any(c in rest for c in _SKIP_CLASSES)
    stack.append((name, bool(skipped)))


def _mark_text(
    text: str, pattern: re.Pattern[str], lookup: dict[str, GlossaryTerm], done: set[str]
) -> str:
    def wrap(match: re.Match[str]) -> str:
        term = lookup.get(match.group(1).casefold())
        if term is None or term.id in done:
            return match.group(0)
        done.add(term.id)
        return f'<span class="cf-term" data-term="{term.id}">{match.group(0)}</span>'

    return pattern.sub(wrap, text)
