/*
 * The certificate's day, facts and verification code (docs/runtime.md, "The certificate"). The
 * check characters expected are those of ceforge.certificate.check_character, which verifies
 * codes on the provider's side (tests/test_runtime_oracles.py compares the two at length).
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { loadCore, everyType } = require("./runtime");

const Ceforge = loadCore();
const { certificate } = Ceforge;
const CODE = /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{12}$/;

test("the check character is Luhn mod 32 over the alphabet", () => {
  assert.equal(certificate.checkCharacter("ABCDEFGHJKL"), "M");
  assert.equal(certificate.checkCharacter("22222222222"), "C");
  assert.equal(certificate.checkCharacter("ZZZZZZZZZZZ"), "V");
  assert.equal(certificate.checkCharacter("QX7M9TPK3WH"), "B");
});

test("a new code: eleven random characters and the check character", () => {
  const draws = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const code = certificate.newCode(() => draws.shift());
  assert.equal(code, "ABCDEFGHJKL" + "M");
  const seen = new Set();
  for (let i = 0; i < 200; i++) {
    const drawn = certificate.newCode(); // the crypto generator
    assert.match(drawn, CODE);
    assert.equal(certificate.checkCharacter(drawn.slice(0, 11)), drawn[11]);
    seen.add(drawn);
  }
  assert.equal(seen.size, 200, "55 random bits: no two alike");
  assert.equal(certificate.printedCode("ABCDEFGHJKLM"), "ABCD-EFGH-JKLM");
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
    ["date", t("certificate_date"), "October 4, 2024"],
    ["hours", t("ce_hours"), "1.5"],
    ["level", t("ce_level"), "Intermediate"],
    ["score", t("certificate_score"), "87.5%"],
  ]);
  Object.assign(data.course.ce, { ethics_hours: 0.5, format: "home-study",
    format_label: "Home study" });
  state.test.used = 0; // no attempt: no score
  assert.deepEqual(certificate.facts(data, state, t, fmt).map(([key, , value]) => [key, value]),
    [["date", "October 4, 2024"], ["hours", "1.5"], ["ethics-hours", "0.5"],
      ["format", "Home study"], ["level", "Intermediate"]]);
  data.course.ce = null;
  data.blocks = data.blocks.filter((b) => b.kind !== "test");
  state.test.used = 1;
  assert.deepEqual(certificate.facts(data, state, t, fmt),
    [["date", t("certificate_date"), "October 4, 2024"]]);
});

test("presenters and the provider's contact, as the certificate prints them", () => {
  const data = everyType();
  data.course.ce.presenters = [{ name: "Amara Okafor", credentials: "PhD, LP", role: "" },
    { name: "Luis Ferreira", credentials: "", role: "Consultant" }];
  data.course.ce.contact = { email: "ce@example.org", phone: "+1 555 0100",
    address: "12 Quay Road\n  Halifax, NS  \n", website: "" };
  assert.deepEqual(certificate.presenters(data), ["Amara Okafor, PhD, LP", "Luis Ferreira"]);
  assert.equal(certificate.contactLine(data),
    "12 Quay Road, Halifax, NS · ce@example.org · +1 555 0100");
});
