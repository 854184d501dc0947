"""The target interface: ``Target``, the files it renders, the options of a build.

A target is a small class with a ``name``: it renders a checked course to an in-memory list of
files; only ``ceforge.package`` writes them, and the build verifies each zip it writes as the
kind of package its target names (``Target.package_kind``). ``register`` adds a target to the
registry (``ceforge.targets.registry``, which also loads the targets of other packages through
the ``ceforge.targets`` entry point group).
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from ceforge.config import REPORTS, SCO_LAYOUTS, SCORM_EDITIONS, Reporting, ScoLayout
from ceforge.diagnostics import Diagnostic
from ceforge.model import Course


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


@dataclass(frozen=True)
class BuildOptions:
    """Options of one build, shared by every target; each target reads those it knows."""

    #: SCORM 2004 edition of the ``scorm2004`` target: 3 or 4.
    scorm_edition: int = 4
    #: ``single``: one SCO for the whole course; ``module``: one SCO per module.
    sco: ScoLayout = "single"
    #: How an LMS target reports the learner's status (SCORM 1.2's single ``lesson_status``):
    #: ``passed``/``completed`` once done, ``incomplete``/``failed`` before (or on a failed test).
    #: None: ``passed-failed`` for a course with a test, ``completed-incomplete`` without.
    report: Reporting | None = None
    #: Options of targets of other packages.
    options: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.scorm_edition not in SCORM_EDITIONS:
            raise ValueError(f"scorm_edition is {self.scorm_edition!r}; choose 3 or 4")
        if self.sco not in SCO_LAYOUTS:
            raise ValueError(f"sco is {self.sco!r}; choose from {', '.join(SCO_LAYOUTS)}")
        if self.report is not None and self.report not in REPORTS:
            raise ValueError(f"report is {self.report!r}; choose from {', '.join(REPORTS)}")

    def report_for(self, course: Course) -> Reporting:
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

    def package_kind(self, options: BuildOptions) -> str | None:
        """The kind of package this target writes, as ``ceforge validate`` names kinds
        (``scorm12``, ``scorm2004-3rd``, ``scorm2004-4th``, ``tincan``, ``cmi5``): the build
        checks every zip it writes with validate's checks for that kind, and puts it in place
        only when they find no error. None: a package the build does not check."""
        return None

    def output_name(self, course: Course) -> str:
        """The package's file or folder name, without extension."""
        return f"{course_slug(course)}-{course.config.version}-{self.name}"


def course_slug(course: Course) -> str:
    """A file-name-safe name for the course, from the last segment of its id (else its title):
    package names and manifest identifiers start with it."""
    for candidate in (re.split(r"[/:#?]", course.config.id.rstrip("/"))[-1], course.config.title):
        text = unicodedata.normalize("NFKD", candidate).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        if slug:
            return slug[:60]
    return "course"


#: Every target, by name: filled by ``register``; read through ``ceforge.targets.registry``.
REGISTRY: dict[str, type[Target]] = {}


def register(cls: type[Target]) -> type[Target]:
    """Class decorator: add a target; a second target of the same name is refused."""
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        raise ValueError(f"a target named {cls.name!r} is already registered")
    REGISTRY[cls.name] = cls
    return cls
