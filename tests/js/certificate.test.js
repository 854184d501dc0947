/*
 * The certificate's day, facts and verification code (docs/runtime.md, "The certificate"). The
 * codes expected are those of the document's algorithm written again in Python (tests/spec.py).
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { loadCore, everyType } = require("./runtime");

const Ceforge = loadCore();
const { certificate } = Ceforge;
const COURSE = "https://example.org/courses/every-type";

test("the verification code: hash32 of course, learner and day, in groups of four", () => {
  const lab = { id: "lab", name: "Lab Learner" };
  assert.equal(certificate.verificationCode(COURSE, lab, 20000), "6WZE-CKDN-EDK5");
  assert.equal(certificate.verificationCode(COURSE, lab, 20001), "3UXD-A8R7-F9HA");
  assert.equal(certificate.verificationCode(COURSE, null, 0), "XFYX-NRB4-QSDP");
  assert.equal(certificate.verificationCode(COURSE, { id: "", name: "" }, 0), "XFYX-NRB4-QSDP");
  const other = certificate.verificationCode(COURSE, { id: "lab", name: "Lab Learnerr" }, 20000);
  assert.notEqual(other, "6WZE-CKDN-EDK5");
  for (const code of [other, certificate.verificationCode("urn:x", lab, 1)]) {
    assert.match(code, /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{4}(-[A-HJ-NP-Z2-9]{4}){2}$/);
  }
});

test("days count from 1970-01-01 in the learner's calendar", () => {
  assert.equal(certificate.dayToISO(0), "1970-01-01");
  assert.equal(certificate.dayToISO(20000), "2024-10-04");
  assert.equal(certificate.dayToISO(36 ** 4 - 1), "6568-08-18"); // MAX_DAY
  const now = new Date();
  const local = [now.getFullYear(), now.getMonth() + 1, now.getDate()]
    .map((n, i) => String(n).padStart(i ? 2 : 4, "0")).join("-");
  const day = certificate.today();
  if (new Date().getDate() === now.getDate()) assert.equal(certificate.dayToISO(day), local);
});

test("the certificate states the day, the CE facts and the best score", () => {
  const data = everyType();
  const t = Ceforge.text.translator(data.messages);
  const fmt = Ceforge.text.formatters("en");
  const state = Object.assign(Ceforge.state.fresh(data), { completed: 20000 });
  state.test = { used: 2, seed: 1, status: 2, last: 750, best: 875 };
  assert.deepEqual(certificate.facts(data, state, t, fmt), [
    [t("certificate_date"), "October 4, 2024"],
    [t("ce_hours"), "1.5"],
    [t("ce_level"), t("level_intermediate")],
    [t("certificate_score"), "87.5%"],
  ]);
  data.course.ce.ethics = true;
  state.test.used = 0; // no attempt: no score
  assert.deepEqual(certificate.facts(data, state, t, fmt).map(([term]) => term),
    [t("certificate_date"), t("ce_hours"), t("ce_level"), t("ce_ethics")]);
  data.course.ce = null;
  data.blocks = data.blocks.filter((b) => b.kind !== "test");
  state.test.used = 1;
  assert.deepEqual(certificate.facts(data, state, t, fmt),
    [[t("certificate_date"), "October 4, 2024"]]);
});
