"""HTML (a question bank's texts) -> ceforge Markdown that reads back to the same content.

Paragraphs, emphasis, code, links, images, line breaks and bulleted lists become Markdown;
what Markdown would read as something else inside a question becomes raw HTML, which ceforge
keeps: a numbered list (an answer block of a sequencing question), a blockquote (feedback, after
the answers), a table and any element Markdown has no syntax for. Headings become bold
paragraphs, since ``##`` starts a page and ``###`` a question. Text is escaped so that none of
it is read as markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import html

from ceforge.banks.common import xml_safe

Link = Callable[[str], str]

_SPACE = re.compile(r"\s+")
_ALWAYS = re.compile(r"([\\`*_\[\]<>{}~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([=+\-#>:|]|\d+[.)](?=\s|$))")
_HEAD_HASH = re.compile(r"(\s)#")
INLINE_MARKUP = {"strong": "**", "b": "**", "em": "*", "i": "*"}
INLINE_RAW = frozenset(
    [
        "sub", "sup", "u", "s", "del", "ins", "mark", "small", "abbr", "q", "kbd", "samp", "var",
        "cite", "dfn",
    ]
)
BLOCKS = frozenset(
    [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
        "table", "hr", "figure", "section", "article", "aside", "header", "footer", "dl",
        "address", "details", "iframe", "video", "audio", "object",
    ]
)


def escape(text: str) -> str:
    """Literal text as Markdown: every character that could start markup escaped."""
    text = _ALWAYS.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _HEAD_HASH.sub(r"\1\\#", text)
    return _LINE_START.sub(_escape_start, text)


def _escape_start(match: re.Match[str]) -> str:
    """``1.`` -> ``1\\.`` (a list item's number), ``-`` -> ``\\-`` (any other marker)."""
    mark = match.group(2)
    if mark[0].isdigit():
        return match.group(1) + mark[:-1] + "\\" + mark[-1]
    return match.group(1) + "\\" + mark


def parse(markup: str) -> html.HtmlElement:
    return html.fragment_fromstring(xml_safe(markup or ""), create_parent="div")


def inline(markup: str, link: Link) -> str:
    """``markup`` as one line of inline Markdown (line breaks become spaces)."""
    return _squeeze(_inline_children(parse(markup), link, hard=False))


def blocks(markup: str, link: Link) -> str:
    """``markup`` as Markdown blocks separated by blank lines."""
    return "\n\n".join(b for b in _blocks(parse(markup), link) if b.strip())


def plain(markup: str) -> str:
    """The text of ``markup``, spaces squeezed."""
    return _SPACE.sub(" ", parse(markup).text_content()).strip()


def _squeeze(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _blocks(node: html.HtmlElement, link: Link) -> list[str]:
    out: list[str] = []
    loose: list[str] = []

    def flush() -> None:
        text = "".join(loose).strip()
        if text:
            out.append(_paragraph(text))
        loose.clear()

    if node.text:
        loose.append(_text(node.text))
    for child in node:
        if not isinstance(child.tag, str):  # a comment
            if child.tail:
                loose.append(_text(child.tail))
            continue
        tag = child.tag.lower()
        if tag == "br":
            flush()
        elif tag in BLOCKS:
            flush()
            out.append(_block(child, tag, link))
        else:
            loose.append(_inline(child, link, hard=True))
        if child.tail:
            loose.append(_text(child.tail))
    flush()
    return out


def _paragraph(text: str) -> str:
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _block(node: html.HtmlElement, tag: str, link: Link) -> str:
    if tag == "p":
        return _paragraph(_inline_children(node, link, hard=True))
    if tag in ("div", "section", "article", "header", "footer", "aside"):
        return "\n\n".join(_blocks(node, link))
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = _squeeze(_inline_children(node, link, hard=False))
        return f"**{text}**" if text else ""
    if tag == "ul" and _simple_list(node):
        items = [_squeeze(_inline_children(li, link, hard=False)) for li in node]
        return "\n".join(f"* {item}" for item in items if item)
    if tag == "pre":
        code = node.text_content()
        fence = "`" * max(3, _longest_run(code, "`") + 1)
        return f"{fence}\n{code.rstrip(chr(10))}\n{fence}"
    if tag == "hr":
        return "***"
    return raw(node, link)


def _simple_list(node: html.HtmlElement) -> bool:
    return all(
        isinstance(li.tag, str)
        and li.tag.lower() == "li"
        and all(not isinstance(c.tag, str) or c.tag.lower() not in BLOCKS for c in li)
        for li in node
    )


def raw(node: html.HtmlElement, link: Link) -> str:
    """An element kept as HTML: links pointed by ``link``, no blank line inside (which would
    end the HTML block)."""
    copy = html.fromstring(html.tostring(node, encoding="unicode"))
    for element in copy.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("src", "href"):
            value = element.get(attribute)
            if value is not None:
                element.set(attribute, link(value))
    text = html.tostring(copy, encoding="unicode").strip()
    return "\n".join(line for line in text.split("\n") if line.strip())


def _inline_children(node: html.HtmlElement, link: Link, hard: bool) -> str:
    parts = [_text(node.text or "")]
    for child in node:
        if isinstance(child.tag, str):
            parts.append(_inline(child, link, hard))
        parts.append(_text(child.tail or ""))
    return "".join(parts)


def _text(text: str) -> str:
    return escape(_SPACE.sub(" ", text))


def _inline(node: html.HtmlElement, link: Link, hard: bool) -> str:
    tag = node.tag.lower()
    if tag == "br":
        return "\\\n" if hard else " "
    if tag == "img":
        alt = escape(_squeeze(node.get("alt") or ""))
        return f"![{alt}]({_url(link(node.get('src') or ''))})"
    inner = _inline_children(node, link, hard)
    if tag in INLINE_MARKUP:
        mark = INLINE_MARKUP[tag]
        core = inner.strip()
        if not core:
            return inner
        lead = " " if inner[:1].isspace() else ""
        trail = " " if inner[-1:].isspace() else ""
        return f"{lead}{mark}{core}{mark}{trail}"
    if tag == "code":
        code = node.text_content()
        ticks = "`" * (_longest_run(code, "`") + 1)
        pad = " " if code.startswith("`") or code.endswith("`") else ""
        return f"{ticks}{pad}{code}{pad}{ticks}"
    if tag == "a" and node.get("href"):
        return f"[{inner.strip()}]({_url(link(node.get('href') or ''))})"
    if tag in INLINE_RAW:
        return f"<{tag}>{inner}</{tag}>"
    return inner


def _url(url: str) -> str:
    return "<" + url.replace(">", "%3E") + ">" if re.search(r"[\s()<]", url) else url


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(r) for r in runs), default=0)


def to_html_text(text: str) -> str:
    """Plain text (a bank field that is not HTML) as HTML paragraphs."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "".join(
        "<p>" + "<br>".join(html_escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p.strip()
    )


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def split_prompt(markup: str) -> tuple[str, str]:
    """(the first paragraph's inner HTML, the HTML after it) when the text starts with a
    paragraph; else ("", the whole text)."""
    root = parse(markup)
    if (root.text or "").strip():
        return "", markup
    first = next((c for c in root if isinstance(c.tag, str)), None)
    if first is None or first.tag.lower() != "p":
        return "", markup
    inner = ((first.text and html_escape(first.text)) or "") + "".join(
        html.tostring(c, encoding="unicode") for c in first
    )
    rest = html_escape(first.tail or "") + "".join(
        html.tostring(c, encoding="unicode") for c in first.itersiblings()
    )
    return inner, rest
