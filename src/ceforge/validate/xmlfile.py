"""Parsing the XML of a package that nobody vouches for.

A document that declares entities is refused before it reaches the parser (the billion-laughs
and external-entity attacks both need a declaration); the parser then runs without network
access, without loading DTDs, without expanding entities and without lxml's huge-tree mode.
"""

from __future__ import annotations

import re

from lxml import etree

from ceforge.validate.findings import Finding, Rule, finding

_ENTITY = "<!ENTITY"
_ENTITY_NAME = re.compile(rb"<!ENTITY\s+(?:%\s*)?([^\s>]{1,80})")


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False
    )


def line_of(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) else 0


def parse(data: bytes, path: str) -> tuple[etree._Element | None, list[Finding]]:
    """The root of the document ``data`` (the file ``path`` of the package), or None and why."""
    declared = _entity_declaration(data)
    if declared is not None:
        name, line = declared
        message = (
            f"declares the entity {name!r}; ceforge expands no entity (they carry the "
            "billion-laughs and external-entity attacks) and reads this file no further"
        )
        return None, [finding(Rule.XML_ENTITY, path, message, line)]
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        message = f"not well-formed XML: {exc.msg}"
        return None, [finding(Rule.XML_SYNTAX, path, message, exc.lineno or 0)]
    entity = next(iter(root.iter(etree.Entity)), None)
    if entity is not None:  # declared in a form the scan missed; left unexpanded, on purpose
        message = f"uses the entity {entity.text}; entities are refused"
        return None, [finding(Rule.XML_ENTITY, path, message, line_of(entity))]
    return root, []


def _entity_declaration(data: bytes) -> tuple[str, int] | None:
    """(name, line) of the first ``<!ENTITY`` of ``data`` in UTF-8 or UTF-16, or None."""
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        at = data.find(_ENTITY.encode(encoding))
        if at < 0:
            continue
        line = data.count("\n".encode(encoding), 0, at) + 1
        head = data[at : at + 200]
        if encoding != "utf-8":
            head = head.decode(encoding, errors="ignore").encode("utf-8")
        match = _ENTITY_NAME.match(head)
        name = match.group(1).decode("utf-8", errors="replace") if match else "?"
        return name, line
    return None
