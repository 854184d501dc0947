"""Moodle XML -> ceforge questions (``ceforge import moodle-xml``).

The file is parsed as ``ceforge validate`` parses a package's XML: any entity declaration
refused before parsing, no network, no DTD, no entity expansion, no huge-tree mode. Each
``<question>`` of a type ceforge has becomes a ceforge question, its ``@@PLUGINFILE@@`` files
kept under ``assets/``; the others (calculated, cloze, drag-and-drop…) are reported and left out,
and so is every difference in scoring (partial credit, letter case, penalties).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote

from lxml import etree

from ceforge.banks import htmlmd
from ceforge.banks.bank import Bank, BankQuestion, distinct_answers, note, skip
from ceforge.diagnostics import Code, Reporter, SourceLocation
from ceforge.model import Choice, NumericAnswer, Pair, Question, QuestionType
from ceforge.quiz import CHOICE_IDS, SOURCE_IDS
from ceforge.validate.findings import Rule
from ceforge.validate.xmlfile import line_of, parse

PLUGINFILE = "@@PLUGINFILE@@/"
_PLUGIN_URL = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>?#]*)")
_NUMBER_LIKE = re.compile(r"^(?=.*\d)[\d\s.,+\-±/eE]+$")
_CATEGORY_PREFIX = re.compile(r"^\$(?:course|cat|module|system|coursecategory)\$/")
NOT_CARRIED = {
    "calculated": "a calculated question draws numbers at random; ceforge has none",
    "calculatedsimple": "a calculated question draws numbers at random; ceforge has none",
    "calculatedmulti": "a calculated question draws numbers at random; ceforge has none",
    "cloze": "an embedded-answers (cloze) question holds several answers in its text; ceforge "
    "has one answer block per question",
    "multianswer": "an embedded-answers (cloze) question holds several answers in its text; "
    "ceforge has one answer block per question",
    "ddwtos": "drag-and-drop into text has no ceforge type",
    "ddimageortext": "drag-and-drop onto an image has no ceforge type",
    "ddmarker": "drag-and-drop markers have no ceforge type",
    "gapselect": "select missing words has no ceforge type",
    "randomsamatch": "random short-answer matching draws questions at run time; ceforge has no "
    "such type",
    "random": "a random question is a quiz setting, not a question",
    "description": "a description is text, not a question: copy it into a page",
}
MAX_POINTS = 1000


def read_moodle_xml(data: bytes, source: str, reporter: Reporter) -> Bank | None:
    """The bank in ``data`` (the file ``source``), or None after reporting why it cannot be
    read at all."""
    root, findings = parse(data, source)
    for problem in findings:
        code = Code.BANK_XML_ENTITY if problem.code == Rule.XML_ENTITY.code else (
            Code.BANK_XML_SYNTAX
        )
        reporter.report(SourceLocation(source, problem.line), code, problem.message)
    if root is None:
        return None
    if root.tag != "quiz":
        reporter.report(
            SourceLocation(source, line_of(root)),
            Code.BANK_XML_SYNTAX,
            f"the root element is <{root.tag}>, not <quiz>: this is not a Moodle XML "
            "question bank",
        )
        return None
    bank = Bank(source)
    category: tuple[str, ...] = ()
    for element in root:
        if not isinstance(element.tag, str) or element.tag != "question":
            continue
        kind = element.get("type", "")
        loc = SourceLocation(source, line_of(element))
        if kind == "category":
            category = category_names(_text(element, "category"))
            continue
        reader = _Reader(element, bank, reporter, loc)
        read = reader.read(kind)
        if read is not None:
            read.category = category
            bank.questions.append(read)
    return bank


def category_names(path: str) -> tuple[str, ...]:
    """``$course$/top/Course/Module`` -> ``("Course", "Module")`` (``//`` is a slash)."""
    path = _CATEGORY_PREFIX.sub("", path.strip())
    parts = [p.replace("\0", "/").strip() for p in path.replace("//", "\0").split("/")]
    parts = [p for p in parts if p]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return tuple(parts)


def _text(element: etree._Element, *path: str) -> str:
    node = element
    for tag in path:
        found = node.find(tag)
        if found is None:
            return ""
        node = found
    text = node.find("text")
    return (text.text or "") if text is not None else ""


class _Reader:
    """One ``<question>`` into a ceforge question."""

    def __init__(self, element: etree._Element, bank: Bank, reporter: Reporter,
                 loc: SourceLocation) -> None:
        self.element = element
        self.bank = bank
        self.reporter = reporter
        self.loc = loc
        self.name = _text(element, "name").strip() or f"line {loc.line}"

    def skip(self, why: str) -> None:
        skip(self.reporter, self.loc, self.name, why)

    def note(self, what: str) -> None:
        note(self.reporter, self.loc, self.name, what)

    def read(self, kind: str) -> BankQuestion | None:
        if kind in NOT_CARRIED:
            self.skip(NOT_CARRIED[kind])
            return None
        method = getattr(self, f"_{kind}", None)
        if method is None:
            self.skip(f"Moodle's question type {kind!r} has no ceforge type")
            return None
        question = self._common()
        if any(htmlmd.plain(self.html(hint)) for hint in self.element.findall("hint")):
            self.note("its hints are dropped: ceforge gives feedback, not hints")
        survey = method(question)
        if survey is None:
            return None
        given = (self.element.findtext("idnumber") or "").strip()
        return BankQuestion(question, self.name, (), survey=survey, given_id=given)

    # --- texts and files ------------------------------------------------------------------

    def html(self, field: etree._Element | None) -> str:
        """A text field as HTML, its ``@@PLUGINFILE@@`` files kept and linked."""
        if field is None:
            return ""
        text_node = field.find("text")
        text = (text_node.text or "") if text_node is not None else ""
        kind = field.get("format", "html")
        if kind != "html" and not (kind == "moodle_auto_format" and re.search(r"<\w", text)):
            text = htmlmd.to_html_text(text)
        urls: dict[str, str] = {}
        for file in field.findall("file"):
            name = (file.get("path") or "/") + (file.get("name") or "")
            try:
                data = base64.b64decode(file.text or "", validate=False)
            except (binascii.Error, ValueError):
                self.note(f"the file {name} is not valid base64 and is left out")
                continue
            urls[name.lstrip("/")] = self.bank.add_file(name, data)

        def relink(match: re.Match[str]) -> str:
            name = unquote(match.group(1))
            if name in urls:
                return urls[name]
            self.note(f"its text shows the file {name}, which the bank does not hold")
            return match.group(0)

        return _PLUGIN_URL.sub(relink, text).strip()

    def _common(self) -> Question:
        text = self.html(self.element.find("questiontext"))
        prompt, stem = htmlmd.split_prompt(text)
        if not htmlmd.plain(prompt):
            prompt, stem = htmlmd.html_escape(self.name), text
        question = Question(
            id="",
            type=QuestionType.ESSAY,
            prompt_html=prompt,
            prompt_text=htmlmd.plain(prompt),
            loc=self.loc,
            stem_html=stem,
            feedback_html=self.html(self.element.find("generalfeedback")),
        )
        question.points = self._points()
        return question

    def _points(self) -> float:
        text = (self.element.findtext("defaultgrade") or "1").strip()
        try:
            points = float(text)
        except ValueError:
            points = 1.0
        if points > MAX_POINTS:
            self.note(f"its mark {text} is above ceforge's {MAX_POINTS} points; it gets "
                      f"{MAX_POINTS}")
            return float(MAX_POINTS)
        return points

    def answers(self) -> list[tuple[Decimal, etree._Element]]:
        found = []
        for answer in self.element.findall("answer"):
            try:
                fraction = Decimal(answer.get("fraction", "0"))
            except InvalidOperation:
                fraction = Decimal(0)
            found.append((fraction, answer))
        return found

    def _graded(self, question: Question) -> None:
        """A gradable question must be worth something in ceforge."""
        if question.points <= 0:
            self.note("it is worth no marks in Moodle; in ceforge it is worth 1 point")
            question.points = 1.0

    # --- the types ------------------------------------------------------------------------

    def _multichoice(self, question: Question) -> bool | None:
        # Moodle itself skips options without text when it saves a question.
        answers = [(f, a) for f, a in self.answers() if self.html(a).strip()]
        single = (self.element.findtext("single") or "true").strip().lower() in ("true", "1")
        if len(answers) < 2:
            self.skip("a choice question needs two options or more")
            return None
        if len(answers) > len(CHOICE_IDS):
            self.skip(f"{len(answers)} options; ceforge takes {len(CHOICE_IDS)} at most")
            return None
        full = [f for f, _a in answers if f >= 100]
        if single and len(full) == len(answers) and question.points <= 0:
            question.type = QuestionType.LIKERT
            question.choices = self._choices(answers, lambda f: False)
            question.points = 1.0
            return True
        if single:
            if len(full) != 1:
                self.skip("a single-answer question with "
                          f"{'no' if not full else len(full)} fully right options; a ceforge "
                          "choice question has exactly one")
                return None
            if any(0 < f < 100 for f, _a in answers):
                self.note("the part marks of its partly right options are dropped: only the "
                          "fully right one scores")
            if any(f < 0 for f, _a in answers):
                self.note("the penalties of its wrong options are dropped: a wrong choice "
                          "scores 0")
            question.type = QuestionType.CHOICE
            question.choices = self._choices(answers, lambda f: f >= 100)
        else:
            right = [f for f, _a in answers if f > 0]
            if not right:
                self.skip("no option gives marks")
                return None
            question.type = (
                QuestionType.MULTIPLE_CHOICE if len(right) > 1 else QuestionType.CHOICE
            )
            question.choices = self._choices(answers, lambda f: f > 0)
            self.note("Moodle gives part marks for some right options; in ceforge it is right "
                      "only when all the options with marks, and no other, are chosen")
        _true_false(question)
        self._graded(question)
        return False

    def _choices(self, answers: list[tuple[Decimal, etree._Element]],
                 is_right: Callable[[Decimal], bool]) -> list[Choice]:
        return [
            Choice(
                id=CHOICE_IDS[index],
                html=_inline_html(self.html(answer)),
                text=htmlmd.plain(self.html(answer)),
                correct=bool(is_right(fraction)),
                feedback_html=self.html(answer.find("feedback")),
                loc=self.loc,
            )
            for index, (fraction, answer) in enumerate(answers)
        ]

    def _truefalse(self, question: Question) -> bool | None:
        by_word: dict[str, tuple[Decimal, etree._Element]] = {}
        for fraction, answer in self.answers():
            word = _text_of(answer).strip().lower()
            if word in ("true", "false"):
                by_word[word] = (fraction, answer)
        if set(by_word) != {"true", "false"}:
            self.skip("a true/false question needs the answers 'true' and 'false'")
            return None
        question.type = QuestionType.TRUE_FALSE
        question.choices = [
            Choice(
                id=word,
                html=word.capitalize(),
                text=word.capitalize(),
                correct=by_word[word][0] >= 100,
                feedback_html=self.html(by_word[word][1].find("feedback")),
                loc=self.loc,
            )
            for word in ("true", "false")
        ]
        if sum(c.correct for c in question.choices) != 1:
            self.skip("neither answer, or both, is fully right")
            return None
        self._graded(question)
        return False

    def _shortanswer(self, question: Question) -> bool | None:
        accepted: list[str] = []
        for fraction, answer in self.answers():
            text = _text_of(answer).strip()
            if fraction >= 100:
                if htmlmd.plain(self.html(answer.find("feedback"))):
                    self.note(f"the feedback of the answer {text!r} is dropped")
                if re.search(r"(?<!\\)\*", text):
                    self.skip(f"the answer {text!r} holds Moodle's wildcard *; ceforge matches "
                              "whole answers only")
                    return None
                accepted.append(text.replace("\\*", "*"))
            elif text == "*":
                self.note("its feedback for any other answer is dropped")
            elif fraction > 0:
                self.note(f"the part marks of the answer {text!r} are dropped")
        if not accepted:
            self.skip("no answer is fully right")
            return None
        if (self.element.findtext("usecase") or "0").strip() not in ("", "0"):
            self.note("Moodle matches its answers with their letter case; ceforge ignores case")
        if any(len(a) > 250 for a in accepted):
            self.skip("an answer is longer than ceforge's 250 characters")
            return None
        if all(_NUMBER_LIKE.match(a) for a in accepted):
            return self._numeric_answers(question, accepted)
        question.type = QuestionType.FILL_IN
        question.answers = distinct_answers(accepted)
        self._graded(question)
        return False

    def _numeric_answers(self, question: Question, accepted: list[str]) -> bool | None:
        try:
            values = [Decimal(a.replace(",", ".")) for a in accepted]
        except InvalidOperation:
            self.skip("its answers are made of digits and signs only, which ceforge reads as a "
                      "number; add an answer with letters in Moodle")
            return None
        if len(set(values)) > 1:
            self.skip("several numbers are accepted; a ceforge numeric question takes one "
                      "number or range")
            return None
        question.type = QuestionType.NUMERIC
        question.numeric = NumericAnswer(float(values[0]), float(values[0]))
        self.note("a short answer that is a number becomes a numeric question (it also "
                  "accepts 7.0 for 7)")
        self._graded(question)
        return False

    def _numerical(self, question: Question) -> bool | None:
        ranges: list[tuple[Decimal, Decimal]] = []
        for fraction, answer in self.answers():
            text = _text_of(answer).strip()
            if text == "*":
                continue
            if fraction < 100:
                if fraction > 0:
                    self.note(f"the part marks of the answer {text} are dropped")
                continue
            try:
                value = Decimal(text)
                tolerance = abs(Decimal((answer.findtext("tolerance") or "0").strip() or "0"))
            except InvalidOperation:
                self.skip(f"the answer {text!r} is not a number")
                return None
            ranges.append((value - tolerance, value + tolerance))
        if len(ranges) != 1:
            self.skip("a ceforge numeric question takes exactly one right number or range; "
                      f"this one has {len(ranges)}")
            return None
        if self.element.find("units/unit") is not None:
            self.note("its units are dropped: learners type the number alone")
        low, high = ranges[0]
        question.type = QuestionType.NUMERIC
        question.numeric = NumericAnswer(float(low), float(high))
        self._graded(question)
        return False

    def _matching(self, question: Question) -> bool | None:
        pairs: list[tuple[str, str]] = []
        for sub in self.element.findall("subquestion"):
            left = htmlmd.plain(self.html(sub))
            right = _squeeze(sub.findtext("answer/text") or "")
            if not left:
                if right:
                    self.note(f"the extra answer {right!r} (matching no item) is dropped")
                continue
            pairs.append((left, right))
        return self._pairs(question, pairs)

    def _pairs(self, question: Question, pairs: list[tuple[str, str]]) -> bool | None:
        if len(pairs) < 2:
            self.skip("a matching question needs two pairs or more")
            return None
        if len(pairs) > len(SOURCE_IDS):
            self.skip(f"more than {len(SOURCE_IDS)} pairs")
            return None
        if any("->" in left for left, _r in pairs):
            self.skip("an item holds '->', which ceforge reads as the pair's separator")
            return None
        if len({left.casefold() for left, _r in pairs}) < len(pairs) or any(
            not right for _l, right in pairs
        ):
            self.skip("two items are the same, or an item has no answer")
            return None
        targets: dict[str, Choice] = {}
        question.type = QuestionType.MATCHING
        for index, (left, right) in enumerate(pairs):
            key = right.casefold()
            if key not in targets:
                targets[key] = _plain_choice(CHOICE_IDS[len(targets)], right, self.loc)
            question.pairs.append(Pair(_plain_choice(SOURCE_IDS[index], left, self.loc),
                                       targets[key]))
        self.note("Moodle gives a share of the marks for each pair; ceforge only for all")
        self._graded(question)
        return False

    def _ordering(self, question: Question) -> bool | None:
        answers = sorted(self.answers(), key=lambda fa: fa[0])
        if len(answers) < 2 or len(answers) > len(CHOICE_IDS):
            self.skip(f"a sequence of {len(answers)} items; ceforge takes 2 to {len(CHOICE_IDS)}")
            return None
        grading = (self.element.findtext("gradingtype") or "").strip().upper()
        if grading not in ("ALL_OR_NOTHING", "-1"):
            self.note("Moodle grades its order in parts; ceforge scores it all or nothing")
        select = (self.element.findtext("selecttype") or "ALL").strip().upper()
        if select not in ("ALL", "0"):
            self.note("Moodle shows a subset of its items; ceforge shows them all")
        question.type = QuestionType.SEQUENCING
        question.choices = [
            Choice(id=CHOICE_IDS[i], html=_inline_html(self.html(a)),
                   text=htmlmd.plain(self.html(a)), correct=True, loc=self.loc)
            for i, (_f, a) in enumerate(answers)
        ]
        self._graded(question)
        return False

    def _essay(self, question: Question) -> bool | None:
        if htmlmd.plain(self.html(self.element.find("graderinfo"))):
            self.note("its information for graders is dropped")
        survey = question.points <= 0
        if survey:
            question.points = 1.0
        return survey


def _true_false(question: Question) -> None:
    """Two options reading True and False, one right: ceforge's true-false question."""
    texts = sorted(c.text.strip().lower() for c in question.choices)
    if texts == ["false", "true"] and question.type is QuestionType.CHOICE:
        question.type = QuestionType.TRUE_FALSE
        for choice in question.choices:
            choice.id = choice.text.strip().lower()


def _text_of(answer: etree._Element) -> str:
    node = answer.find("text")
    return (node.text or "") if node is not None else ""


def _inline_html(markup: str) -> str:
    """An option's HTML without the paragraph around it."""
    prompt, rest = htmlmd.split_prompt(markup)
    return prompt if prompt and not htmlmd.plain(rest) else markup


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _plain_choice(choice_id: str, text: str, loc: SourceLocation) -> Choice:
    return Choice(id=choice_id, html=htmlmd.html_escape(text), text=text, loc=loc)

