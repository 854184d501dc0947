"""What a package says it holds, and how an LMS launches it: the manifest model.

``ceforge validate`` reads it from the manifests it checks (``PackageReport.contents``) and the
preview launches packages from it (``ceforge.preview``): one reading of ``imsmanifest.xml``
(SCORM 1.2 or 2004: the SCOs of the default organization, with what the manifest tells the
LMS about each — mastery score, data from LMS, time limits, scaled passing score, completion
threshold), ``cmi5.xml`` (the AUs, their moveOn and masteryScore), ``tincan.xml`` (the
launched activity) or, with none of those, a web folder's ``index.html``. The model is plain
frozen dataclasses; it judges nothing (that is validate's checks' job), so a part it cannot
read is left out rather than reported.

``read_contents(folder)`` reads the model of a package unpacked in a folder (a build the
preview serves), with validate's parser: no entities, no DTD, no network, and a size limit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

from lxml import etree

from ceforge.scormspec import IMSSS, SCORM2004_4TH, XML_NS, Edition, collapsed
from ceforge.validate.archive import Limits
from ceforge.validate.scorm import MANIFEST as SCORM_MANIFEST
from ceforge.validate.scorm import detect_edition
from ceforge.validate.xmlfile import parse
from ceforge.xapispec import (
    CMI5_MANIFEST,
    CMI5_NAMESPACE,
    LAUNCH_METHODS,
    MOVE_ON,
    TINCAN_MANIFEST,
    TINCAN_NAMESPACE,
)

WEB_PAGE = "index.html"
#: Each standard's manifest, in the order ``read_contents`` looks for them (validate's order of
#: kinds: cmi5, Tin Can, SCORM, then a web package).
MANIFESTS = (
    ("cmi5", CMI5_MANIFEST),
    ("tincan", TINCAN_MANIFEST),
    ("scorm", SCORM_MANIFEST),
    ("web", WEB_PAGE),
)


class ContentsError(Exception):
    """The folder holds no package that can be launched."""


@dataclass(frozen=True)
class Unit:
    """One launchable unit: a SCORM SCO, a cmi5 AU, the Tin Can activity, or the web page."""

    #: The item identifier (SCORM), the AU id (cmi5), the activity id (Tin Can) or "course".
    id: str
    title: str
    #: The launch path inside the package, with its query (SCORM parameters, cmi5 url).
    href: str
    #: SCORM 1.2 ``adlcp:masteryscore`` (0-100), as written.
    mastery_score: str | None = None
    #: ``adlcp:datafromlms`` (1.2) or ``adlcp:dataFromLMS`` (2004): cmi.launch_data.
    launch_data: str | None = None
    max_time_allowed: str | None = None
    time_limit_action: str | None = None
    #: SCORM 2004: ``imsss:minNormalizedMeasure`` of a primary objective satisfied by measure.
    scaled_passing_score: str | None = None
    #: SCORM 2004: ``adlcp:completionThreshold``.
    completion_threshold: str | None = None
    #: cmi5: ``moveOn``, ``masteryScore``, ``launchMethod``, ``launchParameters``.
    move_on: str | None = None
    cmi5_mastery: float | None = None
    launch_method: str | None = None
    launch_parameters: str | None = None


@dataclass(frozen=True)
class PackageContents:
    """A package's units and what it says about itself."""

    #: scorm12, scorm2004, tincan, cmi5 or web.
    standard: str
    #: SCORM 2004's edition (3 or 4; 2nd edition packages count as 3); None otherwise.
    edition: int | None = None
    units: tuple[Unit, ...] = ()
    #: The course's id: the cmi5 course id or the Tin Can activity id, else None.
    course_id: str | None = None
    title: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


WEB_CONTENTS = PackageContents("web", units=(Unit("course", "", WEB_PAGE),))


class Checked(NamedTuple):
    """What a check of a Tin Can or cmi5 manifest read: its contents, and the pages it names
    as launch pages (paths in the package)."""

    contents: PackageContents
    pages: list[str]


def _text(element: Any) -> str | None:
    if element is None or element.text is None:
        return None
    text: str = element.text.strip()
    return text or None


# --- SCORM --------------------------------------------------------------------------------------


def scorm_contents(root: etree._Element, edition: Edition) -> PackageContents:
    """The SCOs of the default organization of a SCORM manifest read as ``edition``."""
    units = tuple(_scos(root, edition))
    if not edition.is_2004:
        return PackageContents("scorm12", units=units)
    return PackageContents("scorm2004", edition=4 if edition is SCORM2004_4TH else 3,
                           units=units)


def _scos(root: etree._Element, edition: Edition) -> list[Unit]:
    cp = edition.cp
    # Identifiers are xs:ID and xs:IDREF: compared with their whitespace collapsed.
    resources = {
        collapsed(r.get("identifier", "")): r
        for r in root.iter(f"{{{cp}}}resource")
        if r.get("identifier")
    }
    organizations = root.find(f"{{{cp}}}organizations")
    if organizations is None:
        return []
    orgs = organizations.findall(f"{{{cp}}}organization")
    default = collapsed(organizations.get("default", ""))
    chosen = next(
        (o for o in orgs if collapsed(o.get("identifier", "")) == default),
        orgs[0] if orgs else None,
    )
    if chosen is None:
        return []
    units = []
    for item in chosen.iter(f"{{{cp}}}item"):
        resource = resources.get(collapsed(item.get("identifierref", "")))
        if resource is None:
            continue
        kind = (resource.get(f"{{{edition.adlcp}}}{edition.scorm_type}") or "").lower()
        href = resource.get("href")
        if kind != "sco" or not href:
            continue
        units.append(_sco(item, resource, href, edition))
    return units


def _sco(item: Any, resource: Any, href: str, edition: Edition) -> Unit:
    base_attribute = f"{{{XML_NS}}}base"
    base = (resource.getparent().get(base_attribute) or "") + (resource.get(base_attribute) or "")
    parameters = item.get("parameters") or ""
    if parameters and not parameters.startswith(("?", "#")):
        parameters = "?" + parameters
    if parameters.startswith("?") and "?" in href:
        parameters = "&" + parameters[1:]
    ident = collapsed(item.get("identifier", ""))
    title = _text(item.find(f"{{{edition.cp}}}title")) or ident

    def adl(*names: str) -> str | None:
        for name in names:
            value = _text(item.find(f"{{{edition.adlcp}}}{name}"))
            if value is not None:
                return value
        return None

    threshold = item.find(f"{{{edition.adlcp}}}completionThreshold")
    completion = None
    if threshold is not None:  # 4th edition: an attribute; 3rd edition: the text
        completion = threshold.get("minProgressMeasure") or _text(threshold)
    return Unit(
        id=ident,
        title=title,
        href=quote(base + href, safe="/:?&=#%.-_~") + parameters,
        mastery_score=adl("masteryscore"),
        launch_data=adl("datafromlms", "dataFromLMS"),
        max_time_allowed=adl("maxtimeallowed") or _duration_limit(item),
        time_limit_action=adl("timelimitaction", "timeLimitAction"),
        scaled_passing_score=_passing_measure(item),
        completion_threshold=completion,
    )


def _duration_limit(item: Any) -> str | None:
    limits = item.find(f"{{{IMSSS}}}sequencing/{{{IMSSS}}}limitConditions")
    return None if limits is None else limits.get("attemptAbsoluteDurationLimit")


def _passing_measure(item: Any) -> str | None:
    primary = item.find(f"{{{IMSSS}}}sequencing/{{{IMSSS}}}objectives/{{{IMSSS}}}primaryObjective")
    if primary is None or primary.get("satisfiedByMeasure") not in ("true", "1"):
        return None
    return _text(primary.find(f"{{{IMSSS}}}minNormalizedMeasure")) or "1.0"


# --- cmi5 and Tin Can ---------------------------------------------------------------------------


def _lang_text(element: Any, ns: str) -> str:
    if element is None:
        return ""
    return _text(element.find(f"{{{ns}}}langstring")) or _text(element) or ""


def _mastery(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None  # reported by validate's checks (cmi5.mastery-score)


def cmi5_contents(root: etree._Element) -> PackageContents:
    """The AUs of a cmi5 course structure, in document order (blocks flattened)."""
    ns = CMI5_NAMESPACE
    course = root.find(f"{{{ns}}}course")
    units = []
    for au in root.iter(f"{{{ns}}}au"):
        move_on = au.get("moveOn") or MOVE_ON[0]
        units.append(Unit(
            id=au.get("id") or "",
            title=_lang_text(au.find(f"{{{ns}}}title"), ns),
            href=_text(au.find(f"{{{ns}}}url")) or "",
            move_on=move_on,
            cmi5_mastery=_mastery(au.get("masteryScore")),
            launch_method=au.get("launchMethod") or LAUNCH_METHODS[0],
            launch_parameters=_text(au.find(f"{{{ns}}}launchParameters")),
        ))
    return PackageContents(
        "cmi5",
        units=tuple(units),
        course_id=course.get("id") if course is not None else None,
        title=_lang_text(course.find(f"{{{ns}}}title") if course is not None else None, ns),
    )


def tincan_contents(root: etree._Element) -> PackageContents:
    """The activities of ``tincan.xml`` that have a launch (an LMS launches the first)."""
    ns = TINCAN_NAMESPACE
    units = []
    for activity in root.iter(f"{{{ns}}}activity"):
        launch = _text(activity.find(f"{{{ns}}}launch"))
        if launch:
            name = _text(activity.find(f"{{{ns}}}name")) or ""
            units.append(Unit(id=activity.get("id") or "", title=name, href=launch))
    first = units[0] if units else None
    return PackageContents("tincan", units=tuple(units), course_id=first.id if first else None,
                           title=first.title if first else "")


# --- a package in a folder ----------------------------------------------------------------------


def read_contents(
    folder: Path, standard: str | None = None, limits: Limits | None = None
) -> PackageContents:
    """The contents of the package unpacked in ``folder``: of its ``standard`` (scorm12,
    scorm2004, tincan, cmi5, web) when given, else of the first manifest found (cmi5.xml,
    tincan.xml, imsmanifest.xml, then a web folder's index.html). ``ContentsError`` when
    there is none, when it is not of ``standard``, cannot be read, or names nothing to launch."""
    found = [(kind, name) for kind, name in MANIFESTS if (folder / name).is_file()]
    if not found:
        raise ContentsError(f"{folder}: no imsmanifest.xml, cmi5.xml, tincan.xml or index.html")
    wanted = "scorm" if standard and standard.startswith("scorm") else standard
    kind, name = next(((k, n) for k, n in found if k == wanted), found[0])
    contents = WEB_CONTENTS if kind == "web" else _read_manifest(folder, name, limits or Limits())
    if standard is not None and contents.standard != standard:
        raise ContentsError(f"{folder} holds a {contents.standard} package, not {standard}")
    if not contents.units:
        raise ContentsError(f"{folder}: the {contents.standard} package names nothing to launch")
    return contents


def _read_manifest(folder: Path, name: str, limits: Limits) -> PackageContents:
    """The contents a manifest of ``folder`` declares, read with validate's parser."""
    path = folder / name
    if path.stat().st_size > limits.max_document:
        raise ContentsError(f"{path}: larger than the limit of {limits.max_document} bytes "
                            "for an XML file; it is not read")
    root, problems = parse(path.read_bytes(), name)
    if root is None:
        raise ContentsError(f"{path}: {problems[0].message}")
    if name == CMI5_MANIFEST:
        return cmi5_contents(root)
    if name == TINCAN_MANIFEST:
        return tincan_contents(root)
    edition, problems = detect_edition(root, None)
    if edition is None:
        raise ContentsError(f"{path}: {problems[0].message}")
    return scorm_contents(root, edition)
