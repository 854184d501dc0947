"""The SCORM adapters' edges: value formats at their limits, the 3rd edition, review mode.

The formats are run in Chromium (``Ceforge.scorm`` and each version's dialect, on a page of the
package) and what they write is judged by the strict validator, with answers no learner of the
example course gives: an essay longer than 1.2 allows, a fill-in that looks like a delimiter, a
question id with a dot, a numeric range, a name with a language tag.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from scorm_lms import (
    ScormSite,
    Variant,
    complete_from_here,
    launch,
    launch_data,
    new_page,
    next_page,
    resume_data,
    route_of,
    scorm_site,
)

from scorm_datamodel import call_problems

FIXTURES = (scorm_site, new_page)
Site = Callable[[Variant], ScormSite]

HELPERS = """() => {
  const S = Ceforge.scorm;
  return {
    timespan: [0, 59.999, 3725.5, 3725.126, 99999999].map(S.cmiTimespan),
    duration: [0, 0.004, 0.126, 60, 3725.5, 86400].map(S.isoDuration),
    timestamp: S.isoTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678))),
    names: ["Núñez, Dana", "Dana Núñez", "{lang=es}Núñez,  Dana ", "Smith,", ""]
      .map(S.learnerName),
    numbers: ["3,5", "+.50", "-0", "007", "-2.50", "abc", "1.2.3"].map(S.decimalText),
    decimals: [3.1300000000000003, 1e21, -0, 0.1 + 0.2].map((n) => S.decimal(n)),
  };
}"""


@pytest.mark.parametrize("target", ["scorm12", "scorm2004"])
def test_value_formats(target: str, page: Page, scorm_site: Site) -> None:
    site = scorm_site(Variant(target))
    page.goto(site.url + "index.html")  # no LMS: the helpers are there all the same
    page.wait_for_function("() => window.Ceforge && Ceforge.app")
    found = page.evaluate(HELPERS)
    assert found["timespan"] == ["00:00:00", "00:01:00", "01:02:05.50", "01:02:05.13",
                                 "9999:59:59.99"]
    assert found["duration"] == ["PT0S", "PT0S", "PT0.13S", "PT1M", "PT1H2M5.5S", "PT24H"]
    assert found["timestamp"] == "2026-01-02T03:04:05.67Z"
    assert found["names"] == ["Dana Núñez", "Dana Núñez", "Dana Núñez", "Smith", ""]
    assert found["numbers"] == ["3.5", "0.5", "0", "7", "-2.5", "", ""]
    assert found["decimals"] == ["3.13", "1000000000000000000000", "0", "0.3"]


QUESTIONS = """(kind) => {
  const base = {prompt_html: "", stem_html: "", feedback_html: "", points: 2, choices: []};
  const choice = (id, correct) => ({id, text: id, html: id, correct, feedback_html: ""});
  return [
    [{...base, id: "q.essay", type: "essay", prompt_text: "{Why?} ".repeat(60)},
     "x".repeat(5000), null, "neutral"],
    [{...base, id: "q.fill", type: "fill-in", prompt_text: "Name it.",
      answers: ["{lang=xx}odd", "a[,]b"]}, "{curly} and [,] comma", null, "incorrect"],
    [{...base, id: "q.range", type: "numeric", prompt_text: "How many?",
      numeric: {min: 3.1300000000000003, max: 3.15}}, " 3,14 ", {min: 3.13, max: 3.15},
      "correct"],
    [{...base, id: "q.multi", type: "multiple-choice", prompt_text: "Pick.",
      choices: [choice("a", true), choice("b", false), choice("c", true)]}, ["c", "a"], null,
      "correct"],
    [{...base, id: "q.likert", type: "likert", prompt_text: "Rate.",
      choices: [choice("a", false), choice("b", false)]}, "b", null, "neutral"],
  ].map(([question, response, correctResponse, result], n) => ({
    type: "question-answered", block: {id: "b", kind: n % 2 ? "test" : "survey"}, question,
    response, correctResponse, result, points: null, latencyMs: 1234567,
    attempt: 1, timestamp: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)).toISOString(),
  })).map((event, n) => Ceforge.scorm.dialects[kind].interactionWrites(
    "cmi.interactions." + n + ".", event, {course: {language: "en"}, lms: {}}));
}"""


@pytest.mark.parametrize("target", ["scorm12", "scorm2004"])
def test_interaction_records_at_the_limits(target: str, page: Page, scorm_site: Site) -> None:
    site = scorm_site(Variant(target))
    page.goto(site.url + "index.html")
    page.wait_for_function("() => window.Ceforge && Ceforge.app")
    records: list[list[list[str]]] = page.evaluate(QUESTIONS, target)
    writes = [(element, value) for record in records for element, value in record]
    version = site.variant.family
    init, set_ = (
        ("LMSInitialize", "LMSSetValue") if version == "1.2" else ("Initialize", "SetValue")
    )
    calls: list[dict[str, Any]] = [{"fn": init, "args": [""], "result": "true"}]
    calls += [{"fn": set_, "args": [e, v], "result": "true"} for e, v in writes]
    assert call_problems(version, calls) == []
    fields = [dict((e.split(".", 3)[3], v) for e, v in record) for record in records]
    essay, fill, numeric, multi, likert = fields
    if version == "1.2":
        assert [f["id"] for f in fields] == ["q_essay", "q_fill", "q_range", "q_multi", "q_likert"]
        assert essay["type"] == "fill-in" and essay["student_response"] == "x" * 255
        assert numeric["student_response"] == "3.14"
        assert "correct_responses.0.pattern" not in numeric  # 1.2 has no range
        assert multi["student_response"] == "a,c" and multi["correct_responses.0.pattern"] == "a,c"
        assert fill["result"] == "wrong" and fill["weighting"] == "2"
        assert essay["latency"] == "00:20:34.57"
    else:
        assert essay["type"] == "long-fill-in" and essay["learner_response"] == "x" * 4000
        assert essay["description"].startswith("{lang=en} {Why?}")
        assert fill["learner_response"] == " {curly} and , comma"
        assert [fill[f"correct_responses.{n}.pattern"] for n in (0, 1)] == [" {lang=xx}odd",
                                                                            "a,b"]
        assert numeric["learner_response"] == "3.14"
        assert numeric["correct_responses.0.pattern"] == "3.13[:]3.15"
        assert multi["learner_response"] == "a[,]c"
        assert likert["learner_response"] == "b" and "correct_responses.0.pattern" not in likert
        assert essay["latency"] == "PT20M34.57S"
        assert essay["timestamp"] == "2026-01-02T03:04:05.67Z"


def test_a_third_edition_package_writes_no_objective_description(
    page: Page, scorm_site: Site
) -> None:
    site = scorm_site(Variant("scorm2004", sco="module", edition=3))
    lms = launch(page, site, "module-course-completion.html")
    assert len(lms.initial) > 0 and any(".objectives." in k for k in lms.initial)
    complete_from_here(lms.sco, lms.course())
    lms.sco.get_by_test_id("exit").click()
    assert not [c for c in lms.calls if c["args"] and c["args"][0].endswith(".description")
                and ".objectives." in c["args"][0]]
    assert lms.data()["cmi.completion_status"] == "completed"
    assert lms.problems() == []


def test_a_review_launch_shows_the_work_and_records_nothing(
    page: Page, new_page: Callable[[], Page], scorm_site: Site
) -> None:
    site = scorm_site(Variant("scorm2004"))
    first = launch(page, site)
    next_page(first.sco)
    first.sco.get_by_test_id("exit").click()
    data = {**resume_data("2004", first.committed()), "cmi.mode": "review", "cmi.entry": ""}
    lms = launch(new_page(), site, data=data)
    frame = lms.sco
    expect(frame.locator("[data-testid=notice][data-notice=lms]")).to_contain_text("reviewing")
    assert route_of(frame) == "/page/empathy-p1"  # the learner's work is there to review
    next_page(frame)
    frame.get_by_test_id("exit").click()
    assert [c["fn"] for c in lms.calls if c["fn"] in ("SetValue", "Commit")] == []
    assert [c["fn"] for c in lms.calls].count("Terminate") == 1
    assert lms.problems() == []


@pytest.mark.parametrize("target", ["scorm12", "scorm2004"])
def test_a_state_the_course_cannot_use_does_not_undo_a_completion(
    target: str, page: Page, scorm_site: Site
) -> None:
    """The LMS says passed, but the saved state is of no use (another version of the course,
    or cut short): the learner starts afresh, and the LMS keeps its passed."""
    site = scorm_site(Variant(target))
    done = (
        {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90",
         "cmi.core.entry": "resume"}
        if target == "scorm12"
        else {"cmi.completion_status": "completed", "cmi.success_status": "passed",
              "cmi.score.scaled": "0.9", "cmi.entry": "resume"}
    )
    data = {**launch_data(site, "index.html"), **done, "cmi.suspend_data": "c1zz.0."}
    lms = launch(page, site, data=data)
    expect(lms.sco.get_by_test_id("notice").first).to_be_visible()  # the state was discarded
    next_page(lms.sco)
    lms.sco.get_by_test_id("exit").click()
    held = lms.data()
    assert {k: held[k] for k in done if "entry" not in k} == {
        k: v for k, v in done.items() if "entry" not in k}
    assert [lms.sets(k) for k in done if "status" in k] == [[] for k in done if "status" in k]
    assert lms.problems(scored=True) == []
