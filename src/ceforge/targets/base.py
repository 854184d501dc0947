"""The target interface and the registry of targets.

A target is a small class with a ``name``: it renders a checked course to an in-memory list of
files; only ``ceforge.package`` writes them. Targets of other packages register through the
``ceforge.targets`` entry point group.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import ClassVar, Literal, get_args

from ceforge.diagnostics import Diagnostic
from ceforge.model import Course
from ceforge.verify import Finding


@dataclass(frozen=True)
class OutputFile:
    """A file of a package: its path inside the package and either bytes or a source file."""

    path: str
    data: bytes | None = None
    source: Path | None = None

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.source is not None
        return self.source.read_bytes()


class TargetError(Exception):
    """A target cannot render a package: a fault of ceforge or its installation, not of the
    course (those are diagnostics)."""


Sco = Literal["single", "module"]
Report = Literal["passed-incomplete", "passed-failed", "completed-incomplete", "completed-failed"]
SCO_LAYOUTS: tuple[Sco, ...] = get_args(Sco)
REPORTS: tuple[Report, ...] = get_args(Report)


@dataclass(frozen=True)
class BuildOptions:
    """Options of one build, shared by every target; each target reads those it knows."""

    #: SCORM 2004 edition of the ``scorm2004`` target: 3 or 4.
    scorm_edition: int = 4
    #: ``single``: one SCO for the whole course; ``module``: one SCO per module.
    sco: Sco = "single"
    #: How an LMS target reports the learner's status (SCORM 1.2's single ``lesson_status``):
    #: ``passed``/``completed`` once done, ``incomplete``/``failed`` before (or on a failed test).
    #: None: ``passed-failed`` for a course with a test, ``completed-incomplete`` without.
    report: Report | None = None
    #: Options of targets of other packages.
    options: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.scorm_edition not in (3, 4):
            raise ValueError(f"scorm_edition is {self.scorm_edition!r}; choose 3 or 4")
        if self.sco not in SCO_LAYOUTS:
            raise ValueError(f"sco is {self.sco!r}; choose from {', '.join(SCO_LAYOUTS)}")
        if self.report is not None and self.report not in REPORTS:
            raise ValueError(f"report is {self.report!r}; choose from {', '.join(REPORTS)}")

    def report_for(self, course: Course) -> Report:
        """The status reporting of ``course``: the chosen one, else its default."""
        if self.report is not None:
            return self.report
        return "passed-failed" if course.test is not None else "completed-incomplete"


class Target(ABC):
    name: ClassVar[str]
    description: ClassVar[str]
    #: "folder" targets write a directory (optionally zipped too); "zip" targets write a zip.
    layout: ClassVar[str] = "zip"

    def check(self, course: Course, options: BuildOptions) -> list[Diagnostic]:
        """What makes ``course`` unfit for this target; the build runs every target's check
        before it renders or writes anything."""
        return []

    @abstractmethod
    def render(self, course: Course, options: BuildOptions) -> list[OutputFile]:
        """The files of the package, in any order."""

    def verify(self, package: Path, options: BuildOptions) -> list[Finding]:
        """Problems of the written package at ``package`` (a temporary file, renamed into
        place only when this finds no error); the built-in targets look for errors alone."""
        return []

    def output_name(self, course: Course) -> str:
        """The package's file or folder name, without extension."""
        from ceforge.build import course_slug

        return f"{course_slug(course)}-{course.config.version}-{self.name}"


_REGISTRY: dict[str, type[Target]] = {}
_LOADED = False


def register(cls: type[Target]) -> type[Target]:
    """Class decorator: add a target; a second target of the same name is refused."""
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(f"a target named {cls.name!r} is already registered")
    _REGISTRY[cls.name] = cls
    return cls


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import ceforge.targets.builtin  # noqa: F401  (registers the built-in targets)

    for entry in entry_points(group="ceforge.targets"):
        register(entry.load())


def available_targets() -> dict[str, type[Target]]:
    _load()
    return dict(sorted(_REGISTRY.items()))


def get_target(name: str) -> Target:
    return available_targets()[name]()
