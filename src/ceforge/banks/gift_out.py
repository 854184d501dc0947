"""Questions -> GIFT, Moodle's plain-text question format.

The same mapping as Moodle XML where GIFT can say it: a choice is ``{=right ~wrong}``, a
multiple-choice question gives the right options equal shares and the wrong ones ``%-100%``,
true-false ``{TRUE#feedback if wrong#feedback if right}``, fill-in ``{=a =b}``, numeric
``{#42}`` or ``{#40..45}``, matching ``{=left -> right}``, an essay ``{}``. Texts are HTML
(``[html]``), with GIFT's special characters escaped. GIFT has no sequencing question, no
question without a right answer, no files and no marks: those questions are left out, and the
pictures and marks of the others reported (``bank.left-out``, ``bank.changed``).
"""

from __future__ import annotations

import re

from ceforge.banks.common import (
    Item,
    accepted_answers,
    category_names,
    changed,
    decimal_text,
    left_out,
    local_files,
    moodle_share,
    question_html,
)
from ceforge.diagnostics import Reporter
from ceforge.model import Course, Question, QuestionType

FORMAT = "GIFT"
_SPECIAL = re.compile(r"([\\~=#{}:])")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\balt=(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"""<a\b[^>]*\bhref=(["'])(.*?)\1[^>]*>(.*?)</a>""", re.IGNORECASE | re.DOTALL)


def escape(text: str) -> str:
    r"""GIFT text: ``\ ~ = # { } :`` escaped with a backslash, line breaks as ``\n``."""
    return _SPECIAL.sub(r"\\\1", text).replace("\r\n", "\n").replace("\n", "\\n")


def gift(course: Course, items: list[Item], reporter: Reporter) -> bytes:
    """The GIFT text of ``items``, one ``$CATEGORY`` per module."""
    parts: list[str] = []
    category: list[str] | None = None
    for item in items:
        text = _question(course, item, reporter)
        if text is None:
            continue
        names = category_names(course, item.module)
        if names != category:
            path = "$course$/top/" + "/".join(n.replace("/", "//") for n in names)
            parts.append(f"$CATEGORY: {path}\n")
            category = names
        parts.append(text)
    return "\n".join(parts).encode("utf-8")


def _question(course: Course, item: Item, reporter: Reporter) -> str | None:
    question = item.question
    writer = WRITERS.get(question.type)
    if writer is None:
        why = {
            QuestionType.SEQUENCING: "GIFT has no sequencing question (Moodle's ordering "
            "plugin adds one that other GIFT readers do not know); use Moodle XML or QTI",
            QuestionType.LIKERT: "GIFT has no question without a right answer; use Moodle "
            "XML or QTI",
        }[question.type]
        left_out(reporter, question, FORMAT, why)
        return None
    html = _Html(course, question, reporter)
    answers = writer(question, html, reporter)
    if answers is None:
        return None
    if question.points != 1 and question.type.gradable:
        changed(reporter, question, FORMAT, f"GIFT holds no marks: it is worth 1 mark in "
                f"Moodle, not {decimal_text(question.points)}")
    general = f"\n####{html(question.feedback_html)}" if question.feedback_html else ""
    lines = [
        f"// [id:{question.id}]",
        f"::{escape(question.prompt_text)}::[html]{html(question_html(question))}{{",
        *answers,
    ]
    return "\n".join(lines) + general + "\n}\n"


class _Html:
    """Question HTML for GIFT: escaped, with the course's pictures replaced by their alt text
    and links to its files by their text (GIFT carries no files), each change reported once."""

    def __init__(self, course: Course, question: Question, reporter: Reporter) -> None:
        self.course = course
        self.question = question
        self.reporter = reporter
        self.reported: set[str] = set()

    def __call__(self, html: str) -> str:
        for path in local_files(html, self.course):
            if path not in self.reported:
                self.reported.add(path)
                changed(self.reporter, self.question, FORMAT, f"GIFT holds no files: {path} "
                        "is replaced by its description (import the Moodle XML to keep it)")
        html = _IMG.sub(self._image, html)
        html = _LINK.sub(self._link, html)
        return escape(html)

    def _image(self, match: re.Match[str]) -> str:
        tag = match.group(0)
        if not local_files(tag, self.course):
            return tag
        alt = _ALT.search(tag)
        return f"[{alt.group(2)}]" if alt else ""

    def _link(self, match: re.Match[str]) -> str:
        return match.group(3) if local_files(match.group(0), self.course) else match.group(0)


Answers = list[str]


def _feedback(html: _Html, feedback: str) -> str:
    return f"#{html(feedback)}" if feedback else ""


def _choice(question: Question, html: _Html, r: Reporter) -> Answers | None:
    return [
        f"{'=' if c.correct else '~'}{html(c.html)}{_feedback(html, c.feedback_html)}"
        for c in question.choices
    ]


def _multiple(question: Question, html: _Html, r: Reporter) -> Answers | None:
    right = sum(c.correct for c in question.choices)
    share = moodle_share(right)
    if share is None:
        left_out(r, question, FORMAT, f"{right} right options: Moodle cannot give each the "
                 "same share of the marks")
        return None
    changed(r, question, FORMAT, "Moodle gives part marks when only some of the right options "
            "are chosen (and none is wrong); ceforge gives none")
    return [
        f"~%{share if c.correct else '-100'}%{html(c.html)}{_feedback(html, c.feedback_html)}"
        for c in question.choices
    ]


def _true_false(question: Question, html: _Html, r: Reporter) -> Answers | None:
    right = next(c for c in question.choices if c.correct)
    wrong = next(c for c in question.choices if not c.correct)
    word = "TRUE" if right.id == "true" else "FALSE"
    feedback = ""
    if wrong.feedback_html or right.feedback_html:
        feedback = f"#{html(wrong.feedback_html)}#{html(right.feedback_html)}"
    return [word + feedback]


def _fill_in(question: Question, html: _Html, r: Reporter) -> Answers | None:
    if any("->" in answer for answer in question.answers):
        # Moodle's GIFT reader takes any '=' answer holding '->' for a matching pair, and GIFT
        # has no escape for it.
        left_out(r, question, FORMAT, "an accepted answer holds '->', which GIFT reads as a "
                 "matching pair")
        return None
    return [
        f"={escape(answer.replace('*', chr(92) + '*'))}" for answer in accepted_answers(question)
    ]


def _numeric(question: Question, html: _Html, r: Reporter) -> Answers | None:
    numeric = question.numeric
    assert numeric is not None
    if numeric.low == numeric.high:
        return [f"#{decimal_text(numeric.low)}"]
    return [f"#{decimal_text(numeric.low)}..{decimal_text(numeric.high)}"]


def _matching(question: Question, html: _Html, r: Reporter) -> Answers | None:
    changed(r, question, FORMAT, "Moodle gives a share of the marks for each pair matched "
            "right; ceforge gives marks only when every pair is")
    return [
        f"={html(pair.source.html)} -> {escape(pair.target.text)}" for pair in question.pairs
    ]


def _essay(question: Question, html: _Html, r: Reporter) -> Answers | None:
    return []


WRITERS = {
    QuestionType.CHOICE: _choice,
    QuestionType.MULTIPLE_CHOICE: _multiple,
    QuestionType.TRUE_FALSE: _true_false,
    QuestionType.FILL_IN: _fill_in,
    QuestionType.NUMERIC: _numeric,
    QuestionType.MATCHING: _matching,
    QuestionType.ESSAY: _essay,
}
