"""Learners take the example course's SCORM packages inside a test LMS (scorm-again).

For SCORM 1.2 and 2004, with one SCO for the course (``--sco single``) and one per module
(``--sco module``: the post-test's SCO and a content module's): the pass path, the fail path,
and an exit mid-course followed by a relaunch with the data the LMS kept. What the LMS ends
with is judged by our strict validator (``tests/scorm_datamodel.py``) and compared with the
runtime's own events; no session may leave a single API error in scorm-again's log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from learner import all_right, all_wrong, answer_test, question_el, shown_ids, shown_response
from learner import take_test as take
from playwright.sync_api import Frame, Page, expect
from scorm_lms import (
    LEARNER,
    Lms,
    ScormSite,
    Variant,
    assert_interactions,
    check_right,
    commit_pace_problems,
    complete_from_here,
    go_to,
    launch,
    new_page,
    resume_data,
    route_of,
    scorm_site,
)

from scorm_datamodel import interactions
from spec import decode_state, drawn_ids

FIXTURES = (scorm_site, new_page)
Site = Callable[[Variant], ScormSite]
NewPage = Callable[[], Page]

VARIANTS = {
    "scorm12-single": Variant("scorm12"),
    "scorm12-module": Variant("scorm12", sco="module"),
    "scorm2004-single": Variant("scorm2004"),
    "scorm2004-module": Variant("scorm2004", sco="module"),
}
TEST_SCO = "module-post-test.html"
CONTENT_SCO = "module-empathy.html"


def status(lms: Lms, data: dict[str, Any]) -> dict[str, str]:
    """The status, score and exit the LMS holds, named alike for both versions."""
    if lms.family == "1.2":
        return {"status": data["cmi.core.lesson_status"], "score": data["cmi.core.score.raw"],
                "exit": data.get("cmi.core.exit", "")}
    return {"completion": data["cmi.completion_status"], "success": data["cmi.success_status"],
            "score": data.get("cmi.score.scaled", ""), "exit": data.get("cmi.exit", "")}


def terminated(lms: Lms) -> dict[str, Any]:
    """The SCO has ended its session: exactly one Terminate, the last call, after a commit;
    returns the data of that final commit."""
    finish = "LMSFinish" if lms.family == "1.2" else "Terminate"
    calls = lms.calls
    assert [c["fn"] for c in calls].count(finish) == 1 and calls[-1]["fn"] == finish
    assert lms.commits[-1]["kind"] == "terminate"
    # session_time once, at the end (some LMSs add it to total_time at every commit)
    session_time = "cmi.core.session_time" if lms.family == "1.2" else "cmi.session_time"
    assert len(lms.sets(session_time)) == 1
    return lms.committed()


def exit_course(lms: Lms) -> dict[str, Any]:
    """The learner presses Exit course."""
    lms.sco.get_by_test_id("exit").click()
    expect(lms.sco.get_by_test_id("exited")).to_be_visible()
    return terminated(lms)


def leave(lms: Lms) -> dict[str, Any]:
    """The LMS takes the SCO's frame away (another SCO, a menu): the page is hidden and goes,
    and the SCO ends its session on ``pagehide``."""
    lms.page.evaluate("() => { document.getElementById('sco').src = 'about:blank'; }")
    lms.page.wait_for_function("() => window.lms.calls.some(c => /Finish|Terminate/.test(c.fn))")
    return terminated(lms)


def open_the_test(frame: Frame, course: Any) -> None:
    go_to(frame, course.page_of("test"))
    expect(frame.get_by_test_id("test-attempt")).to_be_visible()


# --- the pass path ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["scorm12-single", "scorm2004-single"])
def test_pass_path_through_the_whole_course(name: str, page: Page, scorm_site: Site) -> None:
    page.clock.install()  # the page's time is the test's to move on (the end of the session)
    lms = launch(page, scorm_site(VARIANTS[name]))
    frame = lms.sco
    course = lms.course()
    complete_from_here(frame, course, checks="both")
    expect(frame.get_by_test_id("certificate-name")).to_have_text(LEARNER["shown"])
    final = exit_course(lms)
    assert final == {**final, **lms.data()}  # the last commit holds everything
    # exit suspend, complete as it is: the attempt stays open, so that the learner finds the
    # certificate on the next launch (docs/scorm.md, "Printing the certificate again")
    if lms.family == "1.2":
        assert status(lms, final) == {"status": "passed", "score": "100", "exit": "suspend"}
        objectives = [v for k, v in final.items() if k.endswith(".status")]
    else:
        assert status(lms, final) == {"completion": "completed", "success": "passed",
                                      "score": "1", "exit": "suspend"}
        assert final["cmi.progress_measure"] == "1"
        objectives = [v for k, v in final.items()
                      if k.startswith("cmi.objectives.") and k.endswith(".completion_status")]
    assert objectives == ["completed"] * len(course.data["lms"]["objectives"])
    assert_interactions(lms, final, lms.events("question-answered"))
    kinds = {r["type"] for r in interactions(final)}
    assert kinds == ({"choice", "true-false", "fill-in", "matching", "sequencing", "numeric",
                      "likert"} | ({"long-fill-in"} if lms.family == "2004" else set()))
    assert commit_pace_problems(lms.calls) == []
    assert lms.problems(scored=True) == []
    # The session is over: an hour of the page's time passes (the runtime's tick and 30-second
    # save, the commit pace, a retry would all fire), then the LMS takes the frame away
    # (pagehide). Not a single call more.
    calls = len(lms.calls)
    page.clock.run_for("01:00:00")
    frame = lms.sco
    lms.page.evaluate("() => { document.getElementById('sco').src = 'about:blank'; }")
    frame.wait_for_url("about:blank")
    assert lms.calls[calls:] == []


@pytest.mark.parametrize("name", ["scorm12-module", "scorm2004-module"])
def test_pass_path_through_the_test_sco_and_a_content_sco(
    name: str, page: Page, new_page: NewPage, scorm_site: Site
) -> None:
    site = scorm_site(VARIANTS[name])
    test_sco = launch(page, site, TEST_SCO)
    course = test_sco.course()
    assert [m["id"] for m in course.data["modules"]] == ["post-test"]
    complete_from_here(test_sco.sco, course)
    final = exit_course(test_sco)
    if test_sco.family == "1.2":
        assert status(test_sco, final) == {"status": "passed", "score": "100", "exit": ""}
        assert final["cmi.student_data.mastery_score"] == "80"
    else:
        assert status(test_sco, final) == {"completion": "completed", "success": "passed",
                                           "score": "1", "exit": "normal"}
    assert_interactions(test_sco, final, test_sco.events("question-answered"))
    assert test_sco.problems(scored=True) == []

    content = launch(new_page(), site, CONTENT_SCO)
    course = content.course()
    complete_from_here(content.sco, course)
    final = exit_course(content)
    ids = [f"obj-empathy-{n}" for n in range(1, 5)]
    if content.family == "1.2":  # a module without a test: completed, no score
        assert status(content, final) == {"status": "completed", "score": "", "exit": ""}
        assert [final[f"cmi.objectives.{n}.{f}"] for n in range(4) for f in ("id", "status")] \
            == [x for i in ids for x in (i, "completed")]
    else:
        assert status(content, final) == {"completion": "completed", "success": "unknown",
                                          "score": "", "exit": "normal"}
        # The LMS had the manifest's objectives: they are used, not appended again.
        assert "cmi.objectives.4.id" not in final
        assert not [c for c in content.calls if c["fn"] == "SetValue"
                    and c["args"][0].startswith("cmi.objectives.") and c["args"][0].endswith(".id")]
        assert [final[f"cmi.objectives.{n}.{f}"] for n in range(4)
                for f in ("id", "completion_status")] == [x for i in ids for x in (i, "completed")]
    assert_interactions(content, final, content.events("question-answered"))
    assert content.problems() == []


# --- the fail path ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(VARIANTS))
def test_fail_path_reports_failed_only_when_no_attempt_is_left(
    name: str, page: Page, scorm_site: Site
) -> None:
    site = scorm_site(VARIANTS[name])
    lms = launch(page, site, "index.html" if site.variant.sco == "single" else TEST_SCO)
    frame = lms.sco
    course = lms.course()
    open_the_test(frame, course)
    attempts = course.block("test")["attempts"]
    assert attempts == 3
    test = frame.get_by_test_id("test")
    for attempt in range(1, attempts + 1):
        take(frame, course, all_wrong)
        data = lms.data()
        if attempt < attempts:
            expected = ({"status": "incomplete", "score": "", "exit": ""} if lms.family == "1.2"
                        else {"completion": "incomplete", "success": "unknown", "score": "",
                              "exit": ""})
            assert status(lms, data) == expected, f"after attempt {attempt}"
            test.get_by_test_id("test-retake").click()
            expect(test.get_by_test_id("test-attempt")).to_contain_text(f"{attempt + 1} of 3")
    if lms.family == "1.2":
        final = lms.wait_for(lambda d: d["cmi.core.lesson_status"] == "failed", "says failed")
        assert status(lms, final)["score"] == "0"
    else:
        final = lms.wait_for(lambda d: d["cmi.success_status"] == "failed", "says failed")
        assert status(lms, final)["completion"] == "incomplete"
        assert status(lms, final)["score"] == "0"
    events = lms.events("question-answered")
    assert len(events) == attempts * course.block("test")["draw"]  # every question of each
    assert_interactions(lms, final, events)
    assert {"wrong" if lms.family == "1.2" else "incorrect"} == {
        r["result"] for r in interactions(final)}
    final = exit_course(lms)
    assert status(lms, final)["exit"] == "suspend"  # not complete: the LMS keeps the attempt
    assert lms.problems(scored=True) == []


# --- exit and relaunch --------------------------------------------------------------------------


def what_the_learner_sees(frame: Frame, course: Any) -> dict[str, Any]:
    """The page, the test's draw in the order shown, and every answer on screen."""
    test = frame.get_by_test_id("test")
    ids = shown_ids(test, ".cf-question", "data-question")
    return {
        "route": route_of(frame),
        "draw": ids,
        "answers": {i: shown_response(question_el(test, i), course.questions[i]) for i in ids},
        "attempt": test.get_by_test_id("test-attempt").inner_text(),
    }


@pytest.mark.parametrize("name", list(VARIANTS))
def test_exit_mid_course_and_relaunch_resumes_where_the_learner_left(
    name: str, page: Page, new_page: NewPage, scorm_site: Site
) -> None:
    site = scorm_site(VARIANTS[name])
    href = "index.html" if site.variant.sco == "single" else TEST_SCO
    first = launch(page, site, href)
    frame = first.sco
    course = first.course()
    quiz = next((b for b in course.data["blocks"] if b["kind"] == "quiz"), None)
    if quiz is not None:  # the single SCO: a knowledge check answered and checked
        go_to(frame, quiz["page"])
        check_right(frame, quiz)
    open_the_test(frame, course)
    answer_test(frame, course, lambda n, q: n % 2 == 0)  # type: ignore[arg-type]
    before = what_the_learner_sees(frame, course)
    state = decode_state(frame.evaluate("() => Ceforge.app.lastSaved"), course.data)
    assert before["draw"] == drawn_ids(course.block("test"), state["test"]["seed"])
    # Exit course (single SCO) or the LMS taking the SCO away (module SCOs: pagehide).
    final = exit_course(first) if site.variant.sco == "single" else leave(first)
    assert status(first, final)["exit"] == "suspend"
    kept = decode_state(final["cmi.suspend_data"], course.data)
    assert {**kept, "seconds": 0} == {**state, "seconds": 0}  # exit adds the last seconds
    assert first.problems(scored=True) == []
    count = len(interactions(final))

    data = resume_data(first.family, final)
    assert data["cmi.core.entry" if first.family == "1.2" else "cmi.entry"] == "resume"
    again = launch(new_page(), site, href, data)
    frame = again.sco
    expect(frame.get_by_test_id("notice").first).to_be_visible()  # welcome back
    assert what_the_learner_sees(frame, course) == before
    if quiz is not None:
        go_to(frame, quiz["page"])
        for question in quiz["questions"]:
            feedback = question_el(frame.locator(f'section[data-block="{quiz["id"]}"]'),
                                   question["id"]).get_by_test_id("feedback")
            expect(feedback).to_have_attribute("data-result", "correct")
        open_the_test(frame, course)
    # The session goes on from there: the attempt is handed in, the records follow the old ones.
    take(frame, course, all_right)
    final = exit_course(again)
    assert_interactions(again, final, again.events("question-answered"), first=count)
    assert final["cmi.suspend_data"] == frame.evaluate("() => Ceforge.app.lastSaved")
    assert again.problems(scored=True) == []
