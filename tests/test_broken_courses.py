"""The corpus of broken courses: ``fixtures/broken/<fault>/`` holds a course and ``expected.txt``.

``expected.txt`` is written by hand and is the spec: one line per diagnostic that
``ceforge check`` must print, as ``path:line: severity code`` (``path: severity code`` for a
problem with a whole file), optionally followed by ``: text`` that the message must contain.
Lines starting with ``#`` are comments (say what the fault is). The diagnostics printed must be
exactly those listed: no fewer, no more.

Each course is copied to a temporary folder first; faults that git cannot hold portably
(symlinks) are made there by a function of ``SETUP``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ceforge.cli import main
from ceforge.diagnostics import BANK_CODES, COMMAND_CODES, LIBRARY_CODES, Code

BROKEN = Path(__file__).parent / "fixtures" / "broken"
FAULTS = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())

_EXPECTED = re.compile(
    r"^(?P<path>[^:]+?)(?::(?P<line>\d+))?: (?P<severity>error|warning) (?P<code>[a-z.-]+)"
    r"(?:: (?P<text>.+))?$"
)
_PRINTED = re.compile(
    r"^(?P<path>[^:]+?)(?::(?P<line>\d+))?: (?P<severity>error|warning): "
    r"(?P<message>.*) \[(?P<code>[a-z.-]+)\]$"
)


@dataclass(frozen=True, order=True)
class Expected:
    path: str
    line: int
    severity: str
    code: str
    text: str = ""

    def key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line, self.severity, self.code)

    def bare(self) -> Expected:
        return Expected(self.path, self.line, self.severity, self.code)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity} {self.code}" + (f": {self.text}" if self.text else "")


def read_expected(fault: str) -> list[Expected]:
    expected = []
    path = BROKEN / fault / "expected.txt"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = _EXPECTED.match(line)
        assert match, f"{path}:{number}: cannot read {line!r}"
        expected.append(
            Expected(
                match["path"],
                int(match["line"] or 0),
                match["severity"],
                match["code"],
                match["text"] or "",
            )
        )
    return expected


def printed(output: str) -> list[tuple[Expected, str]]:
    """The diagnostics of ``ceforge check`` text output, each with its message."""
    found = []
    for line in output.splitlines():
        match = _PRINTED.match(line)
        assert match, f"not a diagnostic line: {line!r}"
        item = Expected(match["path"], int(match["line"] or 0), match["severity"], match["code"])
        found.append((item, match["message"]))
    return found


def _symlink_outside(target_name: str, link: str) -> Callable[[Path], None]:
    """A setup that links ``link`` (in the course) to a file next to, not in, the course."""

    def setup(course: Path) -> None:
        outside = course.parent / "outside"
        outside.mkdir(exist_ok=True)
        target = outside / target_name
        target.write_text("# Outside\n\nThis file is not part of the course.\n", encoding="utf-8")
        (course / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, course / link)

    return setup


def _files_differing_in_case(*names: str) -> Callable[[Path], None]:
    """A setup that writes files whose names differ only in case (one folder of a
    case-insensitive disk cannot hold them, nor git's checkout on one)."""

    def setup(course: Path) -> None:
        for name in names:
            path = course / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n', encoding="utf-8")

    return setup


SETUP: dict[str, Callable[[Path], None]] = {
    "asset-symlink-outside": _symlink_outside("cycle.svg", "assets/empathy-cycle.svg"),
    "module-symlink-outside": _symlink_outside("shared.md", "modules/02-shared.md"),
    "linked-files-differ-in-case": _files_differing_in_case(
        "assets/Cycle.svg", "assets/cycle.svg"
    ),
}


def run_check(course: Path, *options: str) -> Result:
    result = CliRunner().invoke(main, ["check", *options, str(course)], catch_exceptions=False)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    return result


def broken_course(fault: str, tmp_path: Path) -> Path:
    course = tmp_path / fault
    shutil.copytree(BROKEN / fault, course, ignore=shutil.ignore_patterns("expected.txt"))
    if fault in SETUP:
        SETUP[fault](course)
    return course


@pytest.mark.parametrize("fault", FAULTS)
def test_broken_course(fault: str, tmp_path: Path) -> None:
    expected = read_expected(fault)
    assert expected, "expected.txt lists no diagnostic"
    course = broken_course(fault, tmp_path)

    result = run_check(course)
    found = printed(result.stdout)
    assert sorted(str(f) for f, _ in found) == sorted(str(e.bare()) for e in expected)
    for item in expected:
        if item.text:
            messages = [m for f, m in found if f.key() == item.key()]
            assert any(item.text in m for m in messages), f"{item}: not in {messages}"
    has_errors = any(e.severity == "error" for e in expected)
    assert result.exit_code == (1 if has_errors else 0), result.output

    strict = run_check(course, "--strict")
    assert strict.exit_code == 1
    assert strict.stdout == result.stdout


def test_the_corpus_is_large_enough() -> None:
    assert len(FAULTS) >= 25


def test_every_diagnostic_code_has_a_fixture() -> None:
    covered = {e.code for fault in FAULTS for e in read_expected(fault)}
    missing = sorted(
        code.code
        for code in Code
        if code.code not in covered and code not in LIBRARY_CODES | BANK_CODES | COMMAND_CODES
    )
    assert not missing, f"no broken-course fixture for {missing}"
    unknown = covered - {code.code for code in Code}
    assert not unknown, f"expected.txt names codes that do not exist: {sorted(unknown)}"


def test_expected_severities_match_the_codes() -> None:
    severity = {code.code: str(code.severity) for code in Code}
    for fault in FAULTS:
        for item in read_expected(fault):
            assert severity.get(item.code, item.severity) == item.severity, f"{fault}: {item}"
