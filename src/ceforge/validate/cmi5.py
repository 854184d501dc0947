"""cmi5 course packages: ``cmi5.xml`` checked by rules written from the cmi5 course structure.

The official XSD may not be shipped with ceforge, so its content model is restated here as
sequences of child elements (:data:`CONTENT`), and the rules the XSD cannot express follow:
ids that are absolute IRIs and unique, objective references that resolve, AU urls that name a
page of the package (or an http(s) URL), and a mastery score where an AU must be passed. The
test suite holds these verdicts against the official XSD (``tests/test_validate_cmi5.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from lxml import etree

from ceforge.validate.contents import Checked, cmi5_contents
from ceforge.validate.findings import Finding, Rule, finding
from ceforge.validate.scorm import TITLE_LIMIT, package_path
from ceforge.validate.tincan import absolute_iri, launch_target
from ceforge.validate.xmlfile import line_of, parse
from ceforge.xapispec import CMI5_MANIFEST, CMI5_NAMESPACE, LAUNCH_METHODS, MOVE_ON, one_of

_LANGUAGE = re.compile(r"^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$")
_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
OTHER = "##other"  # an element of another namespace (not cmi5, not unqualified)
UNBOUNDED = 1 << 30


@dataclass(frozen=True)
class Particle:
    """Elements a content model allows at one place: names, how few and how many."""

    names: tuple[str, ...]
    low: int = 1
    high: int = 1


def _one(*names: str) -> Particle:
    return Particle(names)


def _optional(*names: str) -> Particle:
    return Particle(names, 0, 1)


def _many(*names: str, low: int = 1) -> Particle:
    return Particle(names, low, UNBOUNDED)


_EXTENSIONS = Particle((OTHER,), 0, UNBOUNDED)
_TEXT = (_one("title"), _one("description"))

#: The children each element of the cmi5 namespace may have, in order (the XSD's sequences).
CONTENT: dict[str, tuple[Particle, ...]] = {
    "courseStructure": (
        _one("course"), _optional("objectives"), _many("au", "block"), _EXTENSIONS,
    ),
    "course": (*_TEXT, _EXTENSIONS),
    "block": (*_TEXT, _optional("objectives"), _many("au", "block"), _EXTENSIONS),
    "au": (
        *_TEXT, _optional("objectives"), _one("url"), _optional("launchParameters"),
        _optional("entitlementKey"), _EXTENSIONS,
    ),
    "objectives": (_many("objective"), _EXTENSIONS),
    "title": (_many("langstring"), _EXTENSIONS),
    "description": (_many("langstring"), _EXTENSIONS),
}
#: Unqualified attributes each element may carry (attributes of other namespaces always may,
#: except on <objective>, whose type has no wildcard).
ATTRIBUTES: dict[str, frozenset[str]] = {
    "courseStructure": frozenset(),
    "course": frozenset({"id"}),
    "block": frozenset({"id"}),
    "au": frozenset({"id", "moveOn", "masteryScore", "launchMethod", "activityType"}),
    "objectives": frozenset(),
    "title": frozenset(),
    "description": frozenset(),
    "langstring": frozenset({"lang"}),
    "url": frozenset(),
}


def _q(local: str) -> str:
    return f"{{{CMI5_NAMESPACE}}}{local}"


def _finding(rule: Rule, message: str, line: int) -> Finding:
    return finding(rule, CMI5_MANIFEST, message, line)


def _name(element: etree._Element) -> str:
    """The name a content model knows ``element`` by: its local name in the cmi5 namespace,
    ``##other`` in another namespace, or the bare tag when unqualified."""
    qname = etree.QName(element)
    if qname.namespace == CMI5_NAMESPACE:
        return qname.localname
    return OTHER if qname.namespace else f"unqualified {qname.localname}"


def check_cmi5(data: bytes, members: set[str]) -> tuple[Checked | None, list[Finding]]:
    """What ``cmi5.xml`` holds (its AUs, and their launch pages) — None: it is not a cmi5
    course structure — and its findings."""
    root, findings = parse(data, CMI5_MANIFEST)
    if root is None:
        return None, findings
    if root.tag != _q("courseStructure"):
        message = (f"the root element is {root.tag!r}; expected <courseStructure> in "
                   f"{CMI5_NAMESPACE}")
        return None, [_finding(Rule.CMI5_STRUCTURE, message, line_of(root))]
    findings = list(_structure(root))
    findings += _ids(root)
    aus = _elements(root, "au")
    pages: list[str] = []
    for au in aus:
        findings += _au_attributes(au)
        url = au.find(_q("url"))
        if url is not None:
            findings += _url(url, members)
            page = package_path((url.text or "").strip())
            if page is not None and (url.text or "").strip():
                pages.append(page)
    findings += _titles(root)
    return Checked(cmi5_contents(root), pages), sorted(findings)


# --- the content model ---------------------------------------------------------------------------


def _walk(element: etree._Element) -> Iterator[etree._Element]:
    """``element`` and the cmi5 elements under it that the XSD validates: not the content of
    elements of other namespaces (lax wildcards) nor of launchParameters and entitlementKey
    (any content)."""
    yield element
    if etree.QName(element).localname in ("launchParameters", "entitlementKey"):
        return
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).namespace == CMI5_NAMESPACE:
            yield from _walk(child)


def _structure(root: etree._Element) -> Iterator[Finding]:
    for element in _walk(root):
        local = etree.QName(element).localname
        if local == "objective":
            yield from _objective(element, _is_reference_list(element.getparent()))
        elif local in ("url", "langstring"):
            yield from _simple(element, ATTRIBUTES.get(local, frozenset()))
        elif local in CONTENT:
            yield from _attributes(element, ATTRIBUTES[local])
            yield from _sequence(element, CONTENT[local])


def _simple(element: etree._Element, allowed: frozenset[str]) -> Iterator[Finding]:
    """An element of text only: <url> (no attribute at all) or <langstring> (lang, and
    attributes of other namespaces)."""
    line = line_of(element)
    child = next((c for c in element if isinstance(c.tag, str)), None)
    if child is not None:
        message = f"<{_name(element)}> holds <{_name(child)}>; it takes text only"
        yield _finding(Rule.CMI5_STRUCTURE, message, line)
    for name in element.attrib:
        foreign = etree.QName(name).namespace is not None
        # <url> is a simple type: no attribute at all; <langstring> takes those of other
        # namespaces besides lang
        if name not in allowed and not (foreign and allowed):
            message = f"<{_name(element)}> has no attribute {name!r}"
            yield _finding(Rule.CMI5_STRUCTURE, message, line)
    lang = element.get("lang")
    if lang is not None and not _LANGUAGE.match(lang.strip()):
        message = f"lang {lang!r} is not a language tag (such as en or en-US)"
        yield _finding(Rule.CMI5_STRUCTURE, message, line)


def _is_reference_list(objectives: etree._Element | None) -> bool:
    """An <objectives> of an AU or block lists references, not definitions."""
    parent = objectives.getparent() if objectives is not None else None
    return parent is not None and etree.QName(parent).localname in ("au", "block")


def _sequence(element: etree._Element, particles: tuple[Particle, ...]) -> Iterator[Finding]:
    children = [child for child in element if isinstance(child.tag, str)]
    names = [_name(child) for child in children]
    at = 0
    for particle in particles:
        count = 0
        while at < len(names) and count < particle.high and names[at] in particle.names:
            at += 1
            count += 1
        if count < particle.low:
            found = f"<{names[at]}>" if at < len(names) else "nothing"
            line = line_of(children[at]) if at < len(children) else line_of(element)
            yield _finding(
                Rule.CMI5_STRUCTURE,
                f"<{_name(element)}> needs <{'> or <'.join(particle.names)}> here, found "
                f"{found}; its children are, in order: {_model(particles)}",
                line,
            )
            return
    if at < len(children):
        yield _finding(
            Rule.CMI5_STRUCTURE,
            f"<{names[at]}> is not allowed here in <{_name(element)}>; its children are, in "
            f"order: {_model(particles)}",
            line_of(children[at]),
        )


def _model(particles: tuple[Particle, ...]) -> str:
    parts = []
    for particle in particles:
        if particle.names == (OTHER,):
            continue
        text = "|".join(particle.names)
        suffix = {(1, 1): "", (0, 1): "?", (1, UNBOUNDED): "+", (0, UNBOUNDED): "*"}
        parts.append(text + suffix.get((particle.low, particle.high), ""))
    return ", ".join(parts) + ", then elements of other namespaces"


def _attributes(element: etree._Element, allowed: frozenset[str]) -> Iterator[Finding]:
    for name in element.attrib:
        qname = etree.QName(name)
        if qname.namespace is None and name not in allowed:
            yield _finding(
                Rule.CMI5_STRUCTURE,
                f"<{_name(element)}> has no attribute {name!r}",
                line_of(element),
            )
    required = "id" in allowed and element.get("id") is None
    if required:
        yield _finding(Rule.CMI5_BAD_ID, f"<{_name(element)}> has no id", line_of(element))


def _objective(element: etree._Element, referencing: bool) -> Iterator[Finding]:
    """An objective of the course (id, then a title and a description in any order) or a
    reference to one from an AU or block (an idref, no children)."""
    line = line_of(element)
    names = [_name(child) for child in element if isinstance(child.tag, str)]
    attributes = {"idref"} if referencing else {"id"}
    for name in element.attrib:
        if name not in attributes:
            yield _finding(Rule.CMI5_STRUCTURE, f"<objective> has no attribute {name!r}", line)
    if referencing:
        if names:
            message = f"an objective reference holds <{names[0]}>; it takes only idref"
            yield _finding(Rule.CMI5_STRUCTURE, message, line)
        return
    if element.get("id") is None:
        yield _finding(Rule.CMI5_BAD_ID, "<objective> has no id", line)
    if sorted(names) != ["description", "title"]:
        message = (
            f"<objective> holds {', '.join(f'<{n}>' for n in names) or 'nothing'}; it needs "
            "one <title> and one <description> (in either order), nothing else"
        )
        yield _finding(Rule.CMI5_STRUCTURE, message, line)


# --- the rules the XSD cannot express ------------------------------------------------------------


def _elements(root: etree._Element, *names: str) -> list[etree._Element]:
    return [e for e in _walk(root) if etree.QName(e).localname in names]


def _ids(root: etree._Element) -> Iterator[Finding]:
    """Course, block and AU ids (and, apart, objective ids) are absolute IRIs and unique;
    objective references resolve."""
    objectives = _elements(root, "objective")
    definitions = [o for o in objectives if not _is_reference_list(o.getparent())]
    yield from _unique_iris(_elements(root, "course", "block", "au"))
    yield from _unique_iris(definitions)
    defined = {o.get("id") for o in definitions}
    for reference in objectives:
        idref = reference.get("idref")
        if _is_reference_list(reference.getparent()) and idref is not None \
                and idref not in defined:
            yield _finding(
                Rule.CMI5_DANGLING_REF,
                f"objective idref {idref!r} names no objective of the course",
                line_of(reference),
            )


def _unique_iris(elements: list[etree._Element]) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for element in elements:
        ident = element.get("id")
        if ident is None:
            continue  # reported with the element's attributes
        kind = _name(element)
        line = line_of(element)
        if not absolute_iri(ident):
            yield _finding(Rule.CMI5_BAD_ID, f"<{kind}> id {ident!r} is not an absolute IRI", line)
        if ident in first:
            message = f"<{kind}> id {ident!r} is already used on line {first[ident]}"
            yield _finding(Rule.CMI5_DUPLICATE_ID, message, line)
        first.setdefault(ident, line)


def _au_attributes(au: etree._Element) -> Iterator[Finding]:
    line = line_of(au)
    move_on = au.get("moveOn")
    if move_on is not None and move_on not in MOVE_ON:
        yield _finding(
            Rule.CMI5_MOVE_ON, f"moveOn is {move_on!r}; it must be {one_of(MOVE_ON)}",
            line,
        )
    method = au.get("launchMethod")
    if method is not None and method not in LAUNCH_METHODS:
        yield _finding(
            Rule.CMI5_LAUNCH_METHOD,
            f"launchMethod is {method!r}; it must be {one_of(LAUNCH_METHODS)}",
            line,
        )
    score = au.get("masteryScore")
    if score is not None and not _fraction(score):
        yield _finding(
            Rule.CMI5_MASTERY_SCORE,
            f"masteryScore is {score!r}; it must be a decimal from 0 to 1 (0.8, not 80)",
            line,
        )


def _fraction(text: str) -> bool:
    text = text.strip()
    if not _DECIMAL.match(text):
        return False
    try:
        return Decimal(0) <= Decimal(text) <= Decimal(1)
    except InvalidOperation:
        return False


def _url(url: etree._Element, members: set[str]) -> Iterator[Finding]:
    text = (url.text or "").strip()
    line = line_of(url)
    if not text:
        yield _finding(Rule.CMI5_URL, "<url> is empty; it names the AU's launch page", line)
        return
    scheme = urlsplit(text).scheme
    if scheme and scheme not in ("http", "https"):
        yield _finding(
            Rule.CMI5_URL, f"<url> {text!r} is neither a path nor an http(s) URL", line
        )
        return
    yield from launch_target(url, text, members, CMI5_MANIFEST)


def _titles(root: etree._Element) -> Iterator[Finding]:
    for langstring in _walk(root):
        if etree.QName(langstring).localname != "langstring":
            continue
        parent = langstring.getparent()
        if parent is None or etree.QName(parent).localname != "title":
            continue
        text = " ".join((langstring.text or "").split())
        if len(text) > TITLE_LIMIT:
            yield _finding(
                Rule.LONG_TITLE,
                f"this title has {len(text)} characters; LMSs cut or refuse titles over "
                f"{TITLE_LIMIT}",
                line_of(langstring),
            )
