"""``ceforge validate`` on the command line: one line per finding and a summary, JSON for CI,
the exit status, ``--strict``, and ``--launch`` (headless Chromium under the strict simulator of
``ceforge preview``, where Chromium is installed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import package_corpus as pc
from ceforge.cli import main
from oracles import chromium_path
from scorm_support import example_zips, runtime
from validate_cases import CASES, HOSTILE, ZIP

FIXTURES = (runtime, example_zips)  # pytest finds fixtures among the module's names


def test_the_cli_passes_our_package(example_zips: dict[str, Path]) -> None:
    result = CliRunner().invoke(main, ["validate", str(example_zips["scorm2004-4th-module"])])
    assert result.exit_code == 0, result.output
    assert "SCORM 2004 4th Edition" in result.stderr and ": OK" in result.stderr


def test_the_cli_prints_one_line_per_finding_and_exits_1(tmp_path: Path) -> None:
    case = CASES["cp.dangling-ref"](tmp_path)
    result = CliRunner().invoke(main, ["validate", str(case.path)])
    assert result.exit_code == 1
    (code, path, line), = case.expected
    assert result.stdout == (
        f"{path}:{line}: error: <item> identifierref 'r9' names no <resource> [{code}]\n"
    )
    assert result.stderr == f"{ZIP}: SCORM 1.2, 7 files: 1 error, 0 warnings\n"


def test_the_cli_exits_0_on_warnings_unless_strict(tmp_path: Path) -> None:
    case = CASES["zip.unreferenced"](tmp_path)
    assert CliRunner().invoke(main, ["validate", str(case.path)]).exit_code == 0
    assert CliRunner().invoke(main, ["validate", "--strict", str(case.path)]).exit_code == 1


def test_the_cli_json_is_one_document_for_ci(tmp_path: Path) -> None:
    case = CASES["cmi5.mastery-score"](tmp_path)
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(case.path)])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["kind"] == "cmi5" and doc["errors"] == 1 and doc["warnings"] == 0
    (diagnostic,) = doc["diagnostics"]
    assert set(diagnostic) == {"path", "line", "severity", "code", "message"}
    assert (diagnostic["path"], diagnostic["code"]) == ("cmi5.xml", "cmi5.mastery-score")


def test_the_cli_reports_an_unreadable_file(tmp_path: Path) -> None:
    case = CASES["zip.not-a-zip"](tmp_path)
    result = CliRunner().invoke(main, ["validate", str(case.path)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{ZIP}: error: cannot read the zip")
    assert "unknown kind" in result.stderr


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_command_shows_no_secret(name: str, tmp_path: Path) -> None:
    case = CASES[name](tmp_path)
    for fmt in ("text", "json"):
        result = CliRunner().invoke(main, ["validate", "--format", fmt, str(case.path)])
        assert result.exit_code == 1
        for secret in case.secrets:
            assert secret not in result.output


# --- --launch ------------------------------------------------------------------------------------


def test_a_package_with_errors_is_not_launched(tmp_path: Path) -> None:
    case = CASES["cp.dangling-ref"](tmp_path)
    result = CliRunner().invoke(main, ["validate", "--launch", str(case.path)])
    assert result.exit_code == 1
    assert "launch skipped: the package has errors" in result.stdout


def test_without_chromium_the_launch_says_what_it_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CEFORGE_CHROMIUM", str(tmp_path / "no-chromium"))
    path = pc.write_zip(tmp_path / ZIP, pc.scorm12())
    result = CliRunner().invoke(main, ["validate", "--launch", "--format", "json", str(path)])
    assert result.exit_code == 0  # the validation stands
    launch = json.loads(result.stdout)["launch"]
    assert launch["status"] == "unavailable" and "needs Chromium" in launch["reason"]


def run_ceforge(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own: Playwright's sync API cannot start inside the
    event loop that the browser tests' session keeps running in this one."""
    env = {**os.environ, "CEFORGE_CHROMIUM": str(chromium_path())}
    return subprocess.run([sys.executable, "-m", "ceforge", *args], env=env,
                          capture_output=True, text=True, timeout=180)


@pytest.mark.browser
def test_launch_reports_what_our_runtime_does(example_zips: dict[str, Path]) -> None:
    result = run_ceforge("validate", "--launch", str(example_zips["scorm12-single"]))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "launch: API found: yes; initialized: yes; terminated: yes" in result.stdout


@pytest.mark.browser
def test_launch_fails_a_sco_that_never_terminates(tmp_path: Path) -> None:
    path = pc.write_zip(tmp_path / ZIP, pc.scorm12())  # it calls LMSInitialize and nothing else
    result = run_ceforge("validate", "--launch", "--format", "json", str(path))
    assert result.returncode == 1, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["errors"], doc["warnings"]) == (0, 0)
    launch = doc["launch"]
    assert (launch["status"], launch["api_found"], launch["initialized"]) == ("ran", True, True)
    assert launch["terminated"] is False and launch["failed"] is True
    assert any("LMSFinish" in problem for problem in launch["problems"])


def test_a_hostile_name_cannot_drive_the_terminal(tmp_path: Path) -> None:
    case = CASES["zip.unsafe-path[terminal-escape]"](tmp_path)
    result = CliRunner().invoke(main, ["validate", str(case.path)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "media/\\x1b[2J\\x1b]0;pwned\\x07.txt" in result.stdout
