"""The ``build:`` section of course.yml: defaults of ``ceforge build``, ``check`` and ``preview``
(targets, output, sco, au, report, scorm_edition), each overridden by its command-line
option; a bad value is an error at its line, as for every other key."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ceforge.cli import main
from conftest import EXAMPLE
from preview_process import command_line

COURSE_YML_LINES = len((EXAMPLE / "course.yml").read_text(encoding="utf-8").splitlines())


def course_with(tmp_path: Path, build: str) -> Path:
    """The example course, with ``build`` (YAML lines) appended to its course.yml."""
    course = tmp_path / "course"
    shutil.copytree(EXAMPLE, course)
    with (course / "course.yml").open("a", encoding="utf-8") as stream:
        stream.write(build)
    return course


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def built(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir()) if out.exists() else []


def member(package: Path, name: str) -> str:
    with zipfile.ZipFile(package) as archive:
        return archive.read(name).decode("utf-8")


# --- each key, and the option that overrides it --------------------------------------------------


def test_targets_and_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = course_with(tmp_path, "build:\n  targets: [scorm12, web]\n  output: ../shipped\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = invoke("build", str(course), "-q")
    assert result.exit_code == 0, result.output
    assert built(tmp_path / "shipped") == [
        "therapy-foundations-1.0.0-scorm12.zip",
        "therapy-foundations-web",
    ]
    assert built(elsewhere) == []  # relative to the course folder, not the working folder

    override = invoke("build", str(course), "-t", "tincan", "-o", str(tmp_path / "cli"), "-q")
    assert override.exit_code == 0, override.output
    assert built(tmp_path / "cli") == ["therapy-foundations-1.0.0-tincan.zip"]


def test_targets_one_name_and_all(tmp_path: Path) -> None:
    one = course_with(tmp_path / "one", "build:\n  targets: cmi5\n")
    assert invoke("build", str(one), "-o", str(tmp_path / "a"), "-q").exit_code == 0
    assert built(tmp_path / "a") == ["therapy-foundations-1.0.0-cmi5.zip"]
    every = course_with(tmp_path / "all", "build:\n  targets: all\n")
    assert invoke("build", str(every), "-o", str(tmp_path / "b"), "-q").exit_code == 0
    assert len(built(tmp_path / "b")) == 5


def test_sco(tmp_path: Path) -> None:
    course = course_with(tmp_path, "build:\n  targets: scorm12\n  sco: module\n")
    assert invoke("build", str(course), "-o", str(tmp_path / "a"), "-q").exit_code == 0
    (package,) = (tmp_path / "a").iterdir()
    assert member(package, "imsmanifest.xml").count('scormtype="sco"') == 9
    assert invoke("build", str(course), "-o", str(tmp_path / "b"), "-q", "--sco", "single")
    (package,) = (tmp_path / "b").iterdir()
    assert member(package, "imsmanifest.xml").count('scormtype="sco"') == 1


def test_au(tmp_path: Path) -> None:
    course = course_with(tmp_path, "build:\n  targets: cmi5\n  au: module\n")
    assert invoke("build", str(course), "-o", str(tmp_path / "a"), "-q").exit_code == 0
    (package,) = (tmp_path / "a").iterdir()
    assert member(package, "cmi5.xml").count("<au ") == 9
    assert invoke("build", str(course), "-o", str(tmp_path / "b"), "-q", "--au", "course")
    (package,) = (tmp_path / "b").iterdir()
    assert member(package, "cmi5.xml").count("<au ") == 1


def test_report(tmp_path: Path) -> None:
    course = course_with(tmp_path, "build:\n  targets: scorm12\n  report: passed-incomplete\n")
    assert invoke("build", str(course), "-o", str(tmp_path / "a"), "-q").exit_code == 0
    (package,) = (tmp_path / "a").iterdir()
    assert '"report":"passed-incomplete"' in member(package, "index.html")
    override = ["--report", "completed-failed"]
    assert invoke("build", str(course), "-o", str(tmp_path / "b"), "-q", *override)
    (package,) = (tmp_path / "b").iterdir()
    assert '"report":"completed-failed"' in member(package, "index.html")


def test_scorm_edition(tmp_path: Path) -> None:
    course = course_with(tmp_path, "build:\n  targets: scorm2004\n  scorm_edition: 3\n")
    assert invoke("build", str(course), "-o", str(tmp_path / "a"), "-q").exit_code == 0
    (package,) = (tmp_path / "a").iterdir()
    assert "<schemaversion>2004 3rd Edition</schemaversion>" in member(package, "imsmanifest.xml")
    assert invoke("build", str(course), "-o", str(tmp_path / "b"), "-q", "--scorm-edition", "4")
    (package,) = (tmp_path / "b").iterdir()
    assert "<schemaversion>2004 4th Edition</schemaversion>" in member(package, "imsmanifest.xml")


def test_check_checks_for_the_targets_of_course_yml(tmp_path: Path) -> None:
    """A course whose saved state outgrows SCORM 1.2 passes a plain check, fails it once
    course.yml names scorm12, and passes again with --target web or the module layout."""
    course = tmp_path / "course"
    shutil.copytree(Path(__file__).parent / "fixtures" / "broken" / "state-too-large-for-scorm12",
                    course, ignore=shutil.ignore_patterns("expected.txt"))
    text = (course / "course.yml").read_text(encoding="utf-8")
    (course / "course.yml").write_text(text.split("build:")[0], encoding="utf-8")
    assert invoke("check", "--strict", str(course)).exit_code == 0
    failing = invoke("check", "--strict", str(course), "-t", "scorm12")
    assert failing.exit_code == 1 and "[scorm.state-too-large]" in failing.stdout
    (course / "course.yml").write_text(text, encoding="utf-8")
    assert invoke("check", "--strict", str(course)).exit_code == 1
    assert invoke("check", "--strict", str(course), "-t", "web").exit_code == 0
    assert invoke("check", "--strict", str(course), "--sco", "module").exit_code == 0
    assert invoke("check", "--strict", str(course), "-t", "scorm2004").exit_code == 0


def test_preview_takes_the_build_section(tmp_path: Path) -> None:
    course = course_with(tmp_path, "build:\n  sco: module\n")
    with command_line(course, "scorm12") as served:
        units = served.api("status")["build"]["plan"]["units"]
    assert len(units) == 9


# --- bad values: an error at the line of the key -------------------------------------------------


@pytest.mark.parametrize(
    ("build", "line", "code", "message"),
    [
        ("build: scorm12\n", 1, "config.bad-value", "build: expected a mapping of keys"),
        ("build:\n  targts: [web]\n", 2, "config.unknown-key",
         "unknown key 'build.targts' in build (did you mean 'targets'?)"),
        ("build:\n  targets: [web, scorm13]\n", 2, "config.bad-value",
         "build.targets: no target is named 'scorm13' (did you mean 'scorm12'?)"),
        ("build:\n  targets:\n    - web\n    - scorm13\n", 4, "config.bad-value",
         "no target is named 'scorm13'"),
        ("build:\n  targets: []\n", 2, "config.bad-value", "expected a target name or a list"),
        ("build:\n  targets: [Web!]\n", 2, "config.bad-value", "'Web!' is not a target name"),
        ("build:\n  output: [dist]\n", 2, "config.bad-value", "build.output: expected text"),
        ("build:\n  sco: modules\n", 2, "config.bad-value",
         "build.sco: 'modules' is not one of: single, module"),
        ("build:\n  au: lesson\n", 2, "config.bad-value",
         "build.au: 'lesson' is not one of: course, module"),
        ("build:\n  report: passed\n", 2, "config.bad-value", "build.report: 'passed' is not one"),
        ("build:\n  scorm_edition: 2004\n", 2, "config.bad-value",
         "build.scorm_edition: 2004 is not one of: 3, 4"),
        ("build:\n  scorm_edition: '4'\n", 2, "config.bad-value", "'4' is not one of: 3, 4"),
    ],
)
def test_a_bad_value_is_an_error_at_its_line(
    tmp_path: Path, build: str, line: int, code: str, message: str
) -> None:
    course = course_with(tmp_path, build)
    where = f"course.yml:{COURSE_YML_LINES + line}: error: "
    checked = invoke("check", str(course))
    assert checked.exit_code == 1
    (found,) = [text for text in checked.stdout.splitlines() if f"[{code}]" in text]
    assert found.startswith(where) and message in found, found
    out = tmp_path / "out"
    building = invoke("build", str(course), "-o", str(out))
    assert building.exit_code == 1
    assert found in building.stderr.splitlines()
    assert not out.exists()


def test_the_reference_lists_every_build_key() -> None:
    text = (Path(__file__).parent.parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = text.split("<!-- generated: build-keys -->")[1].split("<!-- end generated -->")[0]
    keys = re.findall(r"^\| `(\w+)` \|", section, re.M)
    assert keys == ["targets", "output", "sco", "au", "report", "scorm_edition"]
