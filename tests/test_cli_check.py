"""``ceforge check`` and ``ceforge build`` through the CLI: output shapes and exit statuses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ceforge.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"

CLEAN_COURSE = {
    "course.yml": "id: urn:ceforge:test:clean\ntitle: A clean course\n",
    "modules/01-empathy.md": """\
---
objectives:
  - Define empathy
---

# Empathy

Empathy is understanding a client's experience from their frame of reference.

::: quiz

### Is empathy the same as agreement?

- [ ] True
- [x] False

:::
""",
}


def write_course(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def copy_fixture(name: str, tmp_path: Path) -> Path:
    course = tmp_path / name
    shutil.copytree(BROKEN / name, course, ignore=shutil.ignore_patterns("expected.txt"))
    return course


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_clean_course_exits_0_with_nothing_on_stdout(tmp_path: Path) -> None:
    course = write_course(tmp_path / "clean", CLEAN_COURSE)
    result = invoke("check", str(course))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "OK (1 modules, 1 pages, 1 questions)" in result.stderr
    assert invoke("check", "--strict", str(course)).exit_code == 0


def test_errors_exit_1_and_print_one_line_each(tmp_path: Path) -> None:
    course = copy_fixture("mixed-answer-blocks", tmp_path)
    result = invoke("check", str(course))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "modules/01-listening.md:10: error: a second answer block; the question's answers start "
        "at line 7 [quiz.mixed-answers]",
        "modules/01-listening.md:15: error: every item of a choice list starts with [ ] or [x] "
        "[quiz.mixed-answers]",
    ]
    assert result.stderr.splitlines() == ["reading 1 module", "2 errors, 0 warnings"]


def test_json_output_shape(tmp_path: Path) -> None:
    course = copy_fixture("ce-bare", tmp_path)
    result = invoke("check", "--format", "json", str(course))
    assert result.exit_code == 0  # warnings only
    doc = json.loads(result.stdout)
    expected = [
        ("course.yml", 3, "ce.no-test"),
        ("course.yml", 3, "ce.no-evaluation"),
        ("course.yml", 3, "ce.no-attestation"),
        ("course.yml", 3, "ce.no-format"),
        ("course.yml", 3, "ce.no-presenter"),
        ("course.yml", 3, "ce.no-references"),
        ("course.yml", 3, "ce.no-disclosures"),
        ("course.yml", 4, "ce.hours-mismatch"),
        ("modules/01-empathy.md", 1, "ce.no-objectives"),
    ]
    assert doc == {
        "diagnostics": [
            {
                "path": path,
                "line": line,
                "severity": "warning",
                "code": code,
                "message": doc["diagnostics"][n]["message"],
            }
            for n, (path, line, code) in enumerate(expected)
        ],
        "errors": 0,
        "warnings": len(expected),
    }
    assert all(d["message"] for d in doc["diagnostics"])
    text = invoke("check", str(course)).stdout.splitlines()
    assert [f"{d['path']}:{d['line']}: {d['severity']}: {d['message']} [{d['code']}]"
            for d in doc["diagnostics"]] == text  # fmt: skip


def test_json_output_of_a_clean_course(tmp_path: Path) -> None:
    course = write_course(tmp_path / "clean", CLEAN_COURSE)
    result = invoke("check", "--format", "json", str(course))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"diagnostics": [], "errors": 0, "warnings": 0}


def test_json_output_exits_1_on_errors(tmp_path: Path) -> None:
    course = copy_fixture("two-tests", tmp_path)
    result = invoke("check", "--format", "json", str(course))
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["errors"] == 1
    assert doc["diagnostics"][0]["code"] == "course.multiple-tests"


def test_strict_turns_warnings_into_exit_1(tmp_path: Path) -> None:
    course = copy_fixture("image-without-alt-text", tmp_path)
    relaxed = invoke("check", str(course))
    assert relaxed.exit_code == 0
    assert "[asset.no-alt]" in relaxed.stdout
    strict = invoke("check", "--strict", str(course))
    assert strict.exit_code == 1
    assert strict.stdout == relaxed.stdout
    assert invoke("check", "--strict", "--format", "json", str(course)).exit_code == 1


def test_strict_says_that_it_made_the_warnings_fail(tmp_path: Path) -> None:
    course = copy_fixture("image-without-alt-text", tmp_path)
    relaxed = invoke("check", str(course))
    assert relaxed.stderr.splitlines()[-1] == "0 errors, 1 warning"
    strict = invoke("check", "--strict", str(course))
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-1] == (
        "0 errors, 1 warning (--strict counts warnings as errors)"
    )
    errors = invoke("check", "--strict", str(copy_fixture("curly-quotes-in-yaml", tmp_path)))
    assert errors.stderr.splitlines()[-1] == (
        "0 errors, 11 warnings (--strict counts warnings as errors)"  # 3 quotes, 8 CE rules
    )
    with_errors = invoke("check", "--strict", str(copy_fixture("two-tests", tmp_path)))
    assert "--strict" not in with_errors.stderr


def test_check_of_a_modules_folder_names_the_course_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = write_course(tmp_path / "my course", CLEAN_COURSE)
    result = invoke("check", str(course / "modules"))
    assert result.exit_code == 1
    assert result.stdout == (
        "course.yml: error: course.yml does not exist here: this is the 'modules' folder of "
        f"the course in '{course}'; give that folder instead (ceforge check '{course}') "
        "[file.unreadable]\n"
    )
    monkeypatch.chdir(course / "modules")
    here = invoke("check", ".")
    assert "the course in '..'; give that folder instead (ceforge check ..)" in here.stdout
    assert invoke("check", str(tmp_path)).stdout == (
        "course.yml: error: course.yml does not exist [file.unreadable]\n"
    )


def test_check_of_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("check", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "no such course folder" in result.output


def test_the_example_course_passes_strict_check(example_course: Path) -> None:
    result = invoke("check", "--strict", str(example_course))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_build_of_a_course_with_errors_writes_nothing(tmp_path: Path) -> None:
    course = copy_fixture("choice-without-correct-answer", tmp_path)
    out = tmp_path / "dist"
    out.mkdir()
    result = invoke("build", str(course), "--output", str(out))
    assert result.exit_code == 1
    assert (
        "modules/02-listening.md:7: error: choice question has no correct answer; "
        "mark it with [x] [quiz.no-correct]"
    ) in result.stderr
    assert "build failed: 1 error, 0 warnings" in result.stderr
    assert list(out.iterdir()) == []


def test_build_of_a_course_with_errors_creates_no_output_folder(tmp_path: Path) -> None:
    course = copy_fixture("yaml-syntax-in-course-yml", tmp_path)
    out = tmp_path / "dist"
    result = invoke("build", str(course), "--output", str(out))
    assert result.exit_code == 1
    assert "course.yml:2: error: YAML syntax" in result.stderr
    assert not out.exists()


def test_a_handout_that_links_out_of_the_course_is_reported_at_its_path(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "modules").mkdir(parents=True)
    (course / "course.yml").write_text(
        "id: https://example.org/courses/h\ntitle: Handouts\nversion: 1.0.0\n", encoding="utf-8")
    (course / "modules" / "01-a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    handouts = course / "assets" / "handouts"
    handouts.mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    (handouts / "notes.txt").symlink_to(tmp_path / "secret.txt")
    (handouts / "log.txt").write_text("inside", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(course)])
    assert result.exit_code == 1
    assert "assets/handouts/notes.txt:0: error:" not in result.output  # a file has no line 0
    assert "assets/handouts/notes.txt" in result.output
    assert "[asset.outside-course]" in result.output
    assert "log.txt" not in result.output
