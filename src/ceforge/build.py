"""The build pipeline: sources -> course model -> checks -> per-target render -> package.

``check_course_folder`` reads and checks everything; ``build`` writes nothing unless that
found no error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ceforge.checks import check_course
from ceforge.diagnostics import CourseError, Diagnostic, Reporter, Severity
from ceforge.loader import load_course
from ceforge.model import Course
from ceforge.package import write_folder, write_zip
from ceforge.parsecache import ModuleCache
from ceforge.targets.base import (
    BuildOptions,
    OutputFile,
    Target,
    available_targets,
    get_target,
)
from ceforge.verify import PackageError
from ceforge.workers import POOL_FAILURES, worker_pool


@dataclass
class CheckResult:
    course: Course | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.value == "error"]


def check_course_folder(root: Path, cache: ModuleCache | None = None) -> CheckResult:
    """Read and check the course at ``root``; never raises on bad input. With a ``cache``,
    unchanged modules are not read again (``ceforge.parsecache``)."""
    reporter = Reporter()
    course = load_course(root, reporter, cache)
    if cache is not None:
        cache.prune()
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
    cache: ModuleCache | None = None,
) -> list[Path]:
    """Build ``targets`` for the course at ``root`` into ``out``; return the paths written.

    The course is read and checked once, then every target checks it too; a CourseError (with
    every diagnostic) is raised before anything is written. Each target then renders, and its
    package is written and verified: a PackageError means ceforge wrote an invalid package
    (a bug), and that package is not left behind.
    """
    options = options or BuildOptions()
    known = available_targets()
    unknown = [t for t in targets if t not in known]
    if unknown:
        raise ValueError(f"unknown target {unknown[0]!r}; available: {', '.join(known)}")
    result = check_course_folder(root, cache)
    if result.course is None or result.errors:
        raise CourseError(result.diagnostics)
    course = result.course
    chosen = [get_target(name) for name in targets]
    problems = [d for target in chosen for d in target.check(course, options)]
    if problems:
        raise CourseError(sorted(result.diagnostics + problems, key=lambda d: d.loc))
    jobs = [
        _Job(target, target.render(course, options), out / target.output_name(course))
        for target in chosen
    ]
    return [path for paths in _write_all(jobs, options, zip_folders) for path in paths]


@dataclass(frozen=True)
class _Job:
    """A rendered package to write and verify: its target, files, and path without suffix."""

    target: Target
    files: list[OutputFile]
    base: Path


def _write(job: _Job, options: BuildOptions, zip_folders: bool) -> list[Path]:
    """Write one target's package (and verify it); the paths written."""
    target, files, base = job.target, job.files, job.base
    if target.layout == "folder":
        written = [write_folder(files, base)]
        if zip_folders:
            written.append(write_zip(files, base.with_name(base.name + ".zip")))
        return written
    dest = base.with_name(base.name + ".zip")
    return [write_zip(files, dest, check=_verifier(target, options, dest))]


#: The packages a pool of forked workers writes (inherited, not pickled).
_PENDING: list[tuple[_Job, BuildOptions, bool]] = []


def _write_pending(index: int) -> list[Path]:
    return _write(*_PENDING[index])


def _write_all(jobs: list[_Job], options: BuildOptions, zip_folders: bool) -> list[list[Path]]:
    """Every package written and verified, the packages of several targets by worker
    processes side by side (``ceforge.workers``; everything was rendered first, so a target
    that cannot render has stopped the build before anything is written)."""
    global _PENDING
    pool = worker_pool(len(jobs))
    if pool is not None:
        _PENDING = [(job, options, zip_folders) for job in jobs]
        try:
            with pool:
                return list(pool.map(_write_pending, range(len(jobs))))
        except POOL_FAILURES:
            pass  # no workers, or one was lost: write them here (a write that failed in a
            # worker for want of space or rights fails here again, and is reported)
        finally:
            _PENDING = []
    return [_write(job, options, zip_folders) for job in jobs]


def _verifier(target: Target, options: BuildOptions, dest: Path) -> Callable[[Path], None]:
    """A check for ``write_zip``: the target's verification of the written temporary file."""

    def check(package: Path) -> None:
        findings = target.verify(package, options)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if errors:
            raise PackageError(dest.name, errors)

    return check
