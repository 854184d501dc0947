/*
 * Durations and times as the adapters write them: the one ISO 8601 duration writer of the core
 * (SCORM 2004's timeinterval, xAPI's durations), and SCORM 1.2's CMITimespan.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { loadCore } = require("./runtime");

const Ceforge = loadCore("adapters/scorm-api.js", "adapters/scorm-data.js",
  "adapters/xapi-statements.js");
const { isoDuration } = Ceforge.text;

test("SCORM and xAPI write durations with the one writer of the core", () => {
  assert.equal(Ceforge.scorm.isoDuration, isoDuration);
  assert.equal(Ceforge.xapi.isoDuration, isoDuration);
});

test("an ISO 8601 duration is never a bare PT", () => {
  for (const nothing of [0, -1, -0.004, 0.004, 0.0049, NaN, undefined, null, "", "abc"]) {
    assert.equal(isoDuration(nothing), "PT0S", String(nothing));
  }
});

test("an ISO 8601 duration has two fraction digits at most, none it does not need", () => {
  const cases = [
    [0.005, "PT0.01S"], // 0.005 × 100 is 0.5000000000000001: rounds up
    [0.01, "PT0.01S"],
    [0.05, "PT0.05S"],
    [0.1, "PT0.1S"],
    [0.126, "PT0.13S"],
    [0.5, "PT0.5S"],
    [1, "PT1S"],
    [1.05, "PT1.05S"],
    [1.1, "PT1.1S"],
    [1.999, "PT2S"],
    [5.2, "PT5.2S"],
    [59.994, "PT59.99S"],
    [59.995, "PT1M"], // rounds to a whole minute: no 0S after it
    [59.999, "PT1M"],
    [60, "PT1M"],
    [61.25, "PT1M1.25S"],
    [3600, "PT1H"],
    [3600.25, "PT1H0.25S"],
    [3660, "PT1H1M"],
    [3723.5, "PT1H2M3.5S"],
    [3725.5, "PT1H2M5.5S"],
    [86400, "PT24H"],
    [360000.07, "PT100H0.07S"],
    ["90", "PT1M30S"], // what a number's text says
  ];
  for (const [seconds, text] of cases) {
    assert.equal(isoDuration(seconds), text, String(seconds));
    assert.match(text, /^PT(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d\d?)?S)?$/);
  }
});

test("every hundredth of the first hour reads back as itself", () => {
  const pattern = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d\d?))?S)?$/;
  for (let hundredths = 0; hundredths < 360000; hundredths += 7) {
    const text = isoDuration(hundredths / 100);
    const [, h, m, s, f] = pattern.exec(text);
    assert.ok(!f || !f.endsWith("0"), text);
    const back = ((Number(h || 0) * 60 + Number(m || 0)) * 60 + Number(s || 0)) * 100
      + Number((f || "").padEnd(2, "0"));
    assert.equal(back, hundredths, text);
  }
});

test("SCORM 1.2's CMITimespan: HH:MM:SS(.SS), 9999 hours at most", () => {
  const { cmiTimespan } = Ceforge.scorm;
  assert.deepEqual([0, 59.999, 3725.5, 3725.126, 99999999, -5, 0.5].map(cmiTimespan),
    ["00:00:00", "00:01:00", "01:02:05.50", "01:02:05.13", "9999:59:59.99", "00:00:00",
      "00:00:00.50"]);
});
