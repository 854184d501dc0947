"""Every call the SCORM adapters make on a pass path, pinned against golden files.

The journeys (``test_scorm_journeys.py``) judge what the LMS ends with; these pin *how* it got
there: every API call of the example course's pass path, in order, with its arguments, for
SCORM 1.2 and 2004 and for both SCO layouts (``goldens/scorm-calls/<variant>.json``). A change
to the adapters that moves, adds or drops a single SetValue shows up here as a diff to review.

What a run cannot repeat is made so or masked: the test's draw comes from a fixed seed
(``crypto.getRandomValues`` answers one number), times and durations (interaction time,
timestamp and latency, session time) become the name of their format when they match it, and
``suspend_data`` must decode and has its active seconds and its days masked.
The core also saves the state every 30 seconds of active time, whenever the clock says so;
such a save (the same state but for the seconds) is left out. Commits are left out as well:
their pace is timing by design (``commit_pace_problems`` checks it in the journeys).

The formats' edges get the same treatment without a journey: each dialect's
``interactionWrites`` over every question of the example course (answered right, and with
no answer) and the limit cases of ``test_scorm_adapters.py``, with fixed timestamps.

Regenerate with ``nox -s update-golden`` (every golden; add
``-- tests/browser/test_scorm_calls.py`` for these alone), then review the diff.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from learner import COURSE_DATA, Course
from playwright.sync_api import Page, expect
from scorm_lms import (
    Lms,
    ScormSite,
    Variant,
    complete_from_here,
    launch,
    new_page,
    scorm_site,
)
from test_scorm_adapters import QUESTIONS

from golden import assert_golden
from spec import decode_state_spans, right_response

FIXTURES = (scorm_site, new_page)
Site = Callable[[Variant], ScormSite]
NewPage = Callable[[], Page]

GOLDEN = Path(__file__).resolve().parent.parent / "goldens" / "scorm-calls"
SEED = 123456789  # the post-test's draw: any fixed number below 36^6
FIXED_RANDOM = f"crypto.getRandomValues = (words) => {{ words.fill({SEED}); return words; }};"
VARIANTS = {
    "scorm12-single": Variant("scorm12"),
    "scorm12-module": Variant("scorm12", sco="module"),
    "scorm2004-single": Variant("scorm2004"),
    "scorm2004-module": Variant("scorm2004", sco="module"),
}
#: The SCOs a learner takes on the pass path, in order: the whole course, or (one SCO a module)
#: the post-test's and a content module's, as test_scorm_journeys.py takes them.
SCOS = {"single": ["index.html"], "module": ["module-post-test.html", "module-empathy.html"]}

#: Values that depend on the clock, by the end of their element: the format they must have.
CLOCK_FORMATS = {
    ".time": ("<CMITime>", r"\d\d:\d\d:\d\d"),
    ".timestamp": ("<time(second,10,0)>", r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d\d?)?Z"),
    ".latency": ("<latency>", r"\d{2,4}:\d\d:\d\d(\.\d\d?)?|PT(\d+H)?(\d+M)?(\d+(\.\d\d?)?S)?"),
    "session_time": ("<session_time>",
                     r"\d{2,4}:\d\d:\d\d(\.\d\d?)?|PT(\d+H)?(\d+M)?(\d+(\.\d\d?)?S)?"),
}


def steady_state(text: str, data: dict[str, Any]) -> str:
    """A state string (docs/runtime.md) with its active seconds written ``<seconds>`` and the
    days attested and completed ``<day>`` (0, not yet, as it is); it must decode."""
    state, spans = decode_state_spans(text, data)
    (seconds_at, seconds_end), (days_at, days_end) = spans["seconds"], spans["days"]
    days = "".join("<day>." if state[key] else "0." for key in ("attested", "completed"))
    return (text[:seconds_at] + "<seconds>." + text[seconds_end:days_at] + days
            + text[days_end:])


def steady(element: str, value: str, data: dict[str, Any]) -> str:
    """``value`` with what depends on the clock masked (see the module's docstring)."""
    if element == "cmi.suspend_data":
        return steady_state(value, data)
    for end, (name, pattern) in CLOCK_FORMATS.items():
        if element.endswith(end) and re.fullmatch(pattern, value):
            return name
    return value


def call_log(lms: Lms, data: dict[str, Any]) -> list[str]:
    """The session's calls but commits, one a line: ``SetValue("element", "value") -> "true"``,
    values steadied."""
    out: list[str] = []
    saved = None
    for call in lms.calls:
        fn, args = call["fn"], list(call["args"])
        if fn.endswith("Commit"):
            continue
        if fn.endswith("SetValue"):
            value = steady(args[0], args[1], data)
            if args[0] == "cmi.suspend_data":
                if value == saved:
                    continue  # a save on the 30-second clock: nothing but seconds changed
                saved = value
            args[1] = value
        result = call["result"]
        if fn.endswith("GetValue") and result:
            result = steady(args[0], result, data)
        shown = json.dumps(args, ensure_ascii=False)[1:-1]
        out.append(f"{fn}({shown}) -> {json.dumps(result, ensure_ascii=False)}")
    return out


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_pass_path_makes_the_calls_it_always_made(
    name: str, page: Page, new_page: NewPage, scorm_site: Site
) -> None:
    site = scorm_site(VARIANTS[name])
    sessions = {}
    for n, href in enumerate(SCOS[site.variant.sco]):
        window = page if n == 0 else new_page()
        window.add_init_script(script=FIXED_RANDOM)
        lms = launch(window, site, href)
        course = lms.course()
        complete_from_here(lms.sco, course, checks="both")
        lms.sco.get_by_test_id("exit").click()
        expect(lms.sco.get_by_test_id("exited")).to_be_visible()
        assert lms.problems(scored=href != "module-empathy.html") == []
        sessions[href] = call_log(lms, course.data)
    assert_golden(GOLDEN / f"{name}.json", sessions)


def answer(question: dict[str, Any]) -> Any:
    """A response to any question: the right one, a likert's last choice, an essay's text."""
    if question["type"] == "likert":
        return question["choices"][-1]["id"]
    return "An essay, {briefly}." if question["type"] == "essay" else right_response(question)


EXAMPLE_EVENTS = """([questions, rights]) => questions.flatMap((question, n) => [rights[n], null]
  .map((response, m) => ({
    type: "question-answered", block: {id: "b", kind: m ? "quiz" : "test"}, question, response,
    correctResponse: null, result: ["correct", "incorrect", "neutral"][(n + m) % 3],
    points: null, latencyMs: 1000 * n + 10 * m, attempt: 1,
    timestamp: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 10 * n)).toISOString(),
  })))"""

WRITES = """([kind, events]) => events.map((event, n) => Ceforge.scorm.dialects[kind]
  .interactionWrites("cmi.interactions." + n + ".", event, {course: {language: "en"}, lms: {}}))"""


@pytest.mark.parametrize("target", ["scorm12", "scorm2004"])
def test_interaction_records_are_written_as_they_always_were(
    target: str, page: Page, scorm_site: Site
) -> None:
    site = scorm_site(Variant(target))
    page.goto(site.url + "index.html")  # no LMS: the dialects are there all the same
    page.wait_for_function("() => window.Ceforge && Ceforge.app")
    course = Course(page.evaluate(COURSE_DATA))
    questions = [q for block in course.data["blocks"] for q in block["questions"]]
    rights = [answer(q) for q in questions]
    events = page.evaluate(EXAMPLE_EVENTS, [questions, rights])
    limits = page.evaluate(QUESTIONS, target)
    records = page.evaluate(WRITES, [target, events])
    found = [f"{element} = {json.dumps(steady(element, value, course.data), ensure_ascii=False)}"
             for record in records + limits for element, value in record]
    assert_golden(GOLDEN / f"interactions-{target}.json", found)
