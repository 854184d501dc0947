"""ceforge's SCORM packages under the preview's strict LMS simulator, through the inspector page.

- The example course, taken from its first page to its certificate, runs through the simulator
  with no API error and no problem, for SCORM 1.2 and SCORM 2004 (4th and 3rd edition), and
  ends passed and completed in what the LMS keeps. The same calls, replayed into scorm-again
  (the independent oracle), raise no error there either.
- Exit and relaunch resume where the learner was; the LMS keeps the time; Reset starts afresh.
- The LMS that fails commits or goes offline: the course goes on, and what the LMS kept is
  what was last committed.
- The inspector shows the calls, the data model and the suspend_data meter, and the learner's
  name reaches cmi.core.student_name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Frame, Page, expect
from preview_support import (
    Inspector,
    complete_from_here,
    copy_example,
    leave_inspectors,
    next_page,
    route_of,
    running,
    wait_until,
)

from ceforge.preview.server import Preview
from ceforge.targets.base import BuildOptions
from oracles import node_module

VARIANTS = {"scorm12": ("scorm12", 4), "scorm2004": ("scorm2004", 4),
            "scorm2004-3rd": ("scorm2004", 3)}


def replay_in_scorm_again(browser: Browser, standard: str, log: list[dict[str, Any]]) -> list[str]:
    """Run the same API calls against scorm-again; the calls it answers with an error."""
    script = node_module("scorm-again") / "dist" / "scorm-again.js"
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!DOCTYPE html><html lang=en><title>scorm-again</title></html>")
    page.add_script_tag(path=str(script))
    calls = [[e["call"], e["args"]] for e in log if "call" in e]
    errors: list[str] = page.evaluate("""([standard, calls]) => {
        const make = () => standard === "scorm12"
            ? new window.Scorm12API({logLevel: 5}) : new window.Scorm2004API({logLevel: 5});
        let api = make();
        const found = [];
        for (const [name, args] of calls) {
            if (name.endsWith("Initialize") && api.isTerminated && api.isTerminated()) api = make();
            const result = api[name](...args);
            const code = standard === "scorm12" ? api.LMSGetLastError() : api.GetLastError();
            if (String(code) !== "0") {
                found.push(`${name}(${JSON.stringify(args)}) -> ${result} [${code}]`);
            }
        }
        return found;
    }""", [standard, calls])
    context.close()
    return errors


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_example_course_runs_through_the_simulator_with_zero_errors(
    page: Page, chromium: Browser, tmp_path: Path, variant: str
) -> None:
    target, edition = VARIANTS[variant]
    with running(copy_example(tmp_path / "course"), target, edition=edition) as preview:
        inspector = Inspector(page, preview)
        course = inspector.course()
        complete_from_here(inspector.frame, course)
        inspector.frame.get_by_test_id("exit").click()
        expect(inspector.frame.get_by_test_id("exited")).to_be_visible()
        inspector.exit()

        assert inspector.errors() == []
        assert inspector.problems() == []
        calls = [e["call"] for e in inspector.calls()]
        assert calls[0].endswith("Initialize") and calls.count(calls[0]) == 1
        assert calls[-1] in ("LMSFinish", "Terminate") and calls.count(calls[-1]) == 1
        kept = inspector.record()
        if target == "scorm12":
            assert kept["values"]["cmi.core.lesson_status"] == "passed"
            assert kept["ended"]["status"] == "passed"
        else:
            assert kept["ended"]["completion"] == "completed"
            assert kept["ended"]["success"] == "passed"
        assert kept["totalCs"] > 0 or kept.get("previous", {}).get("totalCs", 0) > 0
        # What the page posted is what the server keeps (for tests and validate --launch).
        snapshot = preview.records.snapshots[inspector.page.evaluate("ceforgePreview.state.unitId")]
        assert snapshot["errors"] == 0 and snapshot["state"] == "terminated"
        assert [c.call for c in preview.api_calls()] == calls
        # The independent oracle: scorm-again accepts every call too.
        assert replay_in_scorm_again(chromium, target, inspector.log()) == []


@pytest.mark.parametrize("target", ["scorm12", "scorm2004"])
def test_exit_and_relaunch_resume_and_reset_starts_afresh(
    page: Page, tmp_path: Path, target: str
) -> None:
    with running(copy_example(tmp_path / "course"), target) as preview:
        page.clock.install()
        inspector = Inspector(page, preview)
        frame = inspector.frame
        inspector.course()
        next_page(frame)
        next_page(frame)
        where = route_of(frame)
        page.clock.run_for(2200)  # active time on the page's clock: the runtime counts seconds
        inspector.exit()
        assert inspector.session()["state"] == "terminated"
        record = inspector.record()
        assert record["entry"] == "resume"
        assert record["totalCs"] >= 200
        saved = record["values"]["cmi.suspend_data"]
        assert saved

        inspector.relaunch()
        entry = "cmi.core.entry" if target == "scorm12" else "cmi.entry"
        model = inspector.model()
        assert model[entry] == "resume"
        assert model["cmi.suspend_data"] == saved
        expect(frame.get_by_test_id("page-title")).to_be_visible()
        assert route_of(frame) == where, "the course resumed on the learner's page"
        total = "cmi.core.total_time" if target == "scorm12" else "cmi.total_time"
        assert model[total] not in ("0000:00:00.00", "PT0H0M0S")

        page.get_by_test_id("reset").click()
        wait_until(lambda: inspector.session()["number"] == 1, "a new learner's first session")
        expect(frame.get_by_test_id("page-title")).to_be_visible()
        model = inspector.model()
        assert model[entry] == "ab-initio"
        assert route_of(frame) == f"/page/{inspector.course().pages[0]['id']}"


def switch_tabs(frame: Frame) -> None:
    """The learner looks at another tab and comes back: the course commits (its flush)."""
    frame.evaluate("""(state) => {
        for (const value of ["hidden", "visible"]) {
            Object.defineProperty(document, "visibilityState", {configurable: true,
                                                                get: () => value});
            document.dispatchEvent(new Event("visibilitychange"));
        }
    }""", None)


def test_the_lms_that_fails_commits_or_goes_offline(page: Page, tmp_path: Path) -> None:
    with running(copy_example(tmp_path / "course"), "scorm2004") as preview:
        inspector = Inspector(page, preview)
        frame = inspector.frame
        inspector.course()
        inspector.control("fail-commits", True)
        next_page(frame)
        switch_tabs(frame)
        failed = wait_until(lambda: [c for c in inspector.calls("Commit") if c["error"]],
                            "a failed commit")[0]
        assert (failed["result"], failed["error"]) == ("false", 391)
        next_page(frame)  # the course goes on
        inspector.control("fail-commits", False)
        switch_tabs(frame)
        wait_until(lambda: inspector.calls("Commit")[-1]["result"] == "true", "a good commit")
        committed = inspector.record()["values"]["cmi.suspend_data"]

        inspector.control("offline", True)
        next_page(frame)
        inspector.exit()
        terminate = inspector.calls("Terminate")[-1]
        assert (terminate["result"], terminate["error"]) == ("false", 111)
        assert any("without terminating" in p for p in inspector.problems())
        inspector.control("offline", False)
        inspector.launch()
        # What the LMS kept is the last successful commit, not what the course wrote offline.
        assert inspector.model()["cmi.suspend_data"] == committed


def test_the_inspector_shows_calls_the_data_model_and_the_suspend_data_meter(
    page: Page, tmp_path: Path
) -> None:
    with running(copy_example(tmp_path / "course"), "scorm12") as preview:
        inspector = Inspector(page, preview)
        inspector.course()
        next_page(inspector.frame)
        wait_until(lambda: inspector.model().get("cmi.suspend_data"), "suspend_data")
        rows = page.locator("[data-testid=api-log] tr[data-testid=api-call][data-call]")
        expect(rows.first).to_have_attribute("data-call", "LMSInitialize")
        assert rows.count() == len(inspector.calls())
        page.get_by_role("tab", name="Data model").click()
        wait_until(lambda: page.get_by_test_id("suspend-text").inner_text().startswith(
            f"{len(inspector.model()['cmi.suspend_data'])} / 4096"), "the meter")
        expect(page.locator('[data-testid=data-model] tr[data-element="cmi.core.student_name"]')
               ).to_contain_text("Learner, Preview")
        expect(page.get_by_test_id("summary")).to_contain_text("0 error(s)")

        page.get_by_test_id("learner-name").fill("Ana María Lopez")
        before = inspector.loads()
        page.get_by_test_id("set-name").click()
        wait_until(lambda: inspector.loads() > before, "the relaunch")
        assert inspector.model()["cmi.core.student_name"] == "Lopez, Ana María"
        expect(inspector.frame.get_by_test_id("page-title")).to_be_visible()
        learner = inspector.frame.evaluate("Ceforge.app.learner.name")
        assert "Ana María" in learner and "Lopez" in learner  # the course got the LMS's name


def test_the_replay_in_scorm_again_catches_what_it_refuses(chromium: Browser) -> None:
    """The oracle check above is not vacuous: scorm-again reports a value it refuses."""
    log = [{"call": "Initialize", "args": [""]},
           {"call": "SetValue", "args": ["cmi.score.scaled", "2"]},
           {"call": "SetValue", "args": ["cmi.completion_status", "done"]}]
    found = replay_in_scorm_again(chromium, "scorm2004", log)
    assert len(found) == 2 and "[407]" in found[0] and "[406]" in found[1]


def test_each_sco_of_a_module_layout_has_its_own_record(page: Page, tmp_path: Path) -> None:
    course = copy_example(tmp_path / "course")
    options = BuildOptions(sco="module")
    with Preview(course, target="scorm2004", options=options, interval=0.1) as preview:
        plan = preview.state.plan
        assert plan is not None and len(plan.units) == 9
        inspector = Inspector(page, preview)
        units = page.get_by_test_id("unit")
        expect(units).to_be_visible()
        first, second = plan.units[0], plan.units[1]
        assert inspector.frame.url.split("#")[0].split("?")[0].endswith(first.href)
        next_page(inspector.frame)
        before = inspector.loads()
        units.select_option(second.id)
        wait_until(lambda: inspector.loads() > before, "the second SCO")
        assert inspector.frame.url.split("#")[0].split("?")[0].endswith(second.href)
        assert inspector.model()["cmi.entry"] == "ab-initio"
        assert inspector.calls()[0]["call"] == "Initialize"
        assert preview.records.snapshots[first.id]["record"]["entry"] == "resume"
        before = inspector.loads()
        units.select_option(first.id)
        wait_until(lambda: inspector.loads() > before, "the first SCO again")
        assert inspector.model()["cmi.entry"] == "resume"
        assert inspector.errors() == []
        leave_inspectors(preview.url)
