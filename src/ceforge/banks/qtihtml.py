"""Course HTML -> the XHTML subset QTI 2.1 allows in an item body.

QTI 2.1 takes a fixed set of XHTML elements, in its own namespace, each with a few attributes.
The HTML ceforge renders (and the raw HTML authors write) is parsed, then rebuilt from that set:
an element QTI does not know becomes a ``span`` or ``div`` holding its content (``del`` and
``section`` do), attributes it does not know are dropped, and images keep ``src`` and ``alt``.
"""

from __future__ import annotations

from lxml import etree, html

from ceforge.banks.common import xml_safe

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"

INLINE = frozenset(
    [
        "a", "abbr", "acronym", "b", "big", "br", "cite", "code", "dfn", "em", "i", "img", "kbd",
        "q", "samp", "small", "span", "strong", "sub", "sup", "tt", "var",
    ]
)
BLOCK = frozenset(
    [
        "address", "blockquote", "div", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "ol", "ul", "li", "p", "pre", "table", "caption", "col", "colgroup", "tbody",
        "thead", "tfoot", "tr", "td", "th",
    ]
)
#: Attributes QTI 2.1 allows per element, besides ``id``, ``class`` and ``xml:lang``.
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href", "type"),
    "img": ("src", "alt", "longdesc", "height", "width"),
    "q": ("cite",),
    "blockquote": ("cite",),
    "td": ("headers", "scope", "abbr", "axis", "rowspan", "colspan"),
    "th": ("headers", "scope", "abbr", "axis", "rowspan", "colspan"),
    "col": ("span",),
    "colgroup": ("span",),
    "table": ("summary",),
}
_COMMON = ("id", "class")


def q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def fragment(markup: str, inline: bool = False) -> list[etree._Element | str]:
    """``markup`` as QTI content: elements in the QTI namespace and loose text."""
    if not markup.strip():
        return []
    container = html.fragment_fromstring(xml_safe(markup), create_parent="div")
    return _children(container, inline)


def _children(node: html.HtmlElement, inline: bool) -> list[etree._Element | str]:
    out: list[etree._Element | str] = []
    if node.text:
        out.append(node.text)
    for child in node:
        if isinstance(child.tag, str):
            out.append(_element(child, inline))
        if child.tail:
            out.append(child.tail)
    return out


def _element(node: html.HtmlElement, inline: bool) -> etree._Element:
    tag = node.tag.lower()
    if tag in INLINE or (tag in BLOCK and not inline):
        name = tag
    elif inline or _only_inline(node):
        name = "span"
    else:
        name = "div"
    element = etree.Element(q(name))
    for attribute in (*_COMMON, *ATTRIBUTES.get(name, ())):
        value = node.get(attribute)
        if value is not None:
            element.set(attribute, value)
    if name == "img" and element.get("alt") is None:
        element.set("alt", "")
    append(element, _children(node, inline or name in INLINE or name == "p"))
    return element


def _only_inline(node: html.HtmlElement) -> bool:
    return all(not isinstance(c.tag, str) or c.tag.lower() in INLINE for c in node)


def append(parent: etree._Element, content: list[etree._Element | str]) -> None:
    """Append elements and text to ``parent``, text going to ``.text`` or the last ``.tail``."""
    for part in content:
        if isinstance(part, str):
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + part
            else:
                parent.text = (parent.text or "") + part
        else:
            parent.append(part)


def paragraphs(content: list[etree._Element | str]) -> list[etree._Element]:
    """Block content: loose text and inline elements gathered into paragraphs."""
    blocks: list[etree._Element] = []
    loose: etree._Element | None = None
    for part in content:
        is_block = not isinstance(part, str) and etree.QName(part).localname in BLOCK
        if is_block:
            assert not isinstance(part, str)
            blocks.append(part)
            loose = None
            continue
        if isinstance(part, str) and not part.strip() and loose is None:
            continue
        if loose is None:
            loose = etree.Element(q("p"))
            blocks.append(loose)
        append(loose, [part])
    return blocks
