"""``ceforge preview`` of a package of several units, started from the command line as a designer
previews the package they will ship, and driven through the inspector's Unit menu.

- SCORM 2004 ``--sco module``: the menu lists each module's SCO; the second one launched runs
  its own launch page (``module-<id>.html``) with its module alone, and the simulator keeps
  the cmi data of that SCO, apart from the first one's.
- cmi5 ``--au module``: the menu lists each AU of cmi5.xml; the second one launched runs its
  module alone, and its statements reach the LRS under that AU's launched activity id, the AU
  in their grouping, with no flag.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from harness import ConsoleLog
from playwright.sync_api import Page, expect
from preview_support import (
    XAPI_404,
    Inspector,
    copy_example,
    next_page,
    route_of,
    served,
    verbs,
    wait_until,
)

from ceforge.xapi.cmi5 import launched_activity_id
from ceforge.xapi.rules import session_of
from preview_process import ServedPreview

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "therapy-foundations"
MODULES = [re.sub(r"^\d+-", "", p.stem) for p in sorted((EXAMPLE / "modules").glob("*.md"))]


def launch_second_unit(page: Page, preview: ServedPreview) -> tuple[Inspector, dict[str, Any]]:
    """Open the inspector, check that its Unit menu lists every module's unit, and choose the
    second; the inspector and that unit (from the launch plan)."""
    units: list[dict[str, Any]] = preview.api("status")["build"]["plan"]["units"]
    assert [u["href"].split("?")[0] for u in units] == [f"module-{m}.html" for m in MODULES]
    inspector = Inspector(page, preview)
    menu = page.get_by_test_id("unit")
    expect(menu.locator("option")).to_have_text([u["title"] for u in units])
    expect(menu).to_have_value(units[0]["id"])
    inspector.course()
    before = inspector.loads()
    second = units[1]
    menu.select_option(second["id"])
    wait_until(lambda: inspector.loads() > before, "the second unit")
    page.evaluate("ceforgePreview.state.busy")
    frame = inspector.frame
    assert frame.url.split("#")[0].split("?")[0].endswith("/" + second["href"].split("?")[0])
    runs = inspector.course()
    assert [m["id"] for m in runs.data["modules"]] == [MODULES[1]]
    return inspector, second


def test_scorm_2004_a_second_sco_runs_its_module_and_keeps_its_own_data(
    page: Page, tmp_path: Path
) -> None:
    course = copy_example(tmp_path / "course")
    with served(course, "scorm2004", "--sco", "module") as preview:
        inspector, second = launch_second_unit(page, preview)
        assert inspector.model()["cmi.entry"] == "ab-initio"
        next_page(inspector.frame)
        page_id = route_of(inspector.frame).removeprefix("/page/")
        assert page_id in [p["id"] for p in inspector.course().pages]
        inspector.exit()
        assert inspector.errors() == [] and inspector.problems() == []

        kept = preview.api("snapshots")["latest"]
        mine = kept[second["id"]]
        assert (mine["state"], mine["errors"]) == ("terminated", 0)
        assert mine["record"]["values"]["cmi.location"] == page_id
        assert mine["record"]["values"]["cmi.suspend_data"]
        assert mine["record"]["entry"] == "resume"
        first = preview.api("status")["build"]["plan"]["units"][0]
        assert kept[first["id"]]["record"]["values"].get("cmi.location") != page_id


@pytest.mark.console_errors_ok
def test_cmi5_a_second_au_runs_its_module_and_sends_its_own_statements(
    page: Page, console_log: ConsoleLog, tmp_path: Path
) -> None:
    course = copy_example(tmp_path / "course")
    with served(course, "cmi5", "--au", "module") as preview:
        inspector, second = launch_second_unit(page, preview)
        next_page(inspector.frame)
        inspector.exit()
        (session,) = [s for s in preview.api("status")["cmi5"] if s["unit"] == second["id"]]
        assert session["activityId"] == launched_activity_id(second["id"])

        def sent() -> list[dict[str, Any]]:
            return [i for i in inspector.statements(source=None)
                    if session_of(i["statement"]) == session["id"]]

        wait_until(lambda: "terminated" in verbs(sent()), "the second AU's terminated")
        items = sent()
        assert verbs(items)[:2] == ["launched", "initialized"]
        assert "experienced" in verbs(items)
        assert {i["status"] for i in items} == {"stored"}
        assert [p for i in items for p in i["problems"]] == []
        for item in items:
            statement = item["statement"]
            if verbs([item])[0] in ("launched", "initialized", "terminated"):
                assert statement["object"]["id"] == session["activityId"]
            grouping = statement["context"]["contextActivities"]["grouping"]
            assert {"id": second["id"], "objectType": "Activity"} in grouping
    assert [e for e in console_log.errors if XAPI_404 not in e] == []
