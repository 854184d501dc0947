"""The build pipeline: sources -> course model -> checks -> per-target render -> package.

``check_course_folder`` reads and checks everything; ``build`` writes nothing unless that
found no error.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ceforge.checks import check_course
from ceforge.diagnostics import CourseError, Diagnostic, Reporter, Severity
from ceforge.loader import load_course
from ceforge.model import Course
from ceforge.package import Staged, stage_folder, stage_zip
from ceforge.parsecache import ModuleCache
from ceforge.targets.base import BuildOptions, Target
from ceforge.targets.registry import available_targets, get_target
from ceforge.verify import PackageError, verify_package
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
    package is written beside its place and verified (the targets side by side, in worker
    processes); only when every package is good are they all put in place. A PackageError
    means ceforge wrote an invalid package (a bug); then no package of this build is left.
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
    staged = _stage_all(chosen, course, options, out, zip_folders)
    written: list[Path] = []
    try:
        for package in staged:
            written.append(package.commit())
    except BaseException:
        _discard(staged[len(written) :])  # no temporary file left behind
        raise
    return written


def _stage(
    target: Target, course: Course, options: BuildOptions, out: Path, zip_folders: bool
) -> list[Staged]:
    """Render one target's package, write it beside its place and verify it."""
    files = target.render(course, options)
    base = out / target.output_name(course)
    staged: list[Staged] = []
    try:
        if target.layout == "folder":
            staged.append(stage_folder(files, base))
            if zip_folders:
                staged.append(stage_zip(files, base.with_name(base.name + ".zip")))
        else:
            dest = base.with_name(base.name + ".zip")
            staged.append(stage_zip(files, dest, check=_verifier(target, options, dest)))
    except BaseException:
        _discard(staged)
        raise
    return staged


def _discard(staged: list[Staged]) -> None:
    for package in staged:
        package.discard()


def _staged_by(futures: list[Future[list[Staged]]]) -> list[Staged]:
    """The packages the jobs of ``futures`` that succeeded staged, in order."""
    return [package for f in futures if f.exception() is None for package in f.result()]


#: What the forked workers of ``_stage_all`` stage (inherited, not pickled).
_PENDING: list[tuple[Target, Course, BuildOptions, Path, bool]] = []


def _stage_pending(index: int) -> list[Staged]:
    return _stage(*_PENDING[index])


def _stage_all(
    targets: list[Target], course: Course, options: BuildOptions, out: Path, zip_folders: bool
) -> list[Staged]:
    """Every target's package rendered, written beside its place and verified: side by side
    in worker processes when there are several (``ceforge.workers``), else one after
    another. When one fails, the others are discarded too and its error raised: a build puts
    all its packages in place, or none."""
    global _PENDING
    jobs = [(target, course, options, out, zip_folders) for target in targets]
    pool = worker_pool(len(jobs))
    if pool is not None:
        _PENDING = jobs
        futures: list[Future[list[Staged]]] = []
        started = True
        try:
            with pool:  # leaving it waits for every submitted job
                for index in range(len(jobs)):
                    futures.append(pool.submit(_stage_pending, index))
        except POOL_FAILURES:
            started = False  # no workers: the build stages the packages itself
        except BaseException:
            _discard(_staged_by(futures))
            raise
        finally:
            _PENDING = []
        failed = [e for e in (f.exception() for f in futures) if e is not None]
        broken = not started or any(isinstance(e, BrokenProcessPool) for e in failed)
        if not broken:
            if failed:
                _discard(_staged_by(futures))
                raise failed[0]
            return _staged_by(futures)
        _discard(_staged_by(futures))
    staged: list[Staged] = []
    try:
        for job in jobs:
            staged += _stage(*job)
    except BaseException:
        _discard(staged)
        raise
    return staged


def _verifier(target: Target, options: BuildOptions, dest: Path) -> Callable[[Path], None]:
    """A check for ``write_zip``: the written temporary file, checked by ``ceforge validate``'s
    rules as the kind of package its target writes (``Target.package_kind``)."""
    kind = target.package_kind(options)

    def check(package: Path) -> None:
        if kind is None:
            return
        errors = [f for f in verify_package(package, kind) if f.severity is Severity.ERROR]
        if errors:
            raise PackageError(dest.name, errors)

    return check
