"""``--report``: what each choice makes a SCORM 1.2 and a SCORM 2004 LMS hold.

A small course written here (two pages, a two-question post-test with two attempts, completion
= every page and the test passed) keeps this quick. For each version and each report:

- failing both attempts: the first says nothing (attempts are left), the last says failed
  with its score for ``*-failed`` reports, and stays incomplete (no score) for ``*-incomplete``;
- a new learner passes the test before the last page: nothing is reported until the course's
  completion rules hold, then passed (``passed-*``) or completed (``completed-*``), with the
  score written before the status.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from learner import all_right, all_wrong, take_test
from playwright.sync_api import Page, expect
from scorm_lms import ScormSite, Variant, go_to, launch, launch_data, new_page, scorm_site

FIXTURES = (scorm_site, new_page)
Site = Callable[[Variant], ScormSite]
REPORTS = ["passed-failed", "passed-incomplete", "completed-incomplete", "completed-failed"]

COURSE_YML = """\
id: https://example.org/courses/reports
title: Reflections in Brief
version: 1.0.0
passing_score: 100%
completion:
  pages: all
  test: pass
"""
MODULE = """\
---
objectives:
  - Tell a reflection from a question.
---
# Reflections

## Practice

::: test {attempts=2}

### Which response is a reflection? {#reflection-which}

- [ ] What brings you here today?
- [x] You feel stuck.

### A reflection must end with a question mark. {#reflection-mark}

- [ ] True
- [x] False

:::

## Summary

A reflection gives back what the client said, as a statement.
"""


@pytest.fixture(scope="session")
def small_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reports-course")
    (root / "modules").mkdir()
    (root / "course.yml").write_text(COURSE_YML, encoding="utf-8")
    (root / "modules" / "01-reflections.md").write_text(MODULE, encoding="utf-8")
    return root


def held(lms: object, data: dict[str, object]) -> tuple[str, ...]:
    """(status, score) for 1.2; (completion, success, score) for 2004."""
    if data.get("cmi.core.lesson_status") is not None:
        return (str(data["cmi.core.lesson_status"]), str(data["cmi.core.score.raw"]))
    return (str(data["cmi.completion_status"]), str(data["cmi.success_status"]),
            str(data.get("cmi.score.scaled", "")))


EXPECTED = {
    # report: (after the last failed attempt, after passing and completing), per version
    "1.2": {
        "passed-failed": (("failed", "0"), ("passed", "100")),
        "passed-incomplete": (("incomplete", ""), ("passed", "100")),
        "completed-incomplete": (("incomplete", ""), ("completed", "100")),
        "completed-failed": (("failed", "0"), ("completed", "100")),
    },
    "2004": {
        "passed-failed": (("incomplete", "failed", "0"), ("completed", "passed", "1")),
        "passed-incomplete": (("incomplete", "unknown", ""), ("completed", "passed", "1")),
        "completed-incomplete": (("incomplete", "unknown", ""), ("completed", "unknown", "1")),
        "completed-failed": (("incomplete", "failed", "0"), ("completed", "unknown", "1")),
    },
}


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("target", ["scorm12", "scorm2004"])
def test_report(
    target: str, report: str, page: Page, new_page: Callable[[], Page], scorm_site: Site,
    small_course: Path,
) -> None:
    site = scorm_site(Variant(target, report=report, course=small_course))
    family = site.variant.family
    nothing = ("incomplete", "") if family == "1.2" else ("incomplete", "unknown", "")
    mastery = launch_data(site, "index.html").get("cmi.student_data.mastery_score")
    if family == "1.2":  # 1.2's masteryscore would let the LMS decide passed itself
        assert mastery == ("100" if report.startswith("passed") else None)
    failed, passed = EXPECTED[family][report]

    # Two failed attempts: the first says nothing, the last what the report says.
    lms = launch(page, site)
    frame = lms.sco
    course = lms.course()
    test = frame.get_by_test_id("test")
    take_test(frame, course, all_wrong)  # type: ignore[arg-type]
    assert held(lms, lms.data()) == nothing
    test.get_by_test_id("test-retake").click()
    take_test(frame, course, all_wrong)  # type: ignore[arg-type]
    assert held(lms, lms.wait_for(lambda d: held(lms, d) == failed, f"holding {failed}")) \
        == failed
    frame.get_by_test_id("exit").click()
    assert lms.problems(scored=True) == []

    # Another learner passes before the last page: nothing until the course is complete.
    lms = launch(new_page(), site)
    frame = lms.sco
    take_test(frame, course, all_right)  # type: ignore[arg-type]
    expect(frame.get_by_test_id("test-status")).to_have_attribute("data-passed", "true")
    assert held(lms, lms.data()) == nothing
    go_to(frame, course.pages[-1]["id"])
    assert held(lms, lms.wait_for(lambda d: held(lms, d) == passed, f"holding {passed}")) \
        == passed
    frame.get_by_test_id("exit").click()
    assert lms.problems(scored=True) == []
