"""Builds of the previewed course, one *generation* after another, in a temporary folder.

``PreviewBuilder.rebuild()`` runs ``ceforge.build.build`` (the very build ``ceforge build``
runs, package verification included) into ``<workdir>/out/<n>``, unpacks a zip target into
``<workdir>/gen/<n>``, and reads what it holds (``ceforge.validate.contents``: its launch
plan). A build that fails leaves the last good
generation in place: the preview keeps serving it, and shows the diagnostics
(``path:line: error: message [code]``) of the failed one. The last few generations are kept,
so a page still loading files of the one before does not break.
"""

from __future__ import annotations

import shutil
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ceforge.build import build
from ceforge.diagnostics import CourseError, Diagnostic, Severity
from ceforge.parsecache import ModuleCache
from ceforge.targets.base import BuildOptions, TargetError
from ceforge.validate.contents import ContentsError, PackageContents, read_contents
from ceforge.verify import PackageError

KEEP = 3  # generations kept on disk


@dataclass(frozen=True)
class BuildState:
    """The outcome of the last build, and the generation being served."""

    #: The generation being served (0: none built yet) and its files and plan.
    generation: int = 0
    folder: Path | None = None
    plan: PackageContents | None = None
    #: Whether the last attempt succeeded; what it reported (its warnings when it did).
    ok: bool = False
    diagnostics: tuple[Diagnostic, ...] = ()
    #: A failure that is not the course's (a TargetError, an invalid package): its text.
    failure: str | None = None
    attempt: int = 0
    seconds: float = 0.0
    finished_at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return {
            "generation": self.generation,
            "ok": self.ok,
            "attempt": self.attempt,
            "seconds": round(self.seconds, 3),
            "finished_at": self.finished_at,
            "failure": self.failure,
            "diagnostics": [
                d.as_dict() | {"text": str(d)} for d in self.diagnostics
            ],
            "errors": sum(d.severity is Severity.ERROR for d in self.diagnostics),
            "plan": self.plan.to_json() if self.plan else None,
        }


class PreviewBuilder:
    """Builds ``course`` for ``target`` into ``workdir``, one generation at a time."""

    def __init__(self, course: Path, target: str, workdir: Path, options: BuildOptions) -> None:
        self.course = course
        self.target = target
        self.workdir = workdir
        self.options = options
        self.state = BuildState()
        self._lock = threading.Lock()
        #: A rebuild reads again only the modules that changed (and its warnings come from
        #: the same reads).
        self.cache = ModuleCache.default()

    def rebuild(self) -> BuildState:
        """Build the course as it is now; return (and keep) the new state."""
        with self._lock:
            attempt = self.state.attempt + 1
            generation = self.state.generation + 1
            started = time.monotonic()
            try:
                folder, warnings = self._build(generation)
                plan = read_contents(folder, self.target)
            except CourseError as exc:
                state = self._failed(attempt, started, diagnostics=tuple(exc.diagnostics))
            except (PackageError, TargetError, ContentsError, OSError) as exc:
                state = self._failed(attempt, started, failure=_describe(exc))
            else:
                state = BuildState(generation, folder, plan, True, warnings, None, attempt,
                                   time.monotonic() - started)
                self._prune(generation)
            self.state = state
            return state

    def _failed(
        self,
        attempt: int,
        started: float,
        *,
        diagnostics: tuple[Diagnostic, ...] = (),
        failure: str | None = None,
    ) -> BuildState:
        old = self.state
        return BuildState(old.generation, old.folder, old.plan, False, diagnostics, failure,
                          attempt, time.monotonic() - started)

    def _build(self, generation: int) -> tuple[Path, tuple[Diagnostic, ...]]:
        """The folder of a new generation, and the course's warnings."""
        out = self.workdir / "out" / str(generation)
        shutil.rmtree(out, ignore_errors=True)
        built = build(self.course, [self.target], out, options=self.options, cache=self.cache)
        package = built.paths[0]
        warnings = tuple(built.diagnostics)
        if package.is_dir():
            return package, warnings
        folder = self.workdir / "gen" / str(generation)
        shutil.rmtree(folder, ignore_errors=True)
        unpack(package, folder)
        return folder, warnings

    def _prune(self, generation: int) -> None:
        for parent in (self.workdir / "out", self.workdir / "gen"):
            if not parent.is_dir():
                continue
            for child in parent.iterdir():
                if child.name.isdigit() and int(child.name) <= generation - KEEP:
                    shutil.rmtree(child, ignore_errors=True)


def unpack(package: Path, folder: Path) -> None:
    """Unpack a zip ceforge wrote (names are checked all the same: no absolute or .. paths)."""
    folder.mkdir(parents=True)
    with zipfile.ZipFile(package) as archive:
        for info in archive.infolist():
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts:
                raise OSError(f"{package.name}: refusing the member {info.filename!r}")
            target = folder.joinpath(*name.parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, target.open("wb") as dest:
                shutil.copyfileobj(source, dest)


def _describe(exc: Exception) -> str:
    if isinstance(exc, PackageError):
        lines = [f"{exc.package}: {finding}" for finding in exc.findings]
        return "ceforge wrote an invalid package (a bug in ceforge):\n" + "\n".join(lines)
    return str(exc)
