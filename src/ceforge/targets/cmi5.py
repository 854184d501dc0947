"""The ``cmi5`` target: a cmi5 course package, ``cmi5.xml`` and the course.

One AU for the whole course, or with the build option ``au=module`` (``--au module``) one AU
per module (``ceforge.xapi.cmi5`` decides ids, urls, moveOn and masteryScore). The LMS launches
an AU with ``endpoint``, ``fetch``, ``actor``, ``registration`` and ``activityId``; the ``cmi5``
adapter fetches its token, reads ``LMS.LaunchData`` and follows the cmi5 rules of
``docs/xapi.md``.

Steps: ``check`` (the ``au`` option; no credentials), then ``render``: the vocabulary; one
launch page per AU, running the course (``index.html``) or, per module, the course of that
module alone (``module_course``, as SCORM's module SCOs do), each with the whole course's
vocabulary so that activity ids do not depend on the layout; the runtime with the ``cmi5``
adapter and the assets, shared; and ``cmi5.xml`` from a Jinja template, checked by the rules of
``ceforge validate`` (children of ``au`` in the order of the cmi5 XSD: title, description,
objectives, url; every url a page of the package); ``verify``: the written zip, by ``ceforge
validate``'s checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ceforge.diagnostics import Code, Diagnostic, SourceLocation
from ceforge.model import Course
from ceforge.targets.base import BuildOptions, OutputFile, Target, TargetError, register
from ceforge.targets.common import asset_files, course_page, jinja_env, module_course, runtime_files
from ceforge.targets.tincan import XAPI_LIBRARIES, no_credentials, refuse_errors
from ceforge.validate.cmi5 import MANIFEST as MANIFEST  # the names, defined once there
from ceforge.validate.cmi5 import NAMESPACE as NAMESPACE
from ceforge.validate.cmi5 import check_cmi5
from ceforge.verify import Finding, verify_zip
from ceforge.xapi.cmi5 import AU_MODES, AssignableUnit, assignable_units, decimal
from ceforge.xapi.vocabulary import COURSE_TYPE, MODULE_TYPE, build_vocabulary


def au_mode(options: BuildOptions) -> str:
    """``course`` (one AU, the default) or ``module`` (one AU per module)."""
    return options.options.get("au", "course")


def cmi5_xml(course: Course, units: list[AssignableUnit]) -> OutputFile:
    config = course.config
    objectives = list({o.id: o for u in units for o in u.objectives}.values())
    text = (
        jinja_env()
        .get_template("xapi/cmi5.xml.j2")
        .render(
            language=config.language,
            course={
                "id": config.id,
                "title": config.title,
                "description": config.description or config.title,
            },
            objectives=objectives,
            units=[
                {
                    "id": u.id,
                    "move_on": u.move_on,
                    "mastery_score": u.mastery_score,
                    "mastery": decimal(u.mastery_score) if u.mastery_score is not None else "",
                    "activity_type": MODULE_TYPE if u.module else COURSE_TYPE,
                    "title": u.title,
                    "description": u.description,
                    "objectives": u.objectives,
                    "url": u.url,
                }
                for u in units
            ],
        )
    )
    data = text.encode("utf-8")
    check_cmi5_xml(data, units)
    return OutputFile(MANIFEST, data)


def check_cmi5_xml(data: bytes, units: list[AssignableUnit]) -> None:
    """The rules ``ceforge validate`` applies to cmi5.xml (the XSD's content model, restated
    because the XSD is not shipped; IRI ids, unique; moveOn, masteryScore, launchMethod; urls
    that name a launch page of the package), on what the template rendered; and one AU per
    unit."""
    pages, findings = check_cmi5(data, {u.url for u in units})
    refuse_errors(findings, MANIFEST)
    if pages is None or len(pages) != len(units):
        raise TargetError(f"ceforge wrote {MANIFEST} without one AU per unit (a bug in ceforge)")


def unit_course(course: Course, unit: AssignableUnit) -> Course:
    """The course an AU's page runs: the whole course, or its module's alone."""
    if unit.module is None:
        return course
    (module,) = [m for m in course.modules if m.id == unit.module]
    return module_course(course, module)


def au_page(course: Course, unit: AssignableUnit, xapi: dict[str, Any]) -> OutputFile:
    """The launch page of ``unit``: the course it runs, and ``xapi`` (the whole course's
    vocabulary, so that activity ids are the same in either layout, and the AUs) with the
    module this page runs (None: the whole course)."""
    cmi5 = xapi["cmi5"] | {"module": unit.module}
    extra = {"xapi": xapi | {"cmi5": cmi5}}
    return course_page(unit_course(course, unit), "cmi5", extra, unit.url, XAPI_LIBRARIES)


@register
class Cmi5Target(Target):
    name = "cmi5"
    description = "A cmi5 package: cmi5.xml and the course; one AU, or one per module (au=module)."

    def check(self, course: Course, options: BuildOptions) -> list[Diagnostic]:
        problems = no_credentials(course, options)
        mode = au_mode(options)
        if mode not in AU_MODES:
            code = Code.XAPI_BAD_OPTION
            message = f"au={mode!r}: the cmi5 target takes au={' or au='.join(AU_MODES)}"
            loc = SourceLocation("build option au")
            problems.append(Diagnostic(loc, code, message, code.severity))
        return problems

    def render(self, course: Course, options: BuildOptions) -> list[OutputFile]:
        mode = au_mode(options)
        units = assignable_units(course, mode)
        xapi = build_vocabulary(course).to_json() | {
            "cmi5": {
                "au": mode,
                "units": [
                    {
                        "id": u.id,
                        "module": u.module,
                        "url": u.url,
                        "moveOn": u.move_on,
                        "masteryScore": u.mastery_score,
                    }
                    for u in units
                ],
            }
        }
        return [
            cmi5_xml(course, units),
            *(au_page(course, u, xapi) for u in units),
            *runtime_files("cmi5", XAPI_LIBRARIES),
            *asset_files(course),
        ]

    def verify(self, package: Path, options: BuildOptions) -> list[Finding]:
        return verify_zip(package, "cmi5", errors_only=True)
