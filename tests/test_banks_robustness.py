"""Whatever the bank, ``ceforge import`` reads it into questions or diagnostics, never an
exception: arbitrary GIFT built from its special characters, the fixture banks cut short at
every point, and Moodle XML with arbitrary texts; and what it does write passes
``ceforge check``."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from banks_support import BANKS
from ceforge.banks.bank import Bank
from ceforge.banks.common import Format, Which
from ceforge.banks.export import export_course
from ceforge.banks.gift_in import read_gift
from ceforge.banks.htmlmd import escape
from ceforge.banks.importer import BankFormat, BankImportError, import_bank
from ceforge.banks.moodle_in import read_moodle_xml
from ceforge.build import check_course_folder
from ceforge.diagnostics import Code, CourseError, Reporter

ROBUST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GIFT_PIECES = [
    "\n", "\n\n", " ", "::", "{", "}", "=", "~", "#", "####", "->", "%", "%50%", "%-100%",
    "\\", "\\:", "\\{", "\\n", ":", "..", "T", "FALSE", "[html]", "[markdown]", "[plain]",
    "// [id:q-1]\n", "$CATEGORY: $course$/top/A/B\n", "<p>", "</p>", "<img src=x>", "42", "-3.5",
    "answer", "* ", "1. ", "> ", "`", "_",
]
gift_text = st.lists(st.sampled_from(GIFT_PIECES) | st.text(max_size=4), max_size=60).map(
    "".join
)


def _read_gift(text: str) -> tuple[Bank, Reporter]:
    reporter = Reporter()
    return read_gift(text, "bank.gift.txt", reporter), reporter


@ROBUST
@given(gift_text)
def test_any_gift_reads_without_an_exception(text: str) -> None:
    bank, reporter = _read_gift(text)
    assert all(d.loc.path == "bank.gift.txt" for d in reporter.diagnostics)
    assert all(q.question.type for q in bank.questions)


def test_the_gift_fixture_cut_short_anywhere() -> None:
    text = (BANKS / "features.gift.txt").read_text(encoding="utf-8")
    for end in range(0, len(text), 7):
        _read_gift(text[:end])


def test_the_moodle_fixture_cut_short_anywhere() -> None:
    data = (BANKS / "every-type.moodle.xml").read_bytes()
    for end in range(0, len(data), 97):
        reporter = Reporter()
        bank = read_moodle_xml(data[:end], "bank.xml", reporter)
        assert bank is not None or reporter.errors


xml_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)


@ROBUST
@given(kind=st.sampled_from(["multichoice", "truefalse", "shortanswer", "numerical",
                             "matching", "ordering", "essay", "category", "cloze", ""]),
       texts=st.lists(xml_text, min_size=4, max_size=4),
       fraction=st.sampled_from(["100", "0", "-50", "33.3", "x", ""]))
def test_any_moodle_question_reads_without_an_exception(
    kind: str, texts: list[str], fraction: str
) -> None:
    from lxml import etree

    quiz = etree.Element("quiz")
    question = etree.SubElement(quiz, "question", type=kind)
    for tag, text in zip(("name", "questiontext", "generalfeedback"), texts, strict=False):
        etree.SubElement(etree.SubElement(question, tag), "text").text = _xml(text)
    for value in (texts[3], "true", "false"):
        answer = etree.SubElement(question, "answer", fraction=fraction, format="html")
        etree.SubElement(answer, "text").text = _xml(value)
        etree.SubElement(answer, "tolerance").text = _xml(texts[0])
    sub = etree.SubElement(question, "subquestion", format="html")
    etree.SubElement(sub, "text").text = _xml(texts[1])
    etree.SubElement(etree.SubElement(sub, "answer"), "text").text = _xml(texts[2])
    etree.SubElement(question, "defaultgrade").text = _xml(texts[3])
    reporter = Reporter()
    read_moodle_xml(etree.tostring(quiz), "bank.xml", reporter)


def _xml(text: str) -> str:
    return "".join(c for c in text if c in "\t\n\r" or c >= " ")


# Texts with every character Markdown reads as markup, GIFT's escaped, to test the escaping of
# what import writes: the Markdown must read back as the same question and pass check.
MARKUP = "*_`[]<>#!|~=+-:.1)&{}\\ aZé"
phrase = st.text(st.sampled_from(MARKUP), min_size=1, max_size=12).filter(
    lambda t: t.strip(" \\") != ""
)


def _gift(text: str) -> str:
    return "".join("\\" + c if c in "~=#{}:\\" else c for c in text)


answers = st.one_of(
    st.tuples(phrase, phrase).map(lambda p: f"={_gift(p[0])} ~{_gift(p[1])}"),
    st.tuples(phrase, phrase, phrase).map(
        lambda p: f"~%50%{_gift(p[0])} ~%50%{_gift(p[1])} ~%-100%{_gift(p[2])}"),
    st.sampled_from(["T", "F", "TRUE#a#b", "#42", "#-1.5:0.5", "#10..20", ""]),
    st.tuples(phrase, phrase).map(lambda p: f"={_gift(p[0])}x ={_gift(p[1])}y"),
    st.tuples(phrase, phrase).map(
        lambda p: f"={_gift(p[0].replace('-', ''))}1 -> a ={_gift(p[1].replace('-', ''))}2 -> b"),
)
questions = st.lists(
    st.tuples(phrase, answers, phrase).map(
        lambda q: f"::{_gift(q[0])}::{_gift(q[0])} {{{q[1]}####{_gift(q[2])}}}\n"),
    min_size=1,
    max_size=4,
).map("\n".join)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=questions)
def test_what_import_writes_passes_check(
    text: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder: Path = tmp_path_factory.mktemp("robust")
    bank = folder / "bank.gift.txt"
    bank.write_text(text, encoding="utf-8")
    try:
        imported = import_bank(BankFormat.GIFT, bank, folder / "out")
    except CourseError:
        event("the bank has errors: reported, nothing written")
        return
    except BankImportError as error:
        assert "no question could be carried over" in str(error), error
        event("no question to carry over")
        return
    event("written")
    result = check_course_folder(folder / "out")
    assert not result.errors, [str(d) for d in result.errors]
    assert result.course is not None
    read = Reporter()
    bank_again = read_gift(text, "bank.gift.txt", read)
    by_id = {q.id: q for q in result.course.questions}
    dropped = {d.loc.line for d in imported.diagnostics if d.code is Code.BANK_LEFT_OUT}
    written = [q.question for q in bank_again.questions if q.question.loc.line not in dropped]
    assert len(by_id) == imported.questions == len(written)
    for before, after in zip(written, result.course.questions, strict=True):
        assert after.type is before.type
        assert after.prompt_text == before.prompt_text
        assert [c.text for c in after.choices] == [c.text for c in before.choices]
        assert after.answers == before.answers
        assert [(p.source.text, p.target.text) for p in after.pairs] == [
            (p.source.text, p.target.text) for p in before.pairs]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(texts=st.lists(phrase, min_size=6, max_size=6),
       fmt=st.sampled_from([Format.MOODLE_XML, Format.GIFT]))
@example(texts=["1", "1", "1", "->", "1", "1"], fmt=Format.GIFT)
def test_any_text_survives_export_and_import(
    texts: list[str], fmt: Format, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Questions whose texts hold every markup character, exported and imported again."""
    folder: Path = tmp_path_factory.mktemp("texts")
    course = folder / "course"
    (course / "modules").mkdir(parents=True)
    (course / "course.yml").write_text("id: urn:ceforge:test:texts\ntitle: Texts\n")
    e = [escape(t) for t in texts]
    answer = texts[3].strip() + "x"
    (course / "modules" / "01-m.md").write_text(
        f"# M\n\n::: quiz\n\n### {e[0]} {{#q-choice}}\n\n- [x] {e[1]}\n- [ ] {e[2]}\n\n"
        f"> {e[4]}\n\n### {e[0]}? {{#q-fill}}\n\n= {answer}\n\n"
        f"### {e[5]} {{#q-match}}\n\n- {e[1].replace('-', '')}1 -> {e[2]}\n"
        f"- {e[1].replace('-', '')}2 -> {e[3]}\n\n:::\n",
        encoding="utf-8",
    )
    before = check_course_folder(course)
    if before.course is None or before.diagnostics:
        event("the generated source is not a clean course")  # e.g. '->' in a matching side
        return
    bank = folder / "bank"
    exported = export_course(course, fmt, Which.ALL, bank)
    gone = {d.message.split("'")[1] for d in exported.diagnostics
            if d.code is Code.BANK_LEFT_OUT}
    if fmt is Format.GIFT and "->" in answer:
        assert gone == {"q-fill"}  # GIFT reads an answer holding '->' as a matching pair
    kind = BankFormat.MOODLE_XML if fmt is Format.MOODLE_XML else BankFormat.GIFT
    import_bank(kind, bank, folder / "out")
    after = check_course_folder(folder / "out")
    assert after.course is not None and not after.errors
    event("round trip")
    kept = [q for q in before.course.questions if q.id not in gone]
    for old, new in zip(kept, after.course.questions, strict=True):
        assert (new.id, new.type, new.prompt_text) == (old.id, old.type, old.prompt_text)
        assert [(c.text, c.correct) for c in new.choices] == [
            (c.text, c.correct) for c in old.choices]
        assert new.answers == old.answers
        assert [(p.source.text, p.target.text) for p in new.pairs] == [
            (p.source.text, p.target.text) for p in old.pairs]
