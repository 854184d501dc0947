"""What every target's package holds: the launch page, the runtime, the course data, the assets;
and ``module_course``, the course that one module's launch page runs (``--sco``/``--au module``).

A launch page that runs more than one module embeds the course without its modules' text, and
each module's text is a script of its own (``module_files``) that the runtime loads when the
learner first needs it (docs/runtime.md, "Course data"): the first page shows without the
browser reading every page of the course. The scripts of a course are made once and shared by
every target of a build.
"""

from __future__ import annotations

import math
import posixpath
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ceforge import catalogues
from ceforge.config import Certificate, Completion
from ceforge.coursedata import (
    course_data,
    loads_modules,
    module_data_path,
    module_script,
    split_course_data,
    to_json,
)
from ceforge.memo import per_course
from ceforge.model import BlockKind, Course, Module
from ceforge.resources import templates_dir
from ceforge.targets.base import OutputFile, TargetError

if TYPE_CHECKING:
    from jinja2 import Environment

RUNTIME_DIR = Path(__file__).resolve().parent.parent / "runtime"
RUNTIME_PREFIX = "ceforge"  # folder of the runtime inside a package

#: The core's classic scripts in the order a launch page loads them: each adds its part to
#: ``window.Ceforge`` and may use what the scripts before it added (docs/runtime.md).
CORE_SCRIPTS = tuple(
    f"core/{name}.js"
    for name in (
        "state",  # first: creates Ceforge, the limits, the course index, the state string
        "modules",  # the modules' text, loaded on demand
        "helpers",
        "random",
        "scoring",
        "layout",
        "certificate",
        "views",
        "app",  # the App: the files after it add their methods to it
        "navigation",
        "blocks",
        "assessment",
        "finish",
        "certificate-view",
        "storage",
        "scenario",  # then the App's other blocks, and the content the build wrote into pages
        "media",
        "reflection",
        "content",
        "glossary",
        "resources",
        "boot",
    )
)
#: The runtime's stylesheets, by concern, in the order a launch page links them (the cascade
#: follows it: print last).
STYLESHEETS = tuple(
    f"css/{name}.css"
    for name in ("base", "layout", "questions", "assessment", "certificate", "blocks", "print")
)


@cache
def jinja_env() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(str(templates_dir())),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "xml", "j2"]),
        keep_trailing_newline=True,
    )


#: Element text between two tags, in a rendered XML document (attributes lie inside tags).
_ELEMENT_TEXT = re.compile(r">([^<]+)<")
#: What autoescape writes that element text does not need: quotes, and '>' (except in ']]>').
_NEEDLESS = re.compile(r"&#34;|&#39;|(?<!\]\])&gt;")
_PLAIN = {"&#34;": '"', "&#39;": "'", "&gt;": ">"}


def render_manifest(template: str, **context: Any) -> str:
    """A manifest (imsmanifest.xml, its metadata, tincan.xml, cmi5.xml) from its template:
    autoescaped, then with element text escaped only as XML requires (``&`` and ``<``).

    Autoescape writes ``"`` as ``&#34;``, valid XML that Moodle's manifest reader mangles: it
    drops the whitespace-only text between two character references, so ``Skills &
    "OARS"`` became ``Skills &"OARS"``. Plain quotes in text avoid it; attributes (inside
    the tags) keep every escape."""
    text = jinja_env().get_template(template).render(**context)
    return _ELEMENT_TEXT.sub(lambda m: f">{_NEEDLESS.sub(_plain, m.group(1))}<", text)


def _plain(match: re.Match[str]) -> str:
    return _PLAIN[match.group()]


def messages_for(language: str) -> dict[str, str]:
    """The UI strings for a BCP 47 tag (``ceforge.catalogues``)."""
    return catalogues.messages_for(language, RUNTIME_DIR / "messages")


def adapter_scripts(adapter: str, libraries: Sequence[str] = ()) -> list[str]:
    """The runtime's scripts in the order the launch page loads them: the core, the libraries
    an adapter shares with others (``adapters/<name>.js``), then the adapter, which boots."""
    return [*CORE_SCRIPTS, *(f"adapters/{name}.js" for name in libraries), f"adapters/{adapter}.js"]


def runtime_files(adapter: str, libraries: Sequence[str] = ()) -> list[OutputFile]:
    """The runtime's files for one adapter; a clear error when this installation lacks one."""
    names = [*STYLESHEETS, *adapter_scripts(adapter, libraries)]
    missing = [name for name in names if not (RUNTIME_DIR / name).is_file()]
    if missing:
        raise TargetError(
            f"the learner runtime is incomplete: {', '.join(missing)} missing from "
            f"{RUNTIME_DIR} (needed for the {adapter!r} adapter)"
        )
    return [OutputFile(f"{RUNTIME_PREFIX}/{name}", source=RUNTIME_DIR / name) for name in names]


def asset_files(course: Course, units: Sequence[Course] = ()) -> list[OutputFile]:
    """The files the course's pages show. ``units``: the courses of the package's launch pages
    when they are not the whole course (one per module): none of them issues a certificate,
    so the certificate's signature image stays out."""
    root = Path(course.root)
    skip = set()
    if units and not any(unit.config.issues_certificate for unit in units):
        certificate = course.config.certificate
        if certificate and certificate.signature and certificate.signature.image:
            skip.add(posixpath.normpath(certificate.signature.image))
    return [
        OutputFile(path, source=root / path) for path in sorted(course.assets) if path not in skip
    ]


def launch_page(
    course: Course,
    adapter: str,
    data: dict[str, Any],
    name: str = "index.html",
    libraries: Sequence[str] = (),
) -> OutputFile:
    config = course.config
    head, tail = _launch_frame(
        config.language, config.title, config.theme.accent, adapter, tuple(libraries)
    )
    return OutputFile(name, f"{head}{to_json(data)}{tail}".encode())


#: Stands where the course data goes while the rest of a launch page is rendered (YAML, and so
#: a course's title, cannot hold U+0000).
_DATA_MARK = "\x00ceforge-course-data\x00"


@lru_cache(maxsize=32)
def _launch_frame(
    language: str, title: str, accent: str | None, adapter: str, libraries: tuple[str, ...]
) -> tuple[str, str]:
    """The launch page before and after its course data, rendered once for the pages of a
    build that differ in their data alone (the SCOs of a package, one per module)."""
    template = jinja_env().get_template("launch.html.j2")
    html = template.render(
        language=language,
        title=title,
        accent=accent,
        runtime=RUNTIME_PREFIX,
        stylesheets=STYLESHEETS,
        scripts=adapter_scripts(adapter, libraries),
        course_json=_DATA_MARK,
    )
    head, mark, tail = html.partition(_DATA_MARK)
    if not mark or _DATA_MARK in tail:
        raise TargetError(f"the launch page template holds {_DATA_MARK!r} elsewhere than its data")
    return head, tail


def course_page(
    course: Course,
    adapter: str,
    extra: dict[str, Any] | None = None,
    name: str = "index.html",
    libraries: Sequence[str] = (),
) -> OutputFile:
    """A launch page that runs ``course`` with one adapter: the course data (without the
    modules' text when it loads them on demand: add ``module_files(course)`` to the package),
    and ``extra`` (what the adapter needs besides)."""
    data = _launch_data(course)
    if extra:
        data = data | extra
    return launch_page(course, adapter, data, name, libraries)


@per_course
def _course_data(course: Course) -> dict[str, Any]:
    """The course data of ``course`` (shared: never to be changed)."""
    return course_data(course, messages_for(course.config.language))


@per_course
def _split(course: Course) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    return split_course_data(_course_data(course))


def _launch_data(course: Course) -> dict[str, Any]:
    data = _course_data(course)
    return _split(course)[0] if loads_modules(data) else data


@per_course
def module_files(course: Course) -> list[OutputFile]:
    """The data script of each module of ``course``, when its launch page loads them on
    demand (none for a page that runs one module). Made once per course."""
    if len(course.modules) <= 1 or not loads_modules(_course_data(course)):
        return []
    parts = _split(course)[1]
    return [
        OutputFile(module_data_path(module_id), module_script(part).encode("utf-8"))
        for module_id, part in parts.items()
    ]


def course_package(
    course: Course,
    adapter: str,
    extra: dict[str, Any] | None = None,
    libraries: Sequence[str] = (),
) -> list[OutputFile]:
    """The launch page, runtime and assets of a course, for one adapter (and the adapter
    ``libraries`` it loads first)."""
    return [
        course_page(course, adapter, extra, libraries=libraries),
        *module_files(course),
        *runtime_files(adapter, libraries),
        *asset_files(course),
    ]


@per_course
def module_course(course: Course, module: Module) -> Course:
    """The course as the launch page of one module runs it (a SCORM SCO, a cmi5 AU): that
    module alone, with the completion rules that module can meet, its share of the seat time,
    and no certificate (one module's page cannot know whether the learner finished the
    others). The course's id, version and passing score stay the course's. One object per
    module in a build, so that what is derived from it is derived once."""
    rules = course.config.completion
    kinds = {b.kind for b in module.blocks}
    completion = Completion(
        pages=rules.pages,
        test=rules.test if BlockKind.TEST in kinds else "none",
        evaluation=_if_present(rules.evaluation, BlockKind.SURVEY in kinds),
        attestation=_if_present(rules.attestation, BlockKind.ATTESTATION in kinds),
        min_minutes=_seat_time_share(course, module),
    )
    config = replace(course.config, completion=completion, certificate=Certificate(enabled=False))
    return Course(config=config, root=course.root, modules=[module], assets=course.assets,
                  glossary=course.glossary, resources=course.resources)


def _if_present(rule: bool | None, present: bool) -> bool | None:
    """A rule asking for a block applies to the module that has it (None: from the content)."""
    return None if rule is None else rule and present


def _seat_time_share(course: Course, module: Module) -> float:
    """``min_minutes`` shared out by the modules' ``minutes`` (else by their pages)."""
    total = course.config.completion.min_minutes
    if not total:
        return 0
    by_minutes = all(m.minutes for m in course.modules)

    def weight(m: Module) -> int:
        return (m.minutes or 0) if by_minutes else len(m.pages)

    share = total * weight(module) / (sum(weight(m) for m in course.modules) or 1)
    return math.ceil(share * 100) / 100
