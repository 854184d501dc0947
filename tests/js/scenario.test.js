/*
 * Branching scenarios (docs/runtime.md, "Scenarios"): where a path leads, what a choice does to
 * it (a step forward, or back to a node on the path, which cuts the path there), the first run
 * to an end as the one scored, a restart, the points a graded scenario adds to the post-test,
 * and the state records that keep it all.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { loadCore, blocks } = require("./runtime");

const Ceforge = loadCore();
const { scenario: rules, state: codec } = Ceforge;
const data = blocks();
const block = data.blocks.find((b) => b.kind === "scenario");
const fresh = { path: [], run: 1, scored: null };

test("a fresh run starts at the first node", () => {
  const at = rules.position(block, []);
  assert.equal(at.node.id, "maria-sits-down");
  assert.deepEqual(at.steps, []);
  assert.deepEqual(rules.recordOf(codec.fresh(data), block), fresh);
});

test("a choice moves on; reaching an end scores the first run", () => {
  const first = rules.choose(block, fresh, "b"); // "Why do you think…": Maria deflects
  assert.equal(first.node.id, "maria-deflects");
  assert.equal(first.ended, null);
  assert.deepEqual(first.record, { path: ["b"], run: 1, scored: null });
  const second = rules.choose(block, first.record, "a");
  assert.equal(second.ended.id, "maria-opens-up");
  assert.deepEqual(second.record, { path: ["b", "a"], run: 1, scored: "maria-opens-up" });
  assert.deepEqual(rules.position(block, second.record.path).steps.map((s) => [s.node.id, s.choice.id]),
    [["maria-sits-down", "b"], ["maria-deflects", "a"]]);
  assert.throws(() => rules.choose(block, second.record, "a"), RangeError, "an end takes no choice");
});

test("going back to a node on the path cuts the path there", () => {
  const deflected = rules.choose(block, fresh, "b").record;
  const back = rules.choose(block, deflected, "b"); // "Let's go back…": to the first node
  assert.equal(back.node.id, "maria-sits-down");
  assert.deepEqual(back.record.path, []);
  // However long a learner goes round, the kept path never outgrows the build's limit.
  let record = fresh;
  for (let i = 0; i < 50; i++) record = rules.choose(block, record, "b").record;
  assert.ok(record.path.length <= block.scenario.path_limit);
});

test("a restart keeps the scored end; later runs are practice", () => {
  const poor = rules.choose(block, fresh, "c"); // "Well, you're here now…": a poor end
  assert.equal(poor.record.scored, "maria-shuts-down");
  const again = rules.restart(poor.record);
  assert.deepEqual(again, { path: [], run: 2, scored: "maria-shuts-down" });
  const good = rules.choose(block, again, "a");
  assert.equal(good.ended.id, "maria-opens-up");
  assert.equal(good.record.scored, "maria-shuts-down", "the first run stays the scored one");
  assert.deepEqual(rules.points(block, good.record), { raw: 2, max: 10 });
  assert.deepEqual(rules.points(block, fresh), { raw: 0, max: 10 });
  assert.equal(rules.restart({ path: [], run: Ceforge.limits.MAX_RUNS, scored: null }).run,
    Ceforge.limits.MAX_RUNS);
});

test("a graded scenario's points join the post-test's score", () => {
  const questions = data.blocks.find((b) => b.kind === "test").questions;
  const right = { "post-reflect": "b", "post-agreement": "false" };
  const withScenario = Ceforge.scoring.score(questions, right, { raw: 2, max: 10 });
  assert.deepEqual([withScenario.raw, withScenario.max, withScenario.permille], [4, 12, 333]);
  assert.equal(Ceforge.scoring.score(questions, right).permille, 1000);
});

test("decisions and outcomes as interactions", () => {
  const node = block.scenario.nodes[0];
  assert.deepEqual(rules.decisionQuestion(block, node), { id: "maria-maria-sits-down",
    type: "choice", prompt_text: "Maria sits down", points: 0,
    choices: node.choices.map((c) => ({ id: c.id, text: c.text, correct: false })) });
  assert.equal(rules.outcomeQuestion(block).id, "maria");
});

test("the state keeps the path, the run and the scored end", () => {
  const state = codec.fresh(data);
  state.blocks.maria = { path: ["b"], run: 3, scored: "maria-shuts-down" };
  const text = codec.encode(state, data);
  // The scenario is block 0: N(0), N(2: the second end), N(3), S("b").
  assert.ok(text.endsWith("1." + "0." + "2." + "3." + "1:b"), text);
  assert.deepEqual(codec.decode(text, data).blocks.maria, state.blocks.maria);
  const refused = (record) => {
    try {
      codec.decode(text.replace(/1\.0\.2\.3\.1:b$/, record), data);
      return "decoded";
    } catch (error) {
      return error.code;
    }
  };
  assert.equal(refused("1.0.2.3.1:z"), "format", "a choice the node does not have");
  assert.equal(refused("1.0.2.3.2:bb"), "format", "a path that goes back to a node on it");
  assert.equal(refused("1.0.3.3.1:b"), "format", "a scored end that does not exist");
  assert.equal(refused("1.0.2.0.1:b"), "format", "run 0");
  assert.equal(refused("1.0.2.3.2:aa"), "format", "a choice after an end");
});
