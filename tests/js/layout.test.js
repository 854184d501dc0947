/* Draws and shuffles: the order a learner sees (docs/runtime.md, "Draws and shuffles"). */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { loadCore, everyType } = require("./runtime");

const { layout, random } = loadCore();
const ids = (list) => list.map((item) => item.id);
const testBlock = () => everyType().blocks.find((b) => b.kind === "test");
const quiz = () => everyType().blocks.find((b) => b.kind === "quiz").questions;

test("a test attempt draws `draw` questions, each once, all derived from its seed", () => {
  const block = Object.assign(testBlock(), { draw: 5 });
  const seen = new Set();
  for (let seed = 1; seed < 300; seed++) {
    const drawn = layout.test(block, seed).map((l) => l.question.id);
    assert.equal(drawn.length, 5);
    assert.equal(new Set(drawn).size, drawn.length);
    assert.deepEqual(layout.test(block, seed).map((l) => l.question.id), drawn);
    seen.add(drawn.join());
  }
  assert.ok(seen.size > 100, "different seeds draw differently");
  const all = layout.test(Object.assign(testBlock(), { draw: null }), 7);
  assert.equal(all.length, testBlock().questions.length);
});

test("the draw shuffles the pool's indexes and takes the first `draw`", () => {
  const block = Object.assign(testBlock(), { draw: 3 });
  const pool = block.questions.map((q, i) => i);
  for (const seed of [1, 2, 777, 123456, 36 ** 6 - 1]) {
    const order = random.shuffled(pool, random.mulberry32(seed)).slice(0, 3);
    assert.deepEqual(layout.test(block, seed).map((l) => l.question.id),
      order.map((i) => block.questions[i].id), String(seed));
  }
});

test("without shuffle a draw keeps the written order and the choices theirs", () => {
  const block = Object.assign(testBlock(), { shuffle: false, draw: 4 });
  for (const seed of [1, 99, 4242]) {
    const shown = layout.test(block, seed);
    const positions = shown.map((l) => block.questions.indexOf(l.question));
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    for (const l of shown) assert.deepEqual(ids(l.choices), ids(l.question.choices));
  }
});

test("a knowledge-check question always looks the same", () => {
  for (const question of quiz()) {
    const first = layout.fixed(question, true);
    const again = layout.fixed(question, true);
    assert.deepEqual(ids(again.choices), ids(first.choices), question.id);
    assert.deepEqual(again.sequence, first.sequence);
    assert.deepEqual(again.targets && ids(again.targets), first.targets && ids(first.targets));
  }
});

test("true-false and likert choices are never shuffled; choice only when asked", () => {
  const likert = everyType().blocks.find((b) => b.kind === "survey").questions[0];
  for (const question of [quiz().find((q) => q.type === "true-false"), likert]) {
    for (let seed = 0; seed < 50; seed++) {
      const shown = layout.question(question, random.mulberry32(seed), true);
      assert.deepEqual(ids(shown.choices), ids(question.choices));
    }
  }
  const multiple = quiz().find((q) => q.type === "multiple-choice");
  assert.deepEqual(ids(layout.fixed(multiple, false).choices), ids(multiple.choices));
  const orders = new Set();
  for (let seed = 0; seed < 50; seed++) {
    orders.add(ids(layout.question(multiple, random.mulberry32(seed), true).choices).join());
  }
  assert.ok(orders.size > 1);
});

test("a sequence never starts in the right order", () => {
  const sequencing = quiz().find((q) => q.type === "sequencing");
  const right = ids(sequencing.choices).join();
  const starts = new Set();
  for (let seed = 0; seed < 2000; seed++) {
    const order = layout.question(sequencing, random.mulberry32(seed), false).sequence;
    assert.notEqual(order.join(), right, String(seed));
    assert.deepEqual([...order].sort(), ids(sequencing.choices).sort());
    starts.add(order.join());
  }
  assert.equal(starts.size, 23, "every other order of four items turns up");
  const two = Object.assign({}, sequencing, { choices: sequencing.choices.slice(0, 2) });
  for (let seed = 0; seed < 20; seed++) {
    assert.deepEqual(layout.question(two, random.mulberry32(seed), false).sequence,
      [two.choices[1].id, two.choices[0].id]);
  }
});

test("a matching question shows its targets shuffled, its sources in written order", () => {
  const matching = quiz().find((q) => q.type === "matching");
  const shown = layout.question(matching, random.mulberry32(5), false);
  assert.deepEqual([...ids(shown.targets)].sort(), ids(matching.targets).sort());
  assert.equal(shown.question, matching);
});
