/*
 * Answer rules and scores (docs/runtime.md, "Answer rules"), on the questions of the every-type
 * course as the build gives them to the runtime.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const { loadCore, everyType, questionOf } = require("./runtime");

const Ceforge = loadCore();
const { scoring } = Ceforge;
const data = everyType();
const PERMILLE = require(path.join(__dirname, "cases", "permille.json"));

/**
 * Each case is [response, expected]: true/false/null for `isCorrect`, or a message key for a
 * response that cannot be checked (then `isCorrect` must not be true).
 */
function judge(question, cases) {
  const q = typeof question === "string" ? questionOf(data, question) : question;
  const wrong = [];
  for (const [response, expected] of cases) {
    const correct = scoring.isCorrect(q, response, "en");
    const problem = scoring.answerProblem(q, response);
    const got = problem !== null ? problem : correct;
    if (got !== expected || (problem !== null && correct === true)) {
      wrong.push(`${JSON.stringify(response)}: expected ${JSON.stringify(expected)}, got ` +
        `correct=${correct} problem=${problem}`);
    }
  }
  assert.deepEqual(wrong, [], q.id);
}

test("fill-in ignores case and white space but not spelling", () => {
  judge("kc-fill-in", [
    ["congruence", true], ["CONGRUENCE", true], ["  Congruence  ", true],
    ["\tGenuineness\n", true], ["congruences", false], ["con gruence", false],
    ["", "answer_first"], ["   ", "answer_first"], [null, "answer_first"],
  ]);
  judge("post-fill-in", [
    ["A   Summary", true], ["a\u00a0summary", true], ["a\t\nsummary ", true],
    ["asummary", false],
  ]);
  const decomposed = { id: "nfc", type: "fill-in", answers: ["Café Ünïcode"],
    accept: ["café ünïcode"], choices: [] };
  judge(decomposed, [["cafe\u0301 u\u0308ni\u0308code", true], ["CAFÉ ÜNÏCODE", true],
    ["cafe unicode", false]]);
});

test("numeric: exact, range and tolerance are inclusive", () => {
  judge("post-numeric-exact", [
    ["600", true], [" 600 ", true], ["600.0", true], ["600,0", true], ["+600", true],
    ["599.99", false], ["600.01", false], ["-600", false],
    ["6e2", "enter_number"], ["600 minutes", "enter_number"], ["", "answer_first"],
  ]);
  judge("post-numeric-range", [
    ["10", true], ["14", true], ["12,5", true], ["10.0", true],
    ["9.99", false], ["14.01", false], ["-12", false],
  ]);
  judge("kc-numeric", [
    ["3.5", true], ["3.7", true], ["3,5", true], ["3,7", true], ["3.6", true],
    ["3.50", true], ["3.4999", false], ["3.7001", false], ["3.49", false], ["3.71", false],
  ]);
});

test("numeric allows the documented floating-point slack", () => {
  // 3.14 ± 0.01 reaches the runtime as min = 3.1300000000000003 (docs/runtime.md).
  const rounded = { id: "slack", type: "numeric", choices: [],
    numeric: { min: 3.14 - 0.01, max: 3.14 + 0.01 } };
  judge(rounded, [["3.13", true], ["3.15", true], ["3.129", false], ["3.151", false]]);
  const exact = { id: "slack-exact", type: "numeric", choices: [],
    numeric: { min: 3.7, max: 3.7 } };
  // 1e-9 × max(1, 3.7) either side, no more.
  judge(exact, [["3.700000001", true], ["3.699999999", true], ["3.70000001", false],
    ["3.69999999", false]]);
});

test("numbers are read with either decimal mark", () => {
  const cases = {
    "7": 7, "-3.5": -3.5, "3,14": 3.14, ".5": 0.5, ",5": 0.5, "+2": 2, " 42 ": 42,
    "1e3": null, "1 000": null, "1.000,5": null, "1,000.5": null, "3,5,1": null,
    "1.2.3": null, "--1": null, "": null, "abc": null, "Infinity": null, "0x1A": null,
    "½": null, "٣": null,
  };
  for (const [text, value] of Object.entries(cases)) {
    const n = scoring.parseNumber(text);
    assert.equal(Number.isNaN(n) ? null : n, value, JSON.stringify(text));
  }
});

test("multiple-choice is right only with exactly the right choices", () => {
  judge("kc-multiple", [
    [["a", "c"], true], [["c", "a"], true], [["a"], false], [["c"], false],
    [["a", "b"], false], [["b", "c"], false], [["a", "b", "c"], false],
    [["a", "c", "d"], false], [["b", "d"], false],
    [["a", "b", "c", "d"], false], [[], "answer_first"], [null, "answer_first"],
  ]);
});

test("choice and true-false", () => {
  judge("kc-choice", [["b", true], ["a", false], ["c", false], [null, "answer_first"]]);
  judge("kc-true-false", [["true", true], ["false", false]]);
  judge("post-true-false", [["false", true], ["true", false]]);
});

test("matching needs every pair right", () => {
  judge("kc-matching", [
    [[["1", "a"], ["2", "b"], ["3", "c"]], true],
    [[["3", "c"], ["1", "a"], ["2", "b"]], true],
    [[["1", "b"], ["2", "a"], ["3", "c"]], false],
    [[["1", "a"], ["2", "b"], ["3", "b"]], false],
    [[["1", "a"], ["2", "b"]], "match_all"],
    [[], "answer_first"], [null, "answer_first"],
  ]);
});

test("sequencing needs the written order", () => {
  judge("kc-sequencing", [
    [["a", "b", "c", "d"], true], [["b", "a", "c", "d"], false],
    [["d", "c", "b", "a"], false], [["a", "b", "d", "c"], false],
  ]);
  // A sequence is always answered: the order shown is an answer.
  assert.equal(scoring.isAnswered(questionOf(data, "kc-sequencing"), ["d", "c", "b", "a"]),
    true);
});

test("likert and essay have no right answer", () => {
  judge("eval-objectives", [["a", null], ["c", null], [null, "answer_first"]]);
  judge("kc-essay", [["Some thoughts.", null], ["  ", "answer_first"]]);
});

test("the correct response of every type", () => {
  const got = (id) => scoring.correctResponse(questionOf(data, id));
  assert.equal(got("kc-choice"), "b");
  assert.equal(got("kc-true-false"), "true");
  assert.deepEqual(got("kc-multiple"), ["a", "c"]);
  assert.deepEqual(got("kc-fill-in"), ["congruence", "genuineness"]);
  assert.deepEqual(got("post-numeric-range"), { min: 10, max: 14 });
  assert.deepEqual(got("kc-matching"), [["1", "a"], ["2", "b"], ["3", "c"]]);
  assert.deepEqual(got("kc-sequencing"), ["a", "b", "c", "d"]);
  assert.equal(got("eval-objectives"), null);
  assert.equal(got("kc-essay"), null);
});

test("the right answer as text, to reveal after the test", () => {
  const t = Ceforge.text.translator(data.messages);
  const fmt = Ceforge.text.formatters("en");
  const text = (id) => scoring.correctAnswerText(questionOf(data, id), t, fmt);
  const q = (id) => questionOf(data, id);
  assert.equal(text("kc-choice"), q("kc-choice").choices[1].text);
  assert.equal(text("kc-multiple"),
    [q("kc-multiple").choices[0].text, q("kc-multiple").choices[2].text].join("; "));
  assert.equal(text("kc-fill-in"), "congruence");
  assert.equal(text("post-numeric-exact"), "600");
  assert.equal(text("post-numeric-range"), t("number_range", { min: "10", max: "14" }));
  assert.match(text("kc-matching"), / → /);
  assert.match(text("kc-sequencing"), /^1\. .* {2}2\. .* {2}3\. .* {2}4\. /);
  assert.equal(text("kc-essay"), "");
});

test("only graded types are graded", () => {
  const graded = data.blocks.flatMap((b) => b.questions).filter((q) => scoring.isGraded(q));
  assert.deepEqual([...new Set(graded.map((q) => q.type))].sort(), ["choice", "fill-in",
    "matching", "multiple-choice", "numeric", "sequencing", "true-false"]);
});

test("scores are kept in permille, rounded down", () => {
  for (const { why, points, right, permille } of PERMILLE) {
    const questions = points.map((p, i) => ({ id: "q" + i, type: "true-false", points: p,
      choices: [{ id: "true", correct: true }, { id: "false", correct: false }] }));
    const responses = {};
    questions.forEach((q, i) => { responses[q.id] = i < right ? "true" : "false"; });
    assert.equal(scoring.score(questions, responses).permille, permille, why);
  }
});

test("a score is points of right answers over points of the questions", () => {
  const questions = ["post-choice", "post-multiple", "post-true-false", "post-fill-in"]
    .map((id) => questionOf(data, id));
  const got = scoring.score(questions, { "post-choice": "b", "post-multiple": ["a"],
    "post-true-false": "false", "post-fill-in": "a summary" });
  assert.deepEqual(got, { raw: 4, max: 6, scaled: 4 / 6, permille: 666 });
  assert.deepEqual(scoring.score([], {}), { raw: 0, max: 0, scaled: 0, permille: 0 });
});
