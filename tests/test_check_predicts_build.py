"""``ceforge check --strict -t T`` passing means ``ceforge build --strict -t T`` passes: for every
fixture course and every target, both commands are run as a user would, with --format json, and
must agree on the exit status and on every diagnostic (path, line, code)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ceforge.cli import main
from ceforge.targets.registry import available_targets
from conftest import EXAMPLE
from test_broken_courses import FAULTS, broken_course

FIXTURES = Path(__file__).parent / "fixtures"
#: Every fixture that is a course folder, by a name for the test id.
OTHERS = sorted(p.parent for p in FIXTURES.glob("*/*/course.yml") if "broken" not in p.parts)
COURSES = {
    **{f"broken/{fault}": FIXTURES / "broken" / fault for fault in FAULTS},
    **{str(course.relative_to(FIXTURES)): course for course in OTHERS},
    "examples/therapy-foundations": EXAMPLE,
}
TARGETS = list(available_targets())


def run(*args: str) -> tuple[int, list[tuple[str, int, str]]]:
    result = CliRunner().invoke(main, [*args, "--strict", "--format", "json", "-q"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    doc = json.loads(result.stdout)
    return result.exit_code, [(d["path"], d["line"], d["code"]) for d in doc["diagnostics"]]


def test_the_corpus_holds_clean_courses_and_the_codes_only_targets_report() -> None:
    assert {"web/every-type", "xapi/course", "examples/therapy-foundations"} <= set(COURSES)
    assert {"broken/state-too-large-for-scorm12", "broken/credentials-in-a-link"} <= set(COURSES)


@pytest.mark.parametrize("name", list(COURSES))
def test_check_strict_predicts_build_strict(name: str, tmp_path: Path) -> None:
    if name.startswith("broken/"):
        course = broken_course(name.removeprefix("broken/"), tmp_path)
    else:
        course = tmp_path / "course"
        shutil.copytree(COURSES[name], course)
    for target in TARGETS:
        out = tmp_path / f"out-{target}"
        checked, check_codes = run("check", str(course), "-t", target)
        built, build_codes = run("build", str(course), "-t", target, "-o", str(out))
        assert check_codes == build_codes, target
        assert checked == built, target
        if built:
            assert not out.exists() or not any(out.iterdir()), target  # nothing written
        else:
            assert any(out.iterdir()), target
