"""``ceforge import``: hand-written Moodle XML and GIFT banks with every question type and
syntax feature become ceforge Markdown that passes ``ceforge check``, with a report of every
question not carried over; broken input gets a diagnostic at its line, never a traceback, and
nothing is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from banks_support import BANKS, checked
from ceforge.banks.importer import BankFormat, BankImportError, import_bank, read_bank
from ceforge.cli import main
from ceforge.diagnostics import Code, CourseError, Reporter
from ceforge.model import BlockKind, QuestionType
from oracles import node, node_module

EVERY_TYPE_XML = BANKS / "every-type.moodle.xml"
FEATURES_GIFT = BANKS / "features.gift.txt"
ERRORS_GIFT = BANKS / "errors.gift.txt"


def report(diagnostics: list) -> list[tuple[int, str, str]]:
    return [(d.loc.line, d.code.code, d.message) for d in diagnostics]


def test_every_moodle_type_is_carried_over_or_reported(tmp_path: Path) -> None:
    imported = import_bank(BankFormat.MOODLE_XML, EVERY_TYPE_XML, tmp_path / "course")
    course = checked(tmp_path / "course")
    types = {q.id: q.type for q in course.questions}
    assert types == {
        "reflect-feeling": QuestionType.CHOICE,
        "oars": QuestionType.MULTIPLE_CHOICE,
        "silence": QuestionType.TRUE_FALSE,
        "listening-reflecting-q4": QuestionType.FILL_IN,  # its idnumber 'bad id!' is no id
        "session-minutes": QuestionType.NUMERIC,
        "founders": QuestionType.MATCHING,
        "stages": QuestionType.SEQUENCING,
        "stuck-session": QuestionType.ESSAY,
        "eval-relevance": QuestionType.LIKERT,
        "eval-comments": QuestionType.ESSAY,
    }
    assert imported.questions == 10
    left = {d.message.split("'")[1]: d.loc.line for d in imported.diagnostics
            if d.code is Code.BANK_LEFT_OUT}
    assert left == {
        "Wildcard answer": 159, "Two right answers": 342, "About this section": 357,
        "Embedded answers": 368, "Caseload": 379, "Simple calculation": 390,
        "Calculated choice": 396, "Drag into text": 402, "Select missing words": 408,
        "Drag onto the diagram": 414, "Place the markers": 420, "Random matching": 426,
        "Random question": 432, "A STACK question": 438,
    }
    why = {d.message for d in imported.diagnostics if d.code is Code.BANK_LEFT_OUT}
    assert any("cloze" in m and "one answer block" in m for m in why)
    assert any("wildcard" in m for m in why)
    by_id = {q.id: q for q in course.questions}
    choice = by_id["reflect-feeling"]
    assert choice.points == 2 and [c.correct for c in choice.choices] == [True, False, False]
    assert choice.choices[0].feedback_html == "<p>Yes: it names the feeling.</p>"
    assert '<img src="assets/circle-mark.svg" alt="A circle" />' in choice.stem_html
    assert (tmp_path / "course/assets/circle-mark.svg").read_bytes().startswith(b"<svg")
    assert by_id["session-minutes"].numeric is not None
    assert (by_id["session-minutes"].numeric.low, by_id["session-minutes"].numeric.high) == (45, 55)
    assert by_id["listening-reflecting-q4"].answers == ["Carl Rogers", "Rogers"]
    assert [c.text for c in by_id["stages"].choices] == [
        "Precontemplation", "Contemplation", "Preparation"]
    assert [(p.source.text, p.target.text) for p in by_id["founders"].pairs] == [
        ("Cognitive therapy", "Aaron Beck"), ("Person-centred therapy", "Carl Rogers")]
    assert "<ol>" in by_id["stuck-session"].stem_html  # kept as HTML, not a sequence
    kinds = {q.id: b.kind for b in course.blocks for q in b.questions}
    assert kinds["eval-relevance"] is kinds["eval-comments"] is BlockKind.SURVEY
    assert kinds["stuck-session"] is BlockKind.QUIZ
    titles = [m.title for m in course.modules]
    assert titles == ["Listening & Reflecting", "Evaluation"]
    assert course.config.title == "Default for Counselling Skills"
    changed = {m for _l, c, m in report(imported.diagnostics) if c == "bank.changed"}
    assert any("letter case" in m for m in changed)
    assert any("units are dropped" in m for m in changed)
    assert any("extra answer 'Sigmund Freud'" in m for m in changed)
    assert any("grades its order in parts" in m for m in changed)
    assert "question 'Stages of change': its hints are dropped: ceforge gives feedback, not " \
        "hints" in changed
    assert "question 'Founder of client-centred therapy': the feedback of the answer 'Rogers' " \
        "is dropped" in changed


def test_every_gift_feature(tmp_path: Path) -> None:
    imported = import_bank(BankFormat.GIFT, FEATURES_GIFT, tmp_path / "course")
    course = checked(tmp_path / "course")
    by_id = {q.id: q for q in course.questions}
    assert [m.title for m in course.modules] == ["Basics", "Formats"]
    assert {i: q.type.value for i, q in by_id.items()} == {
        "kc-choice": "choice", "kc-multiple": "multiple-choice", "kc-true": "true-false",
        "kc-short": "fill-in", "kc-number": "numeric", "kc-tolerance": "numeric",
        "kc-range": "numeric", "kc-numeric-answers": "numeric", "kc-match": "matching",
        "kc-missing-word": "fill-in", "kc-essay": "essay", "kc-escapes": "choice",
        "fmt-markdown": "fill-in", "fmt-plain": "true-false", "formats-q3": "true-false",
    }
    numeric = {i: (q.numeric.low, q.numeric.high) for i, q in by_id.items() if q.numeric}
    assert numeric == {"kc-number": (100, 100), "kc-tolerance": (3.5, 3.7),
                       "kc-range": (10, 14), "kc-numeric-answers": (40, 44)}
    choice = by_id["kc-choice"]
    assert choice.feedback_html == "<p>Open questions invite elaboration.</p>"
    assert [c.correct for c in choice.choices] == [True, False, False]
    assert choice.choices[1].feedback_html == "<p>This can be answered yes or no.</p>"
    true_false = by_id["kc-true"]
    right = next(c for c in true_false.choices if c.correct)
    wrong = next(c for c in true_false.choices if not c.correct)
    assert right.id == "false"
    assert right.feedback_html == "<p>Right: understanding, not agreement.</p>"
    assert wrong.feedback_html == "<p>Agreement is not needed.</p>"
    assert by_id["kc-short"].answers == ["Carl Rogers", "Rogers"]
    assert by_id["kc-missing-word"].prompt_text == (
        "The skill of saying back the meaning is called _____ listening.")
    escapes = by_id["kc-escapes"]
    assert escapes.prompt_text == (
        "What do {braces}, ~tilde, =equals, #hash and a colon: mean in GIFT?")
    assert escapes.choices[0].text == "They are escaped with a backslash \\ in text."
    assert by_id["kc-multiple"].prompt_html == "Which of these are <em>reflections</em>?"
    assert by_id["fmt-markdown"].prompt_html == "Which word is <strong>bold</strong> here?"
    assert by_id["fmt-plain"].prompt_text == "Is <b> shown as text?"
    assert by_id["kc-essay"].feedback_html == "<p>There is no single right answer.</p>"
    left = [m for _l, c, m in report(imported.diagnostics) if c == "bank.left-out"]
    assert left == ["question 'A description has no answers and is not carried over.' is not "
                    "carried over: a description is text, not a question: copy it into a page"]


def test_the_gift_features_fixture_is_gift_to_an_independent_parser() -> None:
    node_module("gift-pegjs")
    items = node("return require('gift-pegjs').parse(input);",
                 FEATURES_GIFT.read_text(encoding="utf-8"))
    questions = [i for i in items if i["type"] not in ("Category", "Description")]
    reporter = Reporter()
    bank = read_bank(BankFormat.GIFT, FEATURES_GIFT, reporter)
    assert bank is not None
    assert [i["id"] or "" for i in questions] == [q.given_id for q in bank.questions]


def test_every_gift_syntax_error_at_its_line() -> None:
    reporter = Reporter()
    bank = read_bank(BankFormat.GIFT, ERRORS_GIFT, reporter)
    expected = (BANKS / "errors.expected.txt").read_text(encoding="utf-8").splitlines()
    assert [f"{d.loc.line}: {d.severity}: {d.message} [{d.code.code}]"
            for d in reporter.sorted()] == expected
    assert all(d.code is Code.BANK_GIFT_SYNTAX for d in reporter.diagnostics)
    assert bank is not None and [q.given_id for q in bank.questions] == ["good-one", "good-two"]


def run_import(*args: str) -> object:
    return CliRunner().invoke(main, ["import", *args], catch_exceptions=False)


def test_a_bank_with_errors_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    result = run_import("gift", str(ERRORS_GIFT), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "errors.gift.txt:4: error: a question name opened with '::' is never closed" in (
        result.stderr)
    assert "import failed: 14 errors, 0 warnings" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.iterdir())


BROKEN_XML = {
    "not-well-formed.xml": (b"<quiz>\n<question type='truefalse'>\n<name><text>x</name>\n</quiz>",
                            3, Code.BANK_XML_SYNTAX, "not well-formed XML"),
    "billion-laughs.xml": (b'<?xml version="1.0"?>\n<!DOCTYPE quiz [\n<!ENTITY lol "lol">\n'
                           b'<!ENTITY lol2 "&lol;&lol;&lol;">\n]>\n<quiz>&lol2;</quiz>',
                           3, Code.BANK_XML_ENTITY, "declares the entity 'lol'"),
    "external.xml": (b'<?xml version="1.0"?>\n<!DOCTYPE quiz [\n<!ENTITY x SYSTEM '
                     b'"file:///etc/passwd">\n]>\n<quiz>&x;</quiz>',
                     3, Code.BANK_XML_ENTITY, "declares the entity 'x'"),
    "not-a-quiz.xml": (b"<?xml version='1.0'?>\n\n<manifest/>", 3, Code.BANK_XML_SYNTAX,
                       "the root element is <manifest>, not <quiz>"),
    "empty.xml": (b"", 1, Code.BANK_XML_SYNTAX, "not well-formed XML"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_XML))
def test_broken_moodle_xml_gets_a_diagnostic_at_its_line(name: str, tmp_path: Path) -> None:
    data, line, code, message = BROKEN_XML[name]
    bank = tmp_path / name
    bank.write_bytes(data)
    result = run_import("moodle-xml", str(bank), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{bank}:{line}: error: " if line else f"{bank}: error: ")
    assert message in first and first.endswith(f"[{code.code}]")
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_a_huge_bank_is_refused_before_it_is_read(tmp_path: Path) -> None:
    bank = tmp_path / "huge.xml"
    with bank.open("wb") as file:
        file.truncate(65 * 1024 * 1024)  # sparse: no 65 MiB written
    result = run_import("moodle-xml", str(bank))
    assert result.exit_code == 1
    assert f"{bank}: error: {bank} is larger than 64 MiB" in result.stderr
    assert "[bank.unreadable]" in result.stderr


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"::Q::Text{=a}\n\xff\xfe broken", "is not UTF-8 text (byte 14)"),
        (b"::Q::Text\x00{=a}", "is a binary file, not GIFT text"),
    ],
)
def test_unreadable_gift(data: bytes, message: str, tmp_path: Path) -> None:
    bank = tmp_path / "bank.txt"
    bank.write_bytes(data)
    reporter = Reporter()
    assert read_bank(BankFormat.GIFT, bank, reporter) is None
    assert [d.code for d in reporter.diagnostics] == [Code.BANK_UNREADABLE]
    assert message in reporter.diagnostics[0].message


def test_a_missing_bank(tmp_path: Path) -> None:
    with pytest.raises(CourseError) as error:
        import_bank(BankFormat.GIFT, tmp_path / "nowhere.txt", tmp_path / "out")
    assert "does not exist" in error.value.diagnostics[0].message


def test_import_never_writes_into_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(BankImportError, match="already exists"):
        import_bank(BankFormat.GIFT, FEATURES_GIFT, tmp_path / "out")
    assert os.listdir(tmp_path / "out") == ["keep.txt"]


def test_import_as_one_module_of_an_existing_course(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "modules").mkdir(parents=True)
    (course / "assets").mkdir()
    (course / "course.yml").write_text("id: urn:ceforge:test:into\ntitle: Into a course\n")
    (course / "modules" / "01-intro.md").write_text("# Intro\n\nWelcome.\n")
    (course / "assets" / "circle-mark.svg").write_text("<svg>another picture</svg>")
    result = run_import("moodle-xml", str(EVERY_TYPE_XML), "-o",
                        str(course / "modules" / "02-bank.md"))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {course / 'modules' / '02-bank.md'} (10 questions)\n"
    text = (course / "modules" / "02-bank.md").read_text()
    assert "## Listening & Reflecting" in text and "## Evaluation" in text
    assert "](../assets/circle-mark-2.svg)" in text  # the name was taken by another file
    assert (course / "assets" / "circle-mark.svg").read_text() == "<svg>another picture</svg>"
    checked_course = checked(course)
    assert len(checked_course.questions) == 10
    assert [p.title for p in checked_course.modules[1].pages] == [
        "Listening & Reflecting", "Evaluation"]


def test_the_cli_prints_the_report_and_strict_fails_on_it(tmp_path: Path) -> None:
    result = run_import("gift", str(FEATURES_GIFT), "-o", str(tmp_path / "a"))
    assert result.exit_code == 0
    assert result.stdout == f"wrote {tmp_path / 'a'} (15 questions)\n"
    assert "[bank.left-out]" in result.stderr
    strict = run_import("gift", str(FEATURES_GIFT), "-o", str(tmp_path / "b"), "--strict")
    assert strict.exit_code == 1
