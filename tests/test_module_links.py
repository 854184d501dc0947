"""A link to another module's Markdown file leads to that module's first page, wherever it
stands (text, raw HTML, a question), and the Markdown file is not shipped in the package."""

from __future__ import annotations

from pathlib import Path

from ceforge.build import build, check_course_folder

FIRST = """\
# Empathy

## Why it matters

Read [Listening](02-listening.md#reflections) next, or <a href="./02-listening.md">this</a>.
The [draft notes](../notes/draft.md) are a handout.

::: quiz

### Where are reflections taught? {#q-where}

- [x] In [the listening module](02-listening.md)
  > Yes: see [Listening](02-listening.md).
- [ ] Nowhere

:::
"""
SECOND = "---\nid: listening\n---\n# Listening\n\n## Reflections\n\nMirror the words.\n"


def write_course(root: Path) -> Path:
    (root / "modules").mkdir(parents=True)
    (root / "notes").mkdir()
    (root / "notes" / "draft.md").write_text("# Draft\n")
    (root / "course.yml").write_text("id: https://example.org/ce/links\ntitle: Links\n")
    (root / "modules" / "01-empathy.md").write_text(FIRST)
    (root / "modules" / "02-listening.md").write_text(SECOND)
    return root


def test_links_to_a_module_lead_to_its_first_page(tmp_path: Path) -> None:
    result = check_course_folder(write_course(tmp_path / "course"))
    assert result.course is not None and not result.diagnostics
    page = result.course.modules[0].pages[0]
    assert page.html.count('href="#/page/listening-p1"') == 2
    (question,) = page.blocks[0].questions
    assert 'href="#/page/listening-p1"' in question.choices[0].html
    assert 'href="#/page/listening-p1"' in question.choices[0].feedback_html
    assert "02-listening.md" not in page.html + question.choices[0].html
    assert sorted(result.course.assets) == ["notes/draft.md"]  # a handout, not a module


def test_the_module_file_is_not_shipped(tmp_path: Path) -> None:
    course = write_course(tmp_path / "course")
    (folder,) = build(course, ["web"], tmp_path / "out").paths
    shipped = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert "notes/draft.md" in shipped
    assert not any(name.startswith("modules/") for name in shipped)
