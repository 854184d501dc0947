/*
 * The preview's strict LMS simulator (src/ceforge/preview/static/lms/) against the table of the
 * SCORM data model, tests/scorm_datamodel_cases.json (whose "about" says what a case holds).
 *
 * The simulator's scripts are classic scripts, loaded here as the inspector page loads them:
 * `globalThis` stands in for `window`. Each case runs on a fresh simulator: a launch with the
 * case's launch data, Initialize (unless the case is about the session's state), the case's
 * setup calls (each must succeed), then the call under test; GetLastError must give the case's
 * code, with the standard's text and a diagnostic for an error. tests/test_scorm_datamodel.py
 * runs the same table against the validator the browser tests judge SCOs with.
 */
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const test = require("node:test");
const vm = require("node:vm");

const ROOT = path.resolve(__dirname, "..", "..");
const LMS = path.join(ROOT, "src", "ceforge", "preview", "static", "lms");
const SCRIPTS = ["types.js", "engine.js", "scorm12.js", "scorm2004.js"];
const TABLE = path.join(ROOT, "tests", "scorm_datamodel_cases.json");

globalThis.window = globalThis;
for (const name of SCRIPTS) {
  const file = path.join(LMS, name);
  vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file });
}
const Lms = globalThis.CeforgeLms;
const { cases } = JSON.parse(fs.readFileSync(TABLE, "utf8"));

/** A value of the table: a string, or {before, repeat, times, after} for a long one. */
function text(value) {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  return (value.before || "") + value.repeat.repeat(value.times) + (value.after || "");
}

/** The simulator of a case's version, and its standard's API names. */
function simulator(version) {
  const [standard, edition] = {
    "1.2": ["scorm12", 4],
    2004: ["scorm2004", 4],
    "2004-3rd": ["scorm2004", 3],
  }[version];
  return Lms.create(standard, { edition });
}

/** Run one case: what the call under test returned and left in GetLastError. */
function run(row) {
  const sim = simulator(row.version);
  sim.launch(row.config || {});
  const api = sim.api;
  const names = sim.spec.names;
  if (row.state !== "not-initialized") api[names.initialize]("");
  for (const [element, value] of row.setup || []) {
    api[names.setValue](element, text(value));
    const code = api[names.getLastError]();
    if (code !== "0") {
      return { setup: `${element} = ${text(value).slice(0, 40)}: ${code} `
        + `${api[names.getDiagnostic]("")}` };
    }
  }
  if (row.state === "terminated") api[names.terminate]("");
  Object.assign(sim.controls, row.controls || {});
  let result;
  if (row.call === "get") result = api[names.getValue](row.element);
  else if (row.call === "set") result = api[names.setValue](row.element, text(row.value));
  else result = api[names[row.call]](text(row.value));
  const code = api[names.getLastError]();
  return { result, code: Number(code), text: api[names.getErrorString](code),
    diagnostic: api[names.getDiagnostic]("") };
}

function name(row, index) {
  const value = text(row.value);
  const shown = value.length > 24 ? `${value.slice(0, 12)}…(${value.length})` : value;
  const what = row.call === "get" || row.call === "set"
    ? `${row.call} ${row.element}${row.call === "set" ? ` = ${JSON.stringify(shown)}` : ""}`
    : `${row.call}(${JSON.stringify(shown)})`;
  const context = [row.state, ...Object.keys(row.controls || {}), row.setup ? "after setup" : ""];
  return [`#${index}`, row.version, what, ...context.filter(Boolean), `-> ${row.code}`].join(" ");
}

test("the table covers every error code of both standards, each case once", () => {
  const codes = (versions) => new Set(cases.filter((c) => versions.includes(c.version))
    .map((c) => c.code));
  for (const code of [0, 101, 201, 202, 203, 301, 401, 402, 403, 404, 405]) {
    assert.ok(codes(["1.2"]).has(code), `no SCORM 1.2 case answers ${code}`);
  }
  for (const code of [0, 102, 103, 104, 111, 112, 113, 122, 123, 132, 133, 142, 143, 201, 301,
    351, 391, 401, 402, 403, 404, 405, 406, 407, 408]) {
    assert.ok(codes(["2004", "2004-3rd"]).has(code), `no SCORM 2004 case answers ${code}`);
  }
  const seen = new Set();
  for (const row of cases) {
    const key = JSON.stringify([row.version, row.call, row.element, row.value, row.setup,
      row.state, row.config, row.controls]);
    assert.ok(!seen.has(key), `two cases are the same: ${key.slice(0, 200)}`);
    seen.add(key);
  }
});

cases.forEach((row, index) => {
  test(name(row, index), () => {
    const outcome = run(row);
    assert.equal(outcome.setup, undefined, `a setup call failed: ${outcome.setup}`);
    assert.equal(outcome.code, row.code,
      `expected ${row.code}, got ${outcome.code} ${outcome.text}: ${outcome.diagnostic}`);
    if (["set", "initialize", "terminate", "commit"].includes(row.call)) {
      assert.equal(outcome.result, row.code === 0 ? "true" : "false");
    }
    if (row.call === "get" && row.code) assert.equal(outcome.result, "");
    if (row.expect !== undefined) assert.equal(outcome.result, row.expect);
    if (row.code) {
      assert.ok(outcome.text, "every error code has its standard text");
      assert.ok(outcome.diagnostic, "every error says what went wrong");
    }
  });
});
