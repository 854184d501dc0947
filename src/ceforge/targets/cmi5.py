"""The ``cmi5`` target: a cmi5 course package, ``cmi5.xml`` and the course.

One AU for the whole course, or with the build option ``au=module`` one AU per module
(``ceforge.xapi.cmi5`` decides ids, moveOn and masteryScore). The LMS launches an AU with
``endpoint``, ``fetch``, ``actor``, ``registration`` and ``activityId``; the ``cmi5`` adapter
fetches its token, reads ``LMS.LaunchData`` and follows the cmi5 rules of ``docs/xapi.md``.

Steps: ``check`` (the ``au`` option; no credentials), then ``render``: the vocabulary, the
course package with the ``cmi5`` adapter, and ``cmi5.xml`` from a Jinja template, checked by
the rules of ``ceforge validate`` (children of ``au`` in the order of the cmi5 XSD: title,
description, objectives, url); ``verify``: the written zip, by ``ceforge validate``'s checks.
"""

from __future__ import annotations

from pathlib import Path

from ceforge.diagnostics import Code, Diagnostic, SourceLocation
from ceforge.model import Course
from ceforge.targets.base import BuildOptions, OutputFile, Target, TargetError, register
from ceforge.targets.common import course_package, jinja_env
from ceforge.targets.tincan import XAPI_LIBRARIES, no_credentials, refuse_errors
from ceforge.validate.cmi5 import MANIFEST as MANIFEST  # the names, defined once there
from ceforge.validate.cmi5 import NAMESPACE as NAMESPACE
from ceforge.validate.cmi5 import check_cmi5
from ceforge.verify import Finding, verify_zip
from ceforge.xapi.cmi5 import AU_MODES, LAUNCH_PAGE, AssignableUnit, assignable_units, decimal
from ceforge.xapi.vocabulary import COURSE_TYPE, MODULE_TYPE, build_vocabulary


def au_mode(options: BuildOptions) -> str:
    """``course`` (one AU, the default) or ``module`` (one AU per module)."""
    return options.options.get("au", "course")


def cmi5_xml(course: Course, units: list[AssignableUnit]) -> OutputFile:
    config = course.config
    objectives = list({o.id: o for u in units for o in u.objectives}.values())
    text = jinja_env().get_template("xapi/cmi5.xml.j2").render(
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
    data = text.encode("utf-8")
    check_cmi5_xml(data, len(units))
    return OutputFile(MANIFEST, data)


def check_cmi5_xml(data: bytes, units: int) -> None:
    """The rules ``ceforge validate`` applies to cmi5.xml (the XSD's content model, restated
    because the XSD is not shipped; IRI ids, unique; moveOn, masteryScore, launchMethod), on
    what the template rendered; and one AU per unit."""
    pages, findings = check_cmi5(data, {LAUNCH_PAGE})
    refuse_errors(findings, MANIFEST)
    if pages is None or len(pages) != units:
        raise TargetError(f"ceforge wrote {MANIFEST} without one AU per unit (a bug in ceforge)")


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
        vocabulary = build_vocabulary(course)
        xapi = vocabulary.to_json() | {
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
        files = course_package(course, "cmi5", extra={"xapi": xapi}, libraries=XAPI_LIBRARIES)
        return [cmi5_xml(course, units), *files]

    def verify(self, package: Path, options: BuildOptions) -> list[Finding]:
        return verify_zip(package, "cmi5")
