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
from typing import ClassVar

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


@dataclass(frozen=True)
class BuildOptions:
    """Options of one build, shared by every target."""

    options: dict[str, str] = field(default_factory=dict)


class Target(ABC):
    name: ClassVar[str]
    description: ClassVar[str]
    #: "folder" targets write a directory (optionally zipped too); "zip" targets write a zip.
    layout: ClassVar[str] = "zip"

    @abstractmethod
    def render(self, course: Course, options: BuildOptions) -> list[OutputFile]:
        """The files of the package, in any order."""

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
