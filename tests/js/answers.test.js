/*
 * The fill-in answer rule (docs/runtime.md, "Answer rules"): the runtime's normalizeText on the
 * cases of tests/fixtures/answers/normalization.json, which the build's
 * ceforge.answers.normalize_answer is held to as well (tests/test_answers.py, which also
 * compares the two on generated text).
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const { loadCore } = require("./runtime");

const Ceforge = loadCore();
const { scoring } = Ceforge;
const CASES = require(path.join(__dirname, "..", "fixtures", "answers", "normalization.json"))
  .cases;

test("normalizeText gives what the build gives, case by case", () => {
  const wrong = CASES.filter(([typed, normalized]) => scoring.normalizeText(typed) !== normalized)
    .map(([typed, normalized]) => `${JSON.stringify(typed)}: ${JSON.stringify(normalized)} ` +
      `expected, got ${JSON.stringify(scoring.normalizeText(typed))}`);
  assert.deepEqual(wrong, []);
});

test("normalizeText is the same once or twice", () => {
  for (const [typed] of CASES) {
    const once = scoring.normalizeText(typed);
    assert.equal(scoring.normalizeText(once), once, JSON.stringify(typed));
  }
});

test("a fill-in answer is right when its normalized text is accepted", () => {
  // What the build writes for `= “Tarasoff”` and `= Tarasoff v. Regents`.
  const question = { id: "ruling", type: "fill-in", choices: [],
    answers: ["“Tarasoff”", "Tarasoff v. Regents"], accept: ["\"tarasoff\"", "tarasoff v. regents"] };
  const judged = (typed) => scoring.isCorrect(question, typed);
  assert.equal(judged("\"Tarasoff\""), true); // straight quotes, as keyboards type them
  assert.equal(judged("“TARASOFF”"), true);
  assert.equal(judged("„Tarasoff“"), true);
  assert.equal(judged("  tarasoff   V.\u00a0REGENTS "), true);
  assert.equal(judged("Tarasoff"), false); // the quotes are part of the first answer
  assert.equal(judged("Tarasof v. Regents"), false); // spelling counts
  assert.equal(judged(""), false);
});

test("the rule is the same in every course language", () => {
  // Turkish dotted and dotless i: Unicode's default mapping, as the build's str.lower.
  assert.equal(scoring.normalizeText("İSTANBUL"), "i\u0307stanbul");
  assert.equal(scoring.normalizeText("ISPARTA"), "isparta");
});
