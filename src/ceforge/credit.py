"""Study time: what each module takes, to weigh the CE hours a course claims.

Boards ask a home-study provider how the credit was calculated (NBCC's ACEP home-study form:
"explanation of the credit calculation, including word count"). A module's ``minutes`` is the
author's own figure; without it ceforge estimates one from what the module holds, with the
assumptions below, and says so wherever it uses the estimate (``ceforge check``'s
``ce.hours-mismatch``).

The estimate counts the words a learner reads (page text, block introductions), the
questions they answer (every question of a knowledge check or survey; of the post-test, the
questions one attempt draws) and the running time of each ``::: video`` and ``::: audio`` (read
from the file's headers by ``ceforge.mediafiles``). A media file whose running time cannot be
read (a web address, a missing file, a format whose headers do not tell it) is listed as such
wherever the estimate is shown, never counted as 0 without a word. Time spent on handouts is
not estimated: a module with handouts states its ``minutes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from ceforge.mediafiles import duration_of
from ceforge.model import Block, BlockKind, Course, Module, ModuleKind

#: Reading speed of the estimate: a careful reading of professional text.
WORDS_PER_MINUTE = 150
#: Time to read and answer one question.
MINUTES_PER_QUESTION = 1.0

_TAG = re.compile(r"<[^>]*>")


def words_of(html: str) -> int:
    """The words of a piece of rendered HTML, as a reader sees them."""
    return len(unescape(_TAG.sub(" ", html)).split())


@dataclass(frozen=True)
class MediaTime:
    """A video or audio of a module and its running time (``seconds``), or why that cannot be
    read (``unread``: then ``seconds`` is None and the estimate leaves it out)."""

    block: Block
    src: str  #: course-relative path, or the web address
    seconds: float | None
    unread: str = ""

    @property
    def kind(self) -> str:
        return str(self.block.kind)


@dataclass(frozen=True)
class ModuleTime:
    """One module's study time: the author's ``minutes`` and the estimate."""

    module: Module
    words: int
    questions: int
    media: tuple[MediaTime, ...] = ()

    @property
    def stated(self) -> int | None:
        return self.module.minutes

    @property
    def media_seconds(self) -> float:
        """The running time of the module's media whose length could be read."""
        return sum(m.seconds for m in self.media if m.seconds is not None)

    @property
    def unread_media(self) -> list[MediaTime]:
        """The media whose running time could not be read (not in the estimate)."""
        return [m for m in self.media if m.seconds is None]

    @property
    def estimate(self) -> float:
        return (self.words / WORDS_PER_MINUTE + self.questions * MINUTES_PER_QUESTION
                + self.media_seconds / 60)

    @property
    def minutes(self) -> float:
        """What counts: the stated minutes, else the estimate."""
        return self.estimate if self.stated is None else self.stated


def media_time(block: Block, root: Path) -> MediaTime:
    """The running time of a ``::: video`` or ``::: audio`` block's file."""
    media = block.media
    assert media is not None
    if media.remote:
        return MediaTime(block, media.src, None, "a web address: its running time is not read")
    path = root / media.src
    if not path.is_file():
        return MediaTime(block, media.src, None, "the file is missing")
    seconds = duration_of(path)
    if seconds is None:
        return MediaTime(block, media.src, None,
                         "its running time cannot be read from the file's headers")
    return MediaTime(block, media.src, seconds)


def module_time(module: Module, root: Path) -> ModuleTime:
    """The study time of ``module``; ``root`` is the course folder its media are read from."""
    words = 0
    questions = 0
    media = []
    for page in module.pages:
        words += words_of(page.html)
        for block in page.blocks:
            words += words_of(block.intro_html)
            drawn = len(block.questions)
            if block.kind is BlockKind.TEST and block.draw is not None:
                drawn = min(block.draw, drawn)
            questions += drawn
            if block.kind.is_media and block.media is not None:
                media.append(media_time(block, root))
    return ModuleTime(module, words, questions, tuple(media))


def course_time(course: Course) -> list[ModuleTime]:
    """The study time of every content module (the About and References pages excepted)."""
    root = Path(course.root)
    return [module_time(m, root) for m in course.modules if m.kind is ModuleKind.CONTENT]


def assumptions() -> str:
    """The estimate's assumptions, in words, for messages and the provider's documents."""
    return (
        f"{WORDS_PER_MINUTE} words a minute, {MINUTES_PER_QUESTION:g} minute a question, "
        "audio and video at their running time"
    )


def unread_note(times: list[ModuleTime]) -> str:
    """What the estimate of ``times`` leaves out because it cannot be read ("" when nothing):
    each media file whose running time is unknown, by module."""
    unread = [(t.module.id, m) for t in times for m in t.unread_media]
    if not unread:
        return ""
    items = "; ".join(f"{m.kind} {m.src} of {module} ({m.unread})" for module, m in unread)
    return f"not counted, running time unknown: {items}"
