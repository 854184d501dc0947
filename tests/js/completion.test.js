/*
 * The completion rules (docs/runtime.md, "What the core does": completion, progress) as the App
 * computes them from the state, before anything is rendered: an App made in node, never
 * started. Marking the course completed and its event are the browser's part
 * (tests/browser/test_runtime_core.py).
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { loadCore, everyType } = require("./runtime");

const Ceforge = loadCore();

/** An App of the every-type course over `state` (decoded; unset fields fresh). */
function app(state, completion) {
  const data = everyType();
  Object.assign(data.completion, completion);
  const full = Object.assign(Ceforge.state.fresh(data), state);
  const text = Ceforge.state.encode(full, data);
  return new Ceforge.App(data, {}, null, { state: text, learner: { id: "lab", name: "Lab" } });
}

const requirements = (a) => Object.fromEntries(a.requirements().map((r) => [r.key, r.done]));

/** Everything of the every-type course done, but not yet marked completed. */
function done(changes) {
  return Object.assign({
    viewed: [true, true, true, true, true],
    test: { used: 1, seed: 42, status: 2, last: 800, best: 800 },
    evaluation: true, attested: 20000, completed: 0,
  }, changes);
}

test("a fresh learner has every requirement left", () => {
  const a = app({});
  assert.deepEqual(requirements(a), { pages: false, test: false, evaluation: false,
    attestation: false });
  assert.equal(a.progress(), 0);
  const summary = a.summary();
  assert.equal(summary.completed, false);
  assert.equal(summary.passed, null);
  assert.equal(summary.scaled, null);
  assert.equal(app({ viewed: [true, false, false, false, false] }).progress(), 1 / (5 + 3));
});

test("every rule met: every requirement done, full progress", () => {
  const a = app(done());
  assert.deepEqual(requirements(a), { pages: true, test: true, evaluation: true,
    attestation: true });
  assert.equal(a.progress(), 1);
  assert.equal(a.summary().passed, true);
  assert.equal(a.summary().scaled, 0.8);
});

const UNMET = [
  [{ viewed: [true, true, true, true, false] }, "pages"],
  [{ test: { used: 1, seed: 42, status: 2, last: 799, best: 799 } }, "test"],
  [{ test: { used: 0, seed: 42, status: 1, last: 0, best: 0 } }, "test"],
  [{ evaluation: false }, "evaluation"],
  [{ attested: 0 }, "attestation"],
];
for (const [changes, missing] of UNMET) {
  test(`one rule unmet (${missing}) leaves only it to do`, () => {
    const a = app(done(changes));
    assert.deepEqual(a.requirements().filter((r) => !r.done).map((r) => r.key), [missing]);
    assert.equal(a.progress(), 7 / 8);
    assert.equal(a.summary().completed, false);
  });
}

test("a test rule of attempt is met by a failed attempt, not by none", () => {
  const failed = app(done({ test: { used: 1, seed: 42, status: 2, last: 100, best: 100 } }),
    { test: "attempt" });
  assert.equal(requirements(failed).test, true);
  assert.equal(failed.summary().passed, false);
  assert.equal(failed.summary().testFinal, false); // attempts left
  const untouched = app(done({ test: { used: 0, seed: 42, status: 1, last: 0, best: 0 } }),
    { test: "attempt" });
  assert.equal(requirements(untouched).test, false);
});

test("rules that do not apply are not required", () => {
  const untouched = { used: 0, seed: 0, status: 0, last: 0, best: 0 };
  const some = app({ attested: 20000, evaluation: true, test: untouched },
    { pages: false, test: "none" });
  assert.deepEqual(requirements(some), { evaluation: true, attestation: true });
  const none = app({}, { pages: false, test: "none", evaluation: false, attestation: false });
  assert.deepEqual(requirements(none), {});
  assert.equal(none.progress(), 0 / 5);
});

test("min_minutes counts active seconds", () => {
  const short = app(done({ seconds: 30 * 60 - 1 }), { min_minutes: 30 });
  assert.equal(requirements(short).minutes, false);
  assert.equal(short.progress(), 8 / 9);
  const enough = app(done({ seconds: 30 * 60 }), { min_minutes: 30 });
  assert.equal(requirements(enough).minutes, true);
  assert.equal(enough.progress(), 1);
});

test("a completed course stays complete", () => {
  const a = app(done({ attested: 0, completed: 19000 }));
  assert.equal(requirements(a).attestation, false);
  assert.equal(a.summary().completed, true);
  assert.equal(a.summary().completedDay, 19000);
  assert.equal(a.progress(), 1);
});

test("the post-test's status: passed on the best attempt, final when passed or none left", () => {
  const block = (a) => a.testStatus().block.kind;
  const passed = app({ test: { used: 1, seed: 1, status: 2, last: 800, best: 800 } });
  assert.deepEqual([block(passed), passed.testStatus().passed, passed.testStatus().final],
    ["test", true, true]);
  const best = app({ test: { used: 2, seed: 1, status: 2, last: 100, best: 800 } });
  assert.equal(best.testStatus().passed, true);
  const out = app({ test: { used: 2, seed: 1, status: 2, last: 100, best: 790 } });
  assert.deepEqual([out.testStatus().passed, out.testStatus().left, out.testStatus().final],
    [false, 0, true]);
});

test("a state that does not decode starts afresh and says why", () => {
  const data = everyType();
  const a = new Ceforge.App(data, {}, null, { state: "c1garbage", learner: null });
  assert.equal(a.discarded, "format");
  assert.deepEqual(a.state, Ceforge.state.fresh(data));
});

test("the About page is not asked for: pages counts the pages completion requires", () => {
  const a = app(done());
  const about = a.ix.pages.find((entry) => entry.page.id === "about");
  assert.ok(about && about.page.optional && !about.required);
  assert.equal(a.state.viewed[about.index], false);
  const pages = a.requirements().find((r) => r.key === "pages");
  assert.equal(pages.done, true);
  assert.equal(pages.text, a.t("req_pages", { viewed: 5, total: 5 }));
  assert.equal(app({ viewed: [false, false, false, false, false, true] }).progress(), 0);
});

/** An App of the every-type course whose certificate asks for the licence details. */
function asking(state) {
  const data = everyType();
  data.course.certificate.collect = ["license_number", "license_state"];
  const full = Object.assign(Ceforge.state.fresh(data), state);
  return new Ceforge.App(data, {}, null, { state: Ceforge.state.encode(full, data),
    learner: { id: "lab", name: "Lab" } });
}

test("the licence details are the last requirement, after the attestation", () => {
  const a = asking(done());
  assert.deepEqual(a.requirements().map((r) => [r.key, r.done]), [["pages", true],
    ["test", true], ["evaluation", true], ["attestation", true], ["license", false]]);
  assert.deepEqual(asking(done({ attested: 0 })).missingBeforeAttestation(), []);
  assert.equal(a.progress(), 8 / 9);
  const given = asking(done({ certificate: { code: "", name: "",
    license_number: "LPC 12345", license_state: "" } }));
  assert.equal(given.requirements().pop().done, false, "every field asked for");
  const both = asking(done({ certificate: { code: "", name: "",
    license_number: "LPC 12345", license_state: "Nova Scotia" } }));
  assert.equal(both.requirements().pop().done, true);
  assert.equal(app(done()).requirements().some((r) => r.key === "license"), false);
});
