"""``ceforge.preview.launch.run_headless``: any unpacked package launched in Chromium under the
strict simulator, as ``ceforge validate --launch`` uses it.

Hand-written SCOs (``tests/fixtures/preview/``) stand for other tools' packages: each has
exactly the faults its manifest comment names. ceforge's own builds launch clean.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from preview_support import EXAMPLE

from ceforge.build import build
from ceforge.preview.launch import run, run_headless
from ceforge.targets.base import BuildOptions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "preview"


def test_a_scorm_12_sco_with_one_bad_value() -> None:
    report = run_headless(FIXTURES / "scorm12-sco", "scorm12")
    assert report.failure is None
    assert report.api_found and report.initialized and report.terminated
    (error,) = report.errors
    assert (error.call, error.args, error.error) == ("LMSSetValue", ("cmi.core.score.raw", "150"),
                                                     405)
    assert "above 100" in error.diagnostic and error.error_string == "Incorrect data type"
    assert report.values_set["cmi.core.score.raw"] == "85"
    assert report.problems == []
    assert report.record["entry"] == "resume"
    assert report.record["values"]["cmi.core.lesson_status"] == "passed"  # 85 against 80
    assert report.model["cmi.launch_data"] == "from the manifest"
    assert report.failed
    assert any("405" in line for line in report.lines())


def test_a_scorm_2004_sco_that_never_terminates() -> None:
    data = run(FIXTURES / "scorm2004-sco")
    assert data["standard"] == "scorm2004" and data["initialized"] and not data["terminated"]
    assert [e.split(" -> ")[0] for e in data["errors"]] == [
        "SetValue('cmi.interactions.0.timestamp', '2026-01-05T09:30:00.000Z')"]
    assert len(data["problems"]) == 1 and "without terminating" in data["problems"][0]
    assert data["model"]["cmi.success_status"] == "passed"  # 0.8 against 0.75
    assert data["failed"] and any("406" in line for line in data["summary"])


def test_a_launch_page_that_never_looks_for_the_api(tmp_path: Path) -> None:
    package = shutil.copytree(FIXTURES / "scorm12-sco", tmp_path / "package")
    (package / "sco.html").write_text(
        "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>No API</title><p>Hello</p>",
        encoding="utf-8")
    report = run_headless(package, settle=0.5, timeout=3)
    assert not report.api_found and not report.initialized
    assert report.problems == ["the course never called LMSInitialize"]


@pytest.mark.parametrize(("target", "edition"), [("scorm12", 4), ("scorm2004", 4),
                                                 ("scorm2004", 3)])
def test_ceforge_scorm_packages_launch_clean(tmp_path: Path, target: str, edition: int) -> None:
    (package,) = build(EXAMPLE, [target], tmp_path / "out",
                       options=BuildOptions(scorm_edition=edition)).paths
    folder = tmp_path / "package"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    report = run_headless(folder, target)
    assert report.failure is None
    assert report.api_found and report.initialized and report.terminated
    assert report.errors == [] and report.problems == [], report.lines()
    assert not report.failed


@pytest.mark.parametrize("target", ["tincan", "cmi5"])
def test_ceforge_xapi_packages_launch_clean(tmp_path: Path, target: str) -> None:
    (package,) = build(EXAMPLE, [target], tmp_path / "out").paths
    folder = tmp_path / "package"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    report = run_headless(folder)
    assert report.standard == target and report.failure is None
    verbs = [str(s["statement"]["verb"]["id"]).rsplit("/", 1)[-1] for s in report.statements
             if s["source"] != "lms"]
    assert verbs[0] == "initialized" and verbs[-1] == "terminated"
    assert not report.failed, report.lines()
    # What reached the LRS, in a line; the State API's 404 of a first launch (no bookmark
    # yet) is no console error.
    summary = f"launch: {len(report.statements)} statements: "
    assert any(line.startswith(summary) and "terminated" in line for line in report.lines())
    assert report.console_errors == [], report.console_errors


def test_a_folder_with_no_package() -> None:
    report = run_headless(FIXTURES)
    assert report.failure is not None and "no imsmanifest.xml" in report.failure
