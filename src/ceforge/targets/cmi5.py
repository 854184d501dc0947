"""The ``cmi5`` target: a cmi5 course package, ``cmi5.xml`` and the course.

One AU for the whole course, or with the build option ``au=module`` one AU per module
(``ceforge.xapi.cmi5`` decides ids, moveOn and masteryScore). The LMS launches an AU with
``endpoint``, ``fetch``, ``actor``, ``registration`` and ``activityId``; the ``cmi5`` adapter
fetches its token, reads ``LMS.LaunchData`` and follows the cmi5 rules of ``docs/xapi.md``.

Steps: ``check`` (the ``au`` option; no credentials), then ``render``: the vocabulary, the
course package with the ``cmi5`` adapter, and ``cmi5.xml`` from a Jinja template, parsed and
checked (children of ``au`` in the order of the cmi5 XSD: title, description, objectives, url).
"""

from __future__ import annotations

from lxml import etree

from ceforge.diagnostics import Code, Diagnostic, SourceLocation
from ceforge.model import Course
from ceforge.targets.base import BuildOptions, OutputFile, Target, TargetError, register
from ceforge.targets.common import course_package, jinja_env
from ceforge.targets.tincan import XAPI_LIBRARIES, no_credentials
from ceforge.xapi.cmi5 import AU_MODES, AssignableUnit, assignable_units, decimal
from ceforge.xapi.vocabulary import COURSE_TYPE, MODULE_TYPE, build_vocabulary

MANIFEST = "cmi5.xml"
NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
AU_CHILDREN = ("title", "description", "objectives", "url")


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
    """The structure the XSD cannot see from here (the XSD is not shipped): AU children in
    order, one AU per unit, ids unique."""
    root = etree.fromstring(data)
    aus = root.findall(f"{{{NAMESPACE}}}au")
    ids = [e.get("id") for e in root.iter(f"{{{NAMESPACE}}}course", f"{{{NAMESPACE}}}au")]
    for au in aus:
        children = [etree.QName(child).localname for child in au]
        if children != [name for name in AU_CHILDREN if name in children]:
            raise TargetError(f"ceforge wrote {MANIFEST} with misordered AU children (a bug)")
    if len(aus) != units or len(set(ids)) != len(ids):
        raise TargetError(f"ceforge wrote a malformed {MANIFEST} (a bug in ceforge)")


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
