"""``ceforge validate --launch`` on packages of several units, driven as a user would: the
example built with one SCO per module (SCORM 2004) and one AU per module (cmi5), each unit
launched in turn and reported, and a package with one broken SCO that fails on that SCO alone.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

import package_corpus as pc
from test_cli_validate import run_ceforge
from validate_cases import ZIP

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "therapy-foundations"
#: The example's modules, by the slug their unit's id ends with.
MODULES = [re.sub(r"^\d+-", "", path.stem) for path in sorted(EXAMPLE.glob("modules/*.md"))]
#: A launch page that never looks for the API, so never initializes.
SILENT_PAGE = b"<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Ethics</title><p>Hi</p>"


def build(tmp_path: Path, target: str, *layout: str) -> Path:
    result = run_ceforge("build", str(EXAMPLE), "-t", target, *layout, "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    (package,) = tmp_path.glob(f"*-{target}.zip")
    return package


def launched_units(package: Path) -> list[dict[str, object]]:
    result = run_ceforge("validate", "--launch", "--format", "json", str(package))
    assert result.returncode == 0, result.stdout + result.stderr
    launch = json.loads(result.stdout)["launch"]
    assert (launch["status"], launch["failed"], launch["units_left_out"]) == ("ran", False, 0)
    units: list[dict[str, object]] = launch["units"]
    assert len(units) == len(MODULES)
    for unit, module in zip(units, MODULES, strict=True):
        assert str(unit["id"]).endswith(module) and unit["unit"] == unit["id"]
        assert unit["failed"] is False and unit["summary"], unit["summary"]
    assert launch["unit"] == units[0]["id"]  # the first unit's report stays at the top
    return units


def test_every_sco_of_a_package_of_one_sco_per_module(tmp_path: Path) -> None:
    for unit in launched_units(build(tmp_path, "scorm2004", "--sco", "module")):
        assert (unit["api_found"], unit["initialized"], unit["terminated"]) == (True, True, True)


def test_every_au_of_a_package_of_one_au_per_module(tmp_path: Path) -> None:
    for unit in launched_units(build(tmp_path, "cmi5", "--au", "module")):
        statements = unit["statements"]
        assert isinstance(statements, list)
        verbs = [str(s["statement"]["verb"]["id"]).rsplit("/", 1)[-1] for s in statements]
        assert (verbs[0], verbs[1], verbs[-1]) == ("launched", "initialized", "terminated"), verbs
        # each unit has its own statements: one registration's session, one AU's activity
        assert len({s["statement"]["context"]["registration"] for s in statements}) == 1
        assert len({s["statement"]["object"]["id"] for s in statements
                    if s["source"] == "lms"}) == 1


def test_a_broken_sco_fails_the_launch_and_is_named(tmp_path: Path) -> None:
    built = build(tmp_path / "out", "scorm2004", "--sco", "module")
    with zipfile.ZipFile(built) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["module-ethics.html"] = SILENT_PAGE
    package = pc.write_zip(tmp_path / ZIP, files)
    result = run_ceforge("validate", "--launch", str(package))
    assert result.returncode == 1, result.stdout + result.stderr
    blocks = re.split(r"^(?=launch unit )", result.stdout, flags=re.MULTILINE)[1:]
    assert len(blocks) == len(MODULES)
    (broken,) = [block for block in blocks if "problem:" in block]
    assert broken.startswith(f"launch unit 5/{len(MODULES)}: item-ethics (Ethical")
    assert "initialized: no" in broken and "never called Initialize" in broken
    assert sum("initialized: yes; terminated: yes" in block for block in blocks) == 8
