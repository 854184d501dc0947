"""What every bank format shares: which questions go, where they stand, the files they show,
and the report of what a format cannot hold."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal
from html import unescape
from pathlib import Path

from ceforge.answers import keyboard_form
from ceforge.diagnostics import Code, Reporter
from ceforge.model import Block, BlockKind, Course, Module, Question, QuestionType


class Which(enum.StrEnum):
    """Which questions an export takes: the post-test, the knowledge checks, or every block
    with questions (surveys too)."""

    TEST = "test"
    QUIZZES = "quizzes"
    ALL = "all"


class Format(enum.StrEnum):
    MOODLE_XML = "moodle-xml"
    GIFT = "gift"
    QTI21 = "qti21"


KINDS: dict[Which, tuple[BlockKind, ...]] = {
    Which.TEST: (BlockKind.TEST,),
    Which.QUIZZES: (BlockKind.QUIZ,),
    Which.ALL: (BlockKind.TEST, BlockKind.QUIZ, BlockKind.SURVEY),
}


@dataclass(frozen=True)
class Item:
    """A question to export, with the module and block it stands in."""

    module: Module
    block: Block
    question: Question


def select(course: Course, which: Which) -> list[Item]:
    """The questions of ``which`` blocks, in course order."""
    kinds = KINDS[which]
    return [
        Item(module, block, question)
        for module in course.modules
        for block in module.blocks
        if block.kind in kinds
        for question in block.questions
    ]


def category_names(course: Course, module: Module) -> list[str]:
    """The category of a module's questions: the course title, then the module title."""
    return [course.config.title, module.title]


# --- files the questions show or link to -------------------------------------------------------

_URL_ATTR = re.compile(r"""(\b(?:src|href)=)(["'])(.*?)\2""", re.IGNORECASE)


def local_files(html: str, course: Course) -> list[str]:
    """The course files (course-relative paths) that ``html`` shows or links to, in order."""
    found: list[str] = []
    for match in _URL_ATTR.finditer(html):
        path = unescape(match.group(3)).partition("#")[0]
        if path in course.assets and path not in found:
            found.append(path)
    return found


def rewrite_files(html: str, course: Course, new_url: dict[str, str]) -> str:
    """``html`` with each link to a course file pointed at ``new_url[path]``."""

    def swap(match: re.Match[str]) -> str:
        path, hash_, fragment = unescape(match.group(3)).partition("#")
        if path not in course.assets or path not in new_url:
            return match.group(0)
        url = new_url[path] + hash_ + fragment
        return f"{match.group(1)}{match.group(2)}{url}{match.group(2)}"

    return _URL_ATTR.sub(swap, html)


def read_asset(course: Course, path: str) -> bytes:
    return (Path(course.root) / path).read_bytes()


def question_html(question: Question) -> str:
    """The prompt as a paragraph, then the stem: the question text of other formats."""
    return f"<p>{question.prompt_html}</p>" + (
        f"\n{question.stem_html}" if question.stem_html else ""
    )


def all_html(question: Question) -> list[str]:
    """Every piece of HTML a question holds."""
    parts = [question.prompt_html, question.stem_html, question.feedback_html]
    for choice in question.choices:
        parts += [choice.html, choice.feedback_html]
    return parts


#: Characters XML 1.0 cannot hold (control characters but tab, line feed, carriage return).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def accepted_answers(question: Question) -> list[str]:
    """A fill-in's accepted answers as an LMS quiz needs them: each as written, followed by its
    keyboard form when that differs (ceforge's runtime compares both sides by the answer rule
    of ``ceforge.answers``; Moodle and QTI compare what the learner typed with each answer)."""
    found: list[str] = []
    for answer in question.answers:
        found.extend((answer, keyboard_form(answer)))
    return list(dict.fromkeys(found))


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML document cannot hold."""
    return _NOT_XML.sub("", text)


# --- numbers ------------------------------------------------------------------------------------


def decimal_text(value: Decimal | float) -> str:
    """A number written plainly, without exponent or trailing zeros (``3.6``, ``-2``, ``0.05``)."""
    number = Decimal(repr(value)) if isinstance(value, float) else value
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def midpoint(low: float, high: float) -> tuple[Decimal, Decimal]:
    """The centre and half-width of ``low..high``, in decimal: 40..45 is 42.5 ± 2.5."""
    lo, hi = Decimal(repr(low)), Decimal(repr(high))
    return (lo + hi) / 2, (hi - lo) / 2


# --- the report ----------------------------------------------------------------------------------


def left_out(reporter: Reporter, question: Question, fmt: str, why: str) -> None:
    reporter.report(
        question.loc, Code.BANK_LEFT_OUT, f"question {question.id!r} is left out of {fmt}: {why}"
    )


def changed(reporter: Reporter, question: Question, fmt: str, what: str) -> None:
    reporter.report(question.loc, Code.BANK_CHANGED, f"question {question.id!r} in {fmt}: {what}")


#: Mark shares Moodle accepts for an answer (question_bank::fraction_options_full), in percent.
MOODLE_FRACTIONS = (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
    "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5",
)


def moodle_share(count: int) -> str | None:
    """The listed Moodle percentage nearest to 100/count, or None when none is close enough
    (Moodle's import refuses grades off its list)."""
    exact = Decimal(100) / count
    for share in MOODLE_FRACTIONS:
        if abs(Decimal(share) - exact) < Decimal("0.001"):
            return share
    return None


GRADED_TYPES = frozenset(t for t in QuestionType if t.gradable)
