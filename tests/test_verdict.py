"""One verdict: the runtime (JavaScript, in node) and ``ceforge statements`` (Python) pass and fail
the same post-test scores against the same mastery scores.

The runtime's core decides pass or fail once (``Ceforge.scoring.passes``) and every adapter
reports that decision; ``ceforge.verdict`` is the same rule for the Python statement builder.
Hypothesis generates post-tests (the points of each question, which were right) and mastery
scores: a course's ``passing_score`` (thousandths), a cmi5 LMS's ``masteryScore`` with four
decimals, any number from 0 to 1, and marks just around the score itself. The core scores each
attempt as the browser does (``Ceforge.scoring.score``), many attempts per node process.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from ceforge.verdict import SCORE_MAX, kept_score, mark, passes
from runtime_node import in_node

#: Scores the core and an LMS judge: what each attempt is worth and whether it passes.
JUDGE = """
return input.map(([points, right, mastery]) => {
  const questions = points.map((p, i) => ({id: "q" + i, type: "true-false", points: p,
    choices: [{id: "true", correct: true}, {id: "false", correct: false}]}));
  const responses = {};
  questions.forEach((q, i) => { responses[q.id] = right[i] ? "true" : "false"; });
  const score = Ceforge.scoring.score(questions, responses);
  return [score.raw, score.max, score.permille, Ceforge.scoring.toMark(mastery),
          Ceforge.scoring.passes(score.permille, mastery)];
});
"""

POINTS = st.one_of(
    st.integers(1, 10),
    st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.5, 1.5, 2.5, 0.75]),
    st.floats(0.01, 1000, allow_nan=False, allow_infinity=False),
)


@st.composite
def attempts(draw: st.DrawFn) -> list[Any]:
    """A post-test attempt (points, right or not) and a mastery score to judge it against."""
    questions = draw(st.lists(st.tuples(POINTS, st.booleans()), min_size=1, max_size=20))
    points = [p for p, _ in questions]
    right = [r for _, r in questions]
    ratio = sum(p for p, r in questions if r) / sum(points)
    mastery = draw(st.one_of(
        st.integers(0, 1000).map(lambda n: n / 1000),  # a passing_score of course.yml
        st.integers(0, 10000).map(lambda n: n / 10000),  # a masteryScore of four decimals
        st.floats(0, 1, allow_nan=False),
        # masteries at the score itself: the cases where rounding decides
        st.sampled_from([math.floor(ratio * 10000) / 10000, math.ceil(ratio * 10000) / 10000,
                         round(ratio, 3), round(ratio, 4), min(1.0, ratio)]),
    ))
    return [points, right, mastery]


def python_verdict(points: list[float], right: list[bool], mastery: float) -> list[Any]:
    """What ``ceforge statements`` decides: the same sums, the same rule."""
    earned = sum(p for p, r in zip(points, right, strict=True) if r)
    possible = sum(points)
    kept = kept_score(earned, possible)
    return [earned, possible, kept, mark(mastery), passes(kept, mastery)]


# No shrinking: a failure names its own case, and each shrinking step would cost a node run.
@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.lists(attempts(), min_size=50, max_size=100))
def test_the_runtime_and_the_statements_judge_every_score_alike(cases: list[list[Any]]) -> None:
    got = in_node(JUDGE, cases)
    for case, js in zip(cases, got, strict=True):
        assert js == python_verdict(*case), case


@settings(max_examples=200, deadline=None)
@given(attempts())
def test_the_reported_score_agrees_with_the_verdict_against_the_lms_mastery_score(
    case: list[Any],
) -> None:
    """cmi5 9.3: ``passed`` carries a scaled score at least the masteryScore, ``failed`` one
    below it. The statements report the kept score, so the LMS's own comparison (its
    masteryScore as it wrote it, four decimals at most) agrees with the verdict."""
    points, right, mastery = case
    written = round(mastery, 4)
    _, _, kept, _, passed = python_verdict(points, right, written)
    assert (kept / SCORE_MAX >= written) == passed, (points, right, written)


def test_a_passing_score_of_course_yml_is_its_own_mark() -> None:
    """Every mark ``course.yml`` takes (a tenth of a percent) judges as it always did: the
    course's mark in thousandths, exactly, on both sides."""
    marks = [n / 1000 for n in range(SCORE_MAX + 1)]
    js = in_node("return input.map((m) => Ceforge.scoring.toMark(m));", marks)
    assert js == [mark(m) for m in marks] == list(range(SCORE_MAX + 1))


#: (mastery, points, which were right, passed): the cases the two places used to judge apart.
FOUR_DECIMALS = [
    # 2 of 3 is kept as 666 (0.666): below 0.6666, so it fails everywhere. The runtime used to
    # round the mark to 667 for the screen while the statements compared 0.6666 >= 0.6666.
    (0.6666, [1, 1, 1], [True, True, False], False),
    # 5 of 6 is kept as 833 (0.833): below 0.8334. The screen used to say passed (mark 833).
    (0.8334, [1] * 6, [True] * 5 + [False], False),
    (0.6660, [1, 1, 1], [True, True, False], True),
    (0.8330, [1] * 6, [True] * 5 + [False], True),
    (0.0001, [1, 1], [False, False], False),
    (0.0, [1, 1], [False, False], True),
    (1.0, [0.1] * 10, [True] * 10, True),
]


def test_four_decimal_mastery_scores() -> None:
    got = in_node(JUDGE, [[points, right, mastery] for mastery, points, right, _ in FOUR_DECIMALS])
    for (mastery, points, right, passed), js in zip(FOUR_DECIMALS, got, strict=True):
        assert js == python_verdict(points, right, mastery), mastery
        assert js[-1] is passed, mastery
