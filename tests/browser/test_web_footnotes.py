"""Footnotes in the browser: a citation leads to its note on the same page, the note's back-link
leads back, and the learner's place in the course does not change (a note's ``#fn1`` is not a
route)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from learner import launch, next_page
from playwright.sync_api import Page, expect

BuildWeb = Callable[[Path], Path]
Serve = Callable[[Path], str]

MODULE = """\
# Listening

## Reflections

A reflection mirrors the client's words.[^mirror]

## Summaries

A summary gathers reflections[^mirror] and checks them.[^check]

[^mirror]: Rogers, 1951.
[^check]: "Did I get that right?"
"""


def write_course(root: Path) -> Path:
    (root / "modules").mkdir(parents=True)
    (root / "course.yml").write_text("id: https://example.org/ce/notes\ntitle: Notes\n")
    (root / "modules" / "01-listening.md").write_text(MODULE)
    return root


def test_a_citation_leads_to_its_note_on_the_same_page(
    page: Page, built_web: BuildWeb, serve: Serve, tmp_path: Path
) -> None:
    url = serve(built_web(write_course(tmp_path / "course"))) + "index.html"
    launch(page, url, "Ana Ruiz")
    title = page.get_by_test_id("page-title")
    expect(title).to_have_text("Reflections")
    notes = page.locator(".footnote-item")
    expect(notes).to_have_count(1)
    page.locator("a[href='#fn1']").click()
    expect(page.locator("#fn1")).to_be_in_viewport()
    expect(title).to_have_text("Reflections")
    page.locator("#fn1 .footnote-backref").click()
    expect(page.locator("#fnref1")).to_be_in_viewport()
    expect(title).to_have_text("Reflections")

    next_page(page)
    expect(title).to_have_text("Summaries")
    expect(notes).to_have_count(2)
    expect(notes.nth(1)).to_have_attribute("value", "2")
    expect(notes.nth(1)).to_contain_text("Did I get that right?")
    page.locator("a[href='#fn2']").click()
    expect(page.locator("#fn2")).to_be_in_viewport()
    expect(title).to_have_text("Summaries")
