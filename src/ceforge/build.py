"""The build pipeline: sources -> course model -> checks -> per-target render -> package.

``check_course_folder`` reads and checks everything; ``build`` writes nothing unless that
found no error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ceforge.checks import check_course
from ceforge.diagnostics import CourseError, Diagnostic, Reporter
from ceforge.loader import load_course
from ceforge.model import Course
from ceforge.package import write_folder, write_zip
from ceforge.targets.base import BuildOptions, available_targets, get_target


@dataclass
class CheckResult:
    course: Course | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.value == "error"]


def check_course_folder(root: Path) -> CheckResult:
    """Read and check the course at ``root``; never raises on bad input."""
    reporter = Reporter()
    course = load_course(root, reporter)
    if course is not None:
        check_course(course, reporter)
    return CheckResult(course, reporter.sorted())


def course_slug(course: Course) -> str:
    """A file-name-safe name for the course, from the last segment of its id (else its title)."""
    for candidate in (re.split(r"[/:#?]", course.config.id.rstrip("/"))[-1], course.config.title):
        text = unicodedata.normalize("NFKD", candidate).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        if slug:
            return slug[:60]
    return "course"


def build(
    root: Path,
    targets: list[str],
    out: Path,
    *,
    zip_folders: bool = False,
    options: BuildOptions | None = None,
) -> list[Path]:
    """Build ``targets`` for the course at ``root`` into ``out``; return the paths written.

    Raises CourseError (with every diagnostic) when the course has errors, before writing.
    """
    result = check_course_folder(root)
    if result.course is None or result.errors:
        raise CourseError(result.diagnostics)
    course = result.course
    options = options or BuildOptions()
    known = available_targets()
    unknown = [t for t in targets if t not in known]
    if unknown:
        raise ValueError(f"unknown target {unknown[0]!r}; available: {', '.join(known)}")
    written = []
    for name in targets:
        target = get_target(name)
        files = target.render(course, options)
        base = out / target.output_name(course)
        if target.layout == "folder":
            written.append(write_folder(files, base))
            if zip_folders:
                written.append(write_zip(files, base.with_name(base.name + ".zip")))
        else:
            written.append(write_zip(files, base.with_name(base.name + ".zip")))
    return written
