"""An imported bank -> ceforge Markdown: a course folder with one module per category, or one
module file whose pages are the categories.

Every question gets an explicit id (the bank's own when it is a valid ceforge id and unused,
else ``<module>-q<n>``), its points when they are not 1, its stem, its answer block and its
feedback. Gradable questions and essays go in a ``::: quiz`` (change it to ``::: test`` to make
them the post-test); survey scales, and essays worth no marks, in a ``::: survey``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

from ceforge.banks import htmlmd
from ceforge.banks.bank import Bank, BankQuestion
from ceforge.banks.common import decimal_text
from ceforge.model import QuestionType
from ceforge.quiz import ID_PATTERN
from ceforge.targets.base import OutputFile

Link = Callable[[str], str]
_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, fallback: str = "bank") -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:60].strip("-") or fallback


def categories(bank: Bank) -> list[tuple[str, list[BankQuestion]]]:
    """The bank's questions grouped by category (its last name), in the order first met."""
    groups: dict[tuple[str, ...], list[BankQuestion]] = {}
    for question in bank.questions:
        groups.setdefault(question.category, []).append(question)
    return [(names[-1] if names else "", questions) for names, questions in groups.items()]


def course_title(bank: Bank, fallback: str) -> str:
    firsts = {q.category[0] for q in bank.questions if len(q.category) > 1}
    return firsts.pop() if len(firsts) == 1 else fallback


def course_files(bank: Bank, title: str) -> list[OutputFile]:
    """A course folder: ``course.yml``, ``modules/NN-<category>.md``, ``assets/…``."""
    files = [OutputFile("course.yml", _course_yml(title))]
    ids = _Ids()
    used: set[str] = set()
    groups = categories(bank)
    width = max(2, len(str(len(groups))))
    for number, (name, questions) in enumerate(groups, start=1):
        module_title = name or title
        base = slug(module_title, "questions")
        module_id = base
        while module_id in used:
            module_id = f"{base}-{number}"
        used.add(module_id)
        ids.reserve(module_id, f"{module_id}-quiz", f"{module_id}-survey")
        body = _blocks(questions, module_id, ids, _relative("../"))
        text = _front_matter(module_title) + "\n" + body
        files.append(OutputFile(f"modules/{number:0{width}d}-{module_id}.md", text.encode()))
    files += [OutputFile(path, data) for path, data in sorted(bank.files.items())]
    return files


def module_text(bank: Bank, title: str, module_id: str, assets_prefix: str) -> str:
    """One module whose pages (``##``) are the bank's categories."""
    ids = _Ids()
    ids.reserve(module_id)
    parts = [_front_matter(title)]
    for number, (name, questions) in enumerate(categories(bank), start=1):
        parts.append(f"## {htmlmd.escape(name or title)}\n")
        page_id = f"{module_id}-{number}"
        ids.reserve(f"{page_id}-quiz", f"{page_id}-survey")
        parts.append(_blocks(questions, module_id, ids, _relative(assets_prefix), page_id))
    return "\n".join(parts)


def _course_yml(title: str) -> bytes:
    data = {"id": f"urn:ceforge:bank:{slug(title)}", "title": title}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000).encode()


def _front_matter(title: str) -> str:
    dumped = yaml.safe_dump({"title": title}, allow_unicode=True, width=1000)
    return f"---\n{dumped}---\n"


def _relative(prefix: str) -> Link:
    def link(url: str) -> str:
        return prefix + url if url.startswith("assets/") else url

    return link


class _Ids:
    """Question and block ids, unique in the course."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def reserve(self, *ids: str) -> None:
        self.used.update(ids)

    def take(self, given: str, default: str) -> str:
        if given and ID_PATTERN.match(given) and len(given) <= 200 and given not in self.used:
            self.used.add(given)
            return given
        ident, number = default, 1
        while ident in self.used:
            number += 1
            ident = f"{default}-{number}"
        self.used.add(ident)
        return ident


def _blocks(
    questions: list[BankQuestion], module_id: str, ids: _Ids, link: Link, block_base: str = ""
) -> str:
    base = block_base or module_id
    quiz = [q for q in questions if not q.survey]
    survey = [q for q in questions if q.survey]
    parts: list[str] = []
    counter = iter(range(1, len(questions) + 1))
    for kind, members in (("quiz", quiz), ("survey", survey)):
        if not members:
            continue
        attrs = f" {{#{base}-{kind}}}" if block_base else ""
        texts = [
            question_markdown(q, ids.take(q.given_id, f"{module_id}-q{next(counter)}"), link)
            for q in members
        ]
        parts.append(f"::: {kind}{attrs}\n\n" + "\n".join(texts) + "\n:::\n")
    return "\n".join(parts)


def question_markdown(bq: BankQuestion, ident: str, link: Link) -> str:
    """One question: heading, stem, answer block, feedback."""
    question = bq.question
    prompt = htmlmd.inline(question.prompt_html, link) or htmlmd.escape(bq.name)
    attrs = [f"#{ident}"]
    if question.points != 1 and question.type.gradable and not bq.survey:
        attrs.append(f"points={decimal_text(question.points)}")
    lines = [f"### {prompt} {{{' '.join(attrs)}}}", ""]
    stem = htmlmd.blocks(question.stem_html, link)
    if stem:
        lines += [stem, ""]
    answers = ANSWERS[question.type](bq, link)
    if answers:
        lines += [answers, ""]
    feedback = htmlmd.blocks(question.feedback_html, link)
    if feedback:
        lines += [_quoted(feedback, ""), ""]
    return "\n".join(lines)


def _quoted(text: str, indent: str) -> str:
    return "\n".join(f"{indent}> {line}".rstrip() for line in text.split("\n"))


def _task_list(bq: BankQuestion, link: Link) -> str:
    items = []
    for choice in bq.question.choices:
        text = htmlmd.inline(choice.html, link) or htmlmd.escape(choice.text)
        item = f"- [{'x' if choice.correct else ' '}] {text}"
        feedback = htmlmd.blocks(choice.feedback_html, link)
        if feedback:
            item += "\n\n" + _quoted(feedback, "  ")
        items.append(item)
    loose = any(c.feedback_html for c in bq.question.choices)
    return ("\n\n" if loose else "\n").join(items)


def _fill_in(bq: BankQuestion, link: Link) -> str:
    return "\n".join(f"= {answer}" for answer in bq.question.answers)


def _numeric(bq: BankQuestion, link: Link) -> str:
    numeric = bq.question.numeric
    assert numeric is not None
    if numeric.low == numeric.high:
        return f"= {decimal_text(numeric.low)}"
    return f"= {decimal_text(numeric.low)}..{decimal_text(numeric.high)}"


def _matching(bq: BankQuestion, link: Link) -> str:
    return "\n".join(
        f"- {htmlmd.escape(p.source.text)} -> {htmlmd.escape(p.target.text)}"
        for p in bq.question.pairs
    )


def _sequence(bq: BankQuestion, link: Link) -> str:
    return "\n".join(
        f"{n}. {htmlmd.inline(c.html, link) or htmlmd.escape(c.text)}"
        for n, c in enumerate(bq.question.choices, start=1)
    )


def _none(bq: BankQuestion, link: Link) -> str:
    return ""


ANSWERS: dict[QuestionType, Callable[[BankQuestion, Link], str]] = {
    QuestionType.CHOICE: _task_list,
    QuestionType.MULTIPLE_CHOICE: _task_list,
    QuestionType.TRUE_FALSE: _task_list,
    QuestionType.LIKERT: _task_list,
    QuestionType.FILL_IN: _fill_in,
    QuestionType.NUMERIC: _numeric,
    QuestionType.MATCHING: _matching,
    QuestionType.SEQUENCING: _sequence,
    QuestionType.ESSAY: _none,
}
