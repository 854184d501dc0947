"""The ``tincan`` target: a Tin Can (xAPI) package, ``tincan.xml`` and the course.

The LMS launches ``index.html`` with the LRS in the query string (``endpoint``, ``auth``,
``actor``, ``registration``, ``activity_id``); the ``tincan`` adapter sends the statements
``docs/xapi.md`` describes, from the activity definitions the package carries as JSON
(``course_data()["xapi"]``). Nothing in the package holds LRS credentials: the build refuses a
course or options that would put them there.

Steps: ``check`` (no credentials), then ``render``: the vocabulary, the course package with
the ``tincan`` adapter, and ``tincan.xml`` (a Jinja template, parsed once to be sure it is
well-formed). The build then checks the written zip with ``ceforge validate``'s rules for a
Tin Can package (``package_kind``).
"""

from __future__ import annotations

from lxml import etree

from ceforge.diagnostics import Code, Diagnostic
from ceforge.model import Course
from ceforge.targets.base import BuildOptions, OutputFile, Target, TargetError
from ceforge.targets.common import course_package, render_manifest
from ceforge.xapi.cmi5 import LAUNCH_PAGE
from ceforge.xapi.credentials import embedded_credentials
from ceforge.xapi.vocabulary import ActivityData, Vocabulary, build_vocabulary
from ceforge.xapispec import TINCAN_MANIFEST

#: What the tincan and cmi5 adapters share, loaded first: the statements, then their delivery
#: and the bookmark.
XAPI_LIBRARIES = ("xapi-statements", "xapi-delivery", "xapi-common")


def no_credentials(course: Course, options: BuildOptions) -> list[Diagnostic]:
    """``xapi.credentials`` for everything that would put LRS credentials in the package."""
    code = Code.XAPI_CREDENTIALS
    return [
        Diagnostic(leak.loc, code, leak.message, code.severity)
        for leak in embedded_credentials(course, options)
    ]


def _activity(activity: ActivityData, language: str, launch: str = "") -> dict[str, str]:
    definition = activity["definition"]
    name = definition["name"][language]
    description = definition["description"][language] if "description" in definition else name
    return {
        "id": activity["id"],
        "type": definition["type"],
        "name": name,
        "description": description,
        "launch": launch,
    }


def tincan_xml(vocabulary: Vocabulary) -> OutputFile:
    """``tincan.xml``: the course (the one activity with a launch), its modules, its test."""
    language = vocabulary.language
    activities = [_activity(vocabulary.course, language, LAUNCH_PAGE)]
    activities += [_activity(m, language) for m in vocabulary.modules.values()]
    if vocabulary.test is not None:
        activities.append(_activity(vocabulary.test, language))
    text = render_manifest("xapi/tincan.xml.j2", language=language, activities=activities)
    return OutputFile(TINCAN_MANIFEST, well_formed(text.encode("utf-8"), TINCAN_MANIFEST))


def well_formed(data: bytes, manifest: str) -> bytes:
    """``data``, once parsed to be sure a template rendered well-formed XML (the build checks
    the rest with ``ceforge validate``'s rules once the package is written)."""
    try:
        etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        message = f"ceforge wrote a malformed {manifest} (a bug in ceforge): {exc}"
        raise TargetError(message) from exc
    return data


class TinCanTarget(Target):
    name = "tincan"
    description = "A Tin Can (xAPI) package: tincan.xml and the course; the LRS comes at launch."

    def check(self, course: Course, options: BuildOptions) -> list[Diagnostic]:
        return no_credentials(course, options)

    def render(self, course: Course, options: BuildOptions) -> list[OutputFile]:
        vocabulary = build_vocabulary(course)
        files = course_package(
            course, "tincan", extra={"xapi": vocabulary.to_json()}, libraries=XAPI_LIBRARIES
        )
        return [tincan_xml(vocabulary), *files]

    def package_kind(self, options: BuildOptions) -> str:
        return "tincan"
