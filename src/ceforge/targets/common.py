"""What every target's package holds: the launch page, the runtime, the course data, the assets."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ceforge.coursedata import course_data, to_json
from ceforge.model import Course
from ceforge.resources import templates_dir
from ceforge.targets.base import OutputFile, TargetError

RUNTIME_DIR = Path(__file__).resolve().parent.parent / "runtime"
RUNTIME_PREFIX = "ceforge"  # folder of the runtime inside a package


@cache
def jinja_env() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir())),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "xml", "j2"]),
        keep_trailing_newline=True,
    )


def messages_for(language: str) -> dict[str, str]:
    """The UI strings for a BCP 47 tag: its exact catalogue, else its primary language, else en."""
    folder = RUNTIME_DIR / "messages"
    english: dict[str, str] = json.loads((folder / "en.json").read_text(encoding="utf-8"))
    for name in (language.lower(), language.split("-")[0].lower()):
        path = folder / f"{name}.json"
        if path.is_file():
            local: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
            return english | local
    return english


def adapter_scripts(adapter: str, libraries: Sequence[str] = ()) -> list[str]:
    """The runtime's scripts in the order the launch page loads them: the core, the libraries
    an adapter shares with others (``adapters/<name>.js``), then the adapter, which boots."""
    return ["core.js", *(f"adapters/{name}.js" for name in libraries), f"adapters/{adapter}.js"]


def runtime_files(adapter: str, libraries: Sequence[str] = ()) -> list[OutputFile]:
    """The runtime's files for one adapter; a clear error when this installation lacks one."""
    core, *adapters = adapter_scripts(adapter, libraries)
    names = [core, "runtime.css", *adapters]
    missing = [name for name in names if not (RUNTIME_DIR / name).is_file()]
    if missing:
        raise TargetError(
            f"the learner runtime is incomplete: {', '.join(missing)} missing from "
            f"{RUNTIME_DIR} (needed for the {adapter!r} adapter)"
        )
    return [OutputFile(f"{RUNTIME_PREFIX}/{name}", source=RUNTIME_DIR / name) for name in names]


def asset_files(course: Course) -> list[OutputFile]:
    root = Path(course.root)
    return [OutputFile(path, source=root / path) for path in sorted(course.assets)]


def launch_page(
    course: Course,
    adapter: str,
    data: dict[str, Any],
    name: str = "index.html",
    libraries: Sequence[str] = (),
) -> OutputFile:
    template = jinja_env().get_template("launch.html.j2")
    html = template.render(
        language=course.config.language,
        title=course.config.title,
        accent=course.config.theme.accent,
        runtime=RUNTIME_PREFIX,
        scripts=adapter_scripts(adapter, libraries),
        course_json=to_json(data),
    )
    return OutputFile(name, html.encode("utf-8"))


def course_package(
    course: Course,
    adapter: str,
    extra: dict[str, Any] | None = None,
    libraries: Sequence[str] = (),
) -> list[OutputFile]:
    """The launch page, runtime and assets of a course, for one adapter (and the adapter
    ``libraries`` it loads first)."""
    data = course_data(course, messages_for(course.config.language))
    if extra:
        data |= extra
    return [
        launch_page(course, adapter, data, libraries=libraries),
        *runtime_files(adapter, libraries),
        *asset_files(course),
    ]
