"""What a designer's tools do to the source, read as the designer meant it.

The item-by-item diagnostics live in the broken-course corpus (``fixtures/broken``); here, a
whole course written the way Word and Windows write it (``word_course``) is read as meant,
and the learner interface speaks the course's language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ceforge import catalogues, markdown
from ceforge.build import check_course_folder
from ceforge.coursedata import course_data
from ceforge.diagnostics import Code
from ceforge.model import BlockKind, QuestionType
from ceforge.sourcetext import BLOCK_WORDS
from ceforge.targets.common import messages_for
from word_course import write_word_course


def test_a_course_written_in_word_reads_as_meant(tmp_path: Path) -> None:
    course_root = write_word_course(tmp_path / "word")
    result = check_course_folder(course_root)
    # the CE rules aside (a provider's checklist: format, presenters, …, which this course
    # does not fill in), only the value in typographic quotes is reported
    assert [(str(d.loc), d.code) for d in result.diagnostics
            if not d.code.value[0].startswith("ce.")] == [
        ("course.yml:10", Code.YAML_CURLY_QUOTES)  # “1234”, read as 1234
    ]
    course = result.course
    assert course is not None
    assert course.config.title == "Duty to Warn in “Everyday” Practice"
    assert course.config.ce is not None
    assert course.config.ce.approvals[0].number == "1234"
    ethics, assessment = course.unit_modules  # the About page ceforge writes comes first
    assert ethics.title == "Duty to warn"
    assert ethics.objectives == ["Explain the duty to warn"]
    assert [p.title for p in ethics.pages] == ["Duty to warn", "Check your understanding"]
    ruling, harm, steps = course.questions[:3]
    assert (ruling.type, ruling.answers) == (QuestionType.FILL_IN, ["“Tarasoff”"])
    assert "Regents" in ruling.feedback_html
    assert harm.type is QuestionType.TRUE_FALSE
    assert [c.id for c in harm.choices if c.correct] == ["true"]
    assert steps.type is QuestionType.MULTIPLE_CHOICE
    assert [c.correct for c in steps.choices] == [True, True, False]
    assert [c.text for c in steps.choices][2] == "Wait for the next session"
    test = course.test
    assert test is not None and test.attempts == 2
    assert [q.type for q in test.questions] == [QuestionType.CHOICE, QuestionType.FILL_IN]
    assert assessment.blocks[1].kind is BlockKind.SURVEY
    data = course_data(course, messages_for("en"))
    assert data["course"]["ce"]["approvals"][0]["number"] == "1234"
    post_ruling = data["blocks"][1]["questions"][1]
    assert post_ruling["accept"] == ['"tarasoff"', "tarasoff v. regents"]


def test_unicode_spaces_inside_text_are_kept(tmp_path: Path) -> None:
    course_root = write_word_course(tmp_path / "word")
    result = check_course_folder(course_root)
    assert result.course is not None
    assert "10\u00a0minutes" in result.course.unit_modules[0].pages[0].html


def test_code_blocks_are_left_as_written(tmp_path: Path) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "course.yml").write_text("id: urn:ceforge:test:c\ntitle: C\n", "utf-8")
    (tmp_path / "modules" / "01-code.md").write_text(
        "# Code\n\n```\n###\u00a0not a heading\n:: quiz\n```\n", "utf-8"
    )
    result = check_course_folder(tmp_path)
    assert not result.diagnostics
    assert result.course is not None
    assert "###\u00a0not a heading\n:: quiz" in result.course.modules[0].pages[0].html


def test_the_block_words_are_the_container_kinds() -> None:
    assert markdown.CONTAINER_KINDS == BLOCK_WORDS


# --- the learner interface's languages ----------------------------------------------------

ENGLISH = catalogues.read("en")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("name", catalogues.available())
def test_every_catalogue_has_every_key_with_the_same_placeholders(name: str) -> None:
    catalogue = catalogues.read(name)
    assert sorted(catalogue) == sorted(ENGLISH)
    for key, text in catalogue.items():
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(ENGLISH[key])), key
        assert text.strip() == text and text, key
    if name != "en":  # translated, not copied (names such as "Version {version}" aside)
        same = [k for k in ENGLISH if catalogue[k] == ENGLISH[k]]
        assert len(same) <= 6, same


def test_the_catalogues_are_the_documented_ones() -> None:
    assert catalogues.available() == sorted(catalogues.NAMES)
    authoring = (Path(__file__).parent.parent / "docs" / "authoring.md").read_text("utf-8")
    for name in catalogues.available():
        assert f"`{name}`" in authoring


@pytest.mark.parametrize(
    ("language", "catalogue"),
    [
        ("en", "en"), ("en-US", "en"), ("es-MX", "es"),
        ("fr", "fr"), ("fr-CA", "fr"), ("fr-FR", "fr"),
        ("pt", "pt"), ("pt-BR", "pt"), ("pt-PT", "pt"),
        ("de", "de"), ("de-AT", "de"), ("de-CH", "de"),
        ("it", None), ("zh-Hant-TW", None),
    ],
)
def test_a_regional_tag_picks_its_language(language: str, catalogue: str | None) -> None:
    assert catalogues.catalogue_for(language) == catalogue
    messages = messages_for(language)
    assert messages == (ENGLISH | catalogues.read(catalogue or "en"))


@pytest.mark.parametrize("language", ["fr-CA", "pt-BR", "de-AT", "es", "en-GB"])
def test_a_language_with_a_catalogue_is_not_warned_about(tmp_path: Path, language: str) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "course.yml").write_text(
        f"id: urn:ceforge:test:l\ntitle: L\nlanguage: {language}\n", "utf-8"
    )
    (tmp_path / "modules" / "01-a.md").write_text("# A\n\nText.\n", "utf-8")
    assert check_course_folder(tmp_path).diagnostics == []


def test_the_catalogues_use_formal_address() -> None:
    """A professional course speaks to its learners formally: vous, Sie; in Brazil, você with
    the imperative of the third person (never the informal tu forms)."""
    texts = {name: " ".join(catalogues.read(name).values()) for name in ("fr", "de", "pt")}
    assert re.search(r"\bvous\b", texts["fr"]) and not re.search(r"\b(tu|ton|ta|tes)\b",
                                                                 texts["fr"])
    assert re.search(r"\bSie\b", texts["de"]) and not re.search(r"\b(du|dein|deine)\b",
                                                                texts["de"])
    assert re.search(r"\bvocê\b", texts["pt"]) and not re.search(r"\b(tu|teu|tua)\b",
                                                                 texts["pt"])


def test_french_punctuation_has_its_no_break_spaces() -> None:
    for key, text in catalogues.read("fr").items():
        assert " :" not in text and "« " not in text and " »" not in text, key
    raw = (catalogues.MESSAGES_DIR / "fr.json").read_text("utf-8")
    assert "\u00a0" not in raw and json.loads(raw)["certificate_code"].endswith("\u00a0:")


# --- a module's opening page --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: Empathy\n---\n\n# Empathy\n\n## First page\n\nText.\n",
        "---\ntitle: Empathy\nobjectives: [Define empathy]\n---\n\n# Empathy in practice\n\n"
        "## First page\n\nText.\n",
        "# Empathy\n\n<!-- notes for the designer -->\n\n[ref]: https://example.org\n\n"
        "## First page\n\nText.\n",
        "# Empathy\n\n&nbsp;\n\n## First page\n\nText.\n",
    ],
)
def test_an_opening_page_with_nothing_to_read_is_left_out(tmp_path: Path, text: str) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "course.yml").write_text("id: urn:ceforge:test:o\ntitle: O\n", "utf-8")
    (tmp_path / "modules" / "01-empathy.md").write_text(text, "utf-8")
    result = check_course_folder(tmp_path)
    assert result.diagnostics == []
    assert result.course is not None
    (module,) = result.course.modules
    assert [(p.id, p.title) for p in module.pages] == [("empathy-p1", "First page")]


@pytest.mark.parametrize(
    "opening",
    ["Empathy is the ground of every skill.", "![The cycle](../assets/cycle.svg)", "::: quiz\n\n"
     "### Is empathy agreement?\n\n- [ ] True\n- [x] False\n\n:::"],
)
def test_an_opening_page_with_something_to_read_stays(tmp_path: Path, opening: str) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "cycle.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "course.yml").write_text("id: urn:ceforge:test:o\ntitle: O\n", "utf-8")
    (tmp_path / "modules" / "01-empathy.md").write_text(
        f"# Empathy\n\n{opening}\n\n## First page\n\nText.\n", "utf-8"
    )
    result = check_course_folder(tmp_path)
    assert result.diagnostics == []
    assert result.course is not None
    assert [p.title for p in result.course.modules[0].pages] == ["Empathy", "First page"]


def test_a_module_of_a_title_alone_is_empty(tmp_path: Path) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "course.yml").write_text("id: urn:ceforge:test:o\ntitle: O\n", "utf-8")
    (tmp_path / "modules" / "01-empathy.md").write_text(
        "---\ntitle: Empathy\n---\n\n# Empathy\n", "utf-8"
    )
    result = check_course_folder(tmp_path)
    assert [(str(d.loc), d.code) for d in result.diagnostics] == [
        ("modules/01-empathy.md:1", Code.MODULE_EMPTY)
    ]
