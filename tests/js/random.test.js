/*
 * Seeded random numbers and hashes (docs/runtime.md, "Draws and shuffles"). The expected
 * values are those of the document's algorithms written again in Python (tests/spec.py), so
 * that the core and the document cannot drift apart unnoticed.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { loadCore } = require("./runtime");

const { random, limits } = loadCore();

test("hash32 is FNV-1a over the UTF-8 bytes, then murmur3's fmix32", () => {
  const cases = [
    ["", 2872998923, 91794203],
    ["a", 444641715, 2507021586],
    ["kc-choice", 2221854775, 3397223736],
    ["Ünïcödé 😀", 4125842461, 2887029840],
    ["https://example.org/courses/every-type", 3771211212, 1975794036],
  ];
  for (const [text, plain, based] of cases) {
    assert.equal(random.hash32(text), plain, text);
    assert.equal(random.hash32(text, 0x050c5d1f), based, text);
  }
});

test("mulberry32 gives the same floats in [0, 1) for the same seed", () => {
  const draw = (seed, n) => {
    const next = random.mulberry32(seed);
    return Array.from({ length: n }, () => next());
  };
  assert.deepEqual(draw(42, 4), [0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    0.6697340414393693]);
  assert.deepEqual(draw(0, 2), [0.26642920868471265, 0.0003297457005828619]);
  assert.deepEqual(draw(36 ** 6 - 1, 2), [0.05147868813946843, 0.6365598908159882]);
  for (const x of draw(123456, 1000)) assert.ok(x >= 0 && x < 1, String(x));
});

test("shuffled is Fisher-Yates from the last index down, and leaves its list alone", () => {
  const list = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  assert.deepEqual(random.shuffled(list, random.mulberry32(7)), [6, 5, 8, 1, 2, 3, 4, 7, 9, 0]);
  assert.deepEqual(list, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(random.shuffled([], random.mulberry32(7)), []);
  assert.deepEqual(random.shuffled(["only"], random.mulberry32(7)), ["only"]);
});

test("a fresh attempt's seed is below the state's limit", () => {
  for (let i = 0; i < 200; i++) {
    const seed = random.seed();
    assert.ok(Number.isInteger(seed) && seed >= 0 && seed < limits.SEED_LIMIT, String(seed));
  }
});
