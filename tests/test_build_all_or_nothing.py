"""A build puts the packages of all its targets in place, or none: a package that fails
verification, or a target that cannot render, fails the build, leaves no package of that
build and no temporary file behind, and leaves an older build's packages as they were."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from ceforge.build import build
from ceforge.model import Course
from ceforge.targets.base import BuildOptions, OutputFile, TargetError
from ceforge.targets.scorm12 import Scorm12Target
from ceforge.targets.tincan import TinCanTarget
from ceforge.verify import PackageError
from conftest import EXAMPLE


def test_a_package_failing_verification_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render = Scorm12Target.render
    monkeypatch.setattr(
        Scorm12Target,
        "render",
        lambda self, course, options: [
            f for f in render(self, course, options) if f.path != "ceforge/core/app.js"
        ],
    )
    out = tmp_path / "out"
    with pytest.raises(PackageError) as caught:
        build(EXAMPLE, ["web", "scorm12", "tincan"], out)
    assert [f.code for f in caught.value.findings] == ["pkg.missing-file"]
    assert list(out.iterdir()) == []  # all or nothing: no package, no temporary file


def test_a_target_that_cannot_render_leaves_no_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(self: object, course: object, options: object) -> list[object]:
        raise TargetError("the runtime is incomplete")

    monkeypatch.setattr(TinCanTarget, "render", fail)
    out = tmp_path / "out"
    out.mkdir()
    (out / "therapy-foundations-web").mkdir()
    (out / "therapy-foundations-web" / "index.html").write_text("the build before")
    with pytest.raises(TargetError, match="runtime is incomplete"):
        build(EXAMPLE, ["web", "scorm12", "tincan", "cmi5"], out)
    assert [p.name for p in out.iterdir()] == ["therapy-foundations-web"]
    assert (out / "therapy-foundations-web" / "index.html").read_text() == "the build before"


def test_every_target_writes_the_bytes_it_writes_alone(tmp_path: Path) -> None:
    """Targets built together share what they derive from the course (``ceforge.memo``);
    each package is still the one its target builds alone."""
    targets = ["web", "scorm12", "scorm2004", "tincan", "cmi5"]
    together = build(EXAMPLE, targets, tmp_path / "together", zip_folders=True).paths
    for target, path in zip(targets, together[1:], strict=True):  # the web folder, then zips
        (alone,) = [p for p in build(EXAMPLE, [target], tmp_path / target, zip_folders=True).paths
                    if p.suffix == ".zip"]
        assert alone.name == path.name and alone.read_bytes() == path.read_bytes(), target


def test_a_build_pauses_the_cycle_collector_and_resumes_it_even_when_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    render = TinCanTarget.render

    def failing(self: TinCanTarget, course: Course, options: BuildOptions) -> list[OutputFile]:
        seen.append(gc.isenabled())
        render(self, course, options)
        raise TargetError("tincan: cannot render")

    monkeypatch.setattr(TinCanTarget, "render", failing)
    assert gc.isenabled()
    with pytest.raises(TargetError):
        build(EXAMPLE, ["tincan"], tmp_path / "out")
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()  # a caller that paused it itself finds it paused still
    try:
        build(EXAMPLE, ["web"], tmp_path / "out")
        assert not gc.isenabled()
    finally:
        gc.enable()
