"""The build pipeline: sources -> course model -> checks -> per-target render -> package.

``check_course_folder`` reads and checks everything, the checks of the chosen targets
included; ``build`` writes nothing unless that found no error. Both say what they do through
the ``ceforge`` logger (a line per stage at INFO, figures at DEBUG), which the command line
shows on stderr.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from ceforge.checks import check_course
from ceforge.config import BuildSettings, did_you_mean, read_course_config
from ceforge.diagnostics import (
    Code,
    CourseError,
    Diagnostic,
    Reporter,
    Severity,
    SourceLocation,
    plural,
)
from ceforge.loader import COURSE_FILE, load_course, read_text
from ceforge.memo import one_build
from ceforge.model import Course
from ceforge.parsecache import ModuleCache
from ceforge.targets.base import BuildOptions, Target
from ceforge.targets.registry import get_target, is_target, target_names
from ceforge.yamlsource import load_yaml

if TYPE_CHECKING:
    from ceforge.package import Staged

log = logging.getLogger("ceforge.build")

#: What ``ceforge build`` builds, and where, when neither the command line nor course.yml says.
DEFAULT_TARGETS = ("web",)
DEFAULT_OUTPUT = Path("dist")


P = ParamSpec("P")
R = TypeVar("R")


def build_step(func: Callable[P, R]) -> Callable[P, R]:
    """``func`` run as a step of a build: with Python's cycle collector paused (as it was
    again afterwards), and what the targets derive from the course shared among them until
    the outermost step ends (``ceforge.memo.one_build``).

    Reading a course makes hundreds of thousands of objects that live until the build ends
    (the model, the parser's tokens), and the collector's full passes over them cost a
    build of 200 modules about a quarter of its processor time while finding almost nothing
    to free: reference counting frees what a build discards, and the cycles it leaves are
    collected once the build is over (``benchmarks/build.py`` shows the peak memory)."""

    @wraps(func)
    def step(*args: P.args, **kwargs: P.kwargs) -> R:
        with one_build():
            if not gc.isenabled():
                return func(*args, **kwargs)
            gc.disable()
            try:
                return func(*args, **kwargs)
            finally:
                gc.enable()

    return step


class Timings:
    """Seconds spent in each stage of a build, by name (``read``, ``render web``, …)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.seconds[name] = self.seconds.get(name, 0.0) + elapsed


@dataclass
class CheckResult:
    course: Course | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        """Whether a build must stop: an error, or with ``strict`` a warning."""
        return bool(self.errors or (strict and self.warnings))


@build_step
def check_course_folder(
    root: Path,
    cache: ModuleCache | None = None,
    targets: Sequence[str] = (),
    options: BuildOptions | None = None,
) -> CheckResult:
    """Read and check the course at ``root``; never raises on bad input. With a ``cache``,
    unchanged modules are not read again (``ceforge.parsecache``). When the course has no
    error, the checks of ``targets`` (with ``options``) run too: what ``build`` would refuse
    for them (a SCORM 1.2 state budget, LRS credentials, a bad option)."""
    timings = Timings()
    reporter = Reporter()
    with timings.stage("read"):
        course = load_course(root, reporter, cache)
        if cache is not None:
            cache.prune()
    with timings.stage("check"):
        if course is not None:
            check_course(course, reporter)
            check_build_section(course, reporter)
        if course is not None and not reporter.errors and targets:
            options = options or BuildOptions()
            found = [d for name in targets for d in get_target(name).check(course, options)]
            reporter.diagnostics += dict.fromkeys(found)  # a fault two targets find, once
    log.debug(
        "read the course in %.2f s, checked it in %.2f s",
        timings.seconds["read"],
        timings.seconds["check"],
    )
    return CheckResult(course, reporter.sorted(), timings)


def check_build_section(course: Course, reporter: Reporter) -> None:
    """The targets named by the ``build:`` section of course.yml exist."""
    names = course.config.build.targets or ()
    for index, name in enumerate(names):
        if name != "all" and not is_target(name):
            known = [*target_names(), "all"]
            line = course.config.lines.get(f"build.targets.{index}") or course.config.lines.get(
                "build.targets", 0
            )
            reporter.report(
                SourceLocation(COURSE_FILE, line),
                Code.CONFIG_BAD_VALUE,
                f"build.targets: no target is named {name!r}{did_you_mean(name, known)}; "
                f"the targets are: {', '.join(known)}",
            )


# --- what to build -------------------------------------------------------------------------------


def course_build_settings(root: Path) -> BuildSettings:
    """The ``build:`` section of the course.yml of ``root``, its output folder made relative
    to the working folder. Nothing when course.yml cannot be read; a bad value is left out
    (the read of the course reports both, at their lines, and stops the build)."""
    text = read_text(root, COURSE_FILE, Reporter())
    doc = load_yaml(text, COURSE_FILE, Reporter()) if text is not None else None
    config = read_course_config(doc, Reporter()) if doc is not None else None
    if config is None:
        return BuildSettings()
    settings = config.build
    if settings.output is not None:
        settings = replace(settings, output=root / settings.output)
    return settings


@dataclass(frozen=True)
class BuildPlan:
    """What a build makes: the targets, the output folder, the options."""

    targets: list[str]
    out: Path
    options: BuildOptions


def plan_build(root: Path, asked: BuildSettings | None = None) -> BuildPlan:
    """The settings ``asked`` (the command line's), over the ``build:`` section of the
    course.yml of ``root``, over the defaults. ``all`` stands for every target; a target
    that course.yml names but no installed package provides is left out here (reading the
    course reports it at its line, which stops the build)."""
    course = course_build_settings(root)
    settings = (asked or BuildSettings()).over(course)
    if asked is not None and asked.targets is not None:
        names = list(asked.targets)
    else:
        names = [name for name in course.targets or DEFAULT_TARGETS
                 if name == "all" or is_target(name)]
    if "all" in names:
        names = target_names()
    target_options = {"au": settings.au} if settings.au else {}  # else the cmi5 target's default
    options = BuildOptions(
        scorm_edition=settings.scorm_edition or 4,
        sco=settings.sco or "single",
        report=settings.report,
        options=target_options,
    )
    return BuildPlan(list(dict.fromkeys(names)), settings.output or DEFAULT_OUTPUT, options)


# --- the build -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Package:
    """A package a build put in place."""

    target: str
    path: Path
    #: Its size: the zip's, or the sum of the folder's files.
    bytes: int


@dataclass
class Built:
    """What a build did: its packages in target order, the warnings of the course (a build
    with errors raises instead), and the seconds of each stage."""

    packages: list[Package]
    diagnostics: list[Diagnostic]
    timings: Timings

    @property
    def paths(self) -> list[Path]:
        return [package.path for package in self.packages]


@build_step
def build(
    root: Path,
    targets: Sequence[str],
    out: Path,
    *,
    zip_folders: bool = False,
    options: BuildOptions | None = None,
    cache: ModuleCache | None = None,
    strict: bool = False,
) -> Built:
    """Build ``targets`` for the course at ``root`` into ``out``.

    The course is read and checked once, with every target's checks; a CourseError (with
    every diagnostic) is raised before anything is written, on an error or, with
    ``strict``, a warning. Each target then renders, and its package is written beside its
    place and verified; only when every package is good are they all put in place. A
    PackageError means ceforge wrote an invalid package (a bug); then no package of this
    build is left.
    """
    start = time.perf_counter()
    options = options or BuildOptions()
    unknown = [t for t in targets if not is_target(t)]
    if unknown:
        known = target_names()
        raise ValueError(f"unknown target {unknown[0]!r}; available: {', '.join(known)}")
    result = check_course_folder(root, cache, targets, options)
    if result.failed(strict) or result.course is None:
        raise CourseError(result.diagnostics)
    timings = result.timings
    staged: list[tuple[str, Staged]] = []
    try:
        for name in targets:
            target = get_target(name)
            staged += [(name, s) for s in _stage(target, result.course, options, out, zip_folders,
                                                 timings)]
    except BaseException:
        _discard([s for _name, s in staged])
        raise
    packages: list[Package] = []
    with timings.stage("commit"):
        try:
            for name, package in staged:
                path = package.commit()
                packages.append(Package(name, path, _size(path)))
        except BaseException:
            _discard([s for _name, s in staged[len(packages) :]])  # no temporary file left
            raise
    timings.seconds["total"] = time.perf_counter() - start
    return Built(packages, result.diagnostics, timings)


def _stage(
    target: Target,
    course: Course,
    options: BuildOptions,
    out: Path,
    zip_folders: bool,
    timings: Timings,
) -> list[Staged]:
    """Render one target's package, write it beside its place and verify it."""
    from ceforge.package import stage_folder, stage_zip

    name = target.name
    log.info("rendering %s", name)
    with timings.stage(f"render {name}"):
        files = target.render(course, options)
    log.debug("%s: rendered %s in %.2f s", name, plural(len(files), "file"),
              timings.seconds[f"render {name}"])
    base = out / target.output_name(course)
    if target.layout == "folder":
        dests = [base] + ([base.with_name(base.name + ".zip")] if zip_folders else [])
    else:
        dests = [base.with_name(base.name + ".zip")]
    staged: list[Staged] = []
    try:
        for dest in dests:
            log.info("writing %s", dest)
            started = time.perf_counter()
            with timings.stage(f"write {name}"):
                zipped = dest.suffix == ".zip"
                staged.append(stage_zip(files, dest) if zipped else stage_folder(files, dest))
            log.debug("%s: wrote %s in %.2f s", name, dest.name, time.perf_counter() - started)
            kind = target.package_kind(options)
            if target.layout != "folder" and kind is not None:
                _verify(target.name, kind, staged[-1], timings)
    except BaseException:
        _discard(staged)
        raise
    return staged


def _discard(staged: list[Staged]) -> None:
    for package in staged:
        package.discard()


def _verify(name: str, kind: str, package: Staged, timings: Timings) -> None:
    """The package of the target ``name``, written beside its place, checked by ``ceforge
    validate``'s rules as the ``kind`` of package its target writes
    (``Target.package_kind``); a PackageError when ceforge wrote an invalid package."""
    from ceforge.verify import PackageError, verify_package  # lxml: only for the zips

    log.info("verifying %s", package.dest)
    with timings.stage(f"verify {name}"):
        findings = verify_package(package.temporary, kind)
    log.debug("%s: verified in %.2f s", name, timings.seconds[f"verify {name}"])
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        raise PackageError(package.dest.name, errors)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size
