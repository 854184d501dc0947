from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

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
