"""Unit tests of the runtime core (``core/*.js``) in Chromium, through what it exposes.

The tests share one "lab" page, served beside a built course: the course data and the core
without an adapter, so nothing boots unless a test boots it with an adapter of its own
(docs/runtime.md, "Adapters"); no test here has a learner, so none needs a fresh context.
Answer rules, scores and the state string are checked against docs/runtime.md, with the
Python oracles of ``spec.py`` where the document gives an algorithm, and the state's worst
case against ``ceforge.coursedata.state_budget``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from harness import VIEWPORT, ConsoleLog
from learner import built_course_data
from playwright.sync_api import Browser, Page
from spec import decode_state, drawn_ids, permille, right_response, wrong_response

from ceforge.build import check_course_folder
from ceforge.coursedata import state_budget
from ceforge.targets.common import CORE_SCRIPTS
from conftest import EVERY_TYPE, EXAMPLE

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


@pytest.fixture
def every_type(lab: Lab, every_type_web: Path) -> Data:
    return lab.open(every_type_web)


# --- answer rules -------------------------------------------------------------------------------

JUDGE = """([id, responses]) => {
  const q = typeof id === "string" ? lab.question(id) : id;
  return responses.map((r) => [Ceforge.scoring.isCorrect(q, r, "en"),
                               Ceforge.scoring.answerProblem(q, r)]);
}"""


def judge(lab: Lab, question: str | dict[str, Any], cases: list[tuple[Any, Any]]) -> None:
    """Each case is (response, expected): True/False/None for ``isCorrect``, or a message key
    for a response that cannot be checked (then ``isCorrect`` must not be true)."""
    results = lab.run(JUDGE, [question, [response for response, _ in cases]])
    wrong = []
    for (response, expected), (correct, problem) in zip(cases, results, strict=True):
        got = problem if problem is not None else correct
        if got != expected or (problem is not None and correct is True):
            wrong.append(f"{response!r}: expected {expected!r}, got correct={correct!r} "
                         f"problem={problem!r}")
    assert not wrong, f"{question if isinstance(question, str) else question['id']}:\n" + \
        "\n".join(wrong)


def test_fill_in_ignores_case_and_white_space_but_not_spelling(lab: Lab, every_type: Data) -> None:
    judge(lab, "kc-fill-in", [
        ("congruence", True), ("CONGRUENCE", True), ("  Congruence  ", True),
        ("\tGenuineness\n", True), ("congruences", False), ("con gruence", False),
        ("", "answer_first"), ("   ", "answer_first"), (None, "answer_first"),
    ])
    judge(lab, "post-fill-in", [
        ("A   Summary", True), ("a\u00a0summary", True), ("a\t\nsummary ", True),
        ("asummary", False),
    ])
    decomposed = {"id": "nfc", "type": "fill-in", "answers": ["Café Ünïcode"], "choices": []}
    judge(lab, decomposed, [("cafe\u0301 u\u0308ni\u0308code", True), ("CAFÉ ÜNÏCODE", True),
                            ("cafe unicode", False)])


def test_numeric_exact_range_and_tolerance_are_inclusive(lab: Lab, every_type: Data) -> None:
    judge(lab, "post-numeric-exact", [
        ("600", True), (" 600 ", True), ("600.0", True), ("600,0", True), ("+600", True),
        ("599.99", False), ("600.01", False), ("-600", False),
        ("6e2", "enter_number"), ("600 minutes", "enter_number"), ("", "answer_first"),
    ])
    judge(lab, "post-numeric-range", [
        ("10", True), ("14", True), ("12,5", True), ("10.0", True),
        ("9.99", False), ("14.01", False), ("-12", False),
    ])
    tolerance = lab.run("() => lab.question('kc-numeric').numeric")
    assert math.isclose(tolerance["min"], 3.5) and math.isclose(tolerance["max"], 3.7)
    judge(lab, "kc-numeric", [
        ("3.5", True), ("3.7", True), ("3,5", True), ("3,7", True), ("3.6", True),
        ("3.50", True), ("3.4999", False), ("3.7001", False), ("3.49", False), ("3.71", False),
    ])


def test_numeric_allows_the_documented_floating_point_slack(lab: Lab, every_type: Data) -> None:
    # 3.14 ± 0.01 reaches the runtime as min = 3.1300000000000003 (docs/runtime.md).
    rounded = {"id": "slack", "type": "numeric", "choices": [],
               "numeric": {"min": 3.14 - 0.01, "max": 3.14 + 0.01}}
    judge(lab, rounded, [("3.13", True), ("3.15", True), ("3.129", False), ("3.151", False)])
    exact = {"id": "slack-exact", "type": "numeric", "choices": [],
             "numeric": {"min": 3.7, "max": 3.7}}
    # 1e-9 × max(1, 3.7) either side, no more.
    judge(lab, exact, [("3.700000001", True), ("3.699999999", True), ("3.70000001", False),
                       ("3.69999999", False)])


def test_numbers_are_read_with_either_decimal_mark(lab: Lab, every_type: Data) -> None:
    cases = {
        "7": 7, "-3.5": -3.5, "3,14": 3.14, ".5": 0.5, ",5": 0.5, "+2": 2, " 42 ": 42,
        "1e3": None, "1 000": None, "1.000,5": None, "1,000.5": None, "3,5,1": None,
        "1.2.3": None, "--1": None, "": None, "abc": None, "Infinity": None, "0x1A": None,
        "½": None, "٣": None,
    }
    got = lab.run("""(texts) => texts.map((t) => {
        const n = Ceforge.scoring.parseNumber(t);
        return Number.isNaN(n) ? null : n;
    })""", list(cases))
    assert dict(zip(cases, got, strict=True)) == cases


def test_multiple_choice_is_right_only_with_exactly_the_right_choices(
    lab: Lab, every_type: Data
) -> None:
    judge(lab, "kc-multiple", [
        (["a", "c"], True), (["c", "a"], True), (["a"], False), (["c"], False),
        (["a", "b"], False), (["b", "c"], False), (["a", "b", "c"], False),
        (["a", "c", "d"], False), (["b", "d"], False),
        (["a", "b", "c", "d"], False), ([], "answer_first"), (None, "answer_first"),
    ])


def test_choice_and_true_false(lab: Lab, every_type: Data) -> None:
    judge(lab, "kc-choice", [("b", True), ("a", False), ("c", False), (None, "answer_first")])
    judge(lab, "kc-true-false", [("true", True), ("false", False)])
    judge(lab, "post-true-false", [("false", True), ("true", False)])


def test_matching_needs_every_pair_right(lab: Lab, every_type: Data) -> None:
    judge(lab, "kc-matching", [
        ([["1", "a"], ["2", "b"], ["3", "c"]], True),
        ([["3", "c"], ["1", "a"], ["2", "b"]], True),
        ([["1", "b"], ["2", "a"], ["3", "c"]], False),
        ([["1", "a"], ["2", "b"], ["3", "b"]], False),
        ([["1", "a"], ["2", "b"]], "match_all"),
        ([], "answer_first"), (None, "answer_first"),
    ])


def test_sequencing_needs_the_written_order(lab: Lab, every_type: Data) -> None:
    judge(lab, "kc-sequencing", [
        (["a", "b", "c", "d"], True), (["b", "a", "c", "d"], False),
        (["d", "c", "b", "a"], False), (["a", "b", "d", "c"], False),
    ])
    # A sequence is always answered: the order shown is an answer.
    assert lab.run("() => Ceforge.scoring.isAnswered(lab.question('kc-sequencing'), "
                   "['d', 'c', 'b', 'a'])") is True


def test_likert_and_essay_have_no_right_answer(lab: Lab, every_type: Data) -> None:
    judge(lab, "eval-objectives", [("a", None), ("c", None), (None, "answer_first")])
    judge(lab, "kc-essay", [("Some thoughts.", None), ("  ", "answer_first")])


def test_the_correct_response_of_every_type(lab: Lab, every_type: Data) -> None:
    ids = [q["id"] for block in every_type["blocks"] for q in block["questions"]]
    got = dict(zip(ids, lab.run(
        "(ids) => ids.map((id) => Ceforge.scoring.correctResponse(lab.question(id)))", ids),
        strict=True))
    assert got["kc-choice"] == "b"
    assert got["kc-true-false"] == "true"
    assert got["kc-multiple"] == ["a", "c"]
    assert got["kc-fill-in"] == ["congruence", "genuineness"]
    assert got["post-numeric-range"] == {"min": 10, "max": 14}
    assert got["kc-matching"] == [["1", "a"], ["2", "b"], ["3", "c"]]
    assert got["kc-sequencing"] == ["a", "b", "c", "d"]
    assert got["eval-objectives"] is None and got["kc-essay"] is None
    # Every right answer of spec.py is right for the core, every wrong one wrong.
    graded = [q for block in every_type["blocks"] for q in block["questions"]
              if q["type"] not in ("likert", "essay")]
    for question in graded:
        judge(lab, question["id"], [(right_response(question), True),
                                    (wrong_response(question), False)])


# --- scores -------------------------------------------------------------------------------------


def test_a_drawn_test_is_scored_by_points(lab: Lab, example_web: Path) -> None:
    data = lab.open(example_web)
    block = next(b for b in data["blocks"] if b["kind"] == "test")
    questions = {q["id"]: q for q in block["questions"]}
    seeds = [1, 2, 777, 123456, 36**6 - 1]
    draws = lab.run("""(seeds) => seeds.map((seed) =>
        Ceforge.layout.test(lab.block('test'), seed).map((layout) => layout.question.id))""",
        seeds)
    for seed, ids in zip(seeds, draws, strict=True):
        assert ids == drawn_ids(block, seed), f"seed {seed}: the draw of docs/runtime.md"
        assert len(ids) == block["draw"] == len(set(ids))
    assert len({tuple(ids) for ids in draws}) == len(seeds)

    for ids in draws:
        right = ids[::2]
        responses = {i: right_response(questions[i]) if i in right
                     else wrong_response(questions[i]) for i in ids}
        got = lab.run("""([ids, responses]) => Ceforge.scoring.score(
            ids.map((id) => lab.question(id)), responses, "en")""", [ids, responses])
        raw = sum(questions[i]["points"] for i in right)
        maximum = sum(questions[i]["points"] for i in ids)
        assert got == {"raw": raw, "max": maximum, "scaled": raw / maximum,
                       "permille": permille(raw, maximum)}


SCORE_POINTS = """([points, right]) => {
  const questions = points.map((p, i) => ({id: "q" + i, type: "true-false", points: p,
    choices: [{id: "true", correct: true}, {id: "false", correct: false}]}));
  const responses = {};
  questions.forEach((q, i) => { responses[q.id] = i < right ? "true" : "false"; });
  return Ceforge.scoring.score(questions, responses, "en").permille;
}"""


@pytest.mark.parametrize(("points", "right", "expected"), [
    ([0.1] * 15, 6, 400),  # 0.6000000000000001 / 1.5000000000000002 is 399.999…
    ([1] * 10, 8, 800),
    ([2, 2, 1, 1, 1, 1, 1, 1], 6, 800),
    ([1] * 15, 12, 800),
    ([1] * 100, 79, 790),
    ([1, 1, 1], 2, 666),
    ([1, 1, 1], 3, 1000),
    ([1, 1, 1], 0, 0),
])
def test_scores_are_kept_in_permille_rounded_down(
    lab: Lab, every_type: Data, points: list[float], right: int, expected: int
) -> None:
    assert lab.run(SCORE_POINTS, [points, right]) == expected == permille(sum(points[:right]),
                                                                          sum(points))


@pytest.mark.parametrize(("passing_score", "mark"), [(0.8, 800), (0.7, 700), (0.57, 570),
                                                     (1.0, 1000), (0.0, 0), (0.833, 833),
                                                     (0.007, 7)])
def test_the_pass_mark_is_the_passing_score_in_permille(
    lab: Lab, every_type_web: Path, passing_score: float, mark: int
) -> None:
    data = built_course_data(every_type_web)
    data["course"]["passing_score"] = passing_score
    lab.open(every_type_web, data)
    assert lab.run("() => Ceforge.scoring.passMark(lab.data)") == mark


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


def test_the_state_string_round_trips_and_reads_as_documented(
    lab: Lab, every_type: Data
) -> None:
    state = rich_state()
    got = lab.run(ROUND_TRIP, state)
    assert got["again"] == got["text"]
    assert got["back"] == state
    documented = decode_state(got["text"], every_type)
    assert documented.pop("fingerprint") == every_type["state"]["fingerprint"]
    assert documented == state
    assert got["text"].startswith("c1")


STATE_ERROR = """(texts) => texts.map((text) => {
  try {
    Ceforge.state.decode(text, lab.data);
    return "decoded";
  } catch (error) {
    return error instanceof Ceforge.state.StateError ? error.code : String(error);
  }
})"""


def test_a_truncated_or_altered_state_string_is_refused(lab: Lab, every_type: Data) -> None:
    text = lab.run(ROUND_TRIP, rich_state())["text"]
    prefixes = [text[:n] for n in range(len(text))]
    assert set(lab.run(STATE_ERROR, prefixes)) == {"format"}
    fingerprint = every_type["state"]["fingerprint"]
    head = "c1" + base36(fingerprint) + "."
    assert text.startswith(head)
    other = "c1" + base36(fingerprint + 1) + "." + text[len(head):]
    assert lab.run(STATE_ERROR, [
        text + "0.", text + "x", "c2" + text[2:], other, "", "{}", text.upper(),
    ]) == ["format", "format", "format", "fingerprint", "format", "format", "format"]


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


# --- the worst case of the state string ---------------------------------------------------------

LONGEST_STATE = """() => {
  const data = lab.data;
  const limits = Ceforge.limits;
  const pages = data.modules.reduce((n, m) => n + m.pages.length, 0);
  const longest = (q) => {
    const ids = (list) => list.map((item) => item.id);
    switch (q.type) {
      case "choice": case "true-false": case "likert": return q.choices[q.choices.length - 1].id;
      case "multiple-choice": return ids(q.choices);
      case "sequencing": return ids(q.choices).reverse();
      case "matching": return q.sources.map((s) => [s.id, q.targets[q.targets.length - 1].id]);
      case "fill-in": return "W".repeat(q.max_length + 50);  // the input stops at max_length
      case "numeric": return "9".repeat(q.max_length + 50);
      default: return null;  // an essay: its text is never kept
    }
  };
  const state = Ceforge.state.fresh(data);
  const encode = () => Ceforge.state.encode(state, data);
  state.page = pages - 1;
  state.viewed = state.viewed.map(() => true);
  state.seconds = limits.MAX_SECONDS + 1000;
  let attempts = limits.MAX_ATTEMPTS;
  for (const block of data.blocks) {
    let questions = block.questions;
    if (block.kind === "test") {
      if (block.attempts != null) attempts = block.attempts;
      // The costliest draw: the questions whose records are longest.
      const cost = (q) => {
        const before = encode().length;
        state.answers[q.id] = {checked: true, value: longest(q)};
        const after = encode().length;
        delete state.answers[q.id];
        return after - before;
      };
      const costs = new Map(questions.map((q) => [q, cost(q)]));
      questions = questions.slice().sort((a, b) => costs.get(b) - costs.get(a))
        .slice(0, block.draw == null ? questions.length : block.draw);
    }
    for (const q of questions) state.answers[q.id] = {checked: true, value: longest(q)};
  }
  state.test = {used: attempts, seed: limits.SEED_LIMIT - 1, status: 2,
                last: limits.SCORE_MAX, best: limits.SCORE_MAX};
  state.evaluation = true;
  state.attested = limits.MAX_DAY;
  state.completed = limits.MAX_DAY;
  const text = encode();
  Ceforge.state.decode(text, data);  // a state the runtime itself accepts
  return {length: text.length, worstCase: data.state.worst_case};
}"""


@pytest.mark.parametrize(("course", "fixture"), [(EXAMPLE, "example_web"),
                                                 (EVERY_TYPE, "every_type_web")])
def test_the_longest_state_is_the_computed_worst_case(
    lab: Lab, request: pytest.FixtureRequest, course: Path, fixture: str
) -> None:
    lab.open(request.getfixturevalue(fixture))
    got = lab.run(LONGEST_STATE)
    checked = check_course_folder(course)
    assert checked.course is not None
    assert got["length"] == got["worstCase"] == state_budget(checked.course).worst_case


def test_essays_and_unanswered_questions_add_nothing_to_the_state(
    lab: Lab, every_type: Data
) -> None:
    lengths = lab.run("""() => {
        const data = lab.data;
        const state = Ceforge.state.fresh(data);
        const bare = Ceforge.state.encode(state, data).length;
        state.answers["kc-essay"] = {checked: true, value: "x".repeat(4000)};
        return [bare, Ceforge.state.encode(state, data).length];
    }""")
    # The record of a submitted essay is its head alone: N(2 × 7 + 1) = "f.".
    assert lengths[1] - lengths[0] == len("f.")
