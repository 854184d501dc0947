"""The post-test's verdict: pass or fail, the one rule, as the learner runtime applies it.

The runtime decides it once, in the browser (``Ceforge.scoring.passes`` in
``runtime/core/scoring.js``), and every adapter reports that decision; ``ceforge statements``
decides it here, with the same arithmetic in the same floating point, so that a simulated
learner is judged as a real one is (``tests/test_verdict.py`` runs both over generated scores
and mastery values). The rule (docs/runtime.md, "The verdict"):

- the score is kept in thousandths, rounded down: ``floor(earned / possible × 1000 + 10⁻⁹)``
  (the slack absorbs floating-point error: points of 0.1 give 6 of 15 as 399.999…);
- the mark is the mastery score (the course's ``passing_score``, or the ``masteryScore`` a
  cmi5 LMS puts in ``LMS.LaunchData``) in thousandths, rounded up:
  ``ceil(mastery × 1000 − 10⁻⁹)``, the least kept score that reaches the mastery score;
- the attempt passes when its kept score reaches the mark.

A ``passing_score`` is in thousandths already (``course.yml`` takes no finer mark), so its mark
is itself. A ``masteryScore`` of 0.6666 gives the mark 667: a learner with 2 of 3 keeps 666,
that is 0.666, below the LMS's 0.6666, and fails on the screen, in the statements and against
the LMS's own comparison of the reported score (cmi5 9.3: a ``passed`` statement's scaled
score is at least the masteryScore, a ``failed`` one's below it).
"""

from __future__ import annotations

import math

SCORE_MAX = 1000  # scores are kept in thousandths (the state string stores them so)
SLACK = 1e-9  # floating-point error absorbed when a score or a mastery score is scaled


def kept_score(earned: float, possible: float) -> int:
    """The score of ``earned`` points out of ``possible``, in thousandths, rounded down (0
    when nothing was possible)."""
    scaled = earned / possible if possible > 0 else 0.0
    return max(0, min(SCORE_MAX, math.floor(scaled * SCORE_MAX + SLACK)))


def mark(mastery: float) -> int:
    """A mastery score (0–1) in thousandths, rounded up: the least kept score reaching it."""
    return max(0, min(SCORE_MAX, math.ceil(mastery * SCORE_MAX - SLACK)))


def passes(kept: int, mastery: float) -> bool:
    """The verdict: whether a score kept in thousandths passes the mastery score."""
    return kept >= mark(mastery)
