"""The learner runtime run in node against ceforge's Python: the document's algorithms written
again in Python (``spec.py``), the state budget of ``ceforge.coursedata`` and its limits, and
the course data the node unit tests (``tests/js``) read.

The runtime's pure parts are unit-tested in node (``nox -s js``); what needs Python to judge it
is here, with the core loaded into one node process per test (``runtime_node.in_node``).
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import pytest

from ceforge import certificate, coursedata
from ceforge.build import check_course_folder
from ceforge.coursedata import course_data, state_budget
from ceforge.model import Course
from ceforge.targets.common import messages_for
from golden import assert_golden
from runtime_node import in_node
from spec import decode_state, drawn_ids, permille, right_response, wrong_response

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "therapy-foundations"
EVERY_TYPE = HERE / "fixtures" / "web" / "every-type"
#: The every-type course as the runtime receives it: what tests/js reads.
EVERY_TYPE_DATA = HERE / "goldens" / "coursedata" / "every-type.json"
#: One of every block besides questions (a graded scenario, a video, an audio, reflections),
#: and as the runtime receives it: what tests/js reads for them.
BLOCKS = HERE / "fixtures" / "web" / "blocks"
BLOCKS_DATA = HERE / "goldens" / "coursedata" / "blocks.json"
#: Post-tests of one-point or fractional questions and their scores in permille: tests/js checks
#: the core against the same table.
PERMILLE_CASES = HERE / "js" / "cases" / "permille.json"

Data = dict[str, Any]


def checked(folder: Path) -> Course:
    result = check_course_folder(folder)
    assert result.course is not None and not result.errors
    return result.course


def data_of(course: Course) -> Data:
    """The course data a launch page embeds (the web target's: no adapter extras)."""
    data: Data = course_data(course, messages_for(course.config.language))
    return data


@pytest.fixture(scope="module")
def every_type() -> Data:
    return data_of(checked(EVERY_TYPE))


@pytest.fixture(scope="module")
def example() -> Data:
    return data_of(checked(EXAMPLE))


@pytest.fixture(scope="module")
def blocks() -> Data:
    return data_of(checked(BLOCKS))


def question(data: Data, question_id: str) -> Data:
    found: Data = next(q for b in data["blocks"] for q in b["questions"] if q["id"] == question_id)
    return found


def test_the_node_tests_read_the_course_data_of_the_build(every_type: Data, blocks: Data) -> None:
    assert_golden(EVERY_TYPE_DATA, every_type)
    assert_golden(BLOCKS_DATA, blocks)


def test_the_certificate_limits_and_check_character_are_the_providers() -> None:
    """The runtime draws the code; ``ceforge.certificate`` reads it back on the provider's
    side: the same limits, the same check character (on many random bodies)."""
    limits = in_node("return Ceforge.limits;")
    assert (limits["CODE_LENGTH"], limits["FIELD_MAX"], limits["NAME_MAX"]) == (
        certificate.CODE_LENGTH, certificate.FIELD_MAX, certificate.NAME_MAX)
    rng = random.Random(17)
    bodies = ["".join(rng.choice(certificate.ALPHABET) for _ in range(11)) for _ in range(500)]
    got = in_node("return input.map((b) => Ceforge.certificate.checkCharacter(b));", bodies)
    assert got == [certificate.check_character(b) for b in bodies]
    codes = in_node("return Array.from({length: 200}, () => Ceforge.certificate.newCode());")
    assert all(certificate.normalize_code(code) == code for code in codes)
    assert in_node("return Ceforge.certificate.CODE_ALPHABET;") == certificate.ALPHABET


def test_the_state_limits_are_mirrored_in_python() -> None:
    limits = in_node("return Ceforge.limits;")
    assert {name: limits[name] for name in ("STATE_VERSION", "MAX_SECONDS", "MAX_ATTEMPTS",
                                            "SEED_LIMIT", "MAX_DAY", "SCORE_MAX", "MAX_RUNS",
                                            "MEDIA_PARTS")} == {
        "MAX_RUNS": coursedata.MAX_RUNS,
        "MEDIA_PARTS": coursedata.MEDIA_PARTS,
        "STATE_VERSION": coursedata.STATE_VERSION,
        "MAX_SECONDS": coursedata.MAX_SECONDS,
        "MAX_ATTEMPTS": coursedata.MAX_ATTEMPTS,
        "SEED_LIMIT": coursedata.SEED_LIMIT,
        "MAX_DAY": coursedata.MAX_DAY,
        "SCORE_MAX": coursedata.SCORE_MAX,
    }


# --- answers and scores -------------------------------------------------------------------------

JUDGE = """
return input.cases.map(([question, response]) =>
  Ceforge.scoring.isCorrect(question, response, "en"));
"""


def test_the_documents_right_answers_are_right_and_its_wrong_ones_wrong(
    every_type: Data,
) -> None:
    graded = [q for block in every_type["blocks"] for q in block["questions"]
              if q["type"] not in ("likert", "essay")]
    cases = [[q, right_response(q)] for q in graded] + [[q, wrong_response(q)] for q in graded]
    got = in_node(JUDGE, {"cases": cases})
    assert got == [True] * len(graded) + [False] * len(graded)


def test_a_tolerance_reaches_the_runtime_as_its_range(every_type: Data) -> None:
    tolerance = question(every_type, "kc-numeric")["numeric"]
    assert math.isclose(tolerance["min"], 3.5) and math.isclose(tolerance["max"], 3.7)


DRAWS = """
const block = input.data.blocks.find((b) => b.kind === "test");
const byId = (id) => block.questions.find((q) => q.id === id);
return {
  draws: input.seeds.map((seed) => Ceforge.layout.test(block, seed).map((l) => l.question.id)),
  scores: input.attempts.map(([ids, responses]) =>
    Ceforge.scoring.score(ids.map(byId), responses)),
};
"""


def test_a_drawn_test_is_scored_by_points(example: Data) -> None:
    block = next(b for b in example["blocks"] if b["kind"] == "test")
    questions = {q["id"]: q for q in block["questions"]}
    seeds = [1, 2, 777, 123456, 36**6 - 1]
    attempts = []
    for seed in seeds:
        ids = drawn_ids(block, seed)
        right = ids[::2]
        responses = {i: right_response(questions[i]) if i in right
                     else wrong_response(questions[i]) for i in ids}
        attempts.append([ids, responses])
    got = in_node(DRAWS, {"data": example, "seeds": seeds, "attempts": attempts})
    for seed, ids in zip(seeds, got["draws"], strict=True):
        assert ids == drawn_ids(block, seed), f"seed {seed}: the draw of docs/runtime.md"
        assert len(ids) == block["draw"] == len(set(ids))
    assert len({tuple(ids) for ids in got["draws"]}) == len(seeds)
    for (ids, _), score in zip(attempts, got["scores"], strict=True):
        raw = sum(questions[i]["points"] for i in ids[::2])
        maximum = sum(questions[i]["points"] for i in ids)
        assert score == {"raw": raw, "max": maximum, "scaled": raw / maximum,
                         "permille": permille(raw, maximum)}


@pytest.mark.parametrize("case", json.loads(PERMILLE_CASES.read_text(encoding="utf-8")),
                         ids=lambda case: case["why"])
def test_the_documents_permille_is_the_table_the_core_is_tested_with(case: Data) -> None:
    points, right = case["points"], case["right"]
    assert permille(sum(points[:right]), sum(points)) == case["permille"]


# --- the state string ---------------------------------------------------------------------------

ROUND_TRIP = """
const data = input.data;
const state = Object.assign(Ceforge.state.fresh(data), input.state);
return Ceforge.state.encode(state, data);
"""

#: A state of the every-type course with an answer of every type, checked and not (the same as
#: tests/js/state.test.js's).
RICH_STATE: Data = {
    "page": 3, "viewed": [True, False, True, True, False, True], "seconds": 4321,
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
    "evaluation": False, "attested": 0, "completed": 20000, "blocks": {},
    "certificate": {"code": "ABCDEFGHJKL4", "name": "Dana Núñez", "license_number": "",
                    "license_state": ""},
}
#: A state of the blocks course with a scenario on its second run (its first run scored) and a
#: video half played (tests/js/state.test.js has the same).
BLOCKS_STATE: Data = {
    "page": 2, "viewed": [True, True, False, False, False, False], "seconds": 95,
    "answers": {},
    "test": {"used": 0, "seed": 0, "status": 0, "last": 0, "best": 0},
    "evaluation": False, "attested": 0, "completed": 0,
    "blocks": {
        "maria": {"scored": "maria-shuts-down", "run": 2, "path": ["b"]},
        "media-video": {"parts": [i < 50 for i in range(100)]},
    },
    "certificate": {"code": "", "name": "", "license_number": "", "license_state": ""},
}


@pytest.mark.parametrize("case", ["every-type", "blocks"])
def test_the_state_string_reads_as_documented(
    every_type: Data, blocks: Data, case: str
) -> None:
    data, state = (every_type, RICH_STATE) if case == "every-type" else (blocks, BLOCKS_STATE)
    text = in_node(ROUND_TRIP, {"data": data, "state": state})
    documented = decode_state(text, data)
    assert documented.pop("fingerprint") == data["state"]["fingerprint"]
    assert documented == state


def test_a_state_from_before_block_records_still_reads(every_type: Data) -> None:
    """A c1 string (fields 1 to 7, as ceforge wrote them before field 8) decodes in the runtime
    with no block records, so learners keep their progress when a course is rebuilt."""
    # (no certificate record either: it is field 9, after the block records)
    state = {**RICH_STATE, "certificate": {key: "" for key in RICH_STATE["certificate"]}}
    text = in_node(ROUND_TRIP, {"data": every_type, "state": state})
    assert text.startswith("c2") and text.endswith("0.")
    legacy = "c1" + text[2:-2]
    back = in_node("return Ceforge.state.decode(input.text, input.data);",
                   {"text": legacy, "data": every_type})
    assert back == state
    assert decode_state(legacy, every_type)["blocks"] == {}


MODULES_MERGED = """
const { launch, parts } = input;
for (const part of parts) Ceforge.modules.define(part);
const ready = launch.modules.map((m) => Ceforge.modules.ready(launch, m));
await Ceforge.modules.loadAll(launch);
return { ready, data: launch };
"""


def test_the_runtime_puts_the_modules_text_back_where_the_build_took_it(
    every_type: Data,
) -> None:
    launch, parts = coursedata.split_course_data(every_type)
    assert coursedata.join_course_data(launch, parts) == every_type
    got = in_node(MODULES_MERGED, {"launch": launch, "parts": list(parts.values())})
    assert got["ready"] == [False] * len(every_type["modules"])
    merged = got["data"]
    # Each module keeps the path of its script, which tells the runtime it came apart.
    paths = [module.pop("data") for module in merged["modules"]]
    assert paths == [coursedata.module_data_path(m["id"]) for m in every_type["modules"]]
    assert merged == every_type


LONGEST_STATE = """
const data = input;
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
// Scenarios at the end of their longest path (found by trying every path), media all played.
const longestPath = (scenario) => {
  let best = [];
  const walk = (path) => {
    const at = Ceforge.state.walkPath(scenario, path);
    if (!at) return;
    if (path.length > best.length) best = path;
    if (!at.node.end) for (const choice of at.node.choices) walk(path.concat(choice.id));
  };
  walk([]);
  return best;
};
for (const block of data.blocks) {
  if (block.scenario) {
    const ends = block.scenario.nodes.filter((node) => node.end);
    state.blocks[block.id] = {scored: ends[ends.length - 1].id, run: limits.MAX_RUNS,
                              path: longestPath(block.scenario)};
  } else if (block.media) {
    state.blocks[block.id] = {parts: new Array(limits.MEDIA_PARTS).fill(true)};
  }
}
// The certificate record: a code, a name and the licence details at their longest.
state.certificate = {code: "A".repeat(limits.CODE_LENGTH), name: "N".repeat(limits.NAME_MAX + 9),
                     license_number: "9".repeat(limits.FIELD_MAX + 9),
                     license_state: "S".repeat(limits.FIELD_MAX + 9)};
const text = encode();
Ceforge.state.decode(text, data);  // a state the runtime itself accepts
return {length: text.length, worstCase: data.state.worst_case};
"""


@pytest.mark.parametrize("folder", [EXAMPLE, EVERY_TYPE, BLOCKS], ids=lambda folder: folder.name)
def test_the_longest_state_is_the_computed_worst_case(folder: Path) -> None:
    course = checked(folder)
    got = in_node(LONGEST_STATE, data_of(course))
    assert got["length"] == got["worstCase"] == state_budget(course).worst_case
