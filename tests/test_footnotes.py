"""Footnotes, page by page: each page ends with the notes it cites (numbered through the
module), with back-links to its own citations only; a note cited in a knowledge check is
listed on the page of that check."""

from __future__ import annotations

import re
from pathlib import Path

from ceforge.build import check_course_folder

MODULE = """\
# Listening

## Reflections

A reflection mirrors the client's words[^mirror] and feelings[^feel].

## Summaries

A summary gathers several reflections[^mirror] and checks them[^check].

::: quiz

### Which one gathers several reflections?[^quiz] {#q-summary}

- [x] A summary
- [ ] A question

:::

## No notes here

Plain text.

[^mirror]: Rogers, 1951.
[^feel]: Feelings are named tentatively.

[^check]: "Did I get that right?"
[^quiz]: See the second page.
"""


def pages(tmp_path: Path) -> dict[str, str]:
    """Each page's HTML, with the HTML of its questions (where a citation may stand)."""
    (tmp_path / "modules").mkdir()
    (tmp_path / "course.yml").write_text("id: https://example.org/ce/notes\ntitle: Notes\n")
    (tmp_path / "modules" / "01-listening.md").write_text(MODULE)
    result = check_course_folder(tmp_path)
    assert result.course is not None and not result.diagnostics
    return {
        page.title: page.html + "".join(q.prompt_html for b in page.blocks for q in b.questions)
        for page in result.course.modules[0].pages
    }


def notes(html: str) -> list[tuple[str, str]]:
    """(value, text) of each note listed on a page."""
    return [
        (value, re.sub(r"<[^>]+>|↩︎", "", text).strip())
        for value, text in re.findall(r'<li value="(\d+)" id="fn\d+"[^>]*>(.*?)</li>', html, re.S)
    ]


def test_each_page_lists_the_notes_it_cites(tmp_path: Path) -> None:
    html = pages(tmp_path)
    assert notes(html["Reflections"]) == [
        ("1", "Rogers, 1951."),
        ("2", "Feelings are named tentatively."),
    ]
    assert notes(html["Summaries"]) == [
        ("1", "Rogers, 1951."),
        ("3", "&quot;Did I get that right?&quot;"),
        ("4", "See the second page."),
    ]
    assert "footnote" not in html["No notes here"]


def test_back_links_lead_to_this_pages_citations(tmp_path: Path) -> None:
    html = pages(tmp_path)
    for text in html.values():
        cited = set(re.findall(r'id="(fnref[\d:]+)"', text))
        back = set(re.findall(r'href="#(fnref[\d:]+)"', text))
        assert back <= cited
    # The note cited in the knowledge check: its citation is in the question data.
    assert 'href="#fnref4"' in html["Summaries"]
    assert 'href="#fnref1:1"' in html["Summaries"] and 'href="#fnref1"' in html["Reflections"]


def test_an_inline_note_is_listed_on_its_page(tmp_path: Path) -> None:
    """``^[text]`` is a note written where it is cited (its citation has no sub-number)."""
    (tmp_path / "modules").mkdir()
    (tmp_path / "course.yml").write_text("id: https://example.org/ce/notes\ntitle: Notes\n")
    (tmp_path / "modules" / "01-a.md").write_text(
        "# Notes\n\n## Inline\n\nA claim^[Written in place.] and an empty one^[].\n"
    )
    result = check_course_folder(tmp_path)
    assert result.course is not None and not result.diagnostics
    (page,) = result.course.modules[0].pages
    assert notes(page.html)[0] == ("1", "Written in place.")
    assert 'href="#fnref1"' in page.html
