/*
 * The state string (docs/runtime.md, "The state string"), on the every-type course as the build
 * gives it to the runtime. tests/test_runtime_oracles.py reads these strings with the document's
 * own decoder (spec.py) and checks the worst case against ceforge.coursedata.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { loadCore, everyType } = require("./runtime");

const { state: codec, limits } = loadCore();
const data = everyType();

/** A state with an answer of every type, checked and not (the oracles test's RICH_STATE). */
function richState() {
  return {
    page: 3, viewed: [true, false, true, true, false, true], seconds: 4321,
    answers: {
      "kc-choice": { checked: true, value: "b" },
      "kc-multiple": { checked: false, value: ["a", "d"] },
      "kc-true-false": { checked: true, value: "false" },
      "kc-fill-in": { checked: true, value: "  Ünïcödé: 1:2 . 😀 " },
      "kc-numeric": { checked: false, value: "3,65" },
      "kc-matching": { checked: false, value: [["1", "c"], ["3", "a"]] },
      "kc-sequencing": { checked: true, value: ["d", "b", "a", "c"] },
      "kc-essay": { checked: true, value: null },
      "post-choice": { checked: false, value: "d" },
      "post-numeric-exact": { checked: false, value: "-0.5" },
      "eval-objectives": { checked: false, value: "c" },
    },
    test: { used: 1, seed: 123456, status: 1, last: 700, best: 700 },
    evaluation: false, attested: 0, completed: 20000, blocks: {},
    certificate: { code: "ABCDEFGHJKL4", name: "Dana Núñez", license_number: "",
      license_state: "" },
  };
}

/** The every-type course asking for the licence details too. */
function withLicense() {
  const asking = everyType();
  asking.course.certificate.collect = ["license_number", "license_state"];
  return asking;
}

function encoded(decoded) {
  return codec.encode(Object.assign(codec.fresh(data), decoded), data);
}

function refusal(text) {
  try {
    codec.decode(text, data);
    return "decoded";
  } catch (error) {
    return error instanceof codec.StateError ? error.code : String(error);
  }
}

const base36 = (n) => n.toString(36);

test("the state string round-trips", () => {
  const state = richState();
  const text = encoded(state);
  const back = codec.decode(text, data);
  assert.deepEqual(back, state);
  assert.equal(codec.encode(back, data), text);
  assert.ok(text.startsWith("c2"));
});

test("a fresh learner's state string is the documented one", () => {
  const head = "c2" + base36(data.state.fingerprint) + ".";
  // page 0, 6 pages unviewed (two base-32 digits), 0 s, no answers, no test, nothing else, no
  // block records, no certificate record.
  assert.equal(encoded({}), head + "0." + "2:00" + "0." + "0." + "0.0.0.0.0." + "0.0.0." + "0.");
  assert.deepEqual(codec.fresh(data), { page: 0, viewed: [false, false, false, false, false,
    false], seconds: 0, answers: {}, test: { used: 0, seed: 0, status: 0, last: 0, best: 0 },
  evaluation: false, attested: 0, completed: 0, blocks: {},
  certificate: { code: "", name: "", license_number: "", license_state: "" } });
});

test("the certificate record closes the string once there is one", () => {
  const record = "c:ABCDEFGHJKL4" + "a:Dana Núñez" + "0:" + "0:";
  // completed on day 20000, no block records, then the record
  assert.ok(encoded(richState()).endsWith("0.0.ffk." + "0." + record));
  // Licence details are kept when the course asks for them, and only then.
  const asking = withLicense();
  const state = Object.assign(codec.fresh(asking), { certificate: { code: "",
    name: "", license_number: "LPC 12345", license_state: "Nova Scotia" } });
  const text = codec.encode(state, asking);
  assert.ok(text.endsWith("0.0.0." + "0." + "0:" + "0:" + "9:LPC 12345" + "b:Nova Scotia"));
  assert.deepEqual(codec.decode(text, asking).certificate, state.certificate);
  assert.ok(codec.encode(state, data).endsWith("0.0.0." + "0."), "not asked: not kept");
  // Too long is cut at the limits; a course without a certificate keeps no record.
  state.certificate.license_number = "9".repeat(limits.FIELD_MAX + 5);
  assert.equal(codec.decode(codec.encode(state, asking), asking).certificate.license_number,
    "9".repeat(limits.FIELD_MAX));
  const none = Object.assign(everyType(), {});
  none.course.certificate = false;
  assert.equal(codec.encode(state, none), codec.encode(codec.fresh(none), none));
  assert.throws(() => codec.decode(text, none), codec.StateError);
});

test("a truncated or altered state string is refused", () => {
  const text = encoded(richState());
  const end7 = text.indexOf("c:ABCDEFGHJKL4"); // the end of field 7: a state with no record
  for (let n = 0; n < text.length; n++) {
    assert.equal(refusal(text.slice(0, n)), n === end7 ? "decoded" : "format", n);
  }
  assert.equal(refusal(text.replace("c:ABCDEFGHJKL4", "b:ABCDEFGHJKL")), "format"); // 11
  const fingerprint = data.state.fingerprint;
  const head = "c2" + base36(fingerprint) + ".";
  assert.ok(text.startsWith(head));
  const other = "c2" + base36(fingerprint + 1) + "." + text.slice(head.length);
  assert.deepEqual([text + "0.", text + "x", "c3" + text.slice(2), other, "", "{}",
    text.toUpperCase()].map(refusal),
  ["format", "format", "format", "fingerprint", "format", "format", "format"]);
});

test("essays and unanswered questions add nothing to the state", () => {
  const bare = encoded({}).length;
  const essay = encoded({ answers: { "kc-essay": { checked: true, value: "x".repeat(4000) } } });
  // The record of a submitted essay is its head alone: N(2 × 7 + 1) = "f.".
  assert.equal(essay.length - bare, "f.".length);
});

test("values beyond the limits are capped or refused", () => {
  const capped = codec.decode(encoded({ seconds: limits.MAX_SECONDS + 1000,
    test: { used: limits.MAX_ATTEMPTS, seed: limits.SEED_LIMIT - 1, status: 2,
      last: limits.SCORE_MAX, best: limits.SCORE_MAX },
    attested: limits.MAX_DAY, completed: limits.MAX_DAY }), data);
  assert.equal(capped.seconds, limits.MAX_SECONDS);
  assert.equal(capped.test.used, limits.MAX_ATTEMPTS);
  assert.equal(capped.completed, limits.MAX_DAY);
  assert.throws(() => encoded({ answers: { "kc-choice": { checked: true, value: "z" } } }),
    RangeError);
  assert.equal(refusal(encoded({}).replace(/0\.0\.0\.0\.$/, "2.0.0.0.")), "format");
});

test("a string from before block records (c1) reads with none", () => {
  // (and no certificate record: field 9, after the block records)
  const state = Object.assign(richState(), { certificate: codec.fresh(data).certificate });
  const text = encoded(state);
  const legacy = "c1" + text.slice(2, -"0.".length);
  assert.deepEqual(codec.decode(legacy, data), state);
  assert.equal(refusal(legacy + "0."), "format", "a c1 string ends after field 7");
});

test("the limits are the documented ones", () => {
  assert.deepEqual(limits, { STATE_VERSION: "c2", MAX_SECONDS: 36 ** 6 - 1,
    MAX_ATTEMPTS: 36 ** 3 - 1, SEED_LIMIT: 36 ** 6, MAX_DAY: 36 ** 4 - 1, SCORE_MAX: 1000,
    ESSAY_MAX: 4000, NAME_MAX: 120, DAY_MS: 86400000, MAX_RUNS: 36 ** 3 - 1, MEDIA_PARTS: 100,
    CODE_LENGTH: 12, FIELD_MAX: 40 });
});

test("the course index: pages in course order, questions in state order", () => {
  const ix = codec.index(data);
  assert.equal(codec.index(data), ix, "indexed once per course data");
  assert.deepEqual(ix.pages.map((p) => p.page.id),
    data.modules.flatMap((m) => m.pages.map((p) => p.id)));
  assert.deepEqual(ix.questions.map((q) => q.question.id),
    data.blocks.flatMap((b) => b.questions.map((q) => q.id)));
  assert.equal(ix.test.kind, "test");
  assert.equal(ix.questionIndex["kc-essay"], 7);
});
