/*
 * ESLint for ceforge's JavaScript: the learner runtime (src/ceforge/runtime, shipped in every
 * package), the preview's pages (src/ceforge/preview/static) and the runtime's unit tests
 * (tests/js). ESLint's recommended rules; `nox -s lint` runs it with the npm packages of
 * tests/oracles/package.json, installed into .oracles/ by tests/oracles/install.py.
 *
 * The runtime and the preview are classic scripts (no modules: the web build opens from
 * file://), each sharing one global object (`window.Ceforge`, the preview's own) that it
 * reaches through `window`; they see the browser's globals and nothing else.
 */
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {
    files: ["src/ceforge/runtime/**/*.js", "src/ceforge/preview/static/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2019, // docs/runtime.md: what the browsers of our learners run
      sourceType: "script",
      globals: { ...globals.browser },
    },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "commonjs",
      globals: { ...globals.node },
    },
  },
];
