"""GIFT -> ceforge questions (``ceforge import gift``).

Read as Moodle reads GIFT: questions are separated by blank lines; ``//`` lines are comments
(``// [id:…]`` gives the question's id); ``$CATEGORY:`` starts a category; ``::name::`` names a
question; ``[html]``, ``[moodle]``, ``[plain]`` and ``[markdown]`` set the text's format; the
answers stand between ``{`` and ``}`` (text after them makes a missing-word question, the blank
shown as ``_____``); ``\\``, ``\\~``, ``\\=``, ``\\#``, ``\\{``, ``\\}``, ``\\:`` and ``\\n`` are
escapes. The type follows from the answers as in Moodle: none, an essay; ``#…``, numerical;
``~``, multiple choice; ``=a -> b``, matching; ``T``/``F``, true-false; else short answer. A
syntax error is reported at its line and the question skipped; the rest is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ceforge import markdown
from ceforge.banks import htmlmd
from ceforge.banks.bank import Bank, BankQuestion, distinct_answers, note, skip
from ceforge.diagnostics import Code, Reporter, SourceLocation
from ceforge.model import Choice, NumericAnswer, Pair, Question, QuestionType
from ceforge.quiz import CHOICE_IDS, SOURCE_IDS

#: Placeholders for escaped characters while the text is split (private-use code points).
_ESCAPES = {"\\": "\ue000", ":": "\ue001", "#": "\ue002", "=": "\ue003", "{": "\ue004",
            "}": "\ue005", "~": "\ue006", "n": "\ue007"}
_RESTORE = {v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()}
_ID = re.compile(r"^//\s*\[id:([^\]]*)\]")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%([^%]*)%")
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")


def escape_pre(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def restore(text: str) -> str:
    return "".join(_RESTORE.get(c, c) for c in text)


@dataclass
class _Block:
    """One question's lines: the text (comments blanked) and where it starts."""

    text: str
    line: int
    given_id: str


def blocks(text: str) -> list[_Block]:
    found: list[_Block] = []
    current: list[str] = []
    start = 0
    given = ""
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        stripped = line.strip()
        if not stripped:
            if current:
                found.append(_Block("\n".join(current), start, given))
            current, given = [], ""
            continue
        if not current:
            start = number
        if stripped.startswith("//"):
            match = _ID.match(stripped)
            if match:
                given = match.group(1).strip()
            current.append("")
        else:
            current.append(line)
    return found


def read_gift(text: str, source: str, reporter: Reporter) -> Bank:
    bank = Bank(source)
    category: tuple[str, ...] = ()
    from ceforge.banks.moodle_in import category_names

    for block in blocks(text):
        body = escape_pre(block.text)
        lead = len(body) - len(body.lstrip())
        line = block.line + body[:lead].count("\n")
        body = body.strip()
        if not body:
            continue
        if body.startswith("$CATEGORY:"):
            category = category_names(restore(body[len("$CATEGORY:"):]))
            continue
        parsed = _Parser(body, SourceLocation(source, line), bank, reporter).parse()
        if parsed is not None:
            parsed.category = category
            parsed.given_id = block.given_id
            bank.questions.append(parsed)
    return bank


class GiftError(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


class _Parser:
    def __init__(self, body: str, loc: SourceLocation, bank: Bank, reporter: Reporter) -> None:
        self.body = body
        self.loc = loc
        self.bank = bank
        self.reporter = reporter
        self.name = ""
        self.format = "moodle"

    def at(self, offset: int) -> SourceLocation:
        return self.loc.shifted(self.body.count("\n", 0, max(offset, 0)))

    def parse(self) -> BankQuestion | None:
        try:
            return self._parse()
        except GiftError as error:
            self.reporter.report(self.at(error.offset), Code.BANK_GIFT_SYNTAX, error.message)
            return None

    def _parse(self) -> BankQuestion | None:
        body, offset = self.body, 0
        if body.startswith("::"):
            end = body.find("::", 2)
            if end < 0:
                raise GiftError(0, "a question name opened with '::' is never closed; "
                                "write ::name:: before the text")
            self.name = restore(body[2:end]).strip()
            offset = end + 2
        opening = body.find("{", offset)
        closing = body.find("}", offset)
        if opening < 0 and closing >= 0:
            raise GiftError(closing, "a '}' closes no answer block; escape it as \\} in text")
        if opening >= 0 and (closing < 0 or closing < opening):
            if closing >= 0:
                raise GiftError(closing, "a '}' closes no answer block; escape it as \\} in text")
            raise GiftError(opening, "the answer block opened with '{' is never closed with '}'")
        head = body[offset:opening] if opening >= 0 else body[offset:]
        tail = body[closing + 1:] if opening >= 0 else ""
        if "{" in tail or "}" in tail:
            raise GiftError(closing + 1 + min(i for i in (tail.find("{"), tail.find("}"))
                                              if i >= 0),
                            "a second answer block; a GIFT question has one (escape braces in "
                            "text as \\{ and \\})")
        text = head.strip() + (" _____ " + tail.strip() if tail.strip() else "")
        text = self._format(text.strip())
        name = self.name or htmlmd.plain(restore(text))[:80] or f"line {self.loc.line}"
        self.name = name
        if opening < 0:
            skip(self.reporter, self.loc, name, "a description is text, not a question: copy it "
                 "into a page")
            return None
        answers = body[opening + 1:closing]
        general = ""
        split = answers.rfind("####")
        if split >= 0:
            general, answers = answers[split + 4:], answers[:split]
        question = self._question(restore(text))
        question.feedback_html = self._html(general.strip())
        return self._typed(question, answers, opening + 1)

    def _format(self, text: str) -> str:
        match = _FORMAT.match(text)
        if match:
            self.format = match.group(1).lower()
            return text[match.end():]
        return text

    def _html(self, text: str) -> str:
        """A GIFT text (placeholders still in) as HTML, by the question's format."""
        text = restore(text).strip()
        if not text:
            return ""
        if self.format == "html" or (self.format == "moodle" and re.search(r"<\w", text)):
            return text
        if self.format == "markdown":
            return str(markdown.MD.render(text)).strip()
        return htmlmd.to_html_text(text)

    def _question(self, text: str) -> Question:
        self_html = self._html(text)
        prompt, stem = htmlmd.split_prompt(self_html)
        if not htmlmd.plain(prompt):
            prompt, stem = htmlmd.html_escape(self.name), self_html
        return Question(id="", type=QuestionType.ESSAY, prompt_html=prompt,
                        prompt_text=htmlmd.plain(prompt), loc=self.loc, stem_html=stem)

    # --- the answers ------------------------------------------------------------------------

    def _typed(self, question: Question, answers: str, offset: int) -> BankQuestion | None:
        stripped = answers.strip()
        start = offset + len(answers) - len(answers.lstrip())
        if not stripped:
            return BankQuestion(question, self.name, ())
        if stripped.startswith("#"):
            return self._numerical(question, stripped[1:], start + 1)
        if "~" in stripped:
            return self._multichoice(question, stripped, start)
        if "=" in stripped and "->" in stripped:
            return self._matching(question, stripped, start)
        word = stripped.split("#", 1)[0].strip()
        if word in ("T", "TRUE", "F", "FALSE"):
            return self._true_false(question, stripped, word in ("T", "TRUE"))
        return self._short(question, stripped, start)

    def _parts(self, answers: str, start: int, marks: str) -> list[tuple[str, str, int]]:
        """Split on the answer marks (``=``, ``~``): (mark, text, offset) of each answer."""
        pattern = re.escape(marks)
        first = re.search(f"[{pattern}]", answers)
        if first is None:
            raise GiftError(start, f"no answer; each answer starts with {' or '.join(marks)}")
        if answers[: first.start()].strip():
            raise GiftError(start, f"text before the first answer; each answer starts with "
                            f"{' or '.join(marks)}")
        return [
            (m.group(1), m.group(2), start + m.start())
            for m in re.finditer(f"([{pattern}])([^{pattern}]*)", answers)
        ]

    def _weight(self, text: str, offset: int) -> tuple[Decimal | None, str]:
        match = _WEIGHT.match(text.strip())
        if not match:
            return None, text
        try:
            weight = Decimal(match.group(1))
        except InvalidOperation:
            raise GiftError(offset, f"the weight %{match.group(1)}% is not a percentage "
                            "between -100 and 100") from None
        if not -100 <= weight <= 100:
            raise GiftError(offset, f"the weight %{match.group(1)}% is not a percentage "
                            "between -100 and 100")
        return weight, text.strip()[match.end():]

    def _answer(self, text: str, offset: int) -> tuple[str, str]:
        """(answer, feedback) of one answer's text."""
        answer, _hash, feedback = text.partition("#")
        if not answer.strip():
            raise GiftError(offset, "an answer with no text")
        return answer.strip(), feedback.strip()

    def _multichoice(self, question: Question, answers: str, start: int) -> BankQuestion | None:
        parts = self._parts(answers, start, "=~")
        if len(parts) < 2:
            raise GiftError(start, "a multiple-choice question needs two answers or more")
        has_equals = any(mark == "=" for mark, _t, _o in parts)
        read: list[tuple[Decimal, str, str]] = []
        for mark, text, offset in parts:
            weight, rest = self._weight(text, offset)
            answer, feedback = self._answer(rest, offset)
            read.append((Decimal(100) if mark == "=" else (weight or Decimal(0)), answer,
                         feedback))
        if len(read) > len(CHOICE_IDS):
            skip(self.reporter, self.loc, self.name, f"more than {len(CHOICE_IDS)} options")
            return None
        full = [w for w, _a, _f in read if w >= 100]
        if has_equals:
            if len(full) != 1:
                skip(self.reporter, self.loc, self.name, "several fully right options; a "
                     "ceforge choice question has exactly one")
                return None
            if any(0 < w < 100 or w < 0 for w, _a, _f in read):
                note(self.reporter, self.loc, self.name, "the part marks and penalties of its "
                     "options are dropped: only the right one scores")
            right = [w >= 100 for w, _a, _f in read]
        else:
            right = [w > 0 for w, _a, _f in read]
            if not any(right):
                skip(self.reporter, self.loc, self.name, "no option gives marks")
                return None
            note(self.reporter, self.loc, self.name, "Moodle gives part marks for some right "
                 "options; in ceforge it is right only when all the options with marks, and "
                 "no other, are chosen")
        question.choices = [
            Choice(id=CHOICE_IDS[i], html=self._inline(a), text=htmlmd.plain(self._inline(a)),
                   correct=r, feedback_html=self._html(f), loc=self.loc)
            for i, ((_w, a, f), r) in enumerate(zip(read, right, strict=True))
        ]
        count = sum(right)
        question.type = QuestionType.MULTIPLE_CHOICE if count > 1 else QuestionType.CHOICE
        texts = sorted(c.text.strip().lower() for c in question.choices)
        if texts == ["false", "true"] and count == 1:
            question.type = QuestionType.TRUE_FALSE
            for choice in question.choices:
                choice.id = choice.text.strip().lower()
        return BankQuestion(question, self.name, ())

    def _inline(self, text: str) -> str:
        html = self._html(text)
        prompt, rest = htmlmd.split_prompt(html)
        return prompt if prompt and not htmlmd.plain(rest) else html

    def _true_false(self, question: Question, answers: str, right: bool) -> BankQuestion:
        bits = answers.split("#")
        if len(bits) > 3:
            note(self.reporter, self.loc, self.name, "feedback after the second '#' is dropped")
        wrong_feedback = self._html(bits[1]) if len(bits) > 1 else ""
        right_feedback = self._html(bits[2]) if len(bits) > 2 else ""
        question.type = QuestionType.TRUE_FALSE
        question.choices = [
            Choice(id=word, html=word.capitalize(), text=word.capitalize(),
                   correct=(word == "true") == right,
                   feedback_html=right_feedback if (word == "true") == right else wrong_feedback,
                   loc=self.loc)
            for word in ("true", "false")
        ]
        return BankQuestion(question, self.name, ())

    def _short(self, question: Question, answers: str, start: int) -> BankQuestion | None:
        accepted: list[str] = []
        for _mark, text, offset in self._parts(answers, start, "="):
            weight, rest = self._weight(text, offset)
            answer, feedback = self._answer(rest, offset)
            answer = restore(answer)
            if weight is not None and weight < 100:
                if weight > 0:
                    note(self.reporter, self.loc, self.name,
                         f"the part marks of the answer {answer!r} are dropped")
                continue
            if feedback:
                note(self.reporter, self.loc, self.name,
                     f"the feedback of the answer {answer!r} is dropped")
            if re.search(r"(?<!\\)\*", answer):
                skip(self.reporter, self.loc, self.name, f"the answer {answer!r} holds Moodle's "
                     "wildcard *; ceforge matches whole answers only")
                return None
            accepted.append(re.sub(r"\s+", " ", answer.replace("\\*", "*")))
        if not accepted:
            skip(self.reporter, self.loc, self.name, "no answer is fully right")
            return None
        if all(re.match(r"^(?=.*\d)[\d\s.,+\-±/eE]+$", a) for a in accepted):
            skip(self.reporter, self.loc, self.name, "its answers are made of digits and signs "
                 "only, which ceforge reads as a number; make it a numerical question ({#…})")
            return None
        question.type = QuestionType.FILL_IN
        question.answers = distinct_answers(accepted)
        return BankQuestion(question, self.name, ())

    def _numerical(self, question: Question, answers: str, start: int) -> BankQuestion | None:
        entries = (
            self._parts(answers, start, "=") if answers.strip().startswith("=")
            else [("=", answers, start)]
        )
        ranges: list[tuple[Decimal, Decimal]] = []
        for _mark, text, offset in entries:
            weight, rest = self._weight(text, offset)
            value, _hash, feedback = rest.partition("#")
            low, high = self._number(restore(value.strip()), offset)
            if weight is not None and weight < 100:
                if weight > 0:
                    note(self.reporter, self.loc, self.name,
                         f"the part marks of the answer {restore(value.strip())} are dropped")
                continue
            if feedback.strip():
                note(self.reporter, self.loc, self.name,
                     f"the feedback of the answer {restore(value.strip())} is dropped")
            ranges.append((low, high))
        if len(ranges) != 1:
            skip(self.reporter, self.loc, self.name, "a ceforge numeric question takes exactly "
                 f"one right number or range; this one has {len(ranges)}")
            return None
        question.type = QuestionType.NUMERIC
        question.numeric = NumericAnswer(float(ranges[0][0]), float(ranges[0][1]))
        return BankQuestion(question, self.name, ())

    def _number(self, text: str, offset: int) -> tuple[Decimal, Decimal]:
        try:
            if ".." in text:
                low, high = (Decimal(self._checked(p, offset)) for p in text.split("..", 1))
                if low > high:
                    raise GiftError(offset, f"the range {text!r} runs backwards")
                return low, high
            value, _colon, tolerance = text.partition(":")
            centre = Decimal(self._checked(value, offset))
            margin = abs(Decimal(self._checked(tolerance, offset))) if tolerance else Decimal(0)
        except InvalidOperation:
            raise GiftError(offset, f"{text!r} is not a number") from None
        return centre - margin, centre + margin

    def _checked(self, text: str, offset: int) -> str:
        if not _NUMBER.match(text.strip()):
            raise GiftError(offset, f"{text.strip()!r} is not a number; write 42, 40..45 or "
                            "3.6:0.1")
        return text.strip()

    def _matching(self, question: Question, answers: str, start: int) -> BankQuestion | None:
        pairs: list[tuple[str, str]] = []
        for _mark, text, offset in self._parts(answers, start, "="):
            left, arrow, right = restore(text).partition("->")
            if not arrow or not left.strip() or not right.strip():
                raise GiftError(offset, "a matching pair reads '=item -> answer', with text on "
                                "both sides")
            pairs.append((htmlmd.plain(self._html(left)), re.sub(r"\s+", " ", right).strip()))
        if len(pairs) < 2:
            raise GiftError(start, "a matching question needs two pairs or more")
        if len({left.casefold() for left, _r in pairs}) < len(pairs):
            skip(self.reporter, self.loc, self.name, "two items are the same")
            return None
        if len(pairs) > len(SOURCE_IDS):
            skip(self.reporter, self.loc, self.name, f"more than {len(SOURCE_IDS)} pairs")
            return None
        targets: dict[str, Choice] = {}
        for index, (left, right) in enumerate(pairs):
            key = right.casefold()
            if key not in targets:
                targets[key] = Choice(id=CHOICE_IDS[len(targets)], html=htmlmd.html_escape(right),
                                      text=right, loc=self.loc)
            question.pairs.append(Pair(Choice(id=SOURCE_IDS[index], html=htmlmd.html_escape(left),
                                              text=left, loc=self.loc), targets[key]))
        question.type = QuestionType.MATCHING
        note(self.reporter, self.loc, self.name, "Moodle gives a share of the marks for each "
             "pair; ceforge only for all")
        return BankQuestion(question, self.name, ())
