"""The installed oracles answer: each accepts a good input and rejects a bad one; and the
installer (``tests/oracles/install.py``) installs only what is missing.

If one of these fails, the tests that lean on that oracle prove nothing: fix the install first.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from oracles import install, node, node_module, ralph_python

STATEMENT: dict[str, Any] = {
    "id": "6f1a3c8e-2b4d-4e5f-9a7b-1c2d3e4f5a6b",
    "actor": {"objectType": "Agent", "name": "A Learner", "mbox": "mailto:learner@example.org"},
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/passed",
        "display": {"en-US": "passed"},
    },
    "object": {
        "objectType": "Activity",
        "id": "https://ceforge.example.org/courses/therapy-foundations",
        "definition": {"name": {"en-US": "Foundations of Therapy Practice"}},
    },
    "result": {
        "score": {"scaled": 0.85, "raw": 85, "min": 0, "max": 100},
        "success": True,
        "completion": True,
        "duration": "PT1H2M3.25S",
    },
    "context": {"registration": "0b6e2f4a-5c3d-4e1f-8a9b-7c6d5e4f3a2b"},
    "timestamp": "2026-11-26T10:15:30.25+01:00",
    "version": "1.0.0",
}
# No time zone on the timestamp, and no verb: two faults any xAPI validator must report.
INVALID: dict[str, Any] = {
    key: value for key, value in STATEMENT.items() if key != "verb"
} | {"timestamp": "2026-11-26T10:15:30"}

XAPI_VALIDATE = """
const validate = require('@learninglocker/xapi-validation').default;
return validate(input).map((warning) => ({path: warning.path.join('.'), kind: warning.name}));
"""

SCORM_AGAIN = """
const fs = require('fs');
const vm = require('vm');
const window = {};
vm.runInContext(fs.readFileSync(input, 'utf8'),
                vm.createContext({window, console, setTimeout, clearTimeout}));
const api12 = new window.Scorm12API({logLevel: 5});
const api2004 = new window.Scorm2004API({logLevel: 5});
return {
  types: [typeof window.Scorm12API, typeof window.Scorm2004API],
  scorm12: [api12.LMSInitialize(''), api12.LMSSetValue('cmi.core.lesson_status', 'passed'),
            api12.LMSGetValue('cmi.core.lesson_status')],
  scorm2004: [api2004.Initialize(''), api2004.SetValue('cmi.success_status', 'maybe'),
              api2004.GetLastError()],
};
"""

RALPH_VALIDATE = """
import json, sys
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement
try:
    BaseXapiStatement.model_validate(json.load(sys.stdin))
except ValidationError as error:
    print(json.dumps(sorted({".".join(map(str, e["loc"])) for e in error.errors()})))
else:
    print("[]")
"""


def xapi_validation(statement: dict[str, Any]) -> list[dict[str, str]]:
    node_module("@learninglocker/xapi-validation")
    problems: list[dict[str, str]] = node(XAPI_VALIDATE, statement)
    return problems


def ralph_validation(statement: dict[str, Any]) -> list[str]:
    done = subprocess.run(
        [str(ralph_python()), "-c", RALPH_VALIDATE], input=json.dumps(statement),
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    problems: list[str] = json.loads(done.stdout)
    return problems


def test_xapi_validation_accepts_a_valid_statement() -> None:
    assert xapi_validation(STATEMENT) == []


def test_xapi_validation_rejects_an_invalid_statement() -> None:
    paths = {problem["path"] for problem in xapi_validation(INVALID)}
    assert {"statement.verb", "statement.timestamp"} <= paths


def test_scorm_again_defines_both_apis() -> None:
    dist = node_module("scorm-again") / "dist" / "scorm-again.js"
    result = node(SCORM_AGAIN, str(dist))
    assert result["types"] == ["function", "function"]
    assert result["scorm12"] == ["true", "true", "passed"]
    assert result["scorm2004"] == ["true", "false", "406"]


@pytest.mark.parametrize(("statement", "valid"), [(STATEMENT, True), (INVALID, False)],
                         ids=["valid", "invalid"])
def test_ralph_model_agrees(statement: dict[str, Any], valid: bool) -> None:
    assert (ralph_validation(statement) == []) is valid


class Recorder:
    """Stands in for ``install.run``: the commands it would have run, not run."""

    def __init__(self) -> None:
        self.commands: list[list[str]] = []

    def __call__(self, step: str, command: Any, cwd: Any = None, env: Any = None) -> None:
        self.commands.append([str(part) for part in command])


def test_install_asks_apt_for_chromium_only_as_root_and_only_when_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder()
    monkeypatch.setattr(install, "run", recorder)
    present = tmp_path / "chromium"
    present.touch()
    monkeypatch.setattr(install, "is_root", lambda: True)
    install.install_chromium(present)
    monkeypatch.setattr(install, "is_root", lambda: False)
    install.install_chromium(tmp_path / "absent")
    assert recorder.commands == []
    monkeypatch.setattr(install, "is_root", lambda: True)
    with pytest.raises(SystemExit, match="does not exist"):
        install.install_chromium(tmp_path / "absent")
    assert recorder.commands == [
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
    ]


def test_install_runs_npm_ci_again_only_when_the_lockfile_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder()
    monkeypatch.setattr(install, "run", recorder)
    source = tmp_path / "source"
    source.mkdir()
    for name in install.NPM_FILES:
        shutil.copyfile(install.HERE / name, source / name)
    dest = tmp_path / "oracles"
    (dest / "node_modules").mkdir(parents=True)
    install.install_npm(dest, source)
    install.install_npm(dest, source)
    (source / "package-lock.json").write_text("{}")
    install.install_npm(dest, source)
    assert [command[1:] for command in recorder.commands] == [
        ["ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    ] * 2
    assert (dest / "package-lock.json").read_text() == "{}"


def test_the_npm_lockfile_names_no_download_address() -> None:
    lock = json.loads((install.HERE / "package-lock.json").read_text())
    assert all("resolved" not in package for package in lock["packages"].values())
    assert lock["packages"]["node_modules/scorm-again"]["version"] == "3.4.3"
    assert lock["packages"]["node_modules/@learninglocker/xapi-validation"]["version"] == "3.0.0"
    assert lock["packages"]["node_modules/axe-core"]["version"].startswith("4.")
    assert lock["packages"]["node_modules/eslint"]["version"] == "9.39.5"
