from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ceforge.build import check_course_folder
from ceforge.cli import main
from ceforge.scaffold import PLACEHOLDERS


def test_new_course_checks_clean_and_strict_lists_its_placeholders(tmp_path: Path) -> None:
    """A new course has no error; ``--strict`` fails until every value only the provider can
    give (provider, presenter, approval, contact…) replaces the one ``ceforge new`` wrote."""
    runner = CliRunner()
    course = tmp_path / "my-course"
    result = runner.invoke(main, ["new", str(course)])
    assert result.exit_code == 0, result.output
    assert (course / "course.yml").is_file()
    assert sorted(p.name for p in (course / "modules").iterdir()) == [
        "01-welcome.md",
        "02-assessment.md",
    ]
    result = runner.invoke(main, ["check", str(course)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines and all(line.endswith("[ce.placeholder]") for line in lines), result.stdout
    text = (course / "course.yml").read_text(encoding="utf-8")
    # one warning per placeholder written, each at the line that holds it
    written = [v for v in PLACEHOLDERS.values() if v in text]
    assert len(lines) == len(written) == len(PLACEHOLDERS)
    numbered = text.splitlines()
    for line in lines:
        number = int(line.split(":")[1])
        assert any(value in numbered[number - 1] for value in written), line
    strict = runner.invoke(main, ["check", "--strict", str(course)])
    assert strict.exit_code == 1
    assert strict.stdout == result.stdout


def test_a_new_course_with_its_placeholders_replaced_passes_strict_check(tmp_path: Path) -> None:
    runner = CliRunner()
    course = tmp_path / "my-course"
    assert runner.invoke(main, ["new", str(course)]).exit_code == 0
    path = course / "course.yml"
    text = path.read_text(encoding="utf-8")
    for n, value in enumerate(PLACEHOLDERS.values()):
        mine = f"mine-{n}@example.org" if "@" in value else f"Our own text {n}"
        text = text.replace(value, mine)
    path.write_text(text, encoding="utf-8")
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
