"""The completion rules in effect: ``course.yml``'s ``completion:`` with every default decided
from what the course holds (a test makes ``test: pass`` the default, and so on).

The runtime reads them from the course data, ``ceforge.checks`` checks that they can be met,
and the About page of a CE course tells the learner what they ask (``ceforge.cepages``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ceforge.config import Completion
from ceforge.model import BlockKind, Course


@dataclass(frozen=True)
class EffectiveCompletion:
    """The completion rules with every default decided from the course's content."""

    pages: bool
    test: str
    evaluation: bool
    attestation: bool
    min_minutes: float


def effective_completion(course: Course) -> EffectiveCompletion:
    rules: Completion = course.config.completion
    has_test = course.test is not None
    return EffectiveCompletion(
        pages=rules.pages == "all",
        test=rules.test or ("pass" if has_test else "none"),
        evaluation=bool(course.blocks_of(BlockKind.SURVEY))
        if rules.evaluation is None
        else rules.evaluation,
        attestation=bool(course.blocks_of(BlockKind.ATTESTATION))
        if rules.attestation is None
        else rules.attestation,
        min_minutes=rules.min_minutes,
    )
