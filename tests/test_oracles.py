"""The installed oracles answer: each accepts a good input and rejects a bad one; the
installer (``tests/oracles/install.py``) installs only what is missing; and a missing oracle
fails in CI and is skipped elsewhere, for the installer and for the tests alike.

If one of these fails, the tests that lean on that oracle prove nothing: fix the install first.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import oracles
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
    monkeypatch.delenv("CI", raising=False)
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


# --- missing oracles: a failure in CI, a skip elsewhere ---------------------------------------


@pytest.mark.parametrize(("value", "ci"), [
    ("true", True), ("TRUE", True), ("1", True), ("yes", True),
    ("", False), ("false", False), ("0", False), (None, False),
])
def test_ci_is_recognized_from_the_ci_variable(value: str | None, ci: bool) -> None:
    assert install.in_ci({} if value is None else {"CI": value}) is ci


#: Each way a test asks for an oracle, with what its message names.
ASKS: dict[str, tuple[Callable[[], object], str]] = {
    "chromium": (oracles.chromium_path, "Chromium"),
    "npm oracle": (lambda: node_module("scorm-again"), "the npm oracle scorm-again"),
    "node": (lambda: node("return 1"), "the npm oracles"),
    "ralph": (ralph_python, "Ralph's venv"),
    "cmi5 xsd": (oracles.cmi5_xsd, "the official cmi5 CourseStructure.xsd"),
}


@pytest.mark.parametrize("name", list(ASKS))
def test_a_missing_oracle_fails_the_test_in_ci_and_skips_it_elsewhere(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ask, what = ASKS[name]
    monkeypatch.setenv("CEFORGE_ORACLES", str(tmp_path / "empty"))
    monkeypatch.setenv("CEFORGE_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"CI \(CI=true\) must have every oracle"
                       ) as failed:
        ask()
    assert what in str(failed.value)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="is missing") as skipped:
        ask()
    assert what in str(skipped.value)


def test_a_cmi5_xsd_that_is_not_the_official_one_fails_even_outside_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("CEFORGE_ORACLES", str(tmp_path))
    (tmp_path / install.CMI5_XSD).parent.mkdir()
    (tmp_path / install.CMI5_XSD).write_text("<xs:schema/>")
    with pytest.raises(pytest.fail.Exception, match="not the official"):
        oracles.cmi5_xsd()


def test_the_installed_cmi5_xsd_is_the_official_one() -> None:
    assert install.sha256(oracles.cmi5_xsd()) == install.CMI5_XSD_SHA256


def test_an_oracle_the_installer_cannot_install_stops_it_in_ci_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    recorder = Recorder()
    monkeypatch.setattr(install, "run", recorder)
    monkeypatch.setattr(install, "is_root", lambda: False)
    monkeypatch.setattr(install.shutil, "which", lambda name: None)
    dest = tmp_path / "oracles"
    attempts: dict[str, Callable[[], None]] = {
        "needs root": lambda: install.install_chromium(tmp_path / "absent"),
        "node and npm not on PATH": install.install_node,
        "npm is not on PATH": lambda: install.install_npm(dest),
        "shared oracles folder": lambda: install.install_cmi5_xsd(dest, tmp_path / "no-shared"),
    }
    monkeypatch.delenv("CI", raising=False)
    for why, attempt in attempts.items():
        attempt()
        assert why in capsys.readouterr().out
    monkeypatch.setenv("CI", "true")
    for why, attempt in attempts.items():
        with pytest.raises(SystemExit, match="CI \\(CI=true\\) must have every oracle") as stop:
            attempt()
        assert why in str(stop.value)
    assert recorder.commands == []


def test_install_asks_apt_for_node_and_npm_as_root(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder()
    monkeypatch.setattr(install, "run", recorder)
    monkeypatch.setattr(install, "is_root", lambda: True)
    monkeypatch.setattr(install.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit, match="installed, yet node and npm not on PATH"):
        install.install_node()
    assert recorder.commands == [
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "--no-install-recommends", "nodejs", "npm"],
    ]


def test_install_copies_the_cmi5_xsd_only_with_the_committed_checksum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    shared = tmp_path / "shared"
    source = shared / install.CMI5_XSD
    source.parent.mkdir(parents=True)
    source.write_bytes(b"<xs:schema/>")
    monkeypatch.setattr(install, "CMI5_XSD_SHA256", hashlib.sha256(b"<xs:schema/>").hexdigest())
    dest = tmp_path / "oracles"
    install.install_cmi5_xsd(dest, shared)
    assert (dest / install.CMI5_XSD).read_bytes() == b"<xs:schema/>"

    (dest / install.CMI5_XSD).write_bytes(b"edited")  # a stale or edited copy is replaced
    install.install_cmi5_xsd(dest, shared)
    assert (dest / install.CMI5_XSD).read_bytes() == b"<xs:schema/>"

    source.write_bytes(b"<xs:schema><!-- changed --></xs:schema>")
    (dest / install.CMI5_XSD).unlink()
    with pytest.raises(SystemExit, match="not the official schema's"):
        install.install_cmi5_xsd(dest, shared)
    assert not (dest / install.CMI5_XSD).exists()
