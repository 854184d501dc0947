"""``ceforge preview`` in Chromium: the inspector page runs the course, an edit of a source file
rebuilds and reloads it on the page the learner was on, and a broken edit shows its
diagnostic while the last good build keeps running.

The preview is started as the command line starts it (``Preview``, a library call) on a free
port, with ``ceforge new``'s course copied into a temporary folder so that the tests can edit
it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from preview_support import (
    Inspector,
    give_name,
    leave_inspectors,
    next_page,
    route_of,
    running,
    small_course,
)

from ceforge.preview.server import Preview

# How fast an edit shows is measured by benchmarks/preview.py, not asserted here: a timed
# assertion fails on a loaded machine and proves nothing on a quiet one. The bound below only
# keeps a reload that never comes from hanging the suite.
RELOAD_SECONDS = 30.0


def edit(path: Path, old: str, new: str) -> None:
    """Save an edit at once, as editors that write a temporary file and rename it do, so that
    the watcher never sees the file half-written."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text.replace(old, new), encoding="utf-8")
    os.replace(temporary, path)


def test_the_inspector_runs_the_course_and_reloads_an_edit(page: Page, tmp_path: Path) -> None:
    course = small_course(tmp_path / "course")
    with running(course) as preview:
        inspector = Inspector(page, preview)
        expect(page.get_by_test_id("target")).to_have_text("web")
        expect(page.get_by_test_id("build-status")).to_contain_text("build 1")
        frame = inspector.frame
        give_name(frame, "Ana Lopez")
        next_page(frame)  # past the About page, which a CE course opens with
        next_page(frame)
        next_page(frame)
        where = route_of(frame)
        title = frame.get_by_test_id("page-title").inner_text()
        assert title == "Check your understanding"
        loads = inspector.loads()

        edit(course / "modules" / "01-welcome.md", "## Check your understanding",
             "## Check what you understood")
        expect(frame.get_by_test_id("page-title")).to_have_text(
            "Check what you understood", timeout=RELOAD_SECONDS * 1000)
        # The new page shows before its load event, which the inspector counts.
        page.wait_for_function(f"ceforgePreview.loads > {loads}")
        assert inspector.loads() == loads + 1
        assert route_of(frame) == where, "the reload kept the learner's page"
        expect(page.get_by_test_id("build-status")).to_contain_text("build 2")
        expect(page.get_by_test_id("diagnostics")).to_be_hidden()
        assert preview.state.seconds > 0, "the preview measured its build"


def test_a_broken_edit_shows_its_diagnostic_and_the_last_build_keeps_running(
    page: Page, tmp_path: Path
) -> None:
    course = small_course(tmp_path / "course")
    module = course / "modules" / "01-welcome.md"
    with running(course) as preview:
        inspector = Inspector(page, preview)
        frame = inspector.frame
        give_name(frame, "Ana Lopez")
        next_page(frame)  # past the About page, which a CE course opens with
        next_page(frame)
        loads = inspector.loads()
        launches = page.evaluate("ceforgePreview.launches")

        edit(module, "::: quiz", "::: quizz")
        diagnostics = page.get_by_test_id("diagnostics")
        expect(diagnostics).to_be_visible(timeout=RELOAD_SECONDS * 1000)
        lines = page.get_by_test_id("diagnostic-lines").inner_text()
        line = next(n for n, text in enumerate(module.read_text().splitlines(), 1)
                    if text.startswith("::: quizz"))
        assert re.search(rf"^modules/01-welcome\.md:{line}: error: .+ \[container\.unknown\]$",
                         lines, re.M), lines
        expect(page.get_by_test_id("build-status")).to_contain_text("build failed")
        expect(page.get_by_test_id("build-status")).to_contain_text("showing build 1")
        # The last good build goes on: same page, no reload, still working. Whatever the
        # inspector set off when it showed the failure has run once its task queue is empty.
        settled = page.evaluate("""() => ceforgePreview.state.busy.then(
            () => [ceforgePreview.launches, ceforgePreview.loads])""")
        assert settled == [launches, loads]
        expect(frame.get_by_test_id("page-title")).to_have_text("How this course works")
        next_page(frame)
        expect(frame.get_by_test_id("page-title")).to_have_text("Check your understanding")

        edit(module, "::: quizz", "::: quiz")
        expect(diagnostics).to_be_hidden(timeout=RELOAD_SECONDS * 1000)
        expect(page.get_by_test_id("build-status")).to_contain_text("build 2")
        expect(frame.get_by_test_id("page-title")).to_have_text("Check your understanding")
        page.wait_for_function(f"ceforgePreview.loads > {loads}")  # at the frame's load event
        assert inspector.loads() == loads + 1


def test_a_new_file_and_a_deleted_one_rebuild_too(page: Page, tmp_path: Path) -> None:
    course = small_course(tmp_path / "course")
    with running(course) as preview:
        inspector = Inspector(page, preview)
        give_name(inspector.frame, "Ana Lopez")
        (course / "modules" / "03-extra.md").write_text("# Extra\n\nMore.\n", encoding="utf-8")
        expect(page.get_by_test_id("build-status")).to_contain_text("build 2")
        (course / "course.yml").unlink()
        expect(page.get_by_test_id("diagnostics")).to_be_visible()
        expect(page.get_by_test_id("diagnostic-lines")).to_contain_text("course.yml")


def test_a_course_that_does_not_build_yet_loads_once_it_does(page: Page, tmp_path: Path) -> None:
    course = small_course(tmp_path / "course")
    config = course / "course.yml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
    with Preview(course, interval=0.1) as preview:
        assert not preview.state.ok and preview.state.generation == 0
        page.goto(preview.url)
        expect(page.get_by_test_id("diagnostics")).to_be_visible()
        expect(page.get_by_test_id("diagnostic-lines")).to_contain_text("course.yml:")
        expect(page.get_by_test_id("build-status")).to_contain_text("build failed")
        config.write_text(good, encoding="utf-8")
        expect(page.get_by_test_id("diagnostics")).to_be_hidden(timeout=RELOAD_SECONDS * 1000)
        page.wait_for_function("ceforgePreview.ready")
        give_name(Inspector(page, preview).frame, "Ana Lopez")
        leave_inspectors(preview.url)
