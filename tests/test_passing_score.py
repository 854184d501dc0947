"""``passing_score`` goes to a tenth of a percent at most, so that every place that judges a
post-test score judges it alike, and the learner reads the mark the author wrote.

The mark is written into every package and decides pass or fail in several places: the
runtime's verdict (the score kept in thousandths, rounded down, against the mark rounded up to a
thousandth; docs/runtime.md, "The verdict"), which also shows the mark to the learner; the LMS
that reads SCORM 1.2's ``adlcp:masteryscore`` (the runtime writes ``cmi.core.score.raw``) or
SCORM 2004's ``minNormalizedMeasure`` (against ``cmi.score.scaled``); the AU under cmi5's
``masteryScore``, and ``ceforge statements`` (``ceforge.verdict``, the runtime's rule in Python).
A finer mark would be judged alike too, but not shown as written: at ``0.8333`` the learner
would read "You need 83.4%", the mark the verdict applies, not the author's 83.33 %.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ceforge.build import check_course_folder
from ceforge.cli import main
from ceforge.scaffold import new_course
from ceforge.targets.scorm import decimal as scorm_decimal
from ceforge.verdict import kept_score, mark, passes
from ceforge.xapi.cmi5 import decimal as cmi5_decimal

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


def judges(mastery: float, earned: int, possible: int) -> dict[str, bool]:
    """Whether each place passes ``earned`` of ``possible`` under the course's ``mastery``.
    The runtime's verdict is ``ceforge.verdict``'s (tests/test_verdict.py proves them equal)."""
    permille = kept_score(earned, possible)
    return {
        "runtime": passes(permille, mastery),
        # The runtime writes its kept score: raw 0-100 (2 decimals), scaled 0-1 (4 decimals).
        "scorm12 LMS": round(permille / 10, 2) >= float(scorm_decimal(mastery, 100)),
        "scorm2004 LMS": round(permille / 1000, 4) >= float(scorm_decimal(mastery)),
        # The cmi5 AU: the masteryScore of cmi5.xml, and the kept score the statements report.
        "cmi5 AU": passes(permille, float(cmi5_decimal(mastery))),
        "cmi5 LMS": permille / 1000 >= float(cmi5_decimal(mastery)),
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
    errors = [text for text in answer.stdout.splitlines() if ": error: " in text]
    assert errors == [
        f"course.yml:{line}: error: passing_score: {written!r} is finer than test scores, "
        f"which are kept to a tenth of a percent; {advice} [config.passing-score]"
    ]


def test_a_finer_mark_would_be_shown_other_than_written() -> None:
    """What the rule prevents: the example of the module's docstring. The verdict rounds a finer
    mark up, so every place judges 5 of 6 (833) failed against 0.8333, but the learner would
    be told a mark of 83.4 %, not the 83.33 % the author wrote."""
    assert set(judges(0.8333, 5, 6).values()) == {False}
    assert mark(0.8333) == 834 and mark(0.833) == 833
    assert set(judges(0.8125, 13, 16).values()) == {False}  # 812 < 813
