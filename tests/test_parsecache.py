"""The module cache: a rebuild gives exactly what a fresh read gives, and reads only what changed.

Every course of the test corpus (the broken courses with their diagnostics, the question
fixtures, the example) is read three ways, without the cache, into an empty cache and from a
full one; the three must agree on every diagnostic and on the whole course model. Then the
ways a cache goes stale or bad: an edited module, a deleted or added image, a damaged entry,
a cache folder that cannot be written, and the command line with and without ``--no-cache``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ceforge.build import CheckResult, check_course_folder
from ceforge.cli import main
from ceforge.parsecache import ModuleCache

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "therapy-foundations"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
COURSES = [*FIXTURES.glob("*/*/course.yml"), *FIXTURES.glob("*/course.yml")]
CORPUS = sorted({p.parent for p in COURSES} | {EXAMPLE})


def read(root: Path, cache: ModuleCache | None) -> tuple[list[str], CheckResult]:
    result = check_course_folder(root, cache)
    return [str(d) for d in result.diagnostics], result


@pytest.mark.parametrize("root", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_cached_read_equals_a_fresh_one(root: Path, tmp_path: Path) -> None:
    fresh, expected = read(root, None)
    cache = ModuleCache(tmp_path / "cache")
    cold, first = read(root, cache)
    warm_cache = ModuleCache(tmp_path / "cache")
    warm, second = read(root, warm_cache)
    assert cold == fresh and warm == fresh
    assert first.course == expected.course and second.course == expected.course
    modules = cache.misses
    assert cache.hits == 0
    assert (warm_cache.hits, warm_cache.misses) == (modules, 0)


def copy_example(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    shutil.copytree(EXAMPLE, course)
    return course


def test_only_the_edited_module_is_read_again(tmp_path: Path) -> None:
    course = copy_example(tmp_path)
    read(course, ModuleCache(tmp_path / "cache"))
    module = sorted((course / "modules").glob("*.md"))[1]
    module.write_text(module.read_text() + "\nOne more closing thought.\n")
    cache = ModuleCache(tmp_path / "cache")
    _, result = read(course, cache)
    read_from_files = [m for m in result.course.modules if not m.generated]
    assert (cache.hits, cache.misses) == (len(read_from_files) - 1, 1)
    assert read(course, None)[1].course == result.course


def shown_image(course: Path) -> str:
    """The course path of an image that a module of the example shows."""
    for module in sorted((course / "modules").glob("*.md")):
        for line in module.read_text().splitlines():
            if line.startswith("![") and "](" in line:
                target = line.split("](", 1)[1].split(")", 1)[0].split()[0]
                return str((module.parent / target).resolve().relative_to(course))
    raise AssertionError("the example course shows no image")


def test_an_image_deleted_since_is_reported_missing(tmp_path: Path) -> None:
    course = copy_example(tmp_path)
    image = shown_image(course)
    read(course, ModuleCache(tmp_path / "cache"))
    (course / image).unlink()
    cached, _ = read(course, ModuleCache(tmp_path / "cache"))
    fresh, _ = read(course, None)
    assert cached == fresh
    assert any("does not exist" in line and "[" in line for line in cached)


def test_an_image_added_since_is_found(tmp_path: Path) -> None:
    course = copy_example(tmp_path)
    image = shown_image(course)
    data = (course / image).read_bytes()
    (course / image).unlink()
    assert read(course, ModuleCache(tmp_path / "cache"))[0]  # reported missing
    (course / image).write_bytes(data)
    cached, result = read(course, ModuleCache(tmp_path / "cache"))
    assert cached == read(course, None)[0]
    assert image in result.course.assets


def test_a_damaged_entry_is_read_again_and_replaced(tmp_path: Path) -> None:
    course = copy_example(tmp_path)
    read(course, ModuleCache(tmp_path / "cache"))
    entries = sorted((tmp_path / "cache").rglob("*.pickle"))
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(entries[1].read_bytes()[:100])
    cache = ModuleCache(tmp_path / "cache")
    _, result = read(course, cache)
    assert cache.misses == 2
    assert result.course == read(course, None)[1].course
    again = ModuleCache(tmp_path / "cache")
    read(course, again)
    assert again.misses == 0


def test_a_cache_that_cannot_be_written_costs_only_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    cache = ModuleCache(blocker)
    diagnostics, result = read(EXAMPLE, cache)
    assert diagnostics == read(EXAMPLE, None)[0]
    assert result.course is not None and cache.hits == 0


def test_the_cache_keeps_its_size(tmp_path: Path) -> None:
    cache = ModuleCache(tmp_path / "cache")
    read(EXAMPLE, cache)
    entries = list((tmp_path / "cache").rglob("*.pickle"))
    largest = max(p.stat().st_size for p in entries)
    cache.prune(limit=largest)
    assert len(list((tmp_path / "cache").rglob("*.pickle"))) == 1


def test_build_uses_the_cache_and_no_cache_reads_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CEFORGE_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    packages = []
    for run, extra in enumerate([[], [], ["--no-cache"]]):
        out = tmp_path / f"out{run}"
        args = ["build", str(EXAMPLE), "-t", "scorm12", "-o", str(out), *extra]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        (package,) = out.glob("*.zip")
        packages.append(package.read_bytes())
    assert packages[0] == packages[1] == packages[2]
    entries = list((tmp_path / "cache").rglob("*.pickle"))
    assert len(entries) == len(list((EXAMPLE / "modules").glob("*.md")))
    mtimes = {p: p.stat().st_mtime_ns for p in entries}
    monkeypatch.setenv("CEFORGE_CACHE_DIR", str(tmp_path / "other"))
    assert runner.invoke(main, ["check", str(EXAMPLE), "--no-cache"]).exit_code == 0
    assert not (tmp_path / "other").exists()
    assert {p: p.stat().st_mtime_ns for p in entries} == mtimes


def write_course(root: Path, modules: int) -> Path:
    """A course of many small modules, each with an image, a quiz and one fault to report."""
    (root / "modules").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "assets" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "course.yml").write_text("id: https://example.org/ce/many\ntitle: Many modules\n")
    for n in range(modules):
        (root / "modules" / f"{n:02d}-part{n}.md").write_text(
            f"# Part {n}\n\n## Reading\n\nSee the ![chart](../assets/chart.png) and "
            f"![missing](../assets/gone-{n}.png).\n\n::: quiz\n\n"
            f"### Is part {n} done? {{#q{n}}}\n\n- [x] Yes\n- [ ] No\n\n:::\n"
        )
    return root


def test_many_modules_from_the_cache_are_the_modules_read_afresh(tmp_path: Path) -> None:
    modules = 20
    course = write_course(tmp_path / "course", modules)
    alone, expected = read(course, None)
    cache = ModuleCache(tmp_path / "cache")
    first, result = read(course, cache)
    assert first == alone and result.course == expected.course
    assert sum("gone-" in line for line in first) == modules
    again = ModuleCache(tmp_path / "cache")
    cached, result = read(course, again)
    assert cached == alone and result.course == expected.course
    assert again.hits == modules


def test_a_cache_others_may_write_to_is_not_used(tmp_path: Path) -> None:
    """An entry is a pickle, which runs code when read: a cache folder that other users may
    write to is neither read nor written."""
    folder = tmp_path / "shared-cache"
    read(EXAMPLE, ModuleCache(folder))
    folder.chmod(0o777)
    cache = ModuleCache(folder)
    diagnostics, result = read(EXAMPLE, cache)
    assert diagnostics == read(EXAMPLE, None)[0] and result.course is not None
    assert cache.hits == 0
    folder.chmod(0o700)
    again = ModuleCache(folder)
    read(EXAMPLE, again)
    assert again.misses == 0


def test_no_home_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("CEFORGE_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", no_home)
    assert ModuleCache.default() is None
    monkeypatch.setenv("XDG_CACHE_HOME", "/srv/cache")
    cache = ModuleCache.default()
    assert cache is not None and cache.root == Path("/srv/cache/ceforge")
