"""What a package folder is, and how an LMS launches it: its launch plan.

``launch_plan(folder)`` reads the package's own description: ``imsmanifest.xml`` (SCORM 1.2 or
2004: the SCOs of the default organization, with what the manifest tells the LMS about each —
mastery score, data from LMS, time limits, scaled passing score, completion threshold),
``cmi5.xml`` (the AUs, their moveOn and masteryScore), ``tincan.xml`` (the launched activity)
or, with none of those, a web folder's ``index.html``. The preview and the headless launch
(``ceforge.preview.launch``) start the course from it; they do not judge the package (that is
``ceforge validate``'s job), so a part they cannot read is left out rather than reported.

XML is parsed without network access and without resolving entities.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lxml import etree

from ceforge.scormspec import ADLCP_12, ADLCP_2004, IMSCP_12, IMSCP_2004, IMSSS
from ceforge.xapispec import CMI5_NAMESPACE as CMI5_NS
from ceforge.xapispec import TINCAN_NAMESPACE as TINCAN_NS

SCORM_MANIFEST = "imsmanifest.xml"


class PlanError(Exception):
    """The folder holds no package the preview knows how to launch."""


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
class LaunchPlan:
    standard: str
    #: SCORM 2004's edition (3 or 4; 2nd edition packages count as 3); None otherwise.
    edition: int | None = None
    units: tuple[Unit, ...] = ()
    #: The course's id: the cmi5 course id or the Tin Can activity id, else None.
    course_id: str | None = None
    title: str = ""
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _text(element: Any) -> str | None:
    if element is None or element.text is None:
        return None
    text: str = element.text.strip()
    return text or None


def launch_plan(folder: Path, standard: str | None = None) -> LaunchPlan:
    """The launch plan of the package in ``folder``; ``standard`` checks what it must be."""
    if (folder / SCORM_MANIFEST).is_file():
        plan = scorm_plan(folder / SCORM_MANIFEST)
    elif (folder / "cmi5.xml").is_file():
        plan = cmi5_plan(folder / "cmi5.xml")
    elif (folder / "tincan.xml").is_file():
        plan = tincan_plan(folder / "tincan.xml")
    elif (folder / "index.html").is_file():
        plan = LaunchPlan("web", units=(Unit("course", "", "index.html"),))
    else:
        raise PlanError(f"{folder}: no imsmanifest.xml, cmi5.xml, tincan.xml or index.html")
    if standard is not None and not plan.standard.startswith(standard.split("-")[0]):
        raise PlanError(f"{folder} holds a {plan.standard} package, not {standard}")
    if not plan.units:
        raise PlanError(f"{folder}: the {plan.standard} package names nothing to launch")
    return plan


# --- SCORM --------------------------------------------------------------------------------------


def scorm_plan(manifest: Path) -> LaunchPlan:
    try:
        root = etree.parse(str(manifest), _parser()).getroot()
    except etree.XMLSyntaxError as exc:
        raise PlanError(f"{manifest}: not well-formed XML: {exc}") from None
    namespace = etree.QName(root).namespace
    if namespace == IMSCP_12:
        return LaunchPlan("scorm12", units=tuple(_scos(root, IMSCP_12, ADLCP_12, "scormtype")))
    if namespace != IMSCP_2004:
        raise PlanError(f"{manifest}: the manifest's namespace {namespace!r} is no SCORM's")
    version = _text(root.find(f"{{{IMSCP_2004}}}metadata/{{{IMSCP_2004}}}schemaversion")) or ""
    edition = 4 if "4th" in version else 3
    units = tuple(_scos(root, IMSCP_2004, ADLCP_2004, "scormType"))
    return LaunchPlan("scorm2004", edition=edition, units=units)


def _scos(root: Any, cp: str, adlcp: str, scorm_type: str) -> list[Unit]:
    resources = {
        r.get("identifier"): r for r in root.iter(f"{{{cp}}}resource") if r.get("identifier")
    }
    organizations = root.find(f"{{{cp}}}organizations")
    if organizations is None:
        return []
    orgs = organizations.findall(f"{{{cp}}}organization")
    default = organizations.get("default")
    chosen = next((o for o in orgs if o.get("identifier") == default), orgs[0] if orgs else None)
    if chosen is None:
        return []
    units = []
    for item in chosen.iter(f"{{{cp}}}item"):
        resource = resources.get(item.get("identifierref"))
        if resource is None:
            continue
        kind = (resource.get(f"{{{adlcp}}}{scorm_type}") or "").lower()
        href = resource.get("href")
        if kind != "sco" or not href:
            continue
        units.append(_sco(item, resource, href, cp, adlcp))
    return units


def _sco(item: Any, resource: Any, href: str, cp: str, adlcp: str) -> Unit:
    base = (resource.getparent().get("{http://www.w3.org/XML/1998/namespace}base") or "") + (
        resource.get("{http://www.w3.org/XML/1998/namespace}base") or ""
    )
    parameters = item.get("parameters") or ""
    if parameters and not parameters.startswith(("?", "#")):
        parameters = "?" + parameters
    if parameters.startswith("?") and "?" in href:
        parameters = "&" + parameters[1:]
    title = _text(item.find(f"{{{cp}}}title")) or item.get("identifier") or ""

    def adl(*names: str) -> str | None:
        for name in names:
            value = _text(item.find(f"{{{adlcp}}}{name}"))
            if value is not None:
                return value
        return None

    threshold = item.find(f"{{{adlcp}}}completionThreshold")
    completion = None
    if threshold is not None:  # 4th edition: an attribute; 3rd edition: the text
        completion = threshold.get("minProgressMeasure") or _text(threshold)
    return Unit(
        id=item.get("identifier") or "",
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


def cmi5_plan(path: Path) -> LaunchPlan:
    try:
        root = etree.parse(str(path), _parser()).getroot()
    except etree.XMLSyntaxError as exc:
        raise PlanError(f"{path}: not well-formed XML: {exc}") from None
    ns = CMI5_NS
    course = root.find(f"{{{ns}}}course")
    units = []
    for au in root.iter(f"{{{ns}}}au"):
        mastery = au.get("masteryScore")
        units.append(Unit(
            id=au.get("id") or "",
            title=_lang_text(au.find(f"{{{ns}}}title"), ns),
            href=_text(au.find(f"{{{ns}}}url")) or "",
            move_on=au.get("moveOn") or "NotApplicable",
            cmi5_mastery=float(mastery) if mastery else None,
            launch_method=au.get("launchMethod") or "AnyWindow",
            launch_parameters=_text(au.find(f"{{{ns}}}launchParameters")),
        ))
    return LaunchPlan(
        "cmi5",
        units=tuple(units),
        course_id=course.get("id") if course is not None else None,
        title=_lang_text(course.find(f"{{{ns}}}title") if course is not None else None, ns),
    )


def tincan_plan(path: Path) -> LaunchPlan:
    try:
        root = etree.parse(str(path), _parser()).getroot()
    except etree.XMLSyntaxError as exc:
        raise PlanError(f"{path}: not well-formed XML: {exc}") from None
    ns = TINCAN_NS
    units = []
    for activity in root.iter(f"{{{ns}}}activity"):
        launch = _text(activity.find(f"{{{ns}}}launch"))
        if launch:
            name = _text(activity.find(f"{{{ns}}}name")) or ""
            units.append(Unit(id=activity.get("id") or "", title=name, href=launch))
    first = units[0] if units else None
    return LaunchPlan("tincan", units=tuple(units), course_id=first.id if first else None,
                      title=first.title if first else "")
