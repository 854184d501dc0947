"""Each command imports what it needs, when it needs it: ``ceforge --version`` reads no
Markdown, ``ceforge check`` needs neither lxml nor Jinja, a web build no lxml, and nothing but
``ceforge statements`` imports tincan. (How long start-up takes is measured by
``benchmarks/build.py``, never asserted here.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ceforge.scaffold import new_course

#: Runs the command line in-process, then prints the top-level packages it imported.
PROGRAM = """
import json, sys
from ceforge.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules}
                        | {name for name in sys.modules if name.startswith("importlib.")})))
"""

HEAVY = {"lxml", "jinja2", "tincan", "markdown_it", "yaml", "importlib.metadata"}


def imported(*args: str, cwd: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, *args], capture_output=True, text=True, cwd=cwd
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("startup") / "course"
    new_course(root, "Start-up")
    return root


@pytest.mark.parametrize(
    ("args", "needed", "not_needed"),
    [
        (["--version"], set(), HEAVY),
        (["--help"], set(), HEAVY),
        (["check", "{course}", "--no-cache"], {"markdown_it", "yaml"},
         {"lxml", "jinja2", "tincan", "importlib.metadata"}),
        (["check", "{course}"], {"markdown_it", "yaml"},
         {"lxml", "jinja2", "tincan", "importlib.metadata"}),
        (["build", "{course}", "-t", "web", "-o", "{out}"], {"jinja2"},
         {"lxml", "tincan", "importlib.metadata"}),
        (["build", "{course}", "-t", "scorm12", "-o", "{out}"], {"jinja2", "lxml"},
         {"tincan", "importlib.metadata"}),
        (["build", "{course}", "-t", "cmi5", "-o", "{out}"], {"jinja2", "lxml"},
         {"tincan", "importlib.metadata"}),
        (["statements", "{course}", "--learner", "mailto:a@example.org", "--path", "pass",
          "--seed", "1"], {"tincan"}, {"jinja2"}),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_a_command_imports_only_what_it_needs(
    course: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    needed: set[str],
    not_needed: set[str],
) -> None:
    monkeypatch.setenv("CEFORGE_CACHE_DIR", str(tmp_path / "cache"))
    args = [a.format(course=course, out=tmp_path / "dist") for a in args]
    modules = imported(*args, cwd=tmp_path)
    assert needed <= modules
    assert not (not_needed & modules), sorted(not_needed & modules)


def test_validate_reads_no_markdown(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "ceforge", "build", str(course), "-t", "scorm12", "-o", str(out),
         "--no-cache", "-q"],
        check=True,
    )
    (package,) = out.glob("*.zip")
    modules = imported("validate", str(package), cwd=tmp_path)
    assert "lxml" in modules
    assert not ({"markdown_it", "yaml", "jinja2", "tincan"} & modules)


def test_every_target_is_still_listed_and_built_from_its_name() -> None:
    from ceforge.targets.registry import available_targets, get_target, is_target, target_names

    names = ["cmi5", "scorm12", "scorm2004", "tincan", "web"]
    assert [n for n in target_names() if n in names] == names
    assert all(is_target(n) for n in names)
    assert not is_target("scorm13")
    assert [get_target(n).name for n in names] == names
    assert set(names) <= set(available_targets())
