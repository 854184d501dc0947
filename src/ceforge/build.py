"""The build pipeline: sources -> course model -> checks -> per-target render -> package.

``check_course_folder`` reads and checks everything; ``build`` writes nothing unless that
found no error.
"""

from __future__ import annotations

from collections.abc import Callable
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
    package is written beside its place and verified; only when every package is good are
    they all put in place. A PackageError means ceforge wrote an invalid package (a bug);
    then no package of this build is left.
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


def _stage_all(
    targets: list[Target], course: Course, options: BuildOptions, out: Path, zip_folders: bool
) -> list[Staged]:
    """Every target's package rendered, written beside its place and verified, one after
    another. When one fails, the others are discarded too and its error raised: a build puts
    all its packages in place, or none."""
    staged: list[Staged] = []
    try:
        for target in targets:
            staged += _stage(target, course, options, out, zip_folders)
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
