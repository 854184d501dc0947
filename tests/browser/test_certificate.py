"""The certificate of a CE course, in the web build, read as a board's auditor would read it.

``fixtures/ce/full`` uses every key of ``ce:`` and ``certificate:``, with three long approval
statements (ASWB, NBCC, APA). A learner completes it; the completion page asks for the licence
details once; the certificate then shows every field the bodies ask for, each read here on its
own; it prints on one page of Letter and of A4 (Chromium's print to PDF, pages counted), its
statements whole; the About page and the certificate pass axe; the name stays as issued unless
``edit_name`` allows a change.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from harness import SERIOUS, axe, describe_violations
from learner import (
    LICENSE,
    Course,
    built_course_data,
    complete_course,
    give_license,
    go_to_page,
    launch,
)
from playwright.sync_api import Page, expect

from ceforge.build import build
from ceforge.certificate import normalize_code, printed_code

FULL = Path(__file__).resolve().parent.parent / "fixtures" / "ce" / "full"
NAME = "Dana Whitfield"

BuildWeb = Callable[[Path], Path]
Serve = Callable[[Path], str]


@pytest.fixture(scope="module")
def full_web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    (folder,) = build(FULL, ["web"], tmp_path_factory.mktemp("ce-full-web")).paths
    return folder


def completed(page: Page, url: str) -> Course:
    """A learner named NAME takes the course to its end and gives the licence details."""
    course = launch(page, url, NAME)
    complete_course(page, course, license=False)
    assert give_license(page)
    expect(page.get_by_test_id("certificate")).to_be_visible()
    return course


def fact(page: Page, key: str) -> str:
    return page.get_by_test_id(f"certificate-fact-{key}").inner_text()


def pdf_pages(pdf: bytes) -> int:
    """The pages of a PDF Chromium printed: its page objects (``/Type /Page``, not
    ``/Pages``), which Chromium writes uncompressed, and which the page tree counts too."""
    objects = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    assert counts and max(counts) == objects, (objects, counts)
    return objects


# --- every field --------------------------------------------------------------------------------


def test_the_certificate_shows_every_field_a_board_asks_for(
    page: Page, full_web: Path, served: Serve
) -> None:
    course = completed(page, served(full_web) + "index.html")
    data = course.data["course"]
    ce = data["ce"]
    cert = page.get_by_test_id("certificate")
    expect(cert.get_by_test_id("certificate-provider")).to_have_text(ce["provider"])
    expect(cert.get_by_test_id("certificate-name")).to_have_text(NAME)
    expect(cert.get_by_test_id("certificate-license-number")).to_have_text(LICENSE["number"])
    expect(cert.get_by_test_id("certificate-license-state")).to_have_text(LICENSE["state"])
    expect(cert.get_by_test_id("certificate-course")).to_have_text(data["title"])
    expect(cert.get_by_test_id("certificate-version")).to_have_text("Version 2.1.0")

    state = page.evaluate("() => Ceforge.app.state")
    day = state["completed"]
    shown_day = page.evaluate("""(day) => new Intl.DateTimeFormat('en', {year: 'numeric',
        month: 'long', day: 'numeric', timeZone: 'UTC'}).format(new Date(day * 86400000))""", day)
    assert fact(page, "date") == shown_day
    assert fact(page, "hours") == "1"
    assert fact(page, "ethics-hours") == "1"
    assert fact(page, "format") == "Self-paced online home study"
    assert fact(page, "level") == "Beginning"
    assert fact(page, "score") == "100%"

    presenters = cert.get_by_test_id("certificate-presenter")
    expect(presenters).to_have_text(["Amara Okafor, PhD, LP", "Luis Ferreira, LCSW-C"])

    approvals = cert.get_by_test_id("certificate-approval")
    expect(approvals).to_have_count(3)
    for n, approval in enumerate(ce["approvals"]):
        shown = approvals.nth(n)
        expect(shown.get_by_test_id("certificate-body")).to_have_text(approval["body"])
        number = shown.get_by_test_id("certificate-number")
        if approval["number"]:
            expect(number).to_have_text(f"{approval['label']} {approval['number']}")
        else:
            expect(number).to_have_count(0)
        hours = shown.get_by_test_id("certificate-approval-hours")
        if approval["hours_text"]:
            expect(hours).to_have_text(approval["hours_text"])
        else:
            expect(hours).to_have_count(0)
        expect(shown.get_by_test_id("certificate-statement")).to_have_text(approval["statement"])

    signature = cert.get_by_test_id("certificate-signature")
    expect(signature.locator("img")).to_have_attribute("src", "assets/signature.svg")
    expect(signature.locator("img")).to_have_attribute(
        "alt", "Signature of Amara Okafor, PhD, LP")
    assert page.evaluate("""() => document.querySelector(
        '[data-testid=certificate-signature] img').naturalWidth""") > 0
    expect(signature.get_by_test_id("certificate-signer-name")).to_have_text(
        "Amara Okafor, PhD, LP")
    expect(signature.get_by_test_id("certificate-signer-title")).to_have_text(
        "Director of Continuing Education")

    contact = cert.get_by_test_id("certificate-contact").inner_text()
    for part in ("ce@harborview.example.org", "+1 555 010 0199", "https://harborview.example.org/ce",
                 "12 Quay Road, Suite 300"):
        assert part in contact

    # The code: random, well formed, kept in the state and sent with the completion.
    code = cert.get_by_test_id("certificate-code").inner_text()
    kept = state["certificate"]["code"]
    assert normalize_code(code) == kept and printed_code(kept) == code
    (event,) = [e for e in page.evaluate("() => Ceforge.app.events") if e["type"] == "completed"]
    assert event["certificate"] == {"code": kept, "name": NAME,
                                    "license_number": LICENSE["number"],
                                    "license_state": LICENSE["state"]}


def test_the_licence_details_are_asked_once_and_complete_the_course(
    page: Page, full_web: Path, served: Serve
) -> None:
    url = served(full_web) + "index.html"
    course = launch(page, url, NAME)
    complete_course(page, course, license=False)
    # Everything else is done: the last requirement is the licence details.
    status = page.evaluate("() => Ceforge.app.requirements().map(r => [r.key, r.done])")
    assert status[-1] == ["license", False] and all(done for _key, done in status[:-1])
    expect(page.get_by_test_id("certificate-locked")).to_be_visible()
    form = page.get_by_test_id("license-form")
    form.get_by_test_id("license-submit").click()  # nothing typed: refused, nothing saved
    expect(form.get_by_test_id("license-error")).not_to_be_empty()
    assert page.evaluate("() => Ceforge.app.state.completed") == 0
    assert give_license(page)
    expect(page.get_by_test_id("license-form")).to_have_count(0)  # asked once
    assert page.evaluate("() => Ceforge.app.state.completed") > 0
    saved = page.evaluate("() => Ceforge.state.decode(Ceforge.app.lastSaved, "
                          "Ceforge.app.data).certificate")
    assert (saved["license_number"], saved["license_state"]) == (
        LICENSE["number"], LICENSE["state"])
    page.reload()
    expect(page.get_by_test_id("certificate-license-number")).to_have_text(LICENSE["number"])
    expect(page.get_by_test_id("license-form")).to_have_count(0)


# --- one printed page ---------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_the_certificate_prints_on_one_page_with_every_statement_whole(
    page: Page, full_web: Path, served: Serve, paper: str
) -> None:
    completed(page, served(full_web) + "index.html")
    page.emulate_media(media="print")
    statements = page.get_by_test_id("certificate-statement")
    data = built_course_data(full_web)["course"]["ce"]
    expect(statements).to_have_text([a["statement"] for a in data["approvals"]])
    for n in range(statements.count()):
        expect(statements.nth(n)).to_be_visible()
    for hidden in ("toc", "exit", "certificate-print", "checklist"):
        expect(page.get_by_test_id(hidden)).to_be_hidden()
    pdf = page.pdf(format=paper, print_background=True)
    assert pdf_pages(pdf) == 1


# --- accessibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 320])
def test_the_about_page_and_the_certificate_pass_axe(
    page: Page, full_web: Path, served: Serve, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    url = served(full_web) + "index.html"
    course = launch(page, url, NAME)
    assert page.url.endswith("#/page/about")  # the About page comes first
    expect(page.get_by_test_id("page-title")).to_have_text("About this course")
    findings = []
    for label in ("the About page", "the References page", "the licence form",
                  "the certificate"):
        if label == "the References page":
            go_to_page(page, "references", keyboard=False)
        elif label == "the licence form":
            go_to_page(page, course.pages[1]["id"], keyboard=False)
            complete_course(page, course, license=False)
        elif label == "the certificate":
            assert give_license(page)
            expect(page.get_by_test_id("certificate")).to_be_visible()
        serious = [v for v in axe(page) if v["impact"] in SERIOUS]
        if serious:
            findings.append(f"--- {label} ({width} px)\n" + describe_violations(serious))
    assert not findings, "\n".join(findings)


# --- the name on the certificate ----------------------------------------------------------------


def test_the_name_stays_as_issued_unless_the_course_lets_the_learner_change_it(
    page: Page, served: Serve, built_web: BuildWeb, tmp_path: Path, full_web: Path
) -> None:
    completed(page, served(full_web) + "index.html")
    expect(page.get_by_test_id("name-input")).to_have_count(0)  # edit_name: false

    course = tmp_path / "editable"
    shutil.copytree(FULL, course)
    text = (course / "course.yml").read_text(encoding="utf-8")
    (course / "course.yml").write_text(text.replace("edit_name: false", "edit_name: true"),
                                       encoding="utf-8")
    other = page.context.new_page()
    completed(other, served(built_web(course)) + "index.html")
    other.get_by_test_id("name-input").fill("Dana M. Whitfield")
    other.get_by_test_id("name-submit").click()
    expect(other.get_by_test_id("certificate-name")).to_have_text("Dana M. Whitfield")
    state: dict[str, Any] = other.evaluate(
        "() => Ceforge.state.decode(Ceforge.app.lastSaved, Ceforge.app.data)")
    assert state["certificate"]["name"] == "Dana M. Whitfield"
    other.reload()
    expect(other.get_by_test_id("certificate-name")).to_have_text("Dana M. Whitfield")
