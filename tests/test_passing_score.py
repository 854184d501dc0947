"""``passing_score`` goes to a tenth of a percent at most, so that every place that judges a
post-test score judges it alike.

The mark is written into every package and decides pass or fail in several places: the
runtime (thousandths, rounded down, against ``round(passing_score × 1000)``; docs/runtime.md),
which also shows it to the learner; the LMS that reads SCORM 1.2's ``adlcp:masteryscore`` (the
runtime writes ``cmi.core.score.raw``) or SCORM 2004's ``minNormalizedMeasure`` (against
``cmi.score.scaled``); the AU under cmi5's ``masteryScore``, and ``ceforge statements``' Recorder
(``ceforge.xapi.statements.passes``). With a finer mark they disagree: at ``0.8333`` a learner
with 5 of 6 passes in the course (833 ≥ 833) and fails in the LMS (83.3 < 83.33); at
``0.8125`` one with 13 of 16 fails in the course (812 < 813) and passes in the statements.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ceforge.build import check_course_folder
from ceforge.cli import main
from ceforge.scaffold import new_course
from ceforge.targets.scorm import decimal as scorm_decimal
from ceforge.xapi.cmi5 import decimal as cmi5_decimal
from ceforge.xapi.statements import passes

#: Passing scores as authors write them: those ceforge takes, and finer ones it refuses.
TAKEN = ["80%", 0.8, "83.3%", 0.833, "66.7%", 0.667, "57%", "0.7%", "12.50%", 0.001, 1, 0, "100%"]
FINER = {
    0.8333: "write 0.833 or 0.834",
    "83.33%": "write '83.3%' or '83.4%'",
    0.66667: "write 0.666 or 0.667",
    0.8125: "write 0.812 or 0.813",
    "99.95%": "write '99.9%' or '100%'",
}
#: Every score a post-test of up to 30 one-point questions can give.
SCORES = [(earned, possible) for possible in range(1, 31) for earned in range(possible + 1)]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("passing") / "course"
    new_course(root, "Passing Course")
    return root


def with_passing_score(course: Path, written: Any) -> None:
    yml = course / "course.yml"
    lines = yml.read_text(encoding="utf-8").splitlines()
    value = f"'{written}'" if isinstance(written, str) else repr(written)
    lines = [f"passing_score: {value}" if ln.startswith("passing_score:") else ln for ln in lines]
    yml.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_passing_score(course: Path, written: Any) -> float:
    with_passing_score(course, written)
    result = check_course_folder(course)
    assert result.course is not None and not result.errors, [str(d) for d in result.errors]
    return result.course.config.passing_score


# --- who judges a score, each as it does ---------------------------------------------------------


def kept(earned: int, possible: int) -> int:
    """The runtime's score in thousandths, rounded down (docs/runtime.md)."""
    return math.floor(earned / possible * 1000 + 1e-9)


def judges(mastery: float, earned: int, possible: int) -> dict[str, bool]:
    """Whether each place passes ``earned`` of ``possible`` under the course's ``mastery``."""
    permille = kept(earned, possible)
    return {
        "runtime": permille >= math.floor(mastery * 1000 + 0.5),  # JavaScript's Math.round
        # The runtime writes its kept score: raw 0-100 (2 decimals), scaled 0-1 (4 decimals).
        "scorm12 LMS": round(permille / 10, 2) >= float(scorm_decimal(mastery, 100)),
        "scorm2004 LMS": round(permille / 1000, 4) >= float(scorm_decimal(mastery)),
        "cmi5 AU": passes(earned, possible, float(cmi5_decimal(mastery))),
        "statements": passes(earned, possible, mastery),
    }


# --- the tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("written", TAKEN + list(FINER), ids=str)
def test_every_passing_score_ceforge_takes_is_judged_alike_everywhere(
    course: Path, written: Any
) -> None:
    with_passing_score(course, written)
    result = check_course_folder(course)
    assert result.course is not None
    if result.errors:  # refused: nothing is built with it
        return
    mastery = result.course.config.passing_score
    for earned, possible in SCORES:
        verdicts = judges(mastery, earned, possible)
        assert len(set(verdicts.values())) == 1, (written, earned, possible, verdicts)
    # The learner reads the mark as the runtime holds it (a tenth of a percent at most).
    assert Fraction(round(mastery * 1000), 1000) == Fraction(str(mastery))


@pytest.mark.parametrize("written", TAKEN, ids=str)
def test_a_passing_score_in_thousandths_is_taken_as_written(course: Path, written: Any) -> None:
    mastery = read_passing_score(course, written)
    text = str(written)
    exact = Fraction(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    assert mastery == float(exact)  # 0.7% is 0.007, not 0.7 / 100 = 0.006999…
    assert repr(mastery) == repr(round(mastery, 3))


@pytest.mark.parametrize(("written", "advice"), list(FINER.items()), ids=str)
def test_a_finer_passing_score_is_refused_with_the_nearest_marks(
    course: Path, written: Any, advice: str
) -> None:
    with_passing_score(course, written)
    answer = CliRunner().invoke(main, ["check", str(course)])
    assert answer.exit_code == 1
    line = next(n for n, text in enumerate(
        (course / "course.yml").read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("passing_score:"))
    assert answer.stdout == (
        f"course.yml:{line}: error: passing_score: {written!r} is finer than test scores, "
        f"which are kept to a tenth of a percent; {advice} [config.passing-score]\n"
    )


def test_the_finer_marks_would_be_judged_apart() -> None:
    """What the rule prevents: the two examples of the module's docstring."""
    assert set(judges(0.8333, 5, 6).values()) == {True, False}
    assert judges(0.8333, 5, 6)["runtime"] and not judges(0.8333, 5, 6)["scorm2004 LMS"]
    assert not judges(0.8125, 13, 16)["runtime"] and judges(0.8125, 13, 16)["statements"]
