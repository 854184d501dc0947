/* ceforge runtime core: the learner's state, its limits and the state string codec. */
(function (root) {
  "use strict";

  // The core: everything the learner sees and does, for every target, knowing no LMS
  // (docs/runtime.md). Its scripts load in the order of ceforge.targets.common.CORE_SCRIPTS,
  // this one first, and each adds its part to `window.Ceforge`; then an adapter script calls
  // `Ceforge.boot(adapter)`. Nothing touches the page before that.
  const Ceforge = root.Ceforge || (root.Ceforge = {});

  // Limits of the state string; ceforge/coursedata.py mirrors them to compute the worst case.
  const STATE_VERSION = "c2";
  const LEGACY_VERSION = "c1"; // strings from before block records: read, never written
  const MAX_SECONDS = 36 ** 6 - 1;
  const MAX_ATTEMPTS = 36 ** 3 - 1;
  const SEED_LIMIT = 36 ** 6;
  const MAX_DAY = 36 ** 4 - 1;
  const MAX_RUNS = 36 ** 3 - 1; // runs of a scenario are counted up to here
  const MEDIA_PARTS = 100; // a video or audio is kept as 100 parts, each played or not
  const SCORE_MAX = 1000;
  const ESSAY_MAX = 4000; // characters of an essay answer (sent once, never stored)
  const NAME_MAX = 120; // characters of a learner name typed in the web adapter
  const DAY_MS = 86400000; // the state keeps dates as days since 1970-01-01
  // The certificate record (ceforge/certificate.py mirrors them): the verification code, and
  // what the learner typed for the certificate (a licence number or state).
  const CODE_LENGTH = 12;
  const FIELD_MAX = 40;
  const LICENSE_FIELDS = ["license_number", "license_state"];

  // --- the course, indexed ------------------------------------------------------------------

  const indexes = new WeakMap();

  /** Pages in course order, blocks by id, questions in state order (blocks, then questions). */
  function indexOf(data) {
    let ix = indexes.get(data);
    if (ix) return ix;
    const pages = [];
    data.modules.forEach((module, moduleIndex) => {
      module.pages.forEach((page, inModule) => {
        pages.push({ page, module, moduleIndex, inModule, index: pages.length });
      });
    });
    const pageIndex = {};
    pages.forEach((entry) => {
      pageIndex[entry.page.id] = entry.index;
      // The About and References pages of a CE course: `completion.pages` does not ask for them.
      entry.required = !entry.page.optional;
    });
    const blocks = {};
    const questions = [];
    const questionIndex = {};
    for (const block of data.blocks) {
      blocks[block.id] = block;
      for (const question of block.questions) {
        questionIndex[question.id] = questions.length;
        questions.push({ question, block });
      }
    }
    const ofKind = (kind) => data.blocks.filter((block) => block.kind === kind);
    // Blocks with a record of their own in the state, by their index in `blocks`.
    const kept = {};
    data.blocks.forEach((block, index) => {
      if (block.scenario || block.media) kept[block.id] = index;
    });
    ix = {
      data, pages, pageIndex, blocks, questions, questionIndex, kept,
      required: pages.filter((entry) => entry.required),
      test: ofKind("test")[0] || null,
      surveys: ofKind("survey"),
      attestations: ofKind("attestation"),
      graded: ofKind("scenario").filter((block) => block.scenario.graded),
    };
    indexes.set(data, ix);
    return ix;
  }

  // --- the state string ---------------------------------------------------------------------

  class StateError extends Error {
    constructor(code, message) {
      super(message);
      this.name = "StateError";
      this.code = code; // "format" (does not decode) or "fingerprint" (another course version)
    }
  }

  function encInt(n) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError("not a non-negative integer: " + n);
    return n.toString(36) + ".";
  }

  function encStr(text) {
    return text.length.toString(36) + ":" + text;
  }

  class Reader {
    constructor(text) {
      this.text = text;
      this.at = 0;
    }

    fail(what) {
      throw new StateError("format", "state string: " + what + " at character " + this.at);
    }

    digits(end) {
      const start = this.at;
      let stop = start;
      while (stop < this.text.length && /[0-9a-z]/.test(this.text[stop])) stop++;
      if (stop === start || stop - start > 10 || this.text[stop] !== end) {
        this.fail("expected a base-36 number ending in '" + end + "'");
      }
      this.at = stop + 1;
      return parseInt(this.text.slice(start, stop), 36);
    }

    int(max) {
      const n = this.digits(".");
      if (max !== undefined && n > max) this.fail("number " + n + " above " + max);
      return n;
    }

    str() {
      const length = this.digits(":");
      if (this.at + length > this.text.length) this.fail("string runs past the end");
      const text = this.text.substr(this.at, length);
      this.at += length;
      return text;
    }
  }

  const B32 = "0123456789abcdefghijklmnopqrstuv";

  function viewedBits(viewed, pages) {
    let out = "";
    for (let k = 0; k * 5 < pages; k++) {
      let value = 0;
      for (let j = 0; j < 5; j++) if (viewed[5 * k + j]) value |= 1 << j;
      out += B32[value];
    }
    return out;
  }

  function choiceIndex(question, id) {
    return question.choices.findIndex((choice) => choice.id === id);
  }

  function encodePayload(question, value) {
    switch (question.type) {
      case "choice":
      case "true-false":
      case "likert": {
        const index = choiceIndex(question, value);
        if (index < 0) throw new RangeError(question.id + ": no choice " + value);
        return encInt(index);
      }
      case "multiple-choice": {
        const chosen = new Set(value || []);
        return encStr(question.choices.filter((c) => chosen.has(c.id)).map((c) => c.id).join(""));
      }
      case "sequencing":
        return encStr((value || []).join(""));
      case "matching": {
        const pairs = new Map(value || []);
        return encStr(question.sources.map((s) => pairs.get(s.id) || "-").join(""));
      }
      case "fill-in":
      case "numeric":
        return encStr(String(value == null ? "" : value).slice(0, question.max_length));
      default:
        return ""; // essay: only the fact that it was submitted is kept
    }
  }

  function decodePayload(question, reader) {
    const ids = (list) => new Set(list.map((item) => item.id));
    switch (question.type) {
      case "choice":
      case "true-false":
      case "likert":
        return question.choices[reader.int(question.choices.length - 1)].id;
      case "multiple-choice": {
        const text = reader.str();
        const known = ids(question.choices);
        const chosen = new Set(text);
        if (chosen.size !== text.length || [...chosen].some((id) => !known.has(id))) {
          reader.fail("bad choices for " + question.id);
        }
        return question.choices.filter((c) => chosen.has(c.id)).map((c) => c.id);
      }
      case "sequencing": {
        const order = reader.str().split("");
        const known = ids(question.choices);
        if (order.length !== known.size || new Set(order).size !== order.length ||
            order.some((id) => !known.has(id))) {
          reader.fail("bad order for " + question.id);
        }
        return order;
      }
      case "matching": {
        const text = reader.str();
        const known = ids(question.targets);
        if (text.length !== question.sources.length) reader.fail("bad matches for " + question.id);
        const pairs = [];
        question.sources.forEach((source, i) => {
          if (text[i] === "-") return;
          if (!known.has(text[i])) reader.fail("bad target for " + question.id);
          pairs.push([source.id, text[i]]);
        });
        return pairs;
      }
      case "fill-in":
      case "numeric":
        return reader.str();
      default:
        return null;
    }
  }

  // --- block records: scenarios and media ---------------------------------------------------

  /** The node a scenario's path leads to: the first node, then each choice's target. */
  function walkPath(scenario, path) {
    const byId = {};
    scenario.nodes.forEach((node) => { byId[node.id] = node; });
    let node = scenario.nodes[0];
    const visited = [node.id];
    for (const id of path) {
      const choice = node && !node.end ? node.choices.find((c) => c.id === id) : null;
      node = choice ? byId[choice.target] : null;
      if (!node || visited.includes(node.id)) return null; // a kept path holds a node once
      visited.push(node.id);
    }
    return { node, visited };
  }

  function encodeRecord(block, record) {
    if (block.scenario) {
      const ends = block.scenario.nodes.filter((node) => node.end);
      const scored = record.scored == null ? 0 : ends.findIndex((n) => n.id === record.scored) + 1;
      return encInt(Math.max(scored, 0)) + encInt(Math.min(Math.max(record.run, 1), MAX_RUNS))
        + encStr(record.path.join(""));
    }
    return encStr(viewedBits(record.parts, MEDIA_PARTS));
  }

  function decodeRecord(block, reader) {
    if (block.scenario) {
      const ends = block.scenario.nodes.filter((node) => node.end);
      const scored = reader.int(ends.length);
      const run = reader.int(MAX_RUNS);
      const path = reader.str().split("");
      if (run < 1 || path.length > block.scenario.path_limit || !walkPath(block.scenario, path)) {
        reader.fail("bad path for " + block.id);
      }
      return { scored: scored ? ends[scored - 1].id : null, run, path };
    }
    const bits = reader.str();
    if (bits.length !== Math.ceil(MEDIA_PARTS / 5)) reader.fail("bad parts for " + block.id);
    const parts = [];
    for (let i = 0; i < MEDIA_PARTS; i++) {
      const value = B32.indexOf(bits[Math.floor(i / 5)]);
      if (value < 0) reader.fail("bad parts for " + block.id);
      parts.push(Boolean(value & (1 << (i % 5))));
    }
    return { parts };
  }

  /** A fresh learner state for `data` (the decoded form; docs/runtime.md describes it). */
  function freshState(data) {
    const ix = indexOf(data);
    return {
      page: 0,
      viewed: ix.pages.map(() => false),
      seconds: 0,
      answers: {},
      test: { used: 0, seed: 0, status: 0, last: 0, best: 0 },
      evaluation: false,
      attested: 0,
      completed: 0,
      blocks: {},
      certificate: { code: "", name: "", license_number: "", license_state: "" },
    };
  }

  /** The fields of the certificate record a course keeps: what it asks the learner for. */
  function collected(data) {
    const certificate = data.course.certificate;
    return LICENSE_FIELDS.filter((name) => certificate && certificate.collect.includes(name));
  }

  /** Field 9 of the state string: the certificate record, when there is anything in it. */
  function encodeCertificate(record, data) {
    if (!data.course.certificate) return "";
    const asked = collected(data);
    const fields = LICENSE_FIELDS.map((name) =>
      (asked.includes(name) ? String(record[name] || "") : "").slice(0, FIELD_MAX));
    const code = String(record.code || "").slice(0, CODE_LENGTH);
    const name = String(record.name || "").slice(0, NAME_MAX);
    if (!code && !name && fields.every((value) => !value)) return "";
    return encStr(code) + encStr(name) + fields.map(encStr).join("");
  }

  function decodeCertificate(reader, data, record) {
    if (reader.at === reader.text.length) return; // nothing recorded yet
    if (!data.course.certificate) reader.fail("a certificate record in a course without one");
    const code = reader.str();
    if (code.length !== 0 && code.length !== CODE_LENGTH) reader.fail("bad verification code");
    const name = reader.str();
    if (name.length > NAME_MAX) reader.fail("name too long");
    record.code = code;
    record.name = name;
    for (const field of LICENSE_FIELDS) {
      const value = reader.str();
      if (value.length > FIELD_MAX) reader.fail(field + " too long");
      record[field] = value;
    }
  }

  /** The state string of `state` (the decoded form) for the course `data`. */
  function encode(state, data) {
    const ix = indexOf(data);
    const pages = ix.pages.length;
    let out = STATE_VERSION + encInt(data.state.fingerprint);
    out += encInt(Math.min(state.page, Math.max(pages - 1, 0)));
    out += encStr(viewedBits(state.viewed, pages));
    out += encInt(Math.min(Math.floor(state.seconds), MAX_SECONDS));
    const records = Object.keys(state.answers)
      .filter((id) => id in ix.questionIndex)
      .map((id) => ix.questionIndex[id])
      .sort((a, b) => a - b);
    out += encInt(records.length);
    for (const index of records) {
      const question = ix.questions[index].question;
      const record = state.answers[question.id];
      out += encInt(2 * index + (record.checked ? 1 : 0)) + encodePayload(question, record.value);
    }
    const test = state.test;
    out += encInt(Math.min(test.used, MAX_ATTEMPTS)) + encInt(test.seed) + encInt(test.status);
    out += encInt(test.last) + encInt(test.best);
    out += encInt(state.evaluation ? 1 : 0) + encInt(state.attested) + encInt(state.completed);
    const kept = Object.keys(state.blocks || {}).filter((id) => id in ix.kept)
      .sort((a, b) => ix.kept[a] - ix.kept[b]);
    out += encInt(kept.length);
    for (const id of kept) out += encInt(ix.kept[id]) + encodeRecord(ix.blocks[id], state.blocks[id]);
    out += encodeCertificate(state.certificate || {}, data);
    return out;
  }

  /** The decoded form of a state string; throws a StateError (`.code`) when it does not fit. */
  function decode(text, data) {
    const ix = indexOf(data);
    const reader = new Reader(String(text));
    const legacy = reader.text.startsWith(LEGACY_VERSION);
    if (!legacy && !reader.text.startsWith(STATE_VERSION)) {
      reader.fail("not a " + STATE_VERSION + " state");
    }
    reader.at = STATE_VERSION.length;
    const fingerprint = reader.int();
    if (fingerprint !== data.state.fingerprint) {
      throw new StateError("fingerprint", "the state belongs to another version of the course");
    }
    const pages = ix.pages.length;
    const state = freshState(data);
    state.page = reader.int(Math.max(pages - 1, 0));
    const bits = reader.str();
    if (bits.length !== Math.ceil(pages / 5)) reader.fail("pages viewed of the wrong length");
    for (let i = 0; i < pages; i++) {
      const value = B32.indexOf(bits[Math.floor(i / 5)]);
      if (value < 0) reader.fail("bad pages viewed");
      state.viewed[i] = Boolean(value & (1 << (i % 5)));
    }
    state.seconds = reader.int(MAX_SECONDS);
    const count = reader.int(ix.questions.length);
    let previous = -1;
    for (let n = 0; n < count; n++) {
      const head = reader.int();
      const index = Math.floor(head / 2);
      if (index >= ix.questions.length || index <= previous) reader.fail("bad question index");
      previous = index;
      const question = ix.questions[index].question;
      state.answers[question.id] = {
        checked: head % 2 === 1,
        value: decodePayload(question, reader),
      };
    }
    const test = state.test;
    test.used = reader.int(MAX_ATTEMPTS);
    test.seed = reader.int(SEED_LIMIT - 1);
    test.status = reader.int(2);
    test.last = reader.int(SCORE_MAX);
    test.best = reader.int(SCORE_MAX);
    state.evaluation = reader.int(1) === 1;
    state.attested = reader.int(MAX_DAY);
    state.completed = reader.int(MAX_DAY);
    const kept = legacy ? 0 : reader.int(Object.keys(ix.kept).length);
    const byIndex = {};
    for (const id of Object.keys(ix.kept)) byIndex[ix.kept[id]] = id;
    previous = -1;
    for (let n = 0; n < kept; n++) {
      const index = reader.int();
      if (!(index in byIndex) || index <= previous) reader.fail("bad block index");
      previous = index;
      state.blocks[byIndex[index]] = decodeRecord(ix.blocks[byIndex[index]], reader);
    }
    if (!legacy) decodeCertificate(reader, data, state.certificate);
    if (reader.at !== reader.text.length) reader.fail("unexpected text after the end");
    return state;
  }

  Ceforge.limits = { STATE_VERSION, MAX_SECONDS, MAX_ATTEMPTS, SEED_LIMIT, MAX_DAY, SCORE_MAX,
    ESSAY_MAX, NAME_MAX, DAY_MS, MAX_RUNS, MEDIA_PARTS, CODE_LENGTH, FIELD_MAX };
  Ceforge.state = { encode, decode, fresh: freshState, StateError, index: indexOf, walkPath,
    collected };
})(window);
