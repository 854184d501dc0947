from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ceforge.build import check_course_folder
from ceforge.cli import main


def test_new_course_passes_strict_check(tmp_path: Path) -> None:
    runner = CliRunner()
    course = tmp_path / "my-course"
    result = runner.invoke(main, ["new", str(course)])
    assert result.exit_code == 0, result.output
    assert (course / "course.yml").is_file()
    assert sorted(p.name for p in (course / "modules").iterdir()) == [
        "01-welcome.md",
        "02-assessment.md",
    ]
    result = runner.invoke(main, ["check", "--strict", str(course)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "OK (2 modules" in result.stderr


def test_new_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["new", str(tmp_path)])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert (tmp_path / "keep.txt").read_text() == "mine"
    assert not (tmp_path / "course.yml").exists()


def test_new_keeps_the_letters_of_the_folder_name(tmp_path: Path) -> None:
    course = tmp_path / "my courses" / "éthique-clinique"
    result = CliRunner().invoke(main, ["new", str(course)])
    assert result.exit_code == 0, result.output
    # The hint is a command a shell takes as it is, spaces and all.
    assert result.output.endswith(f"next: ceforge check '{course}'\n")
    text = (course / "course.yml").read_text(encoding="utf-8")
    assert "\nid: urn:ceforge:course:ethique-clinique\n" in text  # transliterated for the id
    assert '\ntitle: "Éthique-Clinique"\n' not in text
    assert '\ntitle: "Éthique Clinique"\n' in text
    check = CliRunner().invoke(main, ["check", str(course)])
    assert check.exit_code == 0, check.output


def test_new_takes_a_title_with_quotes_and_backslashes(tmp_path: Path) -> None:
    course = tmp_path / "oars"
    title = 'Core Skills & "OARS" \\ Part 1: basics'
    result = CliRunner().invoke(main, ["new", str(course), "--title", title])
    assert result.exit_code == 0, result.output
    check = CliRunner().invoke(main, ["check", "--format", "json", str(course)])
    assert check.exit_code == 0, check.output
    checked = check_course_folder(course)
    assert checked.course is not None
    assert checked.course.config.title == title
