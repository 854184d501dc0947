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
adapter and the assets, shared; and ``cmi5.xml`` from a Jinja template (children of ``au`` in
the order of the cmi5 XSD: title, description, objectives, url), parsed once to be sure it is
well-formed. The build then checks the written zip with ``ceforge validate``'s rules for a cmi5
package (``package_kind``): the course structure, and every AU url a page of the package.
"""

from __future__ import annotations

from typing import Any

from ceforge.config import AU_MODES
from ceforge.diagnostics import Code, Diagnostic, SourceLocation
from ceforge.model import Course
from ceforge.targets.base import BuildOptions, OutputFile, Target
from ceforge.targets.common import (
    asset_files,
    course_page,
    module_course,
    module_files,
    render_manifest,
    runtime_files,
)
from ceforge.targets.tincan import XAPI_LIBRARIES, no_credentials, well_formed
from ceforge.xapi.cmi5 import AssignableUnit, assignable_units, decimal
from ceforge.xapi.vocabulary import COURSE_TYPE, MODULE_TYPE, build_vocabulary
from ceforge.xapispec import CMI5_MANIFEST


def au_mode(options: BuildOptions) -> str:
    """``course`` (one AU, the default) or ``module`` (one AU per module)."""
    return options.options.get("au", "course")


def cmi5_xml(course: Course, units: list[AssignableUnit]) -> OutputFile:
    config = course.config
    objectives = list({o.id: o for u in units for o in u.objectives}.values())
    text = render_manifest(
        "xapi/cmi5.xml.j2",
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
    return OutputFile(CMI5_MANIFEST, well_formed(text.encode("utf-8"), CMI5_MANIFEST))


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
        data = {f.path: f for u in units for f in module_files(unit_course(course, u))}
        return [
            cmi5_xml(course, units),
            *(au_page(course, u, xapi) for u in units),
            *data.values(),
            *runtime_files("cmi5", XAPI_LIBRARIES),
            *asset_files(course, [unit_course(course, u) for u in units]),
        ]

    def package_kind(self, options: BuildOptions) -> str:
        return "cmi5"
