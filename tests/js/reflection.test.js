/*
 * The reflection journal (docs/runtime.md, "Reflections"): where it is kept, and the Markdown
 * file a learner downloads; and the keys that move between tabs.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { loadCore, blocks } = require("./runtime");

const Ceforge = loadCore();
const data = blocks();
const t = Ceforge.text.translator(data.messages);

test("the journal is kept per course and learner, apart from the state", () => {
  assert.equal(Ceforge.reflection.journalKey(data, { id: "L1", name: "Ana" }),
    "ceforge:reflections:https://ceforge.example.org/courses/blocks:L1");
  assert.equal(Ceforge.reflection.journalKey(data, null),
    "ceforge:reflections:https://ceforge.example.org/courses/blocks:");
});

test("the download: each prompt and its answer, an unwritten one said so", () => {
  global.document = { createElement: () => ({ set innerHTML(html) {
    this.textContent = html.replace(/<[^>]*>/g, "");
  } }) };
  const text = Ceforge.reflection.journalMarkdown(data, {
    "reflection-reflection": { text: "  I felt protective.\n\nAnd tired.  ", saved: 1, shared: null },
  }, t, "2026-01-05");
  assert.equal(text, [
    "# My reflections: Every Block", "", "2026-01-05", "",
    "## Think of a client whose story stayed with you. What did you feel, and what did you do with it?",
    "", "I felt protective.\n\nAnd tired.", "",
    "## What would you like to bring to your next supervision session?", "",
    "_Not written yet._", "",
  ].join("\n"));
  delete global.document;
});

test("tabs: the arrows, Home and End move, other keys do not", () => {
  const { nextTab } = Ceforge.content;
  assert.deepEqual(["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp", "Home", "End", "Tab"]
    .map((key) => nextTab(key, 0, 3)), [1, 1, 2, 2, 0, 2, null]);
  assert.equal(nextTab("ArrowRight", 2, 3), 0);
});
