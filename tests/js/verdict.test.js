/*
 * The post-test's verdict (docs/runtime.md, "The verdict"): the core decides once, and the xAPI
 * Recorder reports that decision with the score it judged. A cmi5 LMS's masteryScore of four
 * decimals used to be judged twice, apart: 0.6666 failed 2 of 3 on the screen and passed it in
 * the statements, 0.8334 the other way round for 5 of 6.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { loadCore } = require("./runtime");

const Ceforge = loadCore("adapters/xapi-statements.js");
const { scoring } = Ceforge;

/** An attempt of `right` of `total` one-point questions, scored by the core. */
function attempt(right, total) {
  const questions = [];
  const responses = {};
  for (let i = 0; i < total; i++) {
    questions.push({ id: "q" + i, type: "true-false", points: 1,
      choices: [{ id: "true", correct: true }, { id: "false", correct: false }] });
    responses["q" + i] = i < right ? "true" : "false";
  }
  return scoring.score(questions, responses);
}

/** The vocabulary a Recorder needs to judge a post-test (course data `xapi`). */
const VOCAB = {
  activities: {
    course: { id: "https://example.org/c", definition: { name: { en: "C" } } },
    modules: { m: { id: "https://example.org/c/m" } },
    test: { id: "https://example.org/c/test" },
  },
  verbs: { passed: { id: "passed" }, failed: { id: "failed" } },
  extensions: { attempt: "attempt", mastery_score: "masteryscore" },
  category: [],
  cmi5_categories: { cmi5: "cmi5", moveon: "moveon" },
};

/** The statements a cmi5 AU sends for the attempt, the core's event in hand. */
function judged(right, total, mastery) {
  const data = { course: { passing_score: scoring.toMark(mastery) / 1000, language: "en",
    version: "1" }, xapi: VOCAB };
  const score = attempt(right, total);
  const passed = scoring.passes(score.permille, data.course.passing_score);
  const event = { raw: score.raw, max: score.max, scaled: score.permille / 1000, passed,
    attempt: 1, attemptsLeft: 0 };
  const launch = { activityId: "https://lms.example.org/au", contextTemplate: {},
    launchMode: "Normal", masteryScore: mastery, module: null, name: { en: "AU" } };
  const recorder = new Ceforge.xapi.Recorder(data, { name: "A" }, "reg", launch,
    () => "2026-01-05T09:00:00.000Z");
  return { passed, statements: recorder.testFinished(event, "m", 60) };
}

test("a mark is a mastery score rounded up to a thousandth", () => {
  assert.equal(scoring.toMark(0.6666), 667);
  assert.equal(scoring.toMark(0.8334), 834);
  assert.equal(scoring.toMark(0.8333), 834);
  assert.equal(scoring.toMark(0.833), 833);
  assert.equal(scoring.toMark(0.0001), 1);
  assert.equal(scoring.toMark(0), 0);
  assert.equal(scoring.toMark(1), 1000);
  for (let k = 0; k <= 1000; k++) assert.equal(scoring.toMark(k / 1000), k, `${k} / 1000`);
});

test("the course's mark is its passing score in thousandths", () => {
  const cases = [[0.8, 800], [0.7, 700], [0.57, 570], [1.0, 1000], [0.0, 0], [0.833, 833],
    [0.007, 7]];
  for (const [passingScore, mark] of cases) {
    assert.equal(scoring.passMark({ course: { passing_score: passingScore } }), mark);
  }
});

for (const [mastery, right, total] of [[0.6666, 2, 3], [0.8334, 5, 6], [0.3334, 1, 3]]) {
  test(`masteryScore ${mastery}: ${right} of ${total} fails on the screen and in the LRS`, () => {
    const { passed, statements } = judged(right, total, mastery);
    assert.equal(passed, false);
    assert.deepEqual(statements.map((s) => s.verb.id), ["failed", "failed"]);
    for (const statement of statements) {
      assert.equal(statement.result.success, false);
      assert.ok(statement.result.score.scaled < mastery, "cmi5 9.3: failed is below mastery");
    }
  });
}

for (const [mastery, right, total] of [[0.666, 2, 3], [0.8333, 6, 6], [0.5, 1, 2]]) {
  test(`masteryScore ${mastery}: ${right} of ${total} passes on the screen and in the LRS`, () => {
    const { passed, statements } = judged(right, total, mastery);
    assert.equal(passed, true);
    assert.deepEqual(statements.map((s) => s.verb.id), ["passed", "passed"]);
    for (const statement of statements) {
      assert.ok(statement.result.score.scaled >= mastery, "cmi5 9.3: passed reaches mastery");
    }
    assert.equal(statements[1].context.extensions.masteryscore, mastery);
  });
}

test("the Recorder reports the core's verdict, never its own", () => {
  const data = { course: { passing_score: 0.8, language: "en", version: "1" }, xapi: VOCAB };
  const recorder = new Ceforge.xapi.Recorder(data, { name: "A" }, "reg", null, () => "t");
  const event = { raw: 1, max: 10, scaled: 0.1, passed: true, attempt: 1, attemptsLeft: 2 };
  const [statement] = recorder.testFinished(event, "m", 1);
  assert.equal(statement.verb.id, "passed");
  assert.equal(statement.result.score.scaled, 0.1);
});
