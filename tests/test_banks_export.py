"""``ceforge export``: what each question type becomes in Moodle XML, GIFT and QTI 2.1, the
report of what a format cannot hold, reproducible bytes, and the command line."""

from __future__ import annotations

import base64
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from banks_support import EVERY_TYPE, EXAMPLE, ROOT, checked, fixture_course
from ceforge.banks.common import Format, Which
from ceforge.banks.export import ExportError, export_course
from ceforge.cli import main
from ceforge.diagnostics import Code, CourseError

IMSCP = ROOT / "src" / "ceforge" / "schemas" / "scorm2004-4th" / "imscp_v1p1.xsd"
QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"


def moodle(course: Path, tmp: Path, which: Which = Which.ALL) -> tuple[etree._Element, list]:
    exported = export_course(course, Format.MOODLE_XML, which, tmp / "bank.xml")
    return etree.parse(str(tmp / "bank.xml")).getroot(), exported.diagnostics


def question(root: etree._Element, ident: str) -> etree._Element:
    (found,) = root.xpath(f"question[idnumber='{ident}']")
    return found


def test_moodle_xml_of_every_type(tmp_path: Path) -> None:
    root, diagnostics = moodle(EVERY_TYPE, tmp_path)
    kinds = {q.findtext("idnumber"): q.get("type") for q in root if q.get("type") != "category"}
    assert kinds == {
        "kc-choice": "multichoice", "kc-multiple": "multichoice", "kc-true-false": "truefalse",
        "kc-fill-in": "shortanswer", "kc-numeric": "numerical", "kc-matching": "matching",
        "kc-sequencing": "ordering", "kc-essay": "essay", "post-choice": "multichoice",
        "post-multiple": "multichoice", "post-true-false": "truefalse",
        "post-fill-in": "shortanswer", "post-numeric-exact": "numerical",
        "post-numeric-range": "numerical", "post-matching": "matching",
        "post-sequencing": "ordering", "eval-objectives": "multichoice",
        "eval-change": "essay",
    }
    multiple = question(root, "kc-multiple")
    assert multiple.findtext("single") == "false"
    assert [a.get("fraction") for a in multiple.findall("answer")] == ["50", "-100", "50", "-100"]
    choice = question(root, "post-choice")
    assert choice.findtext("single") == "true" and choice.findtext("defaultgrade") == "2"
    assert [a.get("fraction") for a in choice.findall("answer")] == ["0", "100", "0", "0"]
    numeric = question(root, "kc-numeric").find("answer")
    assert (numeric.findtext("text"), numeric.findtext("tolerance")) == ("3.6", "0.1")
    ordering = question(root, "kc-sequencing")
    assert ordering.findtext("gradingtype") == "ALL_OR_NOTHING"
    assert ordering.findtext("selecttype") == "ALL"
    assert ordering.find("shownumcorrect") is not None
    assert [a.get("fraction") for a in ordering.findall("answer")] == ["1", "2", "3", "4"]
    fill_in = question(root, "kc-fill-in")
    assert fill_in.findtext("usecase") == "0"
    assert [a.findtext("text") for a in fill_in.findall("answer")] == ["congruence",
                                                                      "genuineness"]
    likert = question(root, "eval-objectives")
    assert likert.findtext("defaultgrade") == "0"
    assert {a.get("fraction") for a in likert.findall("answer")} == {"100"}
    survey_essay = question(root, "eval-change")
    assert survey_essay.findtext("defaultgrade") == "0"
    assert survey_essay.findtext("responserequired") == "0"
    true_false = question(root, "kc-true-false")
    assert [(a.findtext("text"), a.get("fraction")) for a in true_false.findall("answer")] == [
        ("true", "100"), ("false", "0")]
    changed = {d.message.split("'")[1] for d in diagnostics if d.code is Code.BANK_CHANGED}
    assert {"kc-multiple", "post-multiple", "kc-matching", "post-matching",
            "eval-objectives"} <= changed
    assert not [d for d in diagnostics if d.code is Code.BANK_LEFT_OUT]


def test_moodle_categories_and_the_quiz_it_needs(tmp_path: Path) -> None:
    course = checked(EXAMPLE)
    raw = export_course(EXAMPLE, Format.MOODLE_XML, Which.TEST, tmp_path / "t.xml")
    root = etree.parse(str(tmp_path / "t.xml")).getroot()
    (category,) = root.xpath("question[@type='category']/category/text/text()")
    assert category == f"$course$/top/{course.config.title}/Post-Test"
    assert course.test is not None and raw.questions == len(course.test.questions) == 45
    (advice,) = [d for d in raw.diagnostics if d.code is Code.BANK_CHANGED
                 and "Grade to pass" in d.message]
    assert advice.loc.path == "modules/08-post-test.md" and advice.loc.line == 29
    assert "add 42 random questions from the category" in advice.message
    assert "'Grade to pass' to 80 %" in advice.message and "attempts allowed 3" in advice.message
    quizzes = export_course(EXAMPLE, Format.MOODLE_XML, Which.QUIZZES, tmp_path / "q.xml")
    assert not [d for d in quizzes.diagnostics if "Grade to pass" in d.message]


def test_texts_with_markup_characters_are_cdata(tmp_path: Path) -> None:
    course = fixture_course("choice", tmp_path / "src")
    export_course(course, Format.MOODLE_XML, Which.ALL, tmp_path / "b.xml")
    data = (tmp_path / "b.xml").read_bytes()
    # the course title has an ampersand: Moodle would lose the spaces around entities
    assert b"<text><![CDATA[$course$/top/Question fixtures & friends/Choice]]></text>" in data


def test_pictures_travel_inside_moodle_xml(tmp_path: Path) -> None:
    course = fixture_course("stem-images", tmp_path / "src")
    root, _ = moodle(course, tmp_path)
    text = root.xpath("question[@type='multichoice']/questiontext")[0]
    assert '<img src="@@PLUGINFILE@@/assets/figure.svg"' in text.findtext("text")
    (file,) = text.findall("file")
    assert (file.get("name"), file.get("path"), file.get("encoding")) == (
        "figure.svg", "/assets/", "base64")
    assert base64.b64decode(file.text) == (course / "assets" / "figure.svg").read_bytes()


def test_gift_reports_what_it_cannot_hold(tmp_path: Path) -> None:
    exported = export_course(EVERY_TYPE, Format.GIFT, Which.ALL, tmp_path / "b.txt")
    left = {d.message.split("'")[1]: d.loc for d in exported.diagnostics
            if d.code is Code.BANK_LEFT_OUT}
    assert set(left) == {"kc-sequencing", "post-sequencing", "eval-objectives"}
    assert str(left["kc-sequencing"]).startswith("modules/01-reading.md:")
    text = (tmp_path / "b.txt").read_text()
    assert "kc-sequencing" not in text and "// [id:kc-choice]" in text
    marks = {d.message.split("'")[1] for d in exported.diagnostics if "holds no marks" in
             d.message}
    assert marks == {q.id for q in checked(EVERY_TYPE).questions
                     if q.points != 1 and q.type.gradable and "sequencing" not in q.id}


def test_gift_replaces_pictures_by_their_description(tmp_path: Path) -> None:
    course = fixture_course("stem-images", tmp_path / "src")
    exported = export_course(course, Format.GIFT, Which.ALL, tmp_path / "b.txt")
    text = (tmp_path / "b.txt").read_text()
    assert "<img" not in text and "[The empathy cycle, with the reflection stage highlighted]" in (
        text)
    assert any("holds no files: assets/figure.svg" in d.message for d in exported.diagnostics)


@pytest.mark.parametrize("fmt", list(Format))
def test_the_same_sources_give_the_same_bytes(fmt: Format, tmp_path: Path) -> None:
    first = export_course(EVERY_TYPE, fmt, Which.ALL, tmp_path / "one")
    second = export_course(EVERY_TYPE, fmt, Which.ALL, tmp_path / "two")
    assert first.path.read_bytes() == second.path.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_qti_package(tmp_path: Path) -> None:
    export_course(EXAMPLE, Format.QTI21, Which.ALL, tmp_path / "p.zip")
    course = checked(EXAMPLE)
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
        test = etree.fromstring(archive.read("assessment-test.xml"))
        items = {n: etree.fromstring(archive.read(n)) for n in names if n.startswith("item-")}
    schema = etree.XMLSchema(etree.parse(str(IMSCP), etree.XMLParser(no_network=True)))
    schema.assertValid(manifest)
    hrefs = manifest.xpath("//cp:file/@href", namespaces={
        "cp": "http://www.imsglobal.org/xsd/imscp_v1p1"})
    assert set(hrefs) == set(names) - {"imsmanifest.xml"}
    assert len(items) == len(course.questions)
    (selection,) = test.iter(f"{QTI}selection")
    assert selection.get("select") == "42"
    post = course.test
    assert post is not None
    weights = {ref.get("identifier"): ref.find(f"{QTI}weight").get("value")
               for ref in test.iter(f"{QTI}assessmentItemRef")}
    assert weights == {f"item-{q.id}": f"{q.points:g}" for q in post.questions}
    passing = test.xpath("q:outcomeDeclaration[@identifier='PASSING_SCORE']//q:value/text()",
                         namespaces={"q": QTI[1:-1]})
    assert passing == ["0.8"]
    rules = [p for i in items.values() for p in i.iter(f"{QTI}responseProcessing")]
    assert all(p.get("template") is None for p in rules)  # every post-test item has feedback


def test_qti_items_without_feedback_use_the_standard_templates(tmp_path: Path) -> None:
    export_course(EVERY_TYPE, Format.QTI21, Which.QUIZZES, tmp_path / "p.zip")
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        templates = {
            name: [p.get("template") for p in etree.fromstring(archive.read(name)).iter(
                f"{QTI}responseProcessing")]
            for name in archive.namelist() if name.startswith("item-")
        }
    base = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"
    assert templates == {
        "item-kc-choice.xml": [None],  # per-option feedback: rules of its own
        "item-kc-multiple.xml": [base + "match_correct"],
        "item-kc-true-false.xml": [base + "match_correct"],
        "item-kc-fill-in.xml": [base + "map_response"],
        "item-kc-numeric.xml": [None],  # a range: rules of its own
        "item-kc-matching.xml": [base + "match_correct"],
        "item-kc-sequencing.xml": [base + "match_correct"],
        "item-kc-essay.xml": [None],  # feedback only, nothing scored
    }


def run_export(*args: str) -> object:
    return CliRunner().invoke(main, ["export", *args], catch_exceptions=False)


def test_the_cli_writes_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "bank.gift.txt"
    result = run_export(str(EVERY_TYPE), "--format", "gift", "--which", "all", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out} (15 questions)\n"
    assert "modules/01-reading.md:" in result.stderr and "[bank.left-out]" in result.stderr
    strict = run_export(str(EVERY_TYPE), "--format", "gift", "--which", "all", "-o",
                        str(out), "--strict")
    assert strict.exit_code == 1


def test_the_cli_default_output_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_export(str(EVERY_TYPE), "--format", "qti21")
    assert result.exit_code == 0
    assert (tmp_path / "every-type-test-qti21.zip").is_file()


def test_a_course_with_errors_exports_nothing(tmp_path: Path) -> None:
    broken = ROOT / "tests" / "fixtures" / "broken" / "choice-without-correct-answer"
    result = run_export(str(broken), "--format", "moodle-xml", "-o", str(tmp_path / "b.xml"))
    assert result.exit_code == 1
    assert "[quiz.no-correct]" in result.stderr and "export failed" in result.stderr
    assert not list(tmp_path.iterdir())
    with pytest.raises(CourseError):
        export_course(broken, Format.MOODLE_XML, Which.ALL, tmp_path / "b.xml")


def test_a_course_without_a_test(tmp_path: Path) -> None:
    course = fixture_course("choice", tmp_path)
    result = run_export(str(course), "--format", "gift", "-o", str(tmp_path / "b.txt"))
    assert result.exit_code == 1
    assert "the course has no '::: test' block" in result.stderr
    with pytest.raises(ExportError):
        export_course(course, Format.GIFT, Which.TEST, tmp_path / "b.txt")


def test_an_unwritable_output_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    result = run_export(str(EVERY_TYPE), "--format", "moodle-xml", "-o",
                        str(tmp_path / "file" / "bank.xml"))
    assert result.exit_code == 1
    assert "export failed: cannot write" in result.stderr
    assert "Traceback" not in result.output


def test_control_characters_xml_cannot_hold_are_dropped(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "modules").mkdir(parents=True)
    (course / "course.yml").write_text("id: urn:ceforge:test:controls\ntitle: Controls\n")
    (course / "modules" / "01-m.md").write_text(
        "# M\n\n::: quiz\n\n### Form\x0cfeed here? {#q}\n\n- [x] a\x0b\n- [ ] b\n\n:::\n"
    )
    root, _ = moodle(course, tmp_path)
    assert question(root, "q").findtext("name/text") == "Form feed here?"
    export_course(course, Format.QTI21, Which.ALL, tmp_path / "p.zip")
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        item = etree.fromstring(archive.read("item-q.xml"))
    assert item.get("title") == "Form feed here?"
    assert [c.text for c in item.iter(f"{QTI}simpleChoice")] == ["a", "b"]


def test_answers_pasted_from_a_word_processor_accept_what_learners_type(tmp_path: Path) -> None:
    # ceforge's runtime compares both sides by the answer rule; an LMS's own quiz compares the
    # typed text with each answer, so the keyboard form is listed beside the one written.
    course = fixture_course("fill-in-typographic", tmp_path / "src")
    root, _ = moodle(course, tmp_path)
    by_prompt = {q.findtext("name/text"): [a.findtext("text") for a in q.findall("answer")]
                 for q in root.findall("question[@type='shortanswer']")}
    assert sorted(by_prompt.values()) == [["self‐disclosure", "self-disclosure"],
                                          ["“Tarasoff”", '"Tarasoff"', "Tarasoff"]]
    export_course(course, Format.GIFT, Which.ALL, tmp_path / "bank.txt")
    gift = (tmp_path / "bank.txt").read_text(encoding="utf-8")
    assert '{\n=“Tarasoff”\n="Tarasoff"\n=Tarasoff\n}' in gift
    assert "{\n=self‐disclosure\n=self-disclosure\n}" in gift
    export_course(course, Format.QTI21, Which.ALL, tmp_path / "p.zip")
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        keys = sorted(k for n in archive.namelist() if n.startswith("item-")
                      for k in etree.fromstring(archive.read(n)).xpath(
                          "//q:mapEntry/@mapKey", namespaces={"q": QTI[1:-1]}))
    assert keys == ['"tarasoff"', "self-disclosure", "self‐disclosure", "tarasoff", "“tarasoff”"]
