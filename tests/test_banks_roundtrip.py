"""Round trips: ``ceforge export`` then ``ceforge import`` give back the same questions (types,
answers, feedback, points, pictures), for the example course and the fixture of every type;
what a format cannot carry is exactly what export reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from banks_support import EXAMPLE, by_id, checked, clean_cases, content, fixture_course
from ceforge.banks.common import Format, Which
from ceforge.banks.export import export_course
from ceforge.banks.importer import BankFormat, import_bank
from ceforge.diagnostics import Code
from ceforge.model import QuestionType

CASES = clean_cases()


def round_trip(course_root: Path, fmt: Format, tmp: Path) -> tuple[object, object, list]:
    bank = tmp / ("bank.xml" if fmt is Format.MOODLE_XML else "bank.gift.txt")
    exported = export_course(course_root, fmt, Which.ALL, bank)
    kind = BankFormat.MOODLE_XML if fmt is Format.MOODLE_XML else BankFormat.GIFT
    imported = import_bank(kind, bank, tmp / "imported")
    return exported, imported, checked(tmp / "imported")


def left_out(diagnostics: list) -> set[str]:
    return {d.message.split("'")[1] for d in diagnostics if d.code is Code.BANK_LEFT_OUT}


@pytest.mark.parametrize("case", CASES)
def test_moodle_xml_round_trip_of_every_fixture(case: str, tmp_path: Path) -> None:
    source = checked(fixture_course(case, tmp_path / "src"))
    exported, _imported, back = round_trip(Path(source.root), Format.MOODLE_XML, tmp_path)
    assert not left_out(exported.diagnostics)
    again = by_id(back)
    assert sorted(again) == sorted(q.id for q in source.questions)
    for question in source.questions:
        assert content(back, again[question.id]) == content(source, question), question.id


def test_moodle_xml_round_trip_of_the_example_course(tmp_path: Path) -> None:
    source = checked(EXAMPLE)
    exported, imported, back = round_trip(EXAMPLE, Format.MOODLE_XML, tmp_path)
    assert not left_out(exported.diagnostics)
    assert imported.questions == len(source.questions) == 76
    again = by_id(back)
    for question in source.questions:
        assert content(back, again[question.id]) == content(source, question), question.id
    kinds = {q.id: b.kind.value for b in back.blocks for q in b.questions}
    surveys = {q.id for b in source.blocks if b.kind.value == "survey" for q in b.questions}
    assert {i for i, kind in kinds.items() if kind == "survey"} == surveys


@pytest.mark.parametrize("case", CASES)
def test_gift_round_trip_of_every_fixture(case: str, tmp_path: Path) -> None:
    source = checked(fixture_course(case, tmp_path / "src"))
    unsayable = {q.id for q in source.questions
                 if q.type in (QuestionType.SEQUENCING, QuestionType.LIKERT)}
    if unsayable == {q.id for q in source.questions}:
        exported = export_course(Path(source.root), Format.GIFT, Which.ALL, tmp_path / "b.txt")
        assert exported.questions == 0 and left_out(exported.diagnostics) == unsayable
        return
    exported, _imported, back = round_trip(Path(source.root), Format.GIFT, tmp_path)
    gone = left_out(exported.diagnostics)
    assert gone == unsayable
    with_files = {d.message.split("'")[1] for d in exported.diagnostics
                  if d.code is Code.BANK_CHANGED and "holds no files" in d.message}
    again = by_id(back)
    assert sorted(again) == sorted(q.id for q in source.questions if q.id not in gone)
    for question in source.questions:
        if question.id in gone or question.id in with_files:
            continue
        assert content(back, again[question.id], points=False) == content(
            source, question, points=False
        ), question.id


def test_gift_round_trip_of_the_example_course(tmp_path: Path) -> None:
    source = checked(EXAMPLE)
    exported, imported, back = round_trip(EXAMPLE, Format.GIFT, tmp_path)
    gone = left_out(exported.diagnostics)
    assert gone == {q.id for q in source.questions if q.type in (QuestionType.SEQUENCING,
                                                                   QuestionType.LIKERT)}
    assert imported.questions == len(source.questions) - len(gone) == 63
    again = by_id(back)
    for question in source.questions:
        if question.id not in gone:
            assert content(back, again[question.id], points=False) == content(
                source, question, points=False
            ), question.id
    worth_more = {q.id for q in source.questions if q.points != 1 and q.id not in gone}
    marks = {d.message.split("'")[1] for d in exported.diagnostics if "holds no marks" in
             d.message}
    assert marks == worth_more
