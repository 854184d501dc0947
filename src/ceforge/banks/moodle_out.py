"""Questions -> Moodle XML, the format of Moodle's question import (``qformat_xml``).

Each question type becomes the Moodle type that scores it alike: choice and multiple-choice
``multichoice`` (the right options share 100 %, each wrong one takes 100 % away, so "all and
only" the right ones earn full marks), true-false ``truefalse``, fill-in ``shortanswer`` (every
alternative 100 %, letter case ignored), numeric ``numerical`` (the range's midpoint and
half-width), matching ``matching``, sequencing ``ordering`` (all or nothing), essay ``essay``; a
survey scale becomes a ``multichoice`` whose every option is right and which is worth 0 marks.
Pictures and linked files travel inside the text as ``@@PLUGINFILE@@`` files, base64-encoded as
Moodle exports them.
"""

from __future__ import annotations

import base64
import posixpath
from urllib.parse import quote

from lxml import etree

from ceforge.banks.common import (
    Item,
    accepted_answers,
    category_names,
    changed,
    decimal_text,
    left_out,
    local_files,
    midpoint,
    moodle_share,
    question_html,
    read_asset,
    rewrite_files,
    xml_safe,
)
from ceforge.diagnostics import Reporter
from ceforge.model import BlockKind, Course, QuestionType

FORMAT = "Moodle XML"
PLUGINFILE = "@@PLUGINFILE@@"
#: Moodle's question name and idnumber columns hold this many characters.
NAME_LENGTH = 255
IDNUMBER_LENGTH = 100


def moodle_xml(course: Course, items: list[Item], reporter: Reporter) -> bytes:
    """The Moodle XML of ``items``, one category per module; what cannot go is reported."""
    quiz = etree.Element("quiz")
    category: list[str] | None = None
    for item in items:
        element = _question(course, item, reporter)
        if element is None:
            continue
        names = category_names(course, item.module)
        if names != category:
            quiz.append(_category(names))
            category = names
        quiz.append(element)
    return etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def category_path(names: list[str]) -> str:
    """``$course$/top/<course>/<module>``; a ``/`` inside a name is doubled, as Moodle reads it."""
    return "$course$/top/" + "/".join(name.replace("/", "//") for name in names)


def _category(names: list[str]) -> etree._Element:
    element = etree.Element("question", type="category")
    _text(etree.SubElement(element, "category"), category_path(names))
    info = etree.SubElement(element, "info", format="html")
    _text(info, "")
    return element


def _text(parent: etree._Element, value: str) -> etree._Element:
    """A ``<text>`` child; text holding ``<``, ``>`` or ``&`` goes in a CDATA section, as
    Moodle writes it: Moodle's reader drops the spaces between two entity references."""
    text = etree.SubElement(parent, "text")
    value = xml_safe(value)
    if any(c in value for c in "<>&") and "]]>" not in value:
        text.text = etree.CDATA(value)
    else:
        text.text = value
    return text


def _html_field(parent: etree._Element, tag: str, html: str, course: Course) -> etree._Element:
    """``<tag format="html"><text>…</text><file …/>…</tag>``."""
    field = etree.SubElement(parent, tag, format="html")
    _fill(field, html, course)
    return field


def _fill(field: etree._Element, html: str, course: Course) -> None:
    """A ``<text>`` of ``html`` into ``field``, its links to course files pointed at
    ``@@PLUGINFILE@@`` and the files embedded beside it (a field's own file area)."""
    paths = local_files(html, course)
    urls = {path: f"{PLUGINFILE}/{quote(path)}" for path in paths}
    _text(field, rewrite_files(html, course, urls))
    for path in paths:
        folder, name = posixpath.split(path)
        file = etree.SubElement(
            field, "file", name=name, path=f"/{folder}/" if folder else "/", encoding="base64"
        )
        file.text = base64.b64encode(read_asset(course, path)).decode("ascii")


def _question(course: Course, item: Item, reporter: Reporter) -> etree._Element | None:
    question = item.question
    writer = WRITERS[question.type]
    element = etree.Element("question", type=writer.moodle_type)
    name = etree.SubElement(element, "name")
    _text(name, question.prompt_text[:NAME_LENGTH])
    _html_field(element, "questiontext", question_html(question), course)
    _html_field(element, "generalfeedback", question.feedback_html, course)
    survey = item.block.kind is BlockKind.SURVEY
    etree.SubElement(element, "defaultgrade").text = "0" if survey else decimal_text(
        question.points
    )
    etree.SubElement(element, "penalty").text = "0"
    etree.SubElement(element, "hidden").text = "0"
    if len(question.id) <= IDNUMBER_LENGTH:
        etree.SubElement(element, "idnumber").text = question.id
    else:
        changed(reporter, question, FORMAT, f"its id is longer than Moodle's idnumber holds "
                f"({IDNUMBER_LENGTH} characters) and is not kept")
    if not writer.body(element, course, item, reporter):
        return None
    return element


# --- one writer per type --------------------------------------------------------------------------


class Writer:
    moodle_type = ""

    def body(self, element: etree._Element, course: Course, item: Item, r: Reporter) -> bool:
        raise NotImplementedError


def _combined_feedback(element: etree._Element) -> None:
    """The three empty combined-feedback fields and ``<shownumcorrect/>``: Moodle 5.1's
    ordering import fails with a database error without the last one."""
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(etree.SubElement(element, tag, format="html"), "")
    etree.SubElement(element, "shownumcorrect")


def _answer(
    element: etree._Element, fraction: str, html: str, feedback: str, course: Course
) -> etree._Element:
    answer = etree.SubElement(element, "answer", fraction=fraction, format="html")
    _fill(answer, html, course)
    _html_field(answer, "feedback", feedback, course)
    return answer


def _shuffle(item: Item) -> str:
    return "true" if item.block.shuffle and item.block.kind is not BlockKind.SURVEY else "false"


class MultiChoice(Writer):
    moodle_type = "multichoice"

    def body(self, element: etree._Element, course: Course, item: Item, r: Reporter) -> bool:
        question = item.question
        right = [c for c in question.choices if c.correct]
        if question.type is QuestionType.LIKERT:
            fractions = {c.id: "100" for c in question.choices}
            single = True
            changed(r, question, FORMAT, "a survey scale: every option counts as right and "
                    "the question is worth 0 marks, so that it is answered but never graded")
        elif question.type is QuestionType.CHOICE:
            fractions = {c.id: "100" if c.correct else "0" for c in question.choices}
            single = True
        else:
            share = moodle_share(len(right))
            if share is None:
                left_out(r, question, FORMAT, f"{len(right)} right options: Moodle cannot "
                         "give each the same share of the marks")
                return False
            fractions = {c.id: share if c.correct else "-100" for c in question.choices}
            single = False
            changed(r, question, FORMAT, "Moodle gives part marks when only some of the right "
                    "options are chosen (and none is wrong); ceforge gives none")
        etree.SubElement(element, "single").text = "true" if single else "false"
        etree.SubElement(element, "shuffleanswers").text = _shuffle(item)
        etree.SubElement(element, "answernumbering").text = "none"
        etree.SubElement(element, "showstandardinstruction").text = "0"
        _combined_feedback(element)
        for choice in question.choices:
            _answer(element, fractions[choice.id], choice.html, choice.feedback_html, course)
        return True


class TrueFalse(Writer):
    moodle_type = "truefalse"

    def body(self, element: etree._Element, course: Course, item: Item, r: Reporter) -> bool:
        by_id = {c.id: c for c in item.question.choices}
        for key in ("true", "false"):
            choice = by_id[key]
            fraction = "100" if choice.correct else "0"
            answer = etree.SubElement(element, "answer", fraction=fraction, format="plain_text")
            _text(answer, key)
            _html_field(answer, "feedback", choice.feedback_html, course)
        return True


class ShortAnswer(Writer):
    moodle_type = "shortanswer"

    def body(self, element: etree._Element, course: Course, item: Item, r: Reporter) -> bool:
        etree.SubElement(element, "usecase").text = "0"
        for text in accepted_answers(item.question):
            # Moodle reads * as "any text"; \* is a star.
            answer = etree.SubElement(element, "answer", fraction="100", format="plain_text")
            _text(answer, text.replace("*", "\\*"))
            _html_field(answer, "feedback", "", course)
        return True


class Numerical(Writer):
    moodle_type = "numerical"

    def body(self, element: etree._Element, course: Course, item: Item, r: Reporter) -> bool:
        numeric = item.question.numeric
        assert numeric is not None
        centre, margin = midpoint(numeric.low, numeric.high)
        answer = etree.SubElement(element, "answer", fraction="100", format="plain_text")
        _text(answer, decimal_text(centre))
        _html_field(answer, "feedback", "", course)
        etree.SubElement(answer, "tolerance").text = decimal_text(margin)
        etree.SubElement(element, "unitgradingtype").text = "0"
        etree.SubElement(element, "unitpenalty").text = "0.1000000"
        etree.SubElement(element, "showunits").text = "3"
        etree.SubElement(element, "unitsleft").text = "0"
        return True


class Matching(Writer):
    moodle_type = "matching"

    def body(self, element: etree._Element, course: Course, item: Item, r: Reporter) -> bool:
        etree.SubElement(element, "shuffleanswers").text = "true"
        _combined_feedback(element)
        for pair in item.question.pairs:
            sub = etree.SubElement(element, "subquestion", format="html")
            _text(sub, pair.source.html)
            _text(etree.SubElement(sub, "answer"), pair.target.text)
        changed(r, item.question, FORMAT, "Moodle gives a share of the marks for each pair "
                "matched right; ceforge gives marks only when every pair is")
        return True


class Ordering(Writer):
    moodle_type = "ordering"

    def body(self, element: etree._Element, course: Course, item: Item, r: Reporter) -> bool:
        etree.SubElement(element, "layouttype").text = "VERTICAL"
        etree.SubElement(element, "selecttype").text = "ALL"
        etree.SubElement(element, "selectcount").text = "0"
        etree.SubElement(element, "gradingtype").text = "ALL_OR_NOTHING"
        etree.SubElement(element, "showgrading").text = "SHOW"
        etree.SubElement(element, "numberingstyle").text = "none"
        _combined_feedback(element)
        for position, choice in enumerate(item.question.choices, start=1):
            _answer(element, str(position), choice.html, choice.feedback_html, course)
        return True


class Essay(Writer):
    moodle_type = "essay"

    def body(self, element: etree._Element, course: Course, item: Item, r: Reporter) -> bool:
        survey = item.block.kind is BlockKind.SURVEY
        etree.SubElement(element, "responseformat").text = "editor"
        etree.SubElement(element, "responserequired").text = "0" if survey else "1"
        etree.SubElement(element, "responsefieldlines").text = "10"
        etree.SubElement(element, "attachments").text = "0"
        etree.SubElement(element, "attachmentsrequired").text = "0"
        _text(etree.SubElement(element, "graderinfo", format="html"), "")
        _text(etree.SubElement(element, "responsetemplate", format="html"), "")
        return True


WRITERS: dict[QuestionType, Writer] = {
    QuestionType.CHOICE: MultiChoice(),
    QuestionType.MULTIPLE_CHOICE: MultiChoice(),
    QuestionType.LIKERT: MultiChoice(),
    QuestionType.TRUE_FALSE: TrueFalse(),
    QuestionType.FILL_IN: ShortAnswer(),
    QuestionType.NUMERIC: Numerical(),
    QuestionType.MATCHING: Matching(),
    QuestionType.SEQUENCING: Ordering(),
    QuestionType.ESSAY: Essay(),
}

