"""What the SCORM 1.2 and SCORM 2004 targets share.

A SCORM package is the course's launch page(s), the runtime and the assets, plus
``imsmanifest.xml`` and the edition's schema files at the root. The steps:

1. ``plan_scos``: the SCOs of the course: one for the whole course (``--sco single``) or one
   per module (``--sco module``), each with its identifiers, launch page, learning objectives
   and the course data it runs;
2. ``check_state_budget``: refuse a course whose saved state could outgrow ``cmi.suspend_data``;
3. ``scorm_package``: render launch pages, manifest (a Jinja template per version under
   ``templates/scorm/``) and collect runtime, assets and schema files.

Identifiers are NCNames derived from the course id and the module ids only, so they stay the
same across builds and course versions (an LMS that updates a package keeps learner records).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from lxml import etree

from ceforge.coursedata import (
    FILL_IN_MAX,
    NUMERIC_MAX,
    block_records,
    state_budget,
)
from ceforge.diagnostics import Code, Diagnostic, SourceLocation
from ceforge.loader import COURSE_FILE
from ceforge.model import BlockKind, Course, QuestionType
from ceforge.scormspec import Edition
from ceforge.targets.base import BuildOptions, OutputFile, TargetError, course_slug
from ceforge.targets.common import (
    asset_files,
    course_page,
    module_course,
    module_files,
    render_manifest,
    runtime_files,
)

MANIFEST = "imsmanifest.xml"
METADATA = "metadata.xml"
COURSE_PAGE = "index.html"
#: What the scorm12 and scorm2004 adapters share (API discovery, the session, retries), loaded
#: before the adapter.
SCORM_LIBRARIES = ("scorm-api", "scorm-data", "scorm-common")


@dataclass(frozen=True)
class Objective:
    """A learning objective of a module: an ``imsss:objective`` and a ``cmi.objectives`` entry."""

    id: str
    module: str
    description: str


@dataclass(frozen=True)
class Sco:
    """One SCO of the package and the item of the organization that launches it."""

    item: str
    resource: str
    title: str
    #: The launch page, a path in the package.
    href: str
    #: The course this SCO runs: the whole course, or (module layout) a course of one module.
    course: Course
    #: The module the SCO covers; None when it covers the whole course.
    module: str | None
    objectives: tuple[Objective, ...]
    #: The SCO holds the post-test, so its score is the course's and mastery applies to it.
    scored: bool


@dataclass(frozen=True)
class Identifiers:
    manifest: str
    organization: str
    #: The asset resource the SCOs of the module layout depend on.
    shared: str


def identifiers(course: Course) -> Identifiers:
    """NCNames from the course id: readable (its last segment) and unique (a hash of all of it)."""
    slug = course_slug(course)
    digest = hashlib.sha256(course.config.id.encode()).hexdigest()[:8]
    return Identifiers(
        manifest=f"course-{slug}-{digest}",
        organization=f"org-{slug}",
        shared="shared-files",
    )


def objectives(course: Course) -> dict[str, tuple[Objective, ...]]:
    """Each module's learning objectives with ids like ``obj-empathy-1``: letters, digits, ``-``
    and ``_`` only, so they are valid ``cmi.objectives.n.id`` values in SCORM 1.2 and 2004."""
    used: set[str] = set()
    result: dict[str, tuple[Objective, ...]] = {}
    for module in course.modules:
        stem = "obj-" + re.sub(r"[^A-Za-z0-9_-]", "_", module.id)
        items = []
        for number, text in enumerate(module.objectives, start=1):
            ident = f"{stem}-{number}"
            while ident in used:  # only when two module ids differ in '.' versus '_'
                ident += "_"
            used.add(ident)
            items.append(Objective(ident, module.id, text))
        result[module.id] = tuple(items)
    return result


def plan_scos(course: Course, options: BuildOptions) -> list[Sco]:
    """The SCOs of the package, in the order of the organization."""
    goals = objectives(course)
    if options.sco == "single":
        return [
            Sco(
                item="item-course",
                resource="sco-course",
                title=course.config.title,
                href=COURSE_PAGE,
                course=course,
                module=None,
                objectives=tuple(o for m in course.modules for o in goals[m.id]),
                scored=course.test is not None,
            )
        ]
    return [
        Sco(
            item=f"item-{module.id}",
            resource=f"sco-{module.id}",
            title=module.title,
            href=f"module-{module.id}.html",
            course=module_course(course, module),
            module=module.id,
            objectives=goals[module.id],
            scored=any(b.kind is BlockKind.TEST for b in module.blocks),
        )
        for module in course.unit_modules
    ]


# --- the state budget ----------------------------------------------------------------------------


def check_state_budget(
    course: Course, options: BuildOptions, edition: Edition, target: str
) -> list[Diagnostic]:
    """An error for each SCO whose saved state could outgrow the edition's suspend_data."""
    limit = edition.suspend_data_limit
    problems = []
    for sco in plan_scos(course, options):
        worst = state_budget(sco.course).worst_case
        if worst > limit:
            loc, advice = _budget_advice(sco.course, options)
            where = f"module {sco.module!r}" if sco.module else "the course"
            problems.append(
                Diagnostic(
                    loc,
                    Code.STATE_TOO_LARGE,
                    f"{target}: a learner's saved state of {where} can reach {worst} "
                    f"characters, but {edition.label} keeps at most {limit} in "
                    f"cmi.suspend_data; {advice}",
                    Code.STATE_TOO_LARGE.severity,
                )
            )
    return problems


def _budget_advice(course: Course, options: BuildOptions) -> tuple[SourceLocation, str]:
    """Where most of the state goes (the location to report), and what an author can change."""
    records = block_records(course)
    answers = sum(sum(costs) for _block, costs in records)
    block, costs = max(records, key=lambda record: sum(record[1]), default=(None, []))
    typed: Counter[QuestionType] = Counter(
        q.type for q in course.questions if q.type in (QuestionType.FILL_IN, QuestionType.NUMERIC)
    )
    advice = [f"the answers take up to {answers} of them"]
    # Point at one block only when it holds a good part of the state.
    dominant = block if block is not None and 4 * sum(costs) >= answers > 0 else None
    if dominant is not None:
        advice.append(f"this '::: {dominant.kind.value}' alone up to {sum(costs)}")
    if typed:
        limits = {QuestionType.FILL_IN: FILL_IN_MAX, QuestionType.NUMERIC: NUMERIC_MAX}
        kinds = [
            f"{typed[kind]} {kind.value} questions, up to {limit} characters each"
            for kind, limit in limits.items()
            if typed[kind]
        ]
        advice.append(f"use fewer typed answers ({'; '.join(kinds)}) or make some choice questions")
    test = course.test
    if test is not None and (test.draw or len(test.questions)) > 1:
        advice.append("let the test draw fewer questions per attempt (draw=N on '::: test')")
    if options.sco == "single" and len(course.modules) > 1:
        advice.append("build with --sco module (each module keeps its own state)")
    advice.append("or build SCORM 2004 4th Edition (64000 characters)")
    loc = dominant.loc if dominant is not None else SourceLocation(COURSE_FILE, 1)
    return loc, "; ".join(advice)


# --- rendering -----------------------------------------------------------------------------------


def scorm_package(
    course: Course, options: BuildOptions, edition: Edition, version: str
) -> list[OutputFile]:
    """Every file of a SCORM package of ``course``. ``version`` (``scorm12``, ``scorm2004``)
    names the runtime adapter and the templates ``scorm/<version>.xml.j2`` (the manifest) and
    ``scorm/<version>-metadata.xml.j2`` (the course's metadata, a file of its own because both
    1.2 and 2004 3rd edition validate metadata inside the manifest strictly, against schemas
    ceforge cannot compile or does not ship)."""
    adapter = version
    templates = {MANIFEST: f"scorm/{version}.xml.j2", METADATA: f"scorm/{version}-metadata.xml.j2"}
    scos = plan_scos(course, options)
    runtime = runtime_files(adapter, SCORM_LIBRARIES)
    # The data scripts of the modules a SCO's page loads on demand (a single SCO's), with
    # the runtime: in the module layout every SCO shares them.
    data = list({f.path: f for sco in scos for f in module_files(sco.course)}.values())
    runtime = [*data, *runtime]
    assets = asset_files(course, [sco.course for sco in scos])
    pages = [
        course_page(
            sco.course,
            adapter,
            {"lms": _lms_data(sco, options, edition, adapter)},
            sco.href,
            SCORM_LIBRARIES,
        )
        for sco in scos
    ]
    context = manifest_context(course, options, edition, scos, [*runtime, *assets])
    documents = [OutputFile(path, render_xml(name, context)) for path, name in templates.items()]
    schemas = [OutputFile(p.name, source=p) for p in edition.schema_files()]
    return [*pages, *runtime, *assets, *documents, *schemas]


def _lms_data(sco: Sco, options: BuildOptions, edition: Edition, adapter: str) -> dict[str, Any]:
    """What the SCORM adapters need besides the course data of a SCO's launch page (``lms``)."""
    return {
        "standard": adapter,
        "edition": edition.schemaversion,
        "report": options.report_for(sco.course),
        "sco": sco.module,
        "objectives": [
            {"id": o.id, "module": o.module, "description": o.description} for o in sco.objectives
        ],
        "state_limit": edition.suspend_data_limit,
    }


def manifest_context(
    course: Course,
    options: BuildOptions,
    edition: Edition,
    scos: list[Sco],
    content: list[OutputFile],
) -> dict[str, Any]:
    """What the manifest templates are rendered with."""
    config = course.config
    shared = options.sco == "module"
    hrefs = [quote(f.path) for f in content]
    return {
        "ids": identifiers(course),
        "edition": edition,
        "course": config,
        "layout": options.sco,
        "duration": iso_duration(sum(m.minutes or 0 for m in course.modules)),
        "scos": scos,
        # Each SCO's files, its launch page first; in the module layout the runtime and the
        # assets are one shared asset resource that every SCO depends on.
        "files": {sco.resource: [quote(sco.href), *([] if shared else hrefs)] for sco in scos},
        "shared_files": hrefs if shared else [],
        "mastery": config.passing_score if course.test is not None else None,
        "report": options.report_for(course),
        "metadata": METADATA,
        "decimal": decimal,
    }


def render_xml(template: str, context: dict[str, Any]) -> bytes:
    """An XML file of the package from its template, parsed once to be sure it is well-formed."""
    data = render_manifest(template, **context).encode("utf-8")
    try:
        etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    except etree.XMLSyntaxError as exc:  # a bug of the template, not of the course
        raise TargetError(f"{template} rendered malformed XML: {exc}") from exc
    return data


def decimal(value: float, scale: float = 1) -> str:
    """``value * scale`` as a plain decimal, at most 4 fraction digits: 0.8 -> "0.8", 80."""
    text = f"{value * scale:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def iso_duration(minutes: int) -> str:
    """An ISO 8601 duration (``PT7H``, ``PT1H30M``); empty for zero."""
    if minutes <= 0:
        return ""
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")
