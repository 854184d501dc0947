"""`ceforge build` turns a file-system failure into one clear line and a non-zero exit."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ceforge.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "therapy-foundations"


def test_build_into_an_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLE), "-o", str(blocker / "dist")], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "build failed: cannot write" in result.stderr
    assert blocker.read_text() == "not a folder"
