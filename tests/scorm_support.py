"""What the SCORM tests share: small courses written on the fly, builds, and zip surgery."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import ceforge.targets.common as common
from ceforge.build import build
from ceforge.scormspec import SCORM12, SCORM2004_3RD, SCORM2004_4TH, Edition
from ceforge.targets.base import BuildOptions
from conftest import EXAMPLE

VARIANTS: dict[str, tuple[str, BuildOptions, Edition]] = {
    "scorm12-single": ("scorm12", BuildOptions(), SCORM12),
    "scorm12-module": ("scorm12", BuildOptions(sco="module"), SCORM12),
    "scorm2004-4th-single": ("scorm2004", BuildOptions(), SCORM2004_4TH),
    "scorm2004-4th-module": ("scorm2004", BuildOptions(sco="module"), SCORM2004_4TH),
    "scorm2004-3rd-single": ("scorm2004", BuildOptions(scorm_edition=3), SCORM2004_3RD),
    "scorm2004-3rd-module": (
        "scorm2004",
        BuildOptions(scorm_edition=3, sco="module"),
        SCORM2004_3RD,
    ),
}


@pytest.fixture(scope="session")
def runtime() -> Path:
    """The learner runtime the packages ship (every adapter exists: no stand-ins any more)."""
    return common.RUNTIME_DIR


def write_course(root: Path, modules: dict[str, str], extra: str = "") -> Path:
    """A course at ``root`` with ``modules`` (file name -> Markdown) and course.yml lines."""
    (root / "modules").mkdir(parents=True)
    (root / "course.yml").write_text(
        "id: https://example.org/courses/small\ntitle: A Small Course\nversion: 1.0.0\n" + extra,
        encoding="utf-8",
    )
    for name, text in modules.items():
        (root / "modules" / name).write_text(text, encoding="utf-8")
    return root


def fill_in_quiz(count: int, prefix: str = "q") -> str:
    """A ``::: quiz`` of ``count`` fill-in questions (each can keep 100 characters of state)."""
    questions = "".join(
        f"### Name the term number {n}. {{#{prefix}{n}}}\n\n= term{n}\n\n" for n in range(count)
    )
    return f"::: quiz\n\n{questions}:::\n"


def build_one(course: Path, target: str, out: Path, options: BuildOptions | None = None) -> Path:
    """Build one zip target of ``course`` into ``out``; return the zip's path."""
    (path,) = build(course, [target], out, options=options).paths
    return path


def members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def read_member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def rezip(
    source: Path,
    dest: Path,
    replace: dict[str, bytes] | None = None,
    drop: Iterator[str] | tuple[str, ...] = (),
    add: dict[str, bytes] | None = None,
) -> Path:
    """A copy of the zip ``source`` with members replaced, dropped or added."""
    replace = replace or {}
    dropped = set(drop)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(dest, "w") as new:
        for info in old.infolist():
            if info.filename in dropped:
                continue
            new.writestr(info, replace.get(info.filename, old.read(info.filename)))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return dest


def edit_manifest(source: Path, dest: Path, old: str, new: str, count: int = 1) -> Path:
    """A copy of the zip whose manifest has ``old`` replaced by ``new`` (which must occur)."""
    text = read_member(source, "imsmanifest.xml").decode("utf-8")
    assert old in text, f"{old!r} is not in the manifest"
    return rezip(
        source, dest, replace={"imsmanifest.xml": text.replace(old, new, count).encode("utf-8")}
    )


@pytest.fixture(scope="session")
def example_zips(runtime: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each variant of the example course, built once."""
    out = tmp_path_factory.mktemp("example")
    return {
        name: build_one(EXAMPLE, target, out / name, options)
        for name, (target, options, _edition) in VARIANTS.items()
    }
