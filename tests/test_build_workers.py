"""``ceforge build`` with several targets renders, writes and verifies their packages in worker
processes: the same bytes as one process writes; a package that fails verification, or a target
that cannot render, fails the build as in one process and leaves no package of that build
behind (all or nothing); a pool that cannot start leaves the work to the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceforge import build as build_module
from ceforge import workers
from ceforge.build import build
from ceforge.targets.base import BuildOptions, TargetError
from ceforge.targets.scorm12 import Scorm12Target
from ceforge.targets.tincan import TinCanTarget
from ceforge.verify import PackageError
from conftest import EXAMPLE

TARGETS = ["web", "scorm12", "scorm2004", "tincan", "cmi5"]


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Workers even where the test process runs other threads; the pools started, listed."""
    started: list[object] = []

    class CountedPool(workers.ProcessPoolExecutor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            started.append(self)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    return started


def package_bytes(paths: list[Path]) -> dict[str, bytes]:
    found = {}
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            found[str(file.relative_to(path.parent))] = file.read_bytes()
    return found


def test_workers_write_the_bytes_one_process_writes(
    pools: list[object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = BuildOptions(sco="module")
    shared = build(EXAMPLE, TARGETS, tmp_path / "shared", zip_folders=True, options=options)
    assert len(pools) == 1
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 1)
    alone = build(EXAMPLE, TARGETS, tmp_path / "alone", zip_folders=True, options=options)
    assert len(pools) == 1
    assert [p.name for p in shared] == [p.name for p in alone]
    assert package_bytes(shared) == package_bytes(alone)


def test_a_package_failing_verification_in_a_worker_fails_the_build(
    pools: list[object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render = Scorm12Target.render
    monkeypatch.setattr(
        Scorm12Target,
        "render",
        lambda self, course, options: [
            f for f in render(self, course, options) if f.path != "ceforge/core.js"
        ],
    )
    out = tmp_path / "out"
    with pytest.raises(PackageError) as caught:
        build(EXAMPLE, ["web", "scorm12", "tincan"], out)
    assert len(pools) == 1
    assert [f.code for f in caught.value.findings] == ["pkg.missing-file"]
    assert list(out.iterdir()) == []  # all or nothing: no package, no temporary file


@pytest.mark.parametrize("cores", [1, 2])
def test_a_target_that_cannot_render_leaves_no_package(
    cores: int, pools: list[object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(self: object, course: object, options: object) -> list[object]:
        raise TargetError("the runtime is incomplete")

    monkeypatch.setattr(workers.os, "cpu_count", lambda: cores)
    monkeypatch.setattr(TinCanTarget, "render", fail)
    out = tmp_path / "out"
    out.mkdir()
    (out / "therapy-foundations-web").mkdir()
    (out / "therapy-foundations-web" / "index.html").write_text("the build before")
    with pytest.raises(TargetError, match="runtime is incomplete"):
        build(EXAMPLE, ["web", "scorm12", "tincan", "cmi5"], out)
    assert len(pools) == (1 if cores > 1 else 0)
    assert [p.name for p in out.iterdir()] == ["therapy-foundations-web"]
    assert (out / "therapy-foundations-web" / "index.html").read_text() == "the build before"


def test_a_pool_that_cannot_start_leaves_the_work_to_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoFork(workers.ProcessPoolExecutor):
        def map(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
            raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", NoFork)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    written = build(EXAMPLE, ["web", "scorm12"], tmp_path / "out")
    names = [p.name for p in written]
    assert names == ["therapy-foundations-web", "therapy-foundations-1.0.0-scorm12.zip"]
    assert build_module._PENDING == []
