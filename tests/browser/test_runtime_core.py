"""The runtime core (``core/*.js``) booted in Chromium: what needs a page.

The tests share one "lab" page, served beside a built course: the course data and the core
without an adapter, so nothing boots unless a test boots it with an adapter of its own
(docs/runtime.md, "Adapters"); no test here has a learner, so none needs a fresh context.
Booting renders the course, marks it completed when its rules are met and reports a discarded
state on the page. The core's pure parts (answer rules, scores, the state string, draws, the
completion rules) are unit-tested in node: ``tests/js`` (``nox -s js``), and against Python's
oracles in ``tests/test_runtime_oracles.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from harness import VIEWPORT, ConsoleLog
from learner import built_course_data
from playwright.sync_api import Browser, Page

from ceforge.targets.common import CORE_SCRIPTS

Serve = Callable[[Path], str]
Data = dict[str, Any]

LAB_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>core lab</title>
<link rel="icon" href="data:,"></head>
<body><div id="ceforge-app"></div>
<script type="application/json" id="ceforge-course">{data}</script>
{scripts}
<script>
  window.lab = {{
    data: JSON.parse(document.getElementById("ceforge-course").textContent),
    question(id) {{
      for (const block of this.data.blocks) {{
        const found = block.questions.find((q) => q.id === id);
        if (found) return found;
      }}
      throw new Error("no question " + id);
    }},
    block(kind) {{
      return this.data.blocks.find((b) => b.kind === kind);
    }},
  }};
</script>
</body></html>
"""


SCRIPTS = "\n".join(f'<script src="ceforge/{name}"></script>' for name in CORE_SCRIPTS)


@dataclass
class LabPage:
    """One page for the whole module: these tests share no learner, only the browser."""

    page: Page
    log: ConsoleLog
    loaded: str | None = None


class Lab:
    """Opens lab pages for built courses; a page is loaded again only when needed."""

    def __init__(self, lab_page: LabPage, served: Serve) -> None:
        self.lab_page = lab_page
        self.page = lab_page.page
        self.served = served

    def open(self, folder: Path, data: Data | None = None, *, fresh: bool = False) -> Data:
        """Load the lab page of ``folder`` with ``data`` (its own course data by default);
        ``fresh`` reloads it even when it is loaded already (a booted core stays booted)."""
        data = built_course_data(folder) if data is None else data
        text = json_for_script(data)
        url = self.served(folder) + "core-lab.html"
        key = url + "\n" + text
        if self.lab_page.loaded == key and not fresh:
            return data
        self.page.unroute(url)
        body = LAB_PAGE.format(data=text, scripts=SCRIPTS)
        self.page.route(url, lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=body))
        self.page.goto(url)
        self.lab_page.loaded = key
        return data

    def run(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)


def json_for_script(data: Data) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@pytest.fixture(scope="module")
def lab_page(chromium: Browser) -> Iterator[LabPage]:
    context = chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    log = ConsoleLog()
    log.watch(page)
    yield LabPage(page, log)
    context.close()


@pytest.fixture
def lab(lab_page: LabPage, served: Serve) -> Iterator[Lab]:
    yield Lab(lab_page, served)
    errors = list(lab_page.log.errors)
    lab_page.log.errors.clear()
    if errors:
        pytest.fail(f"{len(errors)} console error(s) or page error(s):\n" + "\n".join(errors),
                    pytrace=False)


# --- completion ---------------------------------------------------------------------------------

BOOT = """async (decoded) => {
  const data = lab.data;
  const state = Object.assign(Ceforge.state.fresh(data), decoded);
  const log = {saved: [], events: []};
  const app = await Ceforge.boot({
    name: "lab",
    start: () => ({state: decoded === null ? null : Ceforge.state.encode(state, data),
                   learner: {id: "lab", name: "Lab Learner"}, resume: false, persistent: true}),
    saveState: (text) => log.saved.push(text),
    event: (event) => log.events.push(event.type),
    exit() {},
  });
  return {
    requirements: Object.fromEntries(app.requirements().map((r) => [r.key, r.done])),
    summary: app.summary(),
    events: log.events,
    today: Ceforge.certificate.today(),
  };
}"""


def boot(lab: Lab, folder: Path, state: dict[str, Any], **completion: Any) -> dict[str, Any]:
    """Boot the core with ``state`` (decoded form; unset fields fresh) under the course's
    completion rules changed by ``completion``."""
    data = built_course_data(folder)
    data["completion"].update(completion)
    lab.open(folder, data, fresh=True)
    result: dict[str, Any] = lab.run(BOOT, state)
    return result


def done_state(data: Data, **changes: Any) -> dict[str, Any]:
    """Everything of the every-type course done, but not yet marked completed."""
    pages = sum(len(m["pages"]) for m in data["modules"])
    state: dict[str, Any] = {
        "page": 0, "viewed": [True] * pages, "seconds": 0,
        "test": {"used": 1, "seed": 42, "status": 2, "last": 800, "best": 800},
        "evaluation": True, "attested": 20000, "completed": 0,
    }
    state.update(changes)
    return state


def test_a_fresh_learner_has_every_requirement_left(lab: Lab, every_type_web: Path) -> None:
    got = boot(lab, every_type_web, {})
    assert got["requirements"] == {"pages": False, "test": False, "evaluation": False,
                                   "attestation": False}
    assert got["summary"]["completed"] is False
    assert got["summary"]["progress"] == pytest.approx(1 / (5 + 3))  # page 1 of 5, 3 rules
    assert "completed" not in got["events"]


def test_completion_when_every_rule_is_met(lab: Lab, every_type_web: Path) -> None:
    data = built_course_data(every_type_web)
    got = boot(lab, every_type_web, done_state(data))
    assert all(got["requirements"].values())
    assert got["summary"]["completed"] is True
    assert got["summary"]["completedDay"] == got["today"]
    assert got["summary"]["progress"] == 1
    assert got["events"].count("completed") == 1


@pytest.mark.parametrize(("changes", "missing"), [
    ({"viewed": [True, True, True, True, False]}, "pages"),
    ({"test": {"used": 1, "seed": 42, "status": 2, "last": 799, "best": 799}}, "test"),
    ({"test": {"used": 0, "seed": 42, "status": 1, "last": 0, "best": 0}}, "test"),
    ({"evaluation": False}, "evaluation"),
    ({"attested": 0}, "attestation"),
])
def test_one_rule_unmet_means_not_complete(
    lab: Lab, every_type_web: Path, changes: dict[str, Any], missing: str
) -> None:
    data = built_course_data(every_type_web)
    got = boot(lab, every_type_web, done_state(data, **changes))
    assert [key for key, done in got["requirements"].items() if not done] == [missing]
    assert got["summary"]["completed"] is False
    assert got["summary"]["progress"] == pytest.approx(7 / 8)


def test_a_test_rule_of_attempt_is_met_by_a_failed_attempt(
    lab: Lab, every_type_web: Path
) -> None:
    data = built_course_data(every_type_web)
    failed = {"used": 1, "seed": 42, "status": 2, "last": 100, "best": 100}
    got = boot(lab, every_type_web, done_state(data, test=failed), test="attempt")
    assert got["requirements"]["test"] is True and got["summary"]["completed"] is True
    assert got["summary"]["passed"] is False
    untouched = {"used": 0, "seed": 42, "status": 1, "last": 0, "best": 0}
    got = boot(lab, every_type_web, done_state(data, test=untouched), test="attempt")
    assert got["requirements"]["test"] is False and got["summary"]["completed"] is False


def test_rules_that_do_not_apply_are_not_required(lab: Lab, every_type_web: Path) -> None:
    untouched = {"used": 0, "seed": 0, "status": 0, "last": 0, "best": 0}
    got = boot(lab, every_type_web, {"attested": 20000, "evaluation": True, "test": untouched},
               pages=False, test="none")
    assert got["requirements"] == {"evaluation": True, "attestation": True}
    assert got["summary"]["completed"] is True
    got = boot(lab, every_type_web, {}, pages=False, test="none", evaluation=False,
               attestation=False)
    assert got["requirements"] == {}
    assert got["summary"]["completed"] is True


def test_min_minutes_counts_active_seconds(lab: Lab, every_type_web: Path) -> None:
    data = built_course_data(every_type_web)
    got = boot(lab, every_type_web, done_state(data, seconds=30 * 60 - 1), min_minutes=30)
    assert got["requirements"]["minutes"] is False and got["summary"]["completed"] is False
    assert got["summary"]["progress"] == pytest.approx(8 / 9)
    got = boot(lab, every_type_web, done_state(data, seconds=30 * 60), min_minutes=30)
    assert got["requirements"]["minutes"] is True and got["summary"]["completed"] is True


def test_completion_is_never_taken_back(lab: Lab, every_type_web: Path) -> None:
    data = built_course_data(every_type_web)
    got = boot(lab, every_type_web, done_state(data, attested=0, completed=19000))
    assert got["requirements"]["attestation"] is False
    assert got["summary"]["completed"] is True and got["summary"]["completedDay"] == 19000
    assert got["summary"]["progress"] == 1
    assert "completed" not in got["events"]


# --- the state string ---------------------------------------------------------------------------

ROUND_TRIP = """(decoded) => {
  const data = lab.data;
  const state = Object.assign(Ceforge.state.fresh(data), decoded);
  const text = Ceforge.state.encode(state, data);
  const back = Ceforge.state.decode(text, data);
  return {text, back, again: Ceforge.state.encode(back, data)};
}"""


def rich_state() -> dict[str, Any]:
    """A state of the every-type course with an answer of every type, checked and not."""
    return {
        "page": 3, "viewed": [True, False, True, True, False], "seconds": 4321,
        "answers": {
            "kc-choice": {"checked": True, "value": "b"},
            "kc-multiple": {"checked": False, "value": ["a", "d"]},
            "kc-true-false": {"checked": True, "value": "false"},
            "kc-fill-in": {"checked": True, "value": "  Ünïcödé: 1:2 . 😀 "},
            "kc-numeric": {"checked": False, "value": "3,65"},
            "kc-matching": {"checked": False, "value": [["1", "c"], ["3", "a"]]},
            "kc-sequencing": {"checked": True, "value": ["d", "b", "a", "c"]},
            "kc-essay": {"checked": True, "value": None},
            "post-choice": {"checked": False, "value": "d"},
            "post-numeric-exact": {"checked": False, "value": "-0.5"},
            "eval-objectives": {"checked": False, "value": "c"},
        },
        "test": {"used": 1, "seed": 123456, "status": 1, "last": 700, "best": 700},
        "evaluation": False, "attested": 0, "completed": 0,
    }


def base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, digit = divmod(n, 36)
        out = digits[digit] + out
        if n == 0:
            return out


@pytest.mark.parametrize("damage", ["truncated", "fingerprint"])
def test_a_discarded_state_starts_afresh_and_says_so(
    lab: Lab, every_type_web: Path, damage: str
) -> None:
    data = lab.open(every_type_web, fresh=True)
    text = lab.run(ROUND_TRIP, rich_state())["text"]
    if damage == "truncated":
        stored, reason = text[: len(text) // 2], "format"
    else:
        head = "c1" + base36(data["state"]["fingerprint"]) + "."
        stored = "c1" + base36(data["state"]["fingerprint"] + 1) + "." + text[len(head):]
        reason = "fingerprint"
    got = lab.run("""async (stored) => {
        const events = [];
        const app = await Ceforge.boot({name: "lab",
          start: () => ({state: stored, learner: {id: "lab", name: "Lab"}, resume: true,
                         persistent: true}),
          saveState() {}, event: (e) => events.push(e), exit() {}});
        return {events, page: app.state.page, answers: app.state.answers,
                notice: document.querySelector("[data-testid=notice]").textContent};
    }""", stored)
    assert [e["reason"] for e in got["events"] if e["type"] == "state-discarded"] == [reason]
    assert got["page"] == 0 and got["answers"] == {}
    assert got["notice"]
