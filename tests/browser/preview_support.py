"""What the preview's browser tests share: a running preview, its inspector page, a learner in
the course's frame.

- ``running(course, target)``: ``ceforge.preview.server.Preview`` on a free port (the library
  call the command line makes), closed at the end of the ``with``; ``served(course, target,
  *options)``: ``ceforge preview`` itself in a process of its own; both take the inspector
  pages away first (``leave_inspectors``, also for a ``Preview`` a test starts itself);
- ``Inspector``: the inspector page of a preview (such a ``Preview``, or the one
  ``preview_process.command_line`` serves from ``ceforge preview`` itself): the course's
  ``frame``, the simulator's log, data model and problems, the statements that reached the
  LRS, and the page's controls;
- ``complete_from_here(frame, course)``: a learner who goes on from the current page to the
  completion page, passing the post-test, sending the evaluation, attesting (``learner.py``'s
  steps, driven by mouse in the frame).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from learner import Course, all_right, fill_survey, give_license, read_course, route_of, take_test
from learner import frame_attest as attest
from learner import frame_next_page as next_page
from playwright.sync_api import Frame, Page, expect

from ceforge.preview.server import Preview
from ceforge.scaffold import new_course
from ceforge.targets.base import BuildOptions
from preview_process import ServedPreview, command_line

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "therapy-foundations"
XAPI_404 = "Failed to load resource: the server responded with a status of 404"


#: The inspector pages still showing a preview, by the preview's URL.
_INSPECTORS: dict[str, list[Page]] = {}


def leave_inspectors(url: str) -> None:
    """Take the inspector pages of the preview at ``url`` away before it stops. Left open,
    their long poll tries again a second later against a closed port, which Chromium logs as
    a console error, and the test would fail or pass by how fast the machine tears down."""
    for page in _INSPECTORS.pop(url, []):
        if not page.is_closed():
            page.goto("about:blank")


@contextmanager
def running(
    course: Path, target: str = "web", *, edition: int = 4, interval: float = 0.1
) -> Iterator[Preview]:
    with Preview(course, target=target, options=BuildOptions(scorm_edition=edition),
                 interval=interval) as preview:
        assert preview.state.ok, [str(d) for d in preview.state.diagnostics]
        try:
            yield preview
        finally:
            leave_inspectors(preview.url)


@contextmanager
def served(course: Path, target: str, *options: str) -> Iterator[ServedPreview]:
    """``preview_process.command_line``: ``ceforge preview`` in a process of its own, its
    inspector pages taken away before it stops."""
    with command_line(course, target, *options) as preview:
        try:
            yield preview
        finally:
            leave_inspectors(preview.url)


def copy_example(dest: Path) -> Path:
    shutil.copytree(EXAMPLE, dest)
    return dest


def small_course(dest: Path) -> Path:
    """``ceforge new``'s course: two modules, a quiz, a post-test, a survey, an attestation."""
    new_course(dest, "Preview Course")
    return dest


def wait_until(test: Callable[[], Any], what: str, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = test()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class Inspector:
    """The inspector page of ``preview`` in ``page``."""

    def __init__(self, page: Page, preview: Preview | ServedPreview) -> None:
        self.page = page
        self.preview = preview
        _INSPECTORS.setdefault(preview.url, []).append(page)
        page.goto(preview.url)
        page.wait_for_function("window.ceforgePreview && ceforgePreview.ready", timeout=20000)

    @property
    def frame(self) -> Frame:
        frame = self.page.frame(name="course")
        assert frame is not None, "no course frame"
        return frame

    def course(self) -> Course:
        expect(self.frame.get_by_test_id("page-title")).to_be_visible()
        return read_course(self.frame)

    def loads(self) -> int:
        loads: int = self.page.evaluate("ceforgePreview.loads")
        return loads

    def log(self) -> list[dict[str, Any]]:
        log: list[dict[str, Any]] = self.page.evaluate("ceforgePreview.sim().log")
        return log

    def calls(self, name: str | None = None) -> list[dict[str, Any]]:
        return [e for e in self.log() if "call" in e and (name is None or e["call"] == name)]

    def errors(self) -> list[dict[str, Any]]:
        return [e for e in self.log() if e.get("error")]

    def problems(self) -> list[str]:
        problems: list[dict[str, Any]] = self.page.evaluate("ceforgePreview.sim().problems")
        return [p["problem"] for p in problems]

    def model(self) -> dict[str, str]:
        model: dict[str, str] = self.page.evaluate("ceforgePreview.sim().model()")
        return model

    def record(self) -> dict[str, Any]:
        record: dict[str, Any] = self.page.evaluate("ceforgePreview.sim().record")
        return record

    def session(self) -> dict[str, Any]:
        session: dict[str, Any] = self.page.evaluate(
            "(() => { const s = ceforgePreview.sim().session;"
            " return {number: s.number, state: s.state}; })()")
        return session

    def exit(self) -> None:
        self.page.get_by_test_id("exit").click()
        expect(self.page.get_by_test_id("exited")).to_be_visible()
        self.page.evaluate("ceforgePreview.state.busy")

    def relaunch(self) -> None:
        before = self.loads()
        self.page.get_by_test_id("relaunch").click()
        wait_until(lambda: self.loads() > before, "the course to load again")
        self.page.evaluate("ceforgePreview.state.busy")

    def launch(self) -> None:
        before = self.loads()
        self.page.get_by_test_id("launch").click()
        wait_until(lambda: self.loads() > before, "the course to load")
        self.page.evaluate("ceforgePreview.state.busy")

    def control(self, name: str, on: bool) -> None:
        box = self.page.get_by_test_id(name)
        if box.is_checked() != on:
            box.click()
        expect(box).to_be_checked(checked=on)
        key = {"fail-commits": "failCommits", "offline": "offline"}[name]
        wait_until(lambda: self.page.evaluate(f"ceforgePreview.state.status.controls.{key}") == on,
                   f"the {name} control")

    def statements(self, source: str | None = "au") -> list[dict[str, Any]]:
        """What reached the LRS, in order (``source`` au: the course's; lms: the LMS's)."""
        return [s for s in self.preview.statements()
                if source is None or s["source"] in (source, "course")]


def verbs(items: list[dict[str, Any]]) -> list[str]:
    return [str(s["statement"]["verb"]["id"]).rsplit("/", 1)[-1] for s in items]


# --- the learner, in the course's frame ---------------------------------------------------------


def give_name(frame: Frame, name: str) -> None:
    """The web target's welcome screen: the learner's name, then into the course."""
    frame.get_by_test_id("name-input").fill(name)
    frame.get_by_test_id("name-submit").click()
    expect(frame.get_by_test_id("page-title")).to_be_visible()


def complete_from_here(frame: Frame, course: Course) -> None:
    """Every page from the current one to the completion page: the post-test passed, the
    evaluation sent, the statement attested (knowledge checks never count)."""
    route = route_of(frame)
    index = next((i for i, p in enumerate(course.pages) if route == f"/page/{p['id']}"), 0)
    for entry in course.pages[index:]:
        for block in course.blocks_on(entry["id"]):
            if block["kind"] == "test":
                take_test(frame, course, all_right)
            elif block["kind"] == "survey":
                fill_survey(frame, block, keyboard=False)
            elif block["kind"] == "attestation":
                attest(frame, block)
        next_page(frame)
    assert route_of(frame) == "/completion"
    expect(frame.get_by_test_id("completion-status")).not_to_be_empty()
    give_license(frame)
