"""Tin Can packages: the structure of ``tincan.xml`` that LMSs rely on.

ceforge ships no Tin Can schema, so the rules are written out here: a ``<tincan>`` root in the
Tin Can namespace, ``<activities>`` with at least one ``<activity>``, each with an absolute IRI
for ``id`` (and ``type``, when given), unique, and a ``<name>``; exactly one ``<launch>`` in the
file, naming a page of the package or an http(s) URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml import etree

from ceforge.validate.contents import Checked, tincan_contents
from ceforge.validate.findings import Finding, Rule, finding
from ceforge.validate.scorm import TITLE_LIMIT, missing_message, package_path
from ceforge.validate.xmlfile import line_of, parse
from ceforge.xapispec import TINCAN_MANIFEST, TINCAN_NAMESPACE

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")


def absolute_iri(value: str | None) -> bool:
    return value is not None and bool(_ABSOLUTE_IRI.match(value))


def _q(local: str) -> str:
    return f"{{{TINCAN_NAMESPACE}}}{local}"


def _finding(rule: Rule, message: str, line: int = 0) -> Finding:
    return finding(rule, TINCAN_MANIFEST, message, line)


def launch_target(
    element: etree._Element, text: str, members: set[str], path: str
) -> Iterator[Finding]:
    """The problems of a launch reference ``text`` (a page of the package or an http(s) URL)
    written in ``element`` of the manifest ``path``."""
    line = line_of(element)
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        return
    target = package_path(text)
    if target is None:
        yield finding(
            Rule.BAD_HREF, path, f"{text!r} is neither a path in the package nor an http(s) URL",
            line,
        )
    elif target not in members:
        folded = {name.casefold(): name for name in members}
        yield finding(Rule.MISSING_FILE, path, missing_message(text, parts.path, folded), line)


def check_tincan(data: bytes, members: set[str]) -> tuple[Checked | None, list[Finding]]:
    """What ``tincan.xml`` holds (its activities, and the launch pages it names) — None: it is
    not a Tin Can manifest — and its findings."""
    root, findings = parse(data, TINCAN_MANIFEST)
    if root is None:
        return None, findings
    if root.tag != _q("tincan"):
        message = f"the root element is {root.tag!r}; expected <tincan> in {TINCAN_NAMESPACE}"
        return None, [_finding(Rule.TINCAN_STRUCTURE, message, line_of(root))]
    activities = root.findall(f"{_q('activities')}/{_q('activity')}")
    if not activities:
        message = "no <activities> with an <activity>; the LMS has nothing to list"
        return Checked(tincan_contents(root), []), [
            _finding(Rule.TINCAN_STRUCTURE, message, line_of(root))
        ]
    findings = [f for activity in activities for f in _activity(activity)]
    findings += _unique_ids(activities)
    launches = list(root.iter(_q("launch")))
    pages: list[str] = []
    if len(launches) != 1:
        count = "no <launch>" if not launches else f"{len(launches)} <launch> elements"
        line = line_of(launches[1]) if launches else line_of(root)
        message = f"tincan.xml has {count}; an LMS launches exactly one activity"
        findings.append(_finding(Rule.TINCAN_LAUNCH, message, line))
    for launch in launches:
        text = (launch.text or "").strip()
        if not text:
            findings.append(_finding(Rule.TINCAN_LAUNCH, "<launch> is empty", line_of(launch)))
            continue
        findings += launch_target(launch, text, members, TINCAN_MANIFEST)
        page = package_path(text)
        if page is not None:
            pages.append(page)
    return Checked(tincan_contents(root), pages), sorted(findings)


def _activity(activity: etree._Element) -> Iterator[Finding]:
    line = line_of(activity)
    ident = activity.get("id")
    if not absolute_iri(ident):
        what = "has no id" if ident is None else f"id {ident!r} is not an absolute IRI"
        yield _finding(Rule.TINCAN_BAD_ID, f"<activity> {what}", line)
    kind = activity.get("type")
    if kind is not None and not absolute_iri(kind):
        yield _finding(Rule.TINCAN_BAD_ID, f"activity type {kind!r} is not an absolute IRI", line)
    names = activity.findall(_q("name"))
    if not names:
        yield _finding(Rule.TINCAN_STRUCTURE, f"activity {ident!r} has no <name>", line)
    for name in names:
        text = " ".join((name.text or "").split())
        if len(text) > TITLE_LIMIT:
            yield _finding(
                Rule.LONG_TITLE,
                f"this name has {len(text)} characters; LMSs cut or refuse titles over "
                f"{TITLE_LIMIT}",
                line_of(name),
            )


def _unique_ids(activities: list[etree._Element]) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for activity in activities:
        ident = activity.get("id")
        if ident is None:
            continue
        if ident in first:
            yield _finding(
                Rule.TINCAN_DUPLICATE_ID,
                f"activity id {ident!r} is already used on line {first[ident]}",
                line_of(activity),
            )
        else:
            first[ident] = line_of(activity)
