"""The certificate ceforge writes for a provider (``ceforge.certpage``: the dossier's sample,
``ceforge records --certificates``) reads, field by field, as the one the learner printed.

A learner completes the every-type course in the web build; every ``certificate-*`` field of
the runtime's certificate is read from the page, and the certificate ``certpage`` writes for the
same record (the learner's name, licence, date, score and code, as the page shows them) must
hold the same fields with the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import lxml.html
from learner import complete_course, launch
from playwright.sync_api import Page

from ceforge.build import check_course_folder
from ceforge.certificate import normalize_code
from ceforge.certpage import CertificateRecord, certificate_html

ROOT = Path(__file__).resolve().parents[2]
EVERY_TYPE = ROOT / "tests" / "fixtures" / "web" / "every-type"
NAME = "Dana Sample"


def fields(elements: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for testid, text in elements:
        if testid.startswith("certificate-") and testid != "certificate-print":
            found.setdefault(testid, []).append(" ".join(text.split()))
    return found


def test_the_certificate_ceforge_writes_reads_as_the_runtimes(
    page: Page, every_type_web: Path, served: object
) -> None:
    course = launch(page, served(every_type_web) + "index.html", NAME)  # type: ignore[operator]
    complete_course(page, course)
    certificate = page.get_by_test_id("certificate")
    shown = fields(certificate.locator("[data-testid]").evaluate_all(
        "els => els.map(el => [el.dataset.testid, el.textContent])"))

    assert {"certificate-name", "certificate-course", "certificate-fact-date",
            "certificate-fact-hours", "certificate-statement", "certificate-code"} <= set(shown)
    score = shown.get("certificate-fact-score", [""])[0]
    checked = check_course_folder(EVERY_TYPE)
    assert checked.course is not None
    record = CertificateRecord(
        name=shown["certificate-name"][0],
        completed=date.today(),
        code=normalize_code(shown["certificate-code"][0]) or "",
        score=float(re.sub(r"[^0-9.]", "", score)) / 100 if score else None,
        license_number=shown.get("certificate-license-number", [""])[0],
        license_state=shown.get("certificate-license-state", [""])[0],
    )
    written = lxml.html.fragment_fromstring(certificate_html(checked.course, record))
    ours = fields((e.get("data-testid", ""), e.text_content())
                  for e in written.iter() if e.get("data-testid"))
    assert ours == shown
