"""Study time: what each module takes, to weigh the CE hours a course claims.

Boards ask a home-study provider how the credit was calculated (NBCC's ACEP home-study form:
"explanation of the credit calculation, including word count"). A module's ``minutes`` is the
author's own figure; without it ceforge estimates one from what the module holds, with the
assumptions below, and says so wherever it uses the estimate (``ceforge check``'s
``ce.hours-mismatch``).

The estimate counts the words a learner reads (page text, block introductions) and the
questions they answer (every question of a knowledge check or survey; of the post-test, the
questions one attempt draws). It knows nothing of audio or video running time, nor of time
spent on handouts: a module with media needs its ``minutes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from ceforge.model import BlockKind, Course, Module, ModuleKind

#: Reading speed of the estimate: a careful reading of professional text.
WORDS_PER_MINUTE = 150
#: Time to read and answer one question.
MINUTES_PER_QUESTION = 1.0

_TAG = re.compile(r"<[^>]*>")


def words_of(html: str) -> int:
    """The words of a piece of rendered HTML, as a reader sees them."""
    return len(unescape(_TAG.sub(" ", html)).split())


@dataclass(frozen=True)
class ModuleTime:
    """One module's study time: the author's ``minutes`` and the estimate."""

    module: Module
    words: int
    questions: int

    @property
    def stated(self) -> int | None:
        return self.module.minutes

    @property
    def estimate(self) -> float:
        return self.words / WORDS_PER_MINUTE + self.questions * MINUTES_PER_QUESTION

    @property
    def minutes(self) -> float:
        """What counts: the stated minutes, else the estimate."""
        return self.estimate if self.stated is None else self.stated


def module_time(module: Module) -> ModuleTime:
    words = 0
    questions = 0
    for page in module.pages:
        words += words_of(page.html)
        for block in page.blocks:
            words += words_of(block.intro_html)
            drawn = len(block.questions)
            if block.kind is BlockKind.TEST and block.draw is not None:
                drawn = min(block.draw, drawn)
            questions += drawn
    return ModuleTime(module, words, questions)


def course_time(course: Course) -> list[ModuleTime]:
    """The study time of every content module (the About and References pages excepted)."""
    return [module_time(m) for m in course.modules if m.kind is ModuleKind.CONTENT]


def assumptions() -> str:
    """The estimate's assumptions, in words, for messages and the provider's documents."""
    return (
        f"{WORDS_PER_MINUTE} words a minute and {MINUTES_PER_QUESTION:g} minute a question; "
        "audio and video not counted"
    )
