"""The CE keys of course.yml as the learner gets them: the About and References pages ceforge
writes (their places, contents, language and links), the CE facts and certificate details of
the course data, and what a package with one unit per module leaves out.

``fixtures/ce/full`` uses every key of ``ce:`` and ``certificate:``."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ceforge.build import check_course_folder
from ceforge.catalogues import messages_for
from ceforge.certificate import CODE_LENGTH, FIELD_MAX, NAME_MAX
from ceforge.cli import main
from ceforge.coursedata import course_data, state_budget, str_len
from ceforge.model import Course, ModuleKind
from ceforge.targets.base import BuildOptions
from ceforge.targets.scorm import plan_scos
from ceforge.xapi.cmi5 import assignable_units

HERE = Path(__file__).parent
FULL = HERE / "fixtures" / "ce" / "full"


def load(root: Path) -> Course:
    result = check_course_folder(root)
    assert result.course is not None
    assert not result.errors, result.diagnostics
    return result.course


def copy(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    shutil.copytree(FULL, course)
    return course


def edit(course: Path, old: str, new: str) -> None:
    path = course / "course.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def sections(html: str) -> dict[str, str]:
    """Each section of the About page (its ### heading, an h3) by heading, as text."""
    found = re.findall(r"<h3>(.*?)</h3>(.*?)</section>", html, re.S)
    return {unescape(title): text_of(body) for title, body in found}


# --- the pages and their places -------------------------------------------------------------


def test_the_about_page_comes_first_and_the_references_page_last() -> None:
    course = load(FULL)
    kinds = [m.kind for m in course.modules]
    assert kinds == [ModuleKind.ABOUT, ModuleKind.CONTENT, ModuleKind.CONTENT,
                     ModuleKind.REFERENCES]
    about, references = course.modules[0], course.modules[-1]
    assert about.generated and references.generated
    assert [p.id for p in about.pages] == ["about"] and about.title == "About this course"
    assert [p.id for p in references.pages] == ["references"]
    assert not about.required and not references.required


def test_the_words_about_and_references_place_the_pages(tmp_path: Path) -> None:
    course = copy(tmp_path)
    edit(course, "passing_score:", "modules:\n  - modules/01-confidentiality.md\n  - references\n"
         "  - about\n  - modules/02-assessment.md\npassing_score:")
    ids = [m.id for m in load(course).modules]
    assert ids == ["confidentiality", "references", "about", "assessment"]


def test_a_course_without_ce_has_no_such_pages(tmp_path: Path) -> None:
    course = copy(tmp_path)
    text = (course / "course.yml").read_text(encoding="utf-8")
    start, end = text.index("ce:\n"), text.index("theme:\n")
    (course / "course.yml").write_text(text[:start] + text[end:], encoding="utf-8")
    assert [m.kind for m in load(course).modules] == [ModuleKind.CONTENT] * 2


def test_the_references_can_be_a_module_of_the_course(tmp_path: Path) -> None:
    course = copy(tmp_path)
    text = (course / "course.yml").read_text(encoding="utf-8")
    start = text.index("  references:\n")
    end = text.index("  approvals:\n")
    text = text[:start] + "  references: modules/03-references.md\n" + text[end:]
    (course / "course.yml").write_text(text, encoding="utf-8")
    (course / "modules" / "03-references.md").write_text(
        "# Further reading\n\n- Barnett, J. E. (2015). *Ethics desk reference*.\n")
    loaded = load(course)
    assert [m.id for m in loaded.modules] == ["about", "confidentiality", "assessment",
                                               "references"]
    last = loaded.modules[-1]
    assert last.kind is ModuleKind.REFERENCES and not last.generated and not last.required
    # not required: the attestation before it is no 'ce.after-attestation'
    assert check_course_folder(course).diagnostics == []


# --- what the About page says ---------------------------------------------------------------


def test_the_about_page_says_what_the_bodies_ask() -> None:
    course = load(FULL)
    html = course.modules[0].pages[0].html
    assert html.startswith('<p class="cf-lead">A one-hour course')
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html))
    assert facts == {
        "Format": "Self-paced online home study",  # a label of the provider's, as written
        "CE hours": "1",
        "Ethics hours": "1",
        "Level": "Beginning",  # ASWB's word, as written
        "Provider": "Harborview Center for Professional Learning",
        "Version": "2.1.0",
    }
    found = sections(html)
    assert list(found) == [
        "Learning objectives", "Presenters", "Conflicts of interest and commercial support",
        "How to earn credit", "Accommodations", "Grievances", "Approvals", "Contact",
    ]
    assert found["Learning objectives"] == (
        "Confidentiality in Community Settings Explain the common limits of confidentiality "
        "Choose the minimum necessary disclosure"
    )
    presenters = found["Presenters"]
    assert presenters.startswith("Amara Okafor, PhD, LP Author and presenter Amara Okafor is")
    assert "Disclosures Nothing to disclose." in presenters
    assert presenters.endswith("Disclosures Luis Ferreira receives a speaking fee from "
                               "Harborview Center for Professional Learning.")
    assert found["Conflicts of interest and commercial support"] == (
        "There are no conflicts of interest and no commercial support to disclose.")
    assert found["How to earn credit"] == (
        "Read every page of the course. "
        "Pass the post-test with a score of 80% or more. Attempts allowed: 3. "
        "Submit the course evaluation. Affirm the attestation. "
        "Give your license number; it is printed on your certificate and sent to the provider's "
        "records. Give the state or jurisdiction of your license. "
        "Then print your certificate from the completion page. You can come back to print it "
        "again."
    )
    approvals = found["Approvals"]
    assert "ACE provider # EX-2231" in approvals and "ACEP No. EX-6120" in approvals
    assert "CE hours: 1, including ethics hours: 0.5" in approvals  # NBCC's own numbers
    assert approvals.count("CE hours:") == 1  # the others grant the course's
    assert approvals.endswith("partial credit is not awarded.")  # statements in full
    assert found["Contact"] == (
        "Harborview Center for Professional Learning Harborview Center for Professional "
        "Learning 12 Quay Road, Suite 300 Halifax, NS B3H 1A1 ce@harborview.example.org "
        "+1 555 010 0199 https://harborview.example.org/ce"
    )
    # links: mail, telephone, a bare web address, and a Markdown link in a bio
    assert '<a href="mailto:ce@harborview.example.org">' in html
    assert '<a href="tel:+15550100199">+1 555 010 0199</a>' in html
    assert ('<a href="https://harborview.example.org/ce/grievances">'
            "https://harborview.example.org/ce/grievances</a>") in html
    assert '<a href="assets/casebook.txt">ethics casebook</a>' in html
    assert "assets/casebook.txt" in course.assets


def test_the_references_page_lists_the_references() -> None:
    html = load(FULL).modules[-1].pages[0].html
    items = re.findall(r"<li>(.*?)</li>", html)
    assert len(items) == 3
    assert items[0] == ("American Psychological Association. (2017). <em>Ethical principles of "
                        "psychologists and code of conduct</em>.")


def test_a_link_of_course_yml_that_leads_nowhere_is_reported_at_its_key(tmp_path: Path) -> None:
    course = copy(tmp_path)
    edit(course, "[ethics casebook](assets/casebook.txt)", "[ethics casebook](assets/gone.txt)")
    result = CliRunner().invoke(main, ["check", str(course)])
    assert result.exit_code == 1
    line = next(n for n, text in enumerate(
        (course / "course.yml").read_text(encoding="utf-8").splitlines(), 1)
        if text.strip().startswith("bio: >-"))
    assert result.stdout == (
        f"course.yml:{line}: error: 'assets/gone.txt' does not exist [asset.missing]\n")


def test_the_about_page_speaks_the_course_language(tmp_path: Path) -> None:
    course = copy(tmp_path)
    edit(course, "language: en", "language: es-MX")
    edit(course, "format: Self-paced online home study", "format: home-study")
    loaded = load(course)
    about = loaded.modules[0]
    assert about.title == "Acerca de este curso" and loaded.modules[-1].title == "Referencias"
    html = about.pages[0].html
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html))
    assert facts["Modalidad"] == "Estudio a distancia en casa"
    assert facts["Nivel"] == "Principiante"
    found = sections(html)
    assert "de ellas de ética: 0,5" in found["Acreditaciones"]  # the Spanish decimal comma
    assert "una puntuación de 80\u00a0% o más" in html  # CLDR's space before % in Spanish


# --- the course data --------------------------------------------------------------------------


def data_of(course: Course) -> dict[str, Any]:
    return course_data(course, messages_for(course.config.language))


def test_the_course_data_holds_every_field_of_the_certificate() -> None:
    course = load(FULL)
    data = data_of(course)["course"]
    ce = data["ce"]
    assert ce["hours"] == 1 and ce["ethics_hours"] == 1
    assert (ce["level"], ce["level_label"]) == ("beginning", "Beginning")
    assert ce["format_label"] == "Self-paced online home study"
    assert ce["presenters"] == [
        {"name": "Amara Okafor", "credentials": "PhD, LP", "role": "Author and presenter"},
        {"name": "Luis Ferreira", "credentials": "LCSW-C", "role": "Case consultant"},
    ]
    assert ce["contact"]["email"] == "ce@harborview.example.org"
    assert [(a["label"], a["number"], a["hours_text"]) for a in ce["approvals"]] == [
        ("ACE provider #", "EX-2231", ""),
        ("ACEP No.", "EX-6120", "CE hours: 1, including ethics hours: 0.5"),
        ("Approval no.", "", ""),
    ]
    assert data["certificate"] == {
        "signature": {"name": "Amara Okafor, PhD, LP", "title": "Director of Continuing Education",
                      "image": "assets/signature.svg"},
        "collect": ["license_number", "license_state"],
        "edit_name": False,
        "field_max": FIELD_MAX,
    }
    assert "assets/signature.svg" in course.assets


def test_only_the_generated_pages_are_optional() -> None:
    data = data_of(load(FULL))
    optional = {p["id"]: p.get("optional", False) for m in data["modules"] for p in m["pages"]}
    assert {page for page, flag in optional.items() if flag} == {"about", "references"}
    assert [m.get("kind", "content") for m in data["modules"]] == [
        "about", "content", "content", "references"]


def test_certificate_false_and_the_default(tmp_path: Path) -> None:
    course = copy(tmp_path)
    text = (course / "course.yml").read_text(encoding="utf-8")
    start, end = text.index("certificate:\n"), text.index("theme:\n")
    (course / "course.yml").write_text(text[:start] + text[end:], encoding="utf-8")
    default = data_of(load(course))["course"]["certificate"]
    assert default == {"signature": None, "collect": [], "edit_name": False,
                       "field_max": FIELD_MAX}
    (course / "course.yml").write_text(text[:start] + "certificate: false\n" + text[end:],
                                       encoding="utf-8")
    assert data_of(load(course))["course"]["certificate"] is False


def test_the_state_budget_counts_the_certificate_record(tmp_path: Path) -> None:
    """docs/runtime.md, field 8: the code, the name and the licence fields asked for."""
    with_all = state_budget(load(FULL)).worst_case
    course = copy(tmp_path)
    edit(course, "  collect: [license_number, license_state]\n", "  collect: [license_state]\n")
    one_field = state_budget(load(course)).worst_case
    assert with_all - one_field == str_len(FIELD_MAX) - str_len(0)
    edit(course, "certificate:\n", "certificate_off:\n")  # an unknown key: no certificate
    text = (course / "course.yml").read_text(encoding="utf-8")
    start, end = text.index("certificate_off:\n"), text.index("theme:\n")
    (course / "course.yml").write_text(text[:start] + "certificate: false\n" + text[end:],
                                       encoding="utf-8")
    without = state_budget(load(course)).worst_case
    record = str_len(CODE_LENGTH) + str_len(NAME_MAX) + str_len(FIELD_MAX) + str_len(0)
    assert one_field - without == record


# --- packages with a unit per module ------------------------------------------------------------


@pytest.mark.parametrize("layout", ["scorm", "cmi5"])
def test_a_unit_per_module_leaves_the_generated_pages_out(layout: str) -> None:
    course = load(FULL)
    if layout == "scorm":
        units = [sco.module for sco in plan_scos(course, BuildOptions(sco="module"))]
    else:
        units = [au.module for au in assignable_units(course, "module")]
    assert units == ["confidentiality", "assessment"]
