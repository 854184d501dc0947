"""A link to another module in the browser: it opens that module's first page in the course,
not a Markdown file in a new tab."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from learner import launch
from playwright.sync_api import Page, expect

BuildWeb = Callable[[Path], Path]
Serve = Callable[[Path], str]


def test_a_link_to_a_module_opens_its_first_page(
    page: Page, built_web: BuildWeb, serve: Serve, tmp_path: Path
) -> None:
    root = tmp_path / "course"
    (root / "modules").mkdir(parents=True)
    (root / "course.yml").write_text("id: https://example.org/ce/links\ntitle: Links\n")
    (root / "modules" / "01-empathy.md").write_text(
        "# Empathy\n\n## Why it matters\n\nGo on with [Listening](02-listening.md).\n"
    )
    (root / "modules" / "02-listening.md").write_text(
        "# Listening\n\n## Reflections\n\nMirror the words.\n"
    )
    url = serve(built_web(root)) + "index.html"
    launch(page, url, "Ana Ruiz")
    title = page.get_by_test_id("page-title")
    expect(title).to_have_text("Why it matters")
    link = page.get_by_role("link", name="Listening")
    expect(link).not_to_have_attribute("target", "_blank")
    link.click()
    expect(title).to_have_text("Reflections")
    expect(page).to_have_url(url + "#/page/listening-p1")
