/*
 * Loads the learner runtime's classic scripts into this node process, as a launch page would:
 * `globalThis` stands in for `window`, and each script attaches to `Ceforge` on it.
 *
 *   const { loadCore } = require("./runtime");
 *   const Ceforge = loadCore("adapters/xapi-statements.js");
 *
 * `node --test` runs every test file in a process of its own, so each file starts without a
 * `Ceforge` and loads what it needs.
 */
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const RUNTIME = path.resolve(__dirname, "..", "..", "src", "ceforge", "runtime");
const EVERY_TYPE = path.resolve(__dirname, "..", "goldens", "coursedata", "every-type.json");
const BLOCKS = path.resolve(__dirname, "..", "goldens", "coursedata", "blocks.json");

/** The core's scripts, in the order a launch page loads them (ceforge.targets.common). */
const CORE = ["state", "modules", "helpers", "random", "scoring", "layout", "certificate", "views",
  "app", "navigation", "blocks", "assessment", "finish", "certificate-view", "storage", "scenario",
  "media", "reflection", "content", "glossary", "boot"].map((name) => `core/${name}.js`);

/** Run the runtime scripts `names` (paths inside src/ceforge/runtime), in order. */
function load(...names) {
  globalThis.window = globalThis;
  for (const name of names) {
    const file = path.join(RUNTIME, name);
    vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file });
  }
  return globalThis.Ceforge;
}

/** The core, and then the runtime scripts `names` (adapters' libraries, say). */
function loadCore(...names) {
  return load(...CORE, ...names);
}

/**
 * The course data of tests/fixtures/web/every-type as the build embeds it (one question of every
 * type in a knowledge check and in the post-test, an evaluation, an attestation): a golden file
 * that tests/test_runtime_oracles.py keeps equal to the build's (`nox -s update-golden`).
 * A fresh copy on every call.
 */
function everyType() {
  return JSON.parse(fs.readFileSync(EVERY_TYPE, "utf8"));
}

/**
 * The course data of tests/fixtures/web/blocks (callouts, tabs, a glossary, a graded scenario,
 * a required video, an audio, a private and a shared reflection, a small post-test), kept
 * like `everyType`'s. A fresh copy on every call.
 */
function blocks() {
  return JSON.parse(fs.readFileSync(BLOCKS, "utf8"));
}

/** The question `id` of `data`, and its block. */
function questionOf(data, id) {
  for (const block of data.blocks) {
    const question = block.questions.find((q) => q.id === id);
    if (question) return question;
  }
  throw new Error("no question " + id);
}

module.exports = { RUNTIME, CORE, load, loadCore, everyType, blocks, questionOf };
