"""``ceforge dossier``: the course as an approving body reads it, through the command line.

The example course's dossier is compared with a golden file (its HTML canonicalised: the
stylesheets left out, inlined images named by their digest), and read back for what a board
asks: the credit calculation with its figures, every post-test question with its key, the
sample certificate. Bad input is refused as ``check`` refuses it, with nothing written. The
PDF is printed by Chromium and read back with pypdf.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import shutil
import sys
import unicodedata
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner, Result

from ceforge.build import check_course_folder
from ceforge.certificate import normalize_code
from ceforge.cli import main
from ceforge.credit import course_time
from ceforge.dossier import SAMPLE_CODE, make_dossier, write_dossier
from ceforge.model import BlockKind, QuestionType
from golden import assert_golden_text
from oracles import chromium_path, missing

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "therapy-foundations"
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "goldens" / "dossier"
CHOICES = (QuestionType.CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE)
_DATA_URL = re.compile(r"data:([^;,]+);base64,([A-Za-z0-9+/=]+)")


def canonical(html: str) -> str:
    """The dossier as its golden holds it: parsed and written again by lxml, the stylesheets
    (the runtime's and the dossier's own CSS, which have their own reviews) left out, and each
    inlined image replaced by its type and digest."""
    tree = lxml.html.document_fromstring(html)
    for style in tree.iter("style"):
        style.text = "/* stylesheet */"

    def digest(match: re.Match[str]) -> str:
        return f"data:{match[1]};sha256={hashlib.sha256(match[2].encode()).hexdigest()[:16]}"

    text = lxml.html.tostring(tree, encoding="unicode", pretty_print=True,
                              doctype="<!DOCTYPE html>")
    return _DATA_URL.sub(digest, text)


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, ["dossier", *args], catch_exceptions=False)
    assert "Traceback" not in result.output + result.stderr
    return result


def diagnostics(result: Result) -> list[str]:
    """The diagnostic lines on stderr (the log says what it reads besides)."""
    return [line for line in result.stderr.splitlines()
            if re.match(r"^\S+:\d+: (error|warning): ", line)]


def test_the_example_dossier_is_golden() -> None:
    assert_golden_text(GOLDEN / "therapy-foundations.html", canonical(make_dossier(EXAMPLE).html))


def test_the_dossier_is_reproducible_and_stands_alone(tmp_path: Path) -> None:
    first = run(str(EXAMPLE), "-o", str(tmp_path / "a"), "-q")
    copy = tmp_path / "copy" / EXAMPLE.name
    shutil.copytree(EXAMPLE, copy)
    second = run(str(copy), "-o", str(tmp_path / "b"), "-q")
    assert first.exit_code == second.exit_code == 0, first.stderr + second.stderr
    a = tmp_path / "a" / "therapy-foundations-dossier.html"
    b = tmp_path / "b" / "therapy-foundations-dossier.html"
    assert first.stdout.splitlines() == [f"wrote {a}"]
    assert a.read_bytes() == b.read_bytes()
    tree = lxml.html.parse(str(a)).getroot()
    # self-contained: every image inlined, no stylesheet or script fetched
    assert [s for s in tree.xpath("//@src") if not s.startswith("data:")] == []
    assert tree.xpath("//link[@rel='stylesheet'] | //script") == []
    # the table of contents links every section, numbered in order
    toc = tree.xpath("//nav[@class='dz-toc']//a")
    sections = tree.xpath("//section[@class='dz-section']")
    assert [a.get("href") for a in toc] == ["#" + s.get("id") for s in sections]
    assert [a.text_content().split(".")[0] for a in toc] == [
        str(n) for n in range(1, len(toc) + 1)
    ]
    assert {s.get("id") for s in sections} >= {
        "course", "outline", "credit", "presenters", "requirements", "post-test",
        "knowledge-checks", "evaluation", "attestation", "support", "certificate", "references",
    }


def _section(tree: lxml.html.HtmlElement, anchor: str) -> lxml.html.HtmlElement:
    found = tree.xpath(f"//section[@id='{anchor}']")
    assert len(found) == 1, anchor
    return found[0]


def test_the_credit_calculation_shows_its_figures_and_assumptions() -> None:
    dossier = make_dossier(EXAMPLE)
    course = dossier.checked.course
    assert course is not None
    tree = lxml.html.document_fromstring(dossier.html)
    credit = _section(tree, "credit")
    rows = credit.xpath(".//tbody/tr")
    times = course_time(course)
    assert len(rows) == len(times) + 1  # and the total
    for row, time in zip(rows, times, strict=False):
        cells = [c.text_content() for c in row.xpath("./td")]
        assert cells[0] == time.module.title
        assert int(cells[1]) == time.words
        assert int(cells[3]) == time.questions
        assert cells[4] == (str(time.stated) if time.stated is not None else "—")
    total = [c.text_content() for c in rows[-1].xpath("./td")]
    assert int(total[0]) == sum(t.words for t in times)
    text = " ".join(credit.text_content().split())
    assert "150 words a minute" in text and "1 minute a question" in text
    assert "claims 7 CE hours (420 minutes)" in text
    # the example checks clean, and the dossier says so
    assert "finds nothing against the CE rules" in text


def _media_cells(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """The credit table's media running time, by module title."""
    rows = _section(tree, "credit").xpath(".//tbody/tr")
    return {row.xpath("./td")[0].text_content(): row.xpath("./td")[2].text_content()
            for row in rows[:-1]}


def test_the_credit_calculation_counts_media_at_their_running_time() -> None:
    dossier = make_dossier(EXAMPLE)
    course = dossier.checked.course
    assert course is not None
    times = {t.module.id: t for t in course_time(course)}
    empathy, reflection = times["empathy"], times["self-reflection"]
    assert [(m.src, m.kind) for m in empathy.media] == [("assets/media/empathy-demo.webm", "video")]
    assert [(m.src, m.kind) for m in reflection.media] == [
        ("assets/media/grounding-pause.ogg", "audio")]
    assert empathy.media_seconds == pytest.approx(22.8, abs=0.05)
    assert reflection.media_seconds == pytest.approx(19.9, abs=0.05)
    assert all(not t.media for m, t in times.items() if m not in ("empathy", "self-reflection"))
    for time in (empathy, reflection):
        assert time.estimate == pytest.approx(
            time.words / 150 + time.questions + time.media_seconds / 60)
    tree = lxml.html.document_fromstring(dossier.html)
    cells = _media_cells(tree)
    assert cells[empathy.module.title] == "0:23"
    assert cells[reflection.module.title] == "0:20"
    assert {cells[t.module.title] for t in times.values() if not t.media} == {"—"}
    credit = _section(tree, "credit")
    assert credit.xpath(".//tbody/tr")[-1].xpath("./td")[1].text_content() == "0:43"
    listed = [" ".join(li.text_content().split())
              for li in credit.xpath(".//ul[@class='dz-media']/li")]
    assert listed == [
        f"assets/media/empathy-demo.webm (video, {empathy.module.title}): 22.8 seconds",
        f"assets/media/grounding-pause.ogg (audio, {reflection.module.title}): 19.9 seconds",
    ]
    assert "counted at their running time" in " ".join(credit.text_content().split())


def test_a_media_file_whose_running_time_cannot_be_read_is_said_so(tmp_path: Path) -> None:
    copy = tmp_path / "course"
    shutil.copytree(EXAMPLE, copy)
    (copy / "assets" / "media" / "grounding-pause.ogg").write_bytes(b"OggS" + bytes(60))
    module = copy / "modules" / "07-self-reflection.md"
    module.write_text(module.read_text(encoding="utf-8").replace("minutes: 45\n", ""),
                      encoding="utf-8")
    course = check_course_folder(copy).course
    assert course is not None
    reflection = next(t for t in course_time(course) if t.module.id == "self-reflection")
    assert reflection.media_seconds == 0
    assert [m.src for m in reflection.unread_media] == ["assets/media/grounding-pause.ogg"]
    # check's hours estimate is the same calculation, and names the file it could not read
    checked = CliRunner().invoke(main, ["check", str(copy)], catch_exceptions=False)
    mismatch = [line for line in checked.output.splitlines() if "[ce.hours-mismatch]" in line]
    assert len(mismatch) == 1
    assert ("audio and video at their running time; not counted, running time unknown: audio "
            "assets/media/grounding-pause.ogg of self-reflection (its running time cannot be "
            "read from the file's headers)") in mismatch[0]
    tree = lxml.html.document_fromstring(make_dossier(copy).html)
    assert _media_cells(tree)[reflection.module.title] == "1 unknown"
    credit = " ".join(_section(tree, "credit").text_content().split())
    assert ("assets/media/grounding-pause.ogg (audio, Self-Reflection and Personal Growth): "
            "running time unknown, not counted: its running time cannot be read from the "
            "file's headers") in credit


def test_the_outline_lists_each_modules_handouts_with_their_word_counts() -> None:
    tree = lxml.html.document_fromstring(make_dossier(EXAMPLE).html)
    outline = _section(tree, "outline")
    listed = {row.xpath("./td")[0].text_content(): " ".join(row.xpath("./td")[2].text_content()
                                                           .split())
              for row in outline.xpath(".//tbody/tr")}
    words = len((EXAMPLE / "assets" / "handouts" / "ethics-decision-worksheet.txt").read_text()
                .split())
    ethics = next(title for title in listed if title.startswith("Ethical Considerations"))
    assert listed[ethics] == f"assets/handouts/ethics-decision-worksheet.txt ({words} words)"
    assert listed[next(t for t in listed if t.startswith("The Foundation of Empathy"))] == ""


def test_the_outline_lists_the_resources_page_each_handout_on_it(tmp_path: Path) -> None:
    copy = tmp_path / "course"
    shutil.copytree(EXAMPLE, copy)
    (copy / "assets" / "handouts" / "reading-list.txt").write_text("Three more readings.\n",
                                                                   encoding="utf-8")
    outline = _section(lxml.html.document_fromstring(make_dossier(copy).html), "outline")
    listed = [" ".join(li.text_content().split())
              for li in outline.xpath(".//ul[@class='dz-resources']/li")]
    handouts = sorted((copy / "assets" / "handouts").iterdir())
    assert [item.split(" (")[0] for item in listed] == [
        f"assets/handouts/{path.name}" for path in handouts]
    words = len((copy / "assets" / "handouts" / "ethics-decision-worksheet.txt").read_text()
                .split())
    assert "assets/handouts/ethics-decision-worksheet.txt (TXT, " in listed[2]
    assert listed[2].endswith(f"kB, {words} words)")
    assert ("assets/handouts/reading-list.txt (TXT, 0.1 kB, 3 words, linked from no module)"
            in listed)


def test_every_post_test_question_is_numbered_with_its_key() -> None:
    dossier = make_dossier(EXAMPLE)
    course = dossier.checked.course
    assert course is not None
    tree = lxml.html.document_fromstring(dossier.html)
    section = _section(tree, "post-test")
    pool = [q for b in course.blocks_of(BlockKind.TEST) for q in b.questions]
    shown = section.xpath(".//div[@class='dz-question']")
    assert [q.get("id") for q in shown] == [f"q-{q.id}" for q in pool]
    assert [q.xpath(".//span[@class='dz-q-number']")[0].text for q in shown] == [
        f"{n}." for n in range(1, len(pool) + 1)
    ]
    for element, question in zip(shown, pool, strict=True):
        marked = element.xpath(".//li[@class='dz-correct']")
        if question.type in CHOICES:
            assert len(marked) == sum(c.correct for c in question.choices), question.id
            assert len(marked) >= 1, question.id
        if question.feedback_html:
            assert element.xpath(".//div[@class='dz-feedback']"), question.id
    facts = section.xpath(".//p[@class='dz-block-facts']")[0].text_content()
    assert f"42 of {len(pool)} questions drawn" in facts and "3 attempts" in facts


def test_every_question_type_has_its_key(tmp_path: Path) -> None:
    dossier = make_dossier(FIXTURES / "web" / "every-type")
    course = dossier.checked.course
    assert course is not None
    tree = lxml.html.document_fromstring(dossier.html)
    for block in course.blocks_of(BlockKind.TEST) + course.blocks_of(BlockKind.QUIZ):
        for question in block.questions:
            element = tree.xpath(f"//div[@id='q-{question.id}']")[0]
            text = " ".join(element.text_content().split())
            if question.answers:
                assert all(a in text for a in question.answers), question.id
            if question.numeric is not None:
                assert "Accepted answer" in text, question.id
            if question.pairs:
                assert len(element.xpath(".//table//tbody/tr")) == len(question.pairs)
            if question.type.value == "sequencing":
                items = [li.text_content().strip() for li in element.xpath(".//ol/li")]
                assert items == [c.text for c in question.choices]


def test_the_sample_certificate_is_the_certificate_page() -> None:
    tree = lxml.html.document_fromstring(make_dossier(EXAMPLE).html)
    certificate = _section(tree, "certificate").xpath(".//article[@data-testid='certificate']")[0]

    def field(testid: str) -> list[str]:
        return [" ".join(e.text_content().split())
                for e in certificate.xpath(f".//*[@data-testid='{testid}']")]

    assert field("certificate-name") == ["Sample Learner"]
    assert field("certificate-license-number") == ["SAMPLE-0000"]
    assert field("certificate-course")[0].startswith("Foundations of Therapy Practice")
    assert field("certificate-presenter") == [
        "Dana Whitfield, PhD, LCSW", "Marcus Olsen, LPC, NCC, ACS"]
    assert field("certificate-fact-date") == ["January 15, 2026"]
    assert field("certificate-fact-hours") == ["7"]
    assert field("certificate-fact-ethics-hours") == ["1"]
    assert field("certificate-fact-format") == ["Online, asynchronous"]
    assert len(field("certificate-statement")) == 3
    assert field("certificate-number") == ["ACE provider # EX-1147", "ACEP No. EX-7010"]
    code = field("certificate-code")[0]
    assert normalize_code(code) == SAMPLE_CODE  # well-formed, and the sample's own


def test_a_sample_date_is_printed_as_given(tmp_path: Path) -> None:
    result = run(str(EXAMPLE), "-o", str(tmp_path), "--sample-date", "2026-03-02", "-q")
    assert result.exit_code == 0, result.stderr
    html = (tmp_path / "therapy-foundations-dossier.html").read_text(encoding="utf-8")
    assert "March 2, 2026" in html
    bad = run(str(EXAMPLE), "-o", str(tmp_path / "x"), "--sample-date", "2026-13-02")
    assert bad.exit_code == 2 and "is not a date" in bad.stderr
    assert not (tmp_path / "x").exists()


def test_a_broken_course_is_refused_at_the_lines_of_its_faults(tmp_path: Path) -> None:
    course = FIXTURES / "broken" / "ce-bad-values"
    result = run(str(course), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    checked = check_course_folder(course)
    assert diagnostics(result) == [str(d) for d in checked.errors]
    assert "no dossier written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_course_without_ce_has_no_dossier(tmp_path: Path) -> None:
    result = run(str(FIXTURES / "dossier" / "no-ce"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    [first] = diagnostics(result)
    assert re.fullmatch(r"course\.yml:1: error: .*has no 'ce:' section.* \[dossier\.no-ce\]", first)
    assert not (tmp_path / "out").exists()


def test_without_the_pdf_extra_it_says_so_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # as if not installed
    result = run(str(EXAMPLE), "-o", str(tmp_path / "out"), "--pdf")
    assert result.exit_code == 1
    assert "pip install 'ceforge[pdf]'" in result.stderr
    assert "no dossier written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_chromium_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEFORGE_CHROMIUM", str(tmp_path / "no-chromium"))
    result = run(str(EXAMPLE), "-o", str(tmp_path / "out"), "--pdf")
    assert result.exit_code == 1
    assert "CEFORGE_CHROMIUM names" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.browser
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_pdf_has_numbered_pages_and_the_whole_dossier(
    paper: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        import playwright.sync_api  # noqa: F401
        import pypdf
    except ImportError as exc:
        missing(f"the pdf extra ({exc.name})", "pip install 'ceforge[pdf]' pypdf")
    monkeypatch.setenv("CEFORGE_CHROMIUM", str(chromium_path()))
    result = run(str(EXAMPLE), "-o", str(tmp_path), "--pdf", "--paper", paper, "-q")
    assert result.exit_code == 0, result.stderr
    pdf = tmp_path / "therapy-foundations-dossier.pdf"
    assert result.stdout.splitlines()[-1] == f"wrote {pdf}"
    reader = pypdf.PdfReader(pdf)
    # NFKC: Chromium's fonts set "fi" as a ligature
    pages = [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
             for page in reader.pages]
    count = len(pages)
    assert 20 <= count <= 80, count
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == ((612, 792) if paper == "letter" else (595, 842))
    # every page after the cover is numbered "Page n of N"
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {count}" in text, number
    whole = " ".join(pages)
    assert "Foundations of Therapy Practice" in pages[0]
    for heading in ("Credit calculation", "Post-test with answer key", "Sample certificate",
                    "References", "Course evaluation", "Attestation"):
        assert heading in whole
    assert "SAMP-LECE-RTX" in whole
    # the sample certificate is on one page, whole, under its heading
    on = [n for n, text in enumerate(pages) if "Certificate of completion" in text]
    assert len(on) == 1 and "Verification code" in pages[on[0]]
    assert re.search(r"\b\d+\. Sample certificate\b", pages[on[0]])
    # the contents give the page each section starts on, which has its heading
    contents = unicodedata.normalize("NFKC", reader.pages[0].extract_text())
    entries = re.findall(r"^(\d+)\. (.+?) (\d+)$", contents, re.MULTILINE)
    assert len(entries) == 12
    for number, title, page in entries:
        assert f"{number}. {title}" in pages[int(page) - 1], (title, page)
    assert int(entries[-1][2]) > int(entries[0][2]) > 1
    assert len(reader.outline) >= 1  # bookmarks from the headings


@pytest.mark.browser
def test_the_pdf_prints_where_an_asyncio_loop_runs(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Playwright's sync API refuses an asyncio loop's thread (a notebook, a test session that
    holds a browser): ceforge prints in a thread of its own."""
    try:
        import playwright.sync_api  # noqa: F401
        import pypdf  # noqa: F401
    except ImportError as exc:
        missing(f"the pdf extra ({exc.name})", "pip install 'ceforge[pdf]' pypdf")
    monkeypatch.setenv("CEFORGE_CHROMIUM", str(chromium_path()))

    def write() -> list[Path]:
        return write_dossier(FIXTURES / "web" / "every-type", tmp_path, pdf=True)

    async def inside_a_loop() -> list[Path]:
        return write()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        written = asyncio.run(inside_a_loop())
    else:  # a loop runs in this thread already (the session's browser fixture holds one)
        written = write()
    assert [p.name for p in written] == ["every-type-dossier.html", "every-type-dossier.pdf"]
    assert written[1].read_bytes().startswith(b"%PDF-")
