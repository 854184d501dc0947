"""What the commands print, as a user sees it: -q/--quiet and -v/--verbose on every command,
a line per build stage on stderr and a closing line, stdout kept for results, ``build
--strict`` and ``build --format json``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from ceforge.cli import main
from conftest import EXAMPLE
from validate_cases import CASES

FIXTURES = Path(__file__).parent / "fixtures"
XAPI_COURSE = FIXTURES / "xapi" / "course"


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def fixture(name: str, tmp_path: Path) -> Path:
    course = tmp_path / name
    shutil.copytree(FIXTURES / "broken" / name, course, ignore=shutil.ignore_patterns("*.txt"))
    return course


def test_every_command_takes_quiet_and_verbose() -> None:
    assert set(main.commands) >= {"check", "new", "build", "validate", "preview", "statements"}
    for name, command in main.commands.items():
        flags = {opt for param in command.params for opt in param.opts}
        assert {"-q", "--quiet", "-v", "--verbose"} <= flags, name


def test_quiet_and_verbose_exclude_each_other(tmp_path: Path) -> None:
    result = invoke("build", str(EXAMPLE), "-o", str(tmp_path), "-q", "-v")
    assert result.exit_code == 2
    assert "-q/--quiet and -v/--verbose exclude each other" in result.stderr
    assert not any(tmp_path.iterdir())


# --- build ---------------------------------------------------------------------------------------


def test_build_prints_a_line_per_stage_and_a_closing_line(tmp_path: Path) -> None:
    result = invoke("build", str(EXAMPLE), "-t", "web", "-t", "scorm12", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    web = tmp_path / "therapy-foundations-web"
    scorm = tmp_path / "therapy-foundations-1.0.0-scorm12.zip"
    assert result.stdout.splitlines() == [f"wrote {web}", f"wrote {scorm}"]
    lines = result.stderr.splitlines()
    assert lines[:-1] == [
        "reading 9 modules",
        "rendering web",
        f"writing {web}",
        "rendering scorm12",
        f"writing {scorm}",
        f"verifying {scorm}",
    ]
    assert re.fullmatch(r"built 2 packages in \d+\.\d s", lines[-1]), lines[-1]


def test_build_quiet_prints_nothing_and_still_builds(tmp_path: Path) -> None:
    result = invoke("build", str(EXAMPLE), "-t", "scorm12", "-o", str(tmp_path), "-q")
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "")
    assert [p.name for p in tmp_path.iterdir()] == ["therapy-foundations-1.0.0-scorm12.zip"]


def test_build_verbose_adds_timings_and_cache_hits(tmp_path: Path) -> None:
    invoke("build", str(EXAMPLE), "-t", "scorm12", "-o", str(tmp_path / "a"), "-q")
    result = invoke("build", str(EXAMPLE), "-t", "scorm12", "-o", str(tmp_path / "b"), "-v")
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "module cache: 9 of 9 modules unchanged" in err  # the build before filled it
    assert re.search(r"^read the course in \d+\.\d\d s, checked it in \d+\.\d\d s$", err, re.M)
    assert re.search(r"^scorm12: rendered \d+ files in \d+\.\d\d s$", err, re.M)
    assert re.search(r"^scorm12: verified in \d+\.\d\d s$", err, re.M)
    # the verification's own steps
    assert re.search(r"^check imsmanifest\.xml \(SCORM\): \d+\.\d{3} s$", err, re.M)
    assert "module cache: not used" in invoke(
        "build", str(EXAMPLE), "-o", str(tmp_path / "c"), "-v", "--no-cache"
    ).stderr


def test_build_prints_warnings_and_builds_unless_strict(tmp_path: Path) -> None:
    course = fixture("image-without-alt-text", tmp_path)
    out = tmp_path / "out"
    relaxed = invoke("build", str(course), "-o", str(out))
    assert relaxed.exit_code == 0
    warning = "modules/01-empathy.md:5: warning: "
    assert warning in relaxed.stderr and "[asset.no-alt]" in relaxed.stderr
    assert re.search(r"^built 1 package in \d+\.\d s \(1 warning\)$", relaxed.stderr, re.M)
    shutil.rmtree(out)

    strict = invoke("build", str(course), "-o", str(out), "--strict")
    assert strict.exit_code == 1
    assert warning in strict.stderr
    assert strict.stderr.splitlines()[-1] == (
        "build failed: 0 errors, 1 warning (--strict counts warnings as errors)"
    )
    assert strict.stdout == ""
    assert not out.exists()  # nothing written

    quiet = invoke("build", str(course), "-o", str(out), "-q")
    assert quiet.exit_code == 0
    assert (quiet.stdout, quiet.stderr) == ("", "")  # a warning is not an error
    quiet_strict = invoke("build", str(course), "-o", str(tmp_path / "no"), "-q", "--strict")
    assert quiet_strict.exit_code == 1
    assert warning in quiet_strict.stderr  # under --strict the warning is what fails it


def test_build_errors_go_to_stderr_and_nothing_is_written(tmp_path: Path) -> None:
    course = fixture("two-tests", tmp_path)
    out = tmp_path / "out"
    result = invoke("build", str(course), "-o", str(out), "-q")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "[course.multiple-tests]" in result.stderr
    assert result.stderr.splitlines()[-1] == "build failed: 1 error, 0 warnings"
    assert not out.exists()


# --- build --format json -------------------------------------------------------------------------


def test_build_json_describes_what_was_written(tmp_path: Path) -> None:
    result = invoke("build", str(EXAMPLE), "-t", "web", "-t", "scorm12", "-o", str(tmp_path),
                    "--zip", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)  # progress stays on stderr
    assert "rendering web" in result.stderr
    assert set(doc) == {"version", "success", "diagnostics", "errors", "warnings", "packages",
                        "timings", "failure"}
    assert (doc["version"], doc["success"], doc["failure"]) == (1, True, None)
    assert (doc["diagnostics"], doc["errors"], doc["warnings"]) == ([], 0, 0)
    assert [(p["target"], Path(p["path"]).name) for p in doc["packages"]] == [
        ("web", "therapy-foundations-web"),
        ("web", "therapy-foundations-web.zip"),
        ("scorm12", "therapy-foundations-1.0.0-scorm12.zip"),
    ]
    for package in doc["packages"]:
        path = Path(package["path"])
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        assert package["bytes"] == sum(p.stat().st_size for p in files) > 0
    timings = doc["timings"]
    assert list(timings) == ["read", "check", "targets", "commit", "total"]
    assert set(timings["targets"]) == {"web", "scorm12"}
    assert set(timings["targets"]["web"]) == {"render", "write"}
    assert set(timings["targets"]["scorm12"]) == {"render", "write", "verify"}
    stages = [timings["read"], timings["check"], timings["commit"]]
    stages += [s for target in timings["targets"].values() for s in target.values()]
    assert all(isinstance(s, float) and s >= 0 for s in stages)
    assert timings["total"] >= sum(stages) - 0.01


def test_build_json_of_a_failed_build(tmp_path: Path) -> None:
    course = fixture("image-without-alt-text", tmp_path)
    out = tmp_path / "out"
    result = invoke("build", str(course), "-o", str(out), "--strict", "--format", "json", "-q")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert (doc["success"], doc["errors"], doc["warnings"], doc["packages"]) == (
        False, 0, 1, []
    )
    (diagnostic,) = doc["diagnostics"]
    assert diagnostic == {
        "path": "modules/01-empathy.md",
        "line": 5,
        "severity": "warning",
        "code": "asset.no-alt",
        "message": diagnostic["message"],
    }
    assert doc["failure"] is None and set(doc["timings"]) == {"total"}
    assert not out.exists()


def test_build_json_of_an_output_folder_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = invoke("build", str(EXAMPLE), "-o", str(blocker / "out"), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["success"] is False and doc["packages"] == []
    assert doc["failure"].startswith(f"cannot write {blocker}")
    assert result.stderr.splitlines()[-1] == f"build failed: {doc['failure']}"


def test_build_of_an_invalid_package_says_it_is_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceforge.targets.scorm12 import Scorm12Target

    render = Scorm12Target.render
    monkeypatch.setattr(
        Scorm12Target,
        "render",
        lambda self, course, options: [
            f for f in render(self, course, options) if f.path != "ceforge/core/app.js"
        ],
    )
    out = tmp_path / "out"
    result = invoke("build", str(EXAMPLE), "-t", "web", "-t", "scorm12", "-o", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    package = "therapy-foundations-1.0.0-scorm12.zip"
    lines = result.stderr.splitlines()
    failed = lines.index(
        f"build failed: ceforge wrote an invalid package {package} and removed it; this is a "
        "bug in ceforge, please report it with these lines:"
    )
    assert lines[failed + 1].startswith(f"{package}: ") and "[pkg.missing-file]" in lines[-1]
    assert not any(out.iterdir())  # not the web folder either
    doc = json.loads(
        invoke("build", str(EXAMPLE), "-t", "scorm12", "-o", str(out), "--format", "json").stdout
    )
    assert doc["success"] is False and doc["failure"].endswith("[pkg.missing-file]")


# --- check, new, validate, statements ------------------------------------------------------------


def test_check_quiet_prints_only_what_fails(tmp_path: Path) -> None:
    course = fixture("image-without-alt-text", tmp_path)
    quiet = invoke("check", str(course), "-q")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    strict = invoke("check", str(course), "-q", "--strict")
    assert strict.exit_code == 1
    assert strict.stdout.endswith("[asset.no-alt]\n") and strict.stderr == ""
    assert invoke("check", str(course)).stderr.splitlines() == [
        "reading 1 module",
        "0 errors, 1 warning",
    ]


def test_new_quiet_and_verbose(tmp_path: Path) -> None:
    quiet = invoke("new", str(tmp_path / "a"), "-q")
    assert (quiet.exit_code, quiet.output) == (0, "")
    assert (tmp_path / "a" / "course.yml").is_file()
    verbose = invoke("new", str(tmp_path / "b"), "-v")
    assert f"wrote {tmp_path / 'b' / 'course.yml'}" in verbose.stderr
    assert verbose.stderr.splitlines()[-1].startswith(f"created {tmp_path / 'b'} (")


def test_validate_quiet_and_verbose(tmp_path: Path) -> None:
    case = CASES["zip.unreferenced"](tmp_path)  # warnings only
    quiet = invoke("validate", str(case.path), "-q")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    normal = invoke("validate", str(case.path))
    assert "[zip.unreferenced]" in normal.stdout and ": 0 errors" in normal.stderr
    strict = invoke("validate", str(case.path), "-q", "--strict")
    assert strict.exit_code == 1 and strict.stdout == normal.stdout and strict.stderr == ""
    verbose = invoke("validate", str(case.path), "-v")
    assert re.search(r"^read every member once \(CRCs, zip bombs\): \d+\.\d{3} s$",
                     verbose.stderr, re.M)


def test_statements_quiet_keeps_stdout_and_verbose_says_more() -> None:
    args = ["statements", str(XAPI_COURSE), "--learner", "mailto:ana@example.org", "--path",
            "pass", "--seed", "3"]
    normal, quiet, verbose = invoke(*args), invoke(*args, "-q"), invoke(*args, "-v")
    assert normal.stdout == quiet.stdout == verbose.stdout
    assert all(json.loads(line) for line in quiet.stdout.splitlines())
    assert quiet.stderr == ""
    assert re.search(r"^pass: \d+ statements, registration [0-9a-f-]{36}$", verbose.stderr, re.M)


# --- preview's options ---------------------------------------------------------------------------


def test_preview_takes_its_targets_from_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    from ceforge.targets.base import REGISTRY
    from ceforge.targets.registry import available_targets
    from ceforge.targets.web import WebTarget

    class Handouts(WebTarget):
        name = "handouts"
        description = "A third-party target."

    available_targets()  # the built-in targets registered first
    monkeypatch.setitem(REGISTRY, "handouts", Handouts)
    usage = invoke("preview", "--help").stdout
    assert "[cmi5|handouts|scorm12|scorm2004|tincan|web]" in usage
    assert "all" not in usage.split("--target")[1].split("\n")[0]
    wrong = invoke("preview", str(EXAMPLE), "--target", "scorm13", "--no-open")
    assert wrong.exit_code == 2
    assert "unknown target 'scorm13'; choose from: cmi5, handouts, scorm12" in wrong.stderr


def test_preview_and_the_server_share_one_default_port() -> None:
    from ceforge.preview import DEFAULT_PORT, serve

    (port,) = [p for p in main.commands["preview"].params if p.name == "port"]
    assert port.default == DEFAULT_PORT == serve.__kwdefaults__["port"]
    assert isinstance(port, click.Option)


# --- shell completion ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _ceforge_completion ceforge"),
        ("zsh", "compdef _ceforge_completion ceforge"),
        ("fish", "complete --no-files --command ceforge"),
    ],
)
def test_the_completion_script_generates(shell: str, marker: str) -> None:
    """What docs/cli.md tells users to put in their shell's start-up file."""
    result = CliRunner().invoke(
        main, [], prog_name="ceforge", env={"_CEFORGE_COMPLETE": f"{shell}_source"}
    )
    assert result.exit_code == 0
    assert marker in result.stdout


def test_completion_offers_commands_options_and_targets() -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_CEFORGE_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        result = CliRunner().invoke(main, [], prog_name="ceforge", env=env)
        assert result.exit_code == 0
        return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]

    assert complete("ceforge b") == ["build"]
    assert complete("ceforge build course -t sc") == ["scorm12", "scorm2004"]
    assert complete("ceforge build course -t a") == ["all"]
    assert complete("ceforge preview course --target a") == []
    assert "--verbose" in complete("ceforge check course --")
