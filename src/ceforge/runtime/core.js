/*
 * ceforge learner runtime: the core.
 *
 * Everything the learner sees and does, for every target: navigation, questions, the post-test,
 * the evaluation, the attestation, completion and the certificate. It knows no LMS: an adapter
 * script (adapters/*.js) loads after this file and calls `Ceforge.boot(adapter)`; the adapter
 * stores the state string and turns the core's events into SCORM or xAPI calls.
 *
 * The contract (course data, state string, answer rules, adapter interface, DOM hooks) is
 * docs/runtime.md. Loading this file only defines `window.Ceforge`; nothing touches the page
 * before `Ceforge.boot`.
 */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge || (root.Ceforge = {});

  // Limits of the state string; ceforge/coursedata.py mirrors them to compute the worst case.
  const STATE_VERSION = "c1";
  const MAX_SECONDS = 36 ** 6 - 1;
  const MAX_ATTEMPTS = 36 ** 3 - 1;
  const SEED_LIMIT = 36 ** 6;
  const MAX_DAY = 36 ** 4 - 1;
  const SCORE_MAX = 1000;
  const ESSAY_MAX = 4000; // characters of an essay answer (sent once, never stored)
  const NAME_MAX = 120; // characters of a learner name typed in the web adapter
  const DAY_MS = 86400000;
  const TICK_MS = 1000;
  const MAX_TICK_MS = 5000; // a longer gap between ticks (sleep, a frozen tab) is not counted
  const SAVE_SECONDS = 30; // active time alone is saved this often
  const EVENT_LOG = 500;

  // --- small helpers ------------------------------------------------------------------------

  function format(template, params) {
    return String(template).replace(/\{(\w+)\}/g, (whole, name) =>
      params && Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole);
  }

  /** `t(key, params)`: the course language's UI string, placeholders filled in. */
  function translator(messages) {
    const table = messages || {};
    return (key, params) => format(Object.prototype.hasOwnProperty.call(table, key)
      ? table[key] : key, params);
  }

  /**
   * Build an element. Props: `text` (textContent), `html` (innerHTML: trusted course HTML
   * only, never learner input), `class`, `on<event>` listeners, `hidden`/`disabled`/`checked`/
   * `value` as properties, anything else as an attribute. Strings among the children become
   * text nodes.
   */
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    if (props) {
      for (const key of Object.keys(props)) {
        const value = props[key];
        if (value == null || value === false) continue;
        if (key === "text") el.textContent = value;
        else if (key === "html") el.innerHTML = value;
        else if (key === "class") el.className = value;
        else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
        else if (key === "hidden" || key === "disabled" || key === "checked" || key === "value") {
          el[key] = value;
        } else el.setAttribute(key, value === true ? "" : String(value));
      }
    }
    for (const child of children.flat(Infinity)) {
      if (child == null || child === false) continue;
      el.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return el;
  }

  const ICONS = {
    check: "M4 10.5l4 4 8-9",
    cross: "M5 5l10 10M15 5L5 15",
    lock: "M6 9V6.5a4 4 0 0 1 8 0V9M4.5 9h11v8h-11z",
    dot: "M10 6.5a3.5 3.5 0 1 1 0 7a3.5 3.5 0 1 1 0-7z",
    info: "M10 2.5a7.5 7.5 0 1 1 0 15a7.5 7.5 0 1 1 0-15zM10 9.5v4M10 6.5v.2",
    up: "M5 12l5-5 5 5",
    down: "M5 8l5 5 5-5",
    prev: "M12 5l-5 5 5 5",
    next: "M8 5l5 5-5 5",
  };

  function icon(name) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("class", "cf-icon cf-icon-" + name);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  function warn(what, error) {
    if (root.console && root.console.warn) root.console.warn("ceforge: " + what, error);
  }

  function safeLanguage(language) {
    try {
      return Intl.getCanonicalLocales(language)[0] || "en";
    } catch {
      return "en";
    }
  }

  function textOf(html) {
    const box = document.createElement("div");
    box.innerHTML = html;
    return (box.textContent || "").replace(/\s+/g, " ").trim();
  }

  // --- random numbers and hashes --------------------------------------------------------------

  /** mulberry32: a small seeded generator; returns a function giving floats in [0, 1). */
  function mulberry32(seed) {
    let a = seed >>> 0;
    return function next() {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function utf8(text) {
    if (typeof TextEncoder === "function") return new TextEncoder().encode(text);
    const bytes = [];
    const raw = unescape(encodeURIComponent(text));
    for (let i = 0; i < raw.length; i++) bytes.push(raw.charCodeAt(i));
    return bytes;
  }

  /** FNV-1a over the UTF-8 bytes of `text`, from `basis`, then murmur3's fmix32; a uint32. */
  function hash32(text, basis) {
    let hash = basis === undefined ? 0x811c9dc5 : basis >>> 0;
    for (const byte of utf8(String(text))) {
      hash ^= byte;
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
    return hash >>> 0;
  }

  function shuffled(list, rng) {
    const items = list.slice();
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
    return items;
  }

  function randomSeed() {
    if (root.crypto && root.crypto.getRandomValues) {
      const words = new Uint32Array(1);
      root.crypto.getRandomValues(words);
      return words[0] % SEED_LIMIT;
    }
    return Math.floor(Math.random() * SEED_LIMIT);
  }

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
    pages.forEach((entry) => { pageIndex[entry.page.id] = entry.index; });
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
    ix = {
      data, pages, pageIndex, blocks, questions, questionIndex,
      test: ofKind("test")[0] || null,
      surveys: ofKind("survey"),
      attestations: ofKind("attestation"),
    };
    indexes.set(data, ix);
    return ix;
  }

  // --- the state string (docs/runtime.md, "The state string") ---------------------------------

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
    };
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
    return out;
  }

  /** The decoded form of a state string; throws a StateError (`.code`) when it does not fit. */
  function decode(text, data) {
    const ix = indexOf(data);
    const reader = new Reader(String(text));
    if (!reader.text.startsWith(STATE_VERSION)) reader.fail("not a " + STATE_VERSION + " state");
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
    if (reader.at !== reader.text.length) reader.fail("unexpected text after the end");
    return state;
  }

  // --- answers and scores (docs/runtime.md, "Answer rules") ---------------------------------

  function normalizeText(text, language) {
    const folded = String(text).normalize("NFC").trim().replace(/\s+/g, " ");
    try {
      return folded.toLocaleLowerCase(language || undefined);
    } catch {
      return folded.toLowerCase();
    }
  }

  /** The number a learner typed (`,` or `.` as the decimal mark), or NaN. */
  function parseNumber(text) {
    let value = String(text == null ? "" : text).trim();
    if (/^[-+]?\d*,\d+$/.test(value)) value = value.replace(",", ".");
    if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(value)) return NaN;
    return Number(value);
  }

  const GRADED = new Set(["choice", "true-false", "multiple-choice", "fill-in", "numeric",
    "matching", "sequencing"]);

  function isGraded(question) {
    return GRADED.has(question.type);
  }

  /** Whether `response` (the neutral form) is complete enough to check or submit. */
  function answerProblem(question, response) {
    switch (question.type) {
      case "numeric":
        if (response == null || !String(response).trim()) return "answer_first";
        return Number.isNaN(parseNumber(response)) ? "enter_number" : null;
      case "matching":
        if (!response || !response.length) return "answer_first";
        return response.length < question.sources.length ? "match_all" : null;
      case "sequencing":
        return null;
      case "multiple-choice":
        return response && response.length ? null : "answer_first";
      default:
        return response == null || !String(response).trim() ? "answer_first" : null;
    }
  }

  function isAnswered(question, response) {
    return answerProblem(question, response) === null;
  }

  /** true or false for a graded question, null for likert and essay (no right answer). */
  function isCorrect(question, response, language) {
    if (!isGraded(question)) return null;
    if (!isAnswered(question, response)) return false;
    const right = question.choices.filter((c) => c.correct).map((c) => c.id);
    switch (question.type) {
      case "choice":
      case "true-false":
        return right.length === 1 && response === right[0];
      case "multiple-choice": {
        const chosen = new Set(response);
        return chosen.size === response.length && chosen.size === right.length &&
          right.every((id) => chosen.has(id));
      }
      case "fill-in": {
        const lang = language || (Ceforge.app && Ceforge.app.lang);
        const given = normalizeText(response, lang);
        return (question.answers || []).some((answer) => normalizeText(answer, lang) === given);
      }
      case "numeric": {
        const value = parseNumber(response);
        const { min, max } = question.numeric;
        const slack = 1e-9 * Math.max(1, Math.abs(min), Math.abs(max));
        return value >= min - slack && value <= max + slack;
      }
      case "matching": {
        const pairs = new Map(response);
        return pairs.size === question.sources.length &&
          question.sources.every((s) => pairs.get(s.id) === s.match);
      }
      case "sequencing":
        return response.length === question.choices.length &&
          question.choices.every((c, i) => response[i] === c.id);
      default:
        return false;
    }
  }

  /** The right answer in the neutral response form (fill-in: every alternative). */
  function correctResponse(question) {
    switch (question.type) {
      case "choice":
      case "true-false":
        return (question.choices.find((c) => c.correct) || {}).id || null;
      case "multiple-choice":
        return question.choices.filter((c) => c.correct).map((c) => c.id);
      case "sequencing":
        return question.choices.map((c) => c.id);
      case "matching":
        return question.sources.map((s) => [s.id, s.match]);
      case "fill-in":
        return (question.answers || []).slice();
      case "numeric":
        return { min: question.numeric.min, max: question.numeric.max };
      default:
        return null;
    }
  }

  /** Points of right answers over points of `questions`; `responses` maps question id. */
  function score(questions, responses, language) {
    let raw = 0;
    let max = 0;
    for (const question of questions) {
      max += question.points;
      if (isCorrect(question, responses[question.id], language)) raw += question.points;
    }
    const scaled = max > 0 ? raw / max : 0;
    return { raw, max, scaled, permille: toPermille(scaled) };
  }

  /** A score (0-1) kept in thousandths, rounded down (with 10^-9 of floating-point slack). */
  function toPermille(scaled) {
    return Math.max(0, Math.min(SCORE_MAX, Math.floor(scaled * SCORE_MAX + 1e-9)));
  }

  /** A mastery score (0-1) as a mark in thousandths, rounded up: the least kept score that
   * reaches it (0.6666 gives 667: 666 would be 0.666, below the mastery score). */
  function toMark(mastery) {
    return Math.max(0, Math.min(SCORE_MAX, Math.ceil(Number(mastery) * SCORE_MAX - 1e-9)));
  }

  /**
   * The post-test's verdict, the one rule (docs/runtime.md, "The verdict"): a score kept in
   * thousandths passes a mastery score (the course's passing_score, or a cmi5 LMS's
   * masteryScore) when it reaches the mark, the mastery score rounded up to a thousandth. The
   * core decides with it and every adapter reports the core's decision; ceforge.verdict is the
   * same rule in Python, for `ceforge statements`.
   */
  function passes(permille, mastery) {
    return permille >= toMark(mastery);
  }

  /** The course's mark in thousandths, as the learner is told it ("You need 80%"). */
  function passMark(data) {
    return toMark(data.course.passing_score);
  }

  // --- layouts: the order a learner sees (docs/runtime.md, "Draws and shuffles") --------------

  /** Display orders of one question, drawn from `rng` in a fixed order. */
  function layoutQuestion(question, rng, shuffleChoices) {
    const layout = { question, choices: question.choices };
    if (shuffleChoices && (question.type === "choice" || question.type === "multiple-choice")) {
      layout.choices = shuffled(question.choices, rng);
    }
    if (question.type === "sequencing") {
      let order = shuffled(question.choices.map((c) => c.id), rng);
      if (order.length > 1 && order.every((id, i) => id === question.choices[i].id)) {
        order = order.slice(1).concat(order[0]); // never start in the right order
      }
      layout.sequence = order;
    }
    if (question.type === "matching") layout.targets = shuffled(question.targets, rng);
    return layout;
  }

  /** A knowledge check or survey question: the same order on every visit. */
  function layoutFixed(question, shuffleChoices) {
    return layoutQuestion(question, mulberry32(hash32(question.id)), shuffleChoices);
  }

  /** The questions of a test attempt and their orders, all derived from the attempt's seed. */
  function testLayout(block, seed) {
    const rng = mulberry32(seed);
    const pool = block.questions.length;
    const count = block.draw == null ? pool : Math.min(block.draw, pool);
    let drawn = shuffled(block.questions.map((q, i) => i), rng).slice(0, count);
    if (!block.shuffle) drawn = drawn.sort((a, b) => a - b);
    return drawn.map((i) => layoutQuestion(block.questions[i], rng, block.shuffle));
  }

  // --- dates and the verification code --------------------------------------------------------

  /** Today in the learner's calendar, as days since 1970-01-01. */
  function today() {
    const now = new Date();
    return Math.floor(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / DAY_MS);
  }

  function dayToISO(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  /** A 12-character code in groups of four, from the course, learner and completion day. */
  function verificationCode(courseId, learner, day) {
    const text = [courseId, (learner && learner.id) || "", (learner && learner.name) || "",
      dayToISO(day)].join("\n");
    let out = "";
    for (const basis of [0x811c9dc5, 0x050c5d1f]) {
      const bits = hash32(text, basis) >>> 2; // 30 bits, six characters
      for (let shift = 25; shift >= 0; shift -= 5) out += CODE_ALPHABET[(bits >>> shift) & 31];
    }
    return out.match(/.{4}/g).join("-");
  }

  // --- the learner's name (asked by adapters that have no LMS to ask) -------------------------

  function courseFacts(data, t, fmt) {
    const ce = data.course.ce;
    const facts = [];
    if (ce && ce.hours != null) facts.push([t("ce_hours"), fmt.number(ce.hours)]);
    if (ce && ce.level) facts.push([t("ce_level"), t("level_" + ce.level)]);
    if (ce && ce.provider) facts.push([t("ce_provider"), ce.provider]);
    return facts;
  }

  function factList(facts, className) {
    return h("dl", { class: className },
      facts.map(([term, value]) => h("div", { class: "cf-fact" },
        h("dt", { text: term }), h("dd", { text: value }))));
  }

  /**
   * Ask the learner's name on a welcome screen in `#ceforge-app`; resolves with the trimmed
   * name. For adapters with no LMS to ask (the web adapter), before `Ceforge.boot`.
   */
  function askName(data, options) {
    const opts = options || {};
    const t = translator(data.messages);
    const fmt = formatters(safeLanguage(data.course.language));
    const rootEl = document.getElementById("ceforge-app");
    return new Promise((resolve) => {
      const input = h("input", {
        type: "text", id: "cf-name", class: "cf-input", autocomplete: "name",
        maxlength: NAME_MAX, "aria-describedby": "cf-name-hint cf-name-error",
        "data-testid": "name-input", value: opts.initial || "",
      });
      const error = h("p", { id: "cf-name-error", class: "cf-form-error", "aria-live": "polite" });
      const form = h("form", {
        class: "cf-name-form", novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          const name = input.value.replace(/\s+/g, " ").trim().slice(0, NAME_MAX);
          if (!name) {
            error.textContent = t("name_required");
            input.setAttribute("aria-invalid", "true");
            input.focus();
            return;
          }
          resolve(name);
        },
      },
      h("label", { for: "cf-name", class: "cf-label", text: t("name_label") }),
      h("p", { id: "cf-name-hint", class: "cf-hint", text: t("name_hint") }),
      input, error,
      h("button", { type: "submit", class: "cf-button", "data-testid": "name-submit",
        text: t("name_start") }));
      const logo = data.course.theme && data.course.theme.logo;
      rootEl.textContent = "";
      rootEl.className = "cf-app cf-app-welcome";
      rootEl.removeAttribute("aria-busy");
      rootEl.append(h("main", { class: "cf-welcome", id: "cf-main" },
        h("div", { class: "cf-welcome-card" },
          logo ? h("img", { class: "cf-logo", src: logo, alt: "" }) : null,
          h("p", { class: "cf-eyebrow", text: t("welcome") }),
          h("h1", { text: data.course.title }),
          data.course.description ? h("p", { class: "cf-lead", text: data.course.description })
            : null,
          factList(courseFacts(data, t, fmt), "cf-facts"),
          form)));
      input.focus();
    });
  }

  // --- formatting ---------------------------------------------------------------------------

  function formatters(language) {
    const number = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
    const percent = new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 1 });
    const date = new Intl.DateTimeFormat(language, { year: "numeric", month: "long", day: "numeric",
      timeZone: "UTC" });
    return {
      number: (n) => number.format(n),
      percent: (x) => percent.format(x),
      day: (day) => date.format(new Date(day * DAY_MS)),
    };
  }

  function pageHash(pageId) {
    return "#/page/" + encodeURIComponent(pageId);
  }

  const COMPLETION_HASH = "#/completion";

  // --- question views -----------------------------------------------------------------------

  /**
   * One question as a <fieldset>: `get()` and `set(response)` in the neutral response form,
   * `disable()`, `showFeedback()`. `opts.onChange` is called on every edit.
   */
  class QuestionView {
    constructor(app, layout, opts) {
      this.app = app;
      this.q = layout.question;
      this.layout = layout;
      this.opts = opts;
      const t = app.t;
      const q = this.q;
      this.base = "cf-q-" + q.id;
      const legend = h("legend", { class: "cf-legend", id: this.base + "-legend" });
      if (opts.number) {
        legend.append(h("span", { class: "cf-qnumber",
          text: t("question_number", { number: opts.number, total: opts.total }) }));
      }
      legend.append(h("span", { class: "cf-prompt", html: q.prompt_html }));
      if (opts.showPoints) {
        legend.append(h("span", { class: "cf-points",
          text: t(q.points === 1 ? "point_one" : "points", { points: app.fmt.number(q.points) }) }));
      }
      if (opts.optional) legend.append(h("span", { class: "cf-optional", text: t("optional") }));
      this.control = CONTROLS[q.type] ? CONTROLS[q.type](this) : essayControl(this);
      this.missing = h("p", { class: "cf-missing", hidden: true });
      this.fieldset = h("fieldset", { class: "cf-fieldset" }, legend,
        q.stem_html ? h("div", { class: "cf-stem", html: q.stem_html }) : null,
        this.control.hint || null, this.control.el, this.missing);
      this.actions = h("div", { class: "cf-actions" });
      this.feedback = h("div", { class: "cf-feedback", "data-testid": "feedback",
        "aria-live": opts.live ? "polite" : null });
      this.el = h("div", { class: "cf-question", "data-question": q.id, "data-type": q.type },
        this.fieldset, this.actions, this.feedback);
    }

    changed() {
      this.markMissing(null);
      if (this.opts.onChange) this.opts.onChange(this.get());
    }

    get() {
      return this.control.get();
    }

    set(value) {
      if (value != null) this.control.set(value);
    }

    disable(disabled) {
      this.control.disable(disabled);
      this.el.classList.toggle("cf-disabled", disabled);
    }

    focus() {
      this.control.focus();
    }

    markMissing(message) {
      this.missing.hidden = !message;
      this.missing.textContent = message || "";
      this.el.classList.toggle("cf-is-missing", Boolean(message));
    }

    clearFeedback() {
      this.feedback.textContent = "";
      this.feedback.className = "cf-feedback";
      delete this.feedback.dataset.result;
      delete this.el.dataset.result;
    }

    /** A note in the feedback area that is not a result ("answer the question first"). */
    warn(message) {
      this.clearFeedback();
      this.feedback.classList.add("cf-feedback-warning");
      this.feedback.append(h("p", { class: "cf-feedback-title" }, icon("info"), message));
    }

    /** result: correct, incorrect or neutral; options.correctAnswer: text to reveal. */
    showFeedback(result, response, options) {
      const t = this.app.t;
      const q = this.q;
      const opts = options || {};
      const titles = opts.titles || { correct: t("correct"), incorrect: t("incorrect"),
        neutral: t("submitted") };
      const parts = document.createDocumentFragment();
      parts.append(h("p", { class: "cf-feedback-title" },
        icon(result === "correct" ? "check" : result === "incorrect" ? "cross" : "info"),
        titles[result]));
      if (opts.correctAnswer) {
        parts.append(h("p", { class: "cf-correct-answer" },
          h("strong", { text: t("correct_answer") }), " ", opts.correctAnswer));
      }
      const chosen = q.type === "multiple-choice" ? response || []
        : ["choice", "true-false", "likert"].includes(q.type) && response ? [response] : [];
      for (const choice of q.choices) {
        if (!chosen.includes(choice.id) || !choice.feedback_html) continue;
        parts.append(h("div", { class: "cf-choice-feedback" },
          h("p", { class: "cf-choice-feedback-label", text: t("your_choice", { choice: choice.text }) }),
          h("div", { html: choice.feedback_html })));
      }
      if (q.feedback_html) parts.append(h("div", { class: "cf-feedback-body", html: q.feedback_html }));
      this.clearFeedback();
      this.feedback.classList.add("cf-feedback-" + result);
      this.feedback.dataset.result = result;
      this.el.dataset.result = result;
      this.feedback.append(parts);
      this.app.scrollTables(this.feedback);
    }
  }

  function choiceControl(view, type) {
    const q = view.q;
    const likert = q.type === "likert";
    const list = h("div", { class: likert ? "cf-choices cf-likert" : "cf-choices" });
    const inputs = view.layout.choices.map((choice, i) => {
      const id = view.base + "-" + i;
      const input = h("input", { type, id, name: view.base, value: choice.id,
        class: "cf-check", onchange: () => view.changed() });
      list.append(h("div", { class: "cf-choice", "data-choice": choice.id }, input,
        h("label", { for: id, html: choice.html })));
      return input;
    });
    const hint = type === "checkbox"
      ? h("p", { class: "cf-hint", text: view.app.t("select_all") }) : null;
    return {
      el: list,
      hint,
      get() {
        const chosen = new Set(inputs.filter((i) => i.checked).map((i) => i.value));
        if (type === "radio") return chosen.size ? [...chosen][0] : null;
        const ids = q.choices.filter((c) => chosen.has(c.id)).map((c) => c.id);
        return ids.length ? ids : null;
      },
      set(value) {
        const chosen = new Set(Array.isArray(value) ? value : [value]);
        inputs.forEach((input) => { input.checked = chosen.has(input.value); });
      },
      disable(disabled) {
        inputs.forEach((input) => { input.disabled = disabled; });
      },
      focus() {
        (inputs.find((i) => i.checked) || inputs[0]).focus();
      },
    };
  }

  function textControl(view) {
    const q = view.q;
    const t = view.app.t;
    const numeric = q.type === "numeric";
    const id = view.base + "-input";
    const hintId = view.base + "-hint";
    const input = h("input", {
      type: "text", id, class: "cf-input" + (numeric ? " cf-input-number" : ""),
      maxlength: q.max_length, autocomplete: "off", spellcheck: "false",
      inputmode: numeric ? "decimal" : null, "aria-describedby": numeric ? hintId : null,
      oninput: () => view.changed(),
    });
    return {
      el: h("div", { class: "cf-text-answer" },
        h("label", { for: id, class: "cf-label", text: t("your_answer") }),
        numeric ? h("p", { class: "cf-hint", id: hintId, text: t("number_hint") }) : null,
        input),
      get() {
        return input.value.trim() ? input.value : null;
      },
      set(value) {
        input.value = String(value);
      },
      disable(disabled) {
        input.disabled = disabled;
      },
      focus() {
        input.focus();
      },
    };
  }

  function matchingControl(view) {
    const q = view.q;
    const t = view.app.t;
    const selects = q.sources.map((source, i) => {
      const id = view.base + "-" + i;
      return {
        source,
        select: h("select", { id, class: "cf-select", "data-source": source.id,
          onchange: () => view.changed() },
        h("option", { value: "", text: t("choose") }),
        view.layout.targets.map((target) => h("option", { value: target.id, text: target.text }))),
        label: h("label", { for: id, class: "cf-match-source", html: source.html }),
      };
    });
    return {
      el: h("div", { class: "cf-matching" },
        selects.map((row) => h("div", { class: "cf-match-row" }, row.label, row.select))),
      get() {
        const pairs = selects.filter((row) => row.select.value)
          .map((row) => [row.source.id, row.select.value]);
        return pairs.length ? pairs : null;
      },
      set(value) {
        const pairs = new Map(value);
        selects.forEach((row) => { row.select.value = pairs.get(row.source.id) || ""; });
      },
      disable(disabled) {
        selects.forEach((row) => { row.select.disabled = disabled; });
      },
      focus() {
        selects[0].select.focus();
      },
    };
  }

  function sequenceControl(view) {
    const q = view.q;
    const app = view.app;
    const t = app.t;
    const byId = {};
    q.choices.forEach((choice) => { byId[choice.id] = choice; });
    let order = view.layout.sequence.slice();
    let disabled = false;
    const hintId = view.base + "-hint";
    const list = h("ol", { class: "cf-sequence", "aria-describedby": hintId });

    function draw(focus) {
      list.textContent = "";
      order.forEach((id, i) => {
        const choice = byId[id];
        const button = (dir) => {
          const blocked = disabled || (dir < 0 ? i === 0 : i === order.length - 1);
          return h("button", {
            type: "button", class: "cf-move",
            "data-testid": dir < 0 ? "move-up" : "move-down",
            "aria-label": t(dir < 0 ? "move_up" : "move_down", { item: choice.text }),
            title: t(dir < 0 ? "move_up" : "move_down", { item: choice.text }),
            "aria-disabled": blocked ? "true" : null,
            onclick: () => move(i, dir),
          }, icon(dir < 0 ? "up" : "down"));
        };
        const up = button(-1);
        const down = button(1);
        list.append(h("li", { class: "cf-seq-item", "data-item": id },
          h("span", { class: "cf-seq-position", "aria-hidden": "true", text: String(i + 1) }),
          h("span", { class: "cf-seq-text", html: choice.html }),
          h("span", { class: "cf-seq-moves" }, up, down)));
        if (focus && focus.id === id) {
          let target = focus.dir < 0 ? up : down;
          if (target.getAttribute("aria-disabled")) target = focus.dir < 0 ? down : up;
          target.focus();
        }
      });
    }

    function move(i, dir) {
      const j = i + dir;
      if (disabled || j < 0 || j >= order.length) return;
      const id = order[i];
      order[i] = order[j];
      order[j] = id;
      draw({ id, dir });
      app.announce(t("moved", { item: byId[id].text, position: j + 1, total: order.length }));
      view.changed();
    }

    draw(null);
    return {
      el: list,
      hint: h("p", { class: "cf-hint", id: hintId, text: t("sequence_hint") }),
      get() {
        return order.slice();
      },
      set(value) {
        if (value.length === order.length) order = value.slice();
        draw(null);
      },
      disable(value) {
        disabled = value;
        draw(null);
      },
      focus() {
        const first = list.querySelector("button:not([aria-disabled])");
        if (first) first.focus();
      },
    };
  }

  function essayControl(view) {
    const id = view.base + "-input";
    const area = h("textarea", { id, class: "cf-input cf-textarea", rows: "5", maxlength: ESSAY_MAX,
      oninput: () => view.changed() });
    const wrap = h("div", { class: "cf-text-answer" },
      h("label", { for: id, class: "cf-label", text: view.app.t("your_answer") }), area);
    return {
      el: wrap,
      get() {
        return area.value.trim() ? area.value : null;
      },
      set(value) {
        area.value = String(value);
      },
      disable(disabled) {
        area.disabled = disabled;
      },
      focus() {
        area.focus();
      },
    };
  }

  const CONTROLS = {
    "choice": (view) => choiceControl(view, "radio"),
    "true-false": (view) => choiceControl(view, "radio"),
    "likert": (view) => choiceControl(view, "radio"),
    "multiple-choice": (view) => choiceControl(view, "checkbox"),
    "fill-in": textControl,
    "numeric": textControl,
    "matching": matchingControl,
    "sequencing": sequenceControl,
    "essay": essayControl,
  };

  /** The right answer of `question` as text, to reveal after the test is over. */
  function correctAnswerText(question, t, fmt) {
    const texts = (ids) => ids.map((id) => (question.choices.find((c) => c.id === id) || {}).text);
    switch (question.type) {
      case "choice":
      case "true-false":
      case "multiple-choice":
        return texts(question.choices.filter((c) => c.correct).map((c) => c.id)).join("; ");
      case "fill-in":
        return (question.answers || [])[0] || "";
      case "numeric": {
        const { min, max } = question.numeric;
        return min === max ? fmt.number(min)
          : t("number_range", { min: fmt.number(min), max: fmt.number(max) });
      }
      case "matching":
        return question.sources.map((s) => s.text + " → " +
          (question.targets.find((target) => target.id === s.match) || {}).text).join("; ");
      case "sequencing":
        return question.choices.map((c, i) => (i + 1) + ". " + c.text).join("  ");
      default:
        return "";
    }
  }

  // --- the application ----------------------------------------------------------------------

  class App {
    constructor(data, adapter, rootEl, session) {
      this.data = data;
      this.adapter = adapter;
      this.root = rootEl;
      this.ix = indexOf(data);
      this.lang = safeLanguage(data.course.language || "en");
      this.t = translator(data.messages);
      this.fmt = formatters(this.lang);
      this.learner = session.learner || null;
      this.persistent = session.persistent !== false;
      this.events = [];
      this.drafts = {}; // essay text not yet submitted: this session only
      this.shownAt = {}; // question id -> when it was first shown (latency)
      this.tries = {}; // question id -> knowledge-check tries this session
      this.sessionSeconds = 0;
      this.carryMs = 0;
      this.lastTick = null;
      this.exited = false;
      this.view = null;
      this.blockEls = {};
      this.gated = [];
      this.lastSaved = null;
      this.lastSavedSeconds = 0;
      this.lastProgress = null;
      this.state = freshState(data);
      this.resumed = false;
      this.discarded = null;
      if (session.state) {
        try {
          this.state = decode(session.state, data);
          this.resumed = session.resume !== false;
        } catch (error) {
          this.discarded = error.code || "format";
        }
      }
    }

    // lifecycle

    start() {
      // Focus inside the app now means the learner just used the welcome screen: move it on.
      const hadFocus = this.root.contains(document.activeElement);
      this.renderShell();
      if (this.discarded) this.emit({ type: "state-discarded", reason: this.discarded });
      this.minutesMet = this.minutesDone();
      const route = this.route() || { kind: "page", index: this.state.page };
      this.replaceHash(route);
      this.show(route, hadFocus);
      root.scrollTo(0, 0);
      this.listen();
      this.lastTick = document.visibilityState === "visible" ? Date.now() : null;
      this.timer = root.setInterval(() => this.onTick(), TICK_MS);
    }

    listen() {
      root.addEventListener("hashchange", () => {
        const route = this.route();
        if (route && !this.exited) this.show(route, true);
      });
      document.addEventListener("visibilitychange", () => {
        if (this.exited) return;
        this.tick();
        if (document.visibilityState === "hidden") {
          this.save();
          this.callAdapter("flush");
        }
      });
      root.addEventListener("pagehide", () => this.exit("pagehide"));
      root.addEventListener("pageshow", (event) => {
        if (event.persisted && this.exited) root.location.reload();
      });
    }

    /** Count active time: only while the page is visible, never more than 5 s per tick. */
    tick() {
      const now = Date.now();
      if (this.lastTick != null && !this.exited) {
        this.carryMs += Math.min(Math.max(now - this.lastTick, 0), MAX_TICK_MS);
        const whole = Math.floor(this.carryMs / 1000);
        if (whole > 0) {
          this.carryMs -= whole * 1000;
          this.state.seconds = Math.min(MAX_SECONDS, this.state.seconds + whole);
          this.sessionSeconds += whole;
        }
      }
      this.lastTick = document.visibilityState === "visible" ? now : null;
    }

    onTick() {
      if (this.exited) return;
      this.tick();
      const met = this.minutesDone();
      if (met !== this.minutesMet) {
        this.minutesMet = met;
        this.changed();
      } else if (this.state.seconds - this.lastSavedSeconds >= SAVE_SECONDS) {
        this.save();
      }
      if (this.view && this.view.kind === "completion") this.updateChecklist();
    }

    exit(reason) {
      if (this.exited) return;
      this.tick();
      this.save();
      this.exited = true;
      root.clearInterval(this.timer);
      this.callAdapter("exit", { reason, summary: this.summary() });
      if (reason === "button") this.renderExited();
    }

    callAdapter(method, arg) {
      if (typeof this.adapter[method] !== "function") return;
      try {
        const result = this.adapter[method](arg);
        if (result && typeof result.catch === "function") {
          result.catch((error) => warn("adapter." + method + " failed", error));
        }
      } catch (error) {
        warn("adapter." + method + " failed", error);
      }
    }

    save() {
      if (this.exited) return;
      const text = encode(this.state, this.data);
      this.lastSavedSeconds = this.state.seconds;
      if (text === this.lastSaved) return;
      this.lastSaved = text;
      this.callAdapter("saveState", text);
    }

    emit(event) {
      event.timestamp = new Date().toISOString();
      this.events.push(event);
      if (this.events.length > EVENT_LOG) this.events.shift();
      this.callAdapter("event", event);
      try {
        document.dispatchEvent(new CustomEvent("ceforge:event", { detail: event }));
      } catch (error) {
        warn("ceforge:event failed", error);
      }
    }

    /**
     * An adapter's lasting notice above every page (the LMS cannot be reached, a browse-only
     * launch): `text` under `key`, replacing the notice of that key; null or "" removes it.
     */
    notice(key, text) {
      if (!this.statusEl) return;
      for (const el of Array.from(this.statusEl.children)) {
        if (el.getAttribute("data-notice") === key) el.remove();
      }
      if (text) {
        this.statusEl.append(h("p", { class: "cf-notice", "data-testid": "notice",
          "data-notice": key }, icon("info"), String(text)));
      }
    }

    announce(text) {
      const live = this.live;
      if (!live) return;
      live.textContent = "";
      root.setTimeout(() => { live.textContent = text; }, 60);
    }

    // completion

    testStatus() {
      const block = this.ix.test;
      if (!block) return null;
      const test = this.state.test;
      const passed = test.used > 0 && passes(test.best, this.data.course.passing_score);
      const left = block.attempts == null ? null : Math.max(0, block.attempts - test.used);
      return { block, passed, left, final: passed || left === 0 };
    }

    testMet() {
      const rule = this.data.completion.test;
      const status = this.testStatus();
      if (rule === "none" || !status) return true;
      return rule === "pass" ? status.passed : this.state.test.used > 0;
    }

    minutesDone() {
      return this.state.seconds >= this.data.completion.min_minutes * 60;
    }

    surveySubmitted(block) {
      return this.state.evaluation || block.questions.every((q) => {
        const record = this.state.answers[q.id];
        return record && record.checked;
      });
    }

    pageOfBlock(block) {
      return block ? this.ix.pageIndex[block.page] : null;
    }

    /** The rules of `completion` that apply, each with done, text and where to do it. */
    requirements() {
      const rules = this.data.completion;
      const st = this.state;
      const t = this.t;
      const fmt = this.fmt;
      const list = [];
      const pages = this.ix.pages.length;
      if (rules.pages) {
        const viewed = st.viewed.filter(Boolean).length;
        const next = st.viewed.indexOf(false);
        list.push({ key: "pages", done: viewed === pages, page: next < 0 ? null : next,
          text: t("req_pages", { viewed, total: pages }) });
      }
      const status = this.testStatus();
      if (rules.test !== "none" && status) {
        const done = this.testMet();
        const item = { key: "test", done, page: this.pageOfBlock(status.block),
          text: rules.test === "pass"
            ? t("req_test_pass", { percent: fmt.percent(passMark(this.data) / SCORE_MAX) })
            : t("req_test_attempt") };
        if (!done && status.final) item.detail = t("req_test_closed");
        else if (st.test.used > 0) {
          item.detail = t("req_test_best", { percent: fmt.percent(st.test.best / SCORE_MAX) });
        }
        list.push(item);
      }
      if (rules.evaluation && this.ix.surveys.length) {
        list.push({ key: "evaluation", done: this.ix.surveys.every((b) => this.surveySubmitted(b)),
          page: this.pageOfBlock(this.ix.surveys[0]), text: t("req_evaluation") });
      }
      if (rules.min_minutes > 0) {
        list.push({ key: "minutes", done: this.minutesDone(), page: null,
          text: t("req_minutes", { minutes: fmt.number(rules.min_minutes),
            spent: fmt.number(Math.floor(st.seconds / 60)) }) });
      }
      if (rules.attestation && this.ix.attestations.length) {
        list.push({ key: "attestation", done: st.attested > 0,
          page: this.pageOfBlock(this.ix.attestations[0]), text: t("req_attestation") });
      }
      return list;
    }

    evaluationOpen() {
      return this.testMet();
    }

    /** What must be done before the attestation opens: every other requirement. */
    missingBeforeAttestation() {
      return this.requirements().filter((r) => r.key !== "attestation" && !r.done);
    }

    progress() {
      if (this.state.completed) return 1;
      let total = this.ix.pages.length;
      let done = this.state.viewed.filter(Boolean).length;
      for (const item of this.requirements()) {
        if (item.key === "pages") continue;
        total += 1;
        if (item.done) done += 1;
      }
      return total ? Math.min(1, done / total) : 1;
    }

    summary() {
      const status = this.testStatus();
      const test = this.state.test;
      const attempted = Boolean(status) && test.used > 0;
      return {
        completed: this.state.completed > 0,
        completedDay: this.state.completed || null,
        progress: this.progress(),
        passed: attempted ? status.passed : null,
        scaled: attempted ? test.best / SCORE_MAX : null,
        attemptsUsed: test.used,
        testFinal: attempted ? status.final : false,
        activeSeconds: this.state.seconds,
        sessionSeconds: this.sessionSeconds,
        page: this.ix.pages[this.state.page] ? this.ix.pages[this.state.page].page.id : null,
      };
    }

    /** After every change of what the learner has done: completion, progress, locks. */
    changed() {
      if (!this.state.completed && this.requirements().every((r) => r.done)) {
        this.state.completed = today();
        this.emit({ type: "completed", day: this.state.completed,
          date: dayToISO(this.state.completed), summary: this.summary() });
        this.announce(this.t("completed_announce"));
      }
      const progress = this.progress();
      if (progress !== this.lastProgress) {
        this.lastProgress = progress;
        this.emit({ type: "progress", measure: progress });
      }
      this.save();
      this.updateChrome();
      this.refreshGated();
      if (this.view && this.view.kind === "completion") this.updateChecklist();
    }

    // shell: header, contents, main

    renderShell() {
      const t = this.t;
      const course = this.data.course;
      this.root.textContent = "";
      this.root.className = "cf-app";
      this.root.removeAttribute("aria-busy");
      this.progressEl = h("progress", { id: "cf-progress", max: "100", value: "0",
        "data-testid": "progress" });
      this.progressText = h("span", { class: "cf-progress-text", "aria-hidden": "true" });
      this.tocButton = h("button", { type: "button", class: "cf-button cf-button-quiet cf-toc-toggle",
        "aria-expanded": "false", "aria-controls": "cf-nav", "data-testid": "toc-toggle",
        onclick: () => this.toggleToc() }, t("contents"));
      const logo = course.theme && course.theme.logo;
      const header = h("header", { class: "cf-header" },
        h("div", { class: "cf-brand" },
          logo ? h("img", { class: "cf-logo", src: logo, alt: "" }) : null,
          h("p", { class: "cf-course-title", text: course.title })),
        h("div", { class: "cf-progress" },
          h("label", { for: "cf-progress", text: t("course_progress") }),
          this.progressEl, this.progressText),
        h("div", { class: "cf-header-actions" }, this.tocButton,
          h("button", { type: "button", class: "cf-button cf-button-quiet", "data-testid": "exit",
            onclick: () => this.exit("button") }, t("exit"))));
      this.nav = h("nav", { id: "cf-nav", class: "cf-nav", "aria-label": t("contents_label"),
        "data-testid": "toc" });
      this.viewEl = h("div", { class: "cf-view" });
      this.statusEl = h("div", { class: "cf-status", role: "status" });
      this.live = h("div", { id: "cf-live", class: "cf-sr-only", role: "status",
        "data-testid": "live" });
      this.main = h("main", { id: "cf-main", class: "cf-main", tabindex: "-1" }, this.statusEl,
        this.viewEl, this.live);
      const skip = h("a", { class: "cf-skip", href: "#cf-main", text: t("skip_to_content"),
        onclick: (event) => {
          event.preventDefault();
          this.main.focus();
        } });
      this.root.append(skip, header, h("div", { class: "cf-layout" }, this.nav, this.main));
      this.renderToc();
    }

    renderToc() {
      const t = this.t;
      const list = h("ol", { class: "cf-toc" });
      this.tocLinks = [];
      this.data.modules.forEach((module, m) => {
        const entries = this.ix.pages.filter((entry) => entry.moduleIndex === m);
        if (!entries.length) return;
        const pages = h("ol", { class: "cf-toc-pages" });
        for (const entry of entries) {
          const link = this.tocLink(pageHash(entry.page.id), entry.page.title);
          link.a.dataset.page = entry.page.id;
          this.tocLinks[entry.index] = link;
          pages.append(h("li", null, link.a));
        }
        list.append(h("li", { class: "cf-toc-module" },
          h("span", { class: "cf-toc-module-title" },
            h("span", { class: "cf-toc-number", text: (m + 1) + "." }), " " + module.title),
          pages));
      });
      this.completionLink = this.tocLink(COMPLETION_HASH, t("completion_title"));
      this.completionLink.a.dataset.testid = "toc-completion";
      list.append(h("li", { class: "cf-toc-module cf-toc-end" }, this.completionLink.a));
      this.nav.append(h("div", { class: "cf-nav-inner" },
        h("p", { class: "cf-nav-title", "aria-hidden": "true", text: t("contents") }), list));
    }

    tocLink(href, title) {
      const mark = h("span", { class: "cf-toc-mark" });
      const status = h("span", { class: "cf-sr-only" });
      const a = h("a", { href, class: "cf-toc-link", "data-testid": "toc-link",
        onclick: () => this.closeToc() }, mark, h("span", { class: "cf-toc-text", text: title }),
      status);
      return { a, mark, status };
    }

    toggleToc(open) {
      const expanded = open === undefined
        ? this.tocButton.getAttribute("aria-expanded") !== "true" : open;
      this.tocButton.setAttribute("aria-expanded", String(expanded));
      this.root.classList.toggle("cf-toc-open", expanded);
    }

    closeToc() {
      if (this.root.classList.contains("cf-toc-open")) this.toggleToc(false);
    }

    updateChrome() {
      const t = this.t;
      const percent = Math.round(this.progress() * 100);
      this.progressEl.value = percent;
      this.progressEl.setAttribute("aria-valuetext", this.fmt.percent(percent / 100));
      this.progressText.textContent = this.fmt.percent(percent / 100);
      const current = this.view && this.view.kind === "page" ? this.view.index : -1;
      const mark = (link, done, isCurrent) => {
        link.mark.textContent = "";
        link.mark.append(icon(done ? "check" : "dot"));
        link.a.classList.toggle("cf-viewed", done);
        if (isCurrent) link.a.setAttribute("aria-current", "page");
        else link.a.removeAttribute("aria-current");
        link.status.textContent = done ? " " + t(link === this.completionLink ? "toc_complete"
          : "toc_viewed") : "";
      };
      this.tocLinks.forEach((link, i) => mark(link, this.state.viewed[i], i === current));
      mark(this.completionLink, this.state.completed > 0,
        Boolean(this.view && this.view.kind === "completion"));
    }

    // routing

    route() {
      const hash = root.location.hash;
      const match = /^#\/page\/(.+)$/.exec(hash);
      if (match) {
        let id;
        try {
          id = decodeURIComponent(match[1]);
        } catch {
          return null;
        }
        const index = this.ix.pageIndex[id];
        return index == null ? null : { kind: "page", index };
      }
      return hash === COMPLETION_HASH ? { kind: "completion" } : null;
    }

    replaceHash(route) {
      const hash = route.kind === "page" ? pageHash(this.ix.pages[route.index].page.id)
        : COMPLETION_HASH;
      if (root.location.hash === hash) return;
      try {
        root.history.replaceState(root.history.state, "", hash);
      } catch {
        root.location.replace(hash);
      }
    }

    show(route, focus) {
      this.blockEls = {};
      this.gated = [];
      if (route.kind === "page" && this.ix.pages[route.index]) this.showPage(route.index);
      else this.showCompletion();
      this.updateChrome();
      if (focus) {
        const heading = this.viewEl.querySelector("h1");
        if (heading) heading.focus();
        root.scrollTo(0, 0);
      }
    }

    notices() {
      const t = this.t;
      const out = [];
      if (!this.persistent) out.push(t("storage_unavailable"));
      if (this.discarded) {
        out.push(t(this.discarded === "fingerprint" ? "state_other_version" : "state_unreadable"));
      }
      if (this.resumed) out.push(t("resume_notice"));
      this.discarded = null;
      this.resumed = false;
      return out.map((text) => h("p", { class: "cf-notice", "data-testid": "notice" },
        icon("info"), text));
    }

    showPage(index) {
      const t = this.t;
      const entry = this.ix.pages[index];
      const first = !this.state.viewed[index];
      this.view = { kind: "page", index };
      this.state.viewed[index] = true;
      this.state.page = index;
      const content = h("div", { class: "cf-page-content", html: entry.page.html });
      let title = this.promoteHeadings(content);
      if (!title) {
        title = h("h1", { text: entry.page.title });
        content.prepend(title);
      }
      title.setAttribute("tabindex", "-1");
      title.dataset.testid = "page-title";
      title.classList.add("cf-page-title");
      title.before(h("p", { class: "cf-eyebrow", text: t("module_eyebrow",
        { number: entry.moduleIndex + 1, total: this.data.modules.length,
          title: entry.module.title }) }));
      const intro = this.notices();
      if (entry.inModule === 0 && entry.module.objectives.length) {
        intro.push(this.objectives(entry.module));
      }
      title.after(...intro);
      this.markLinks(content);
      this.scrollTables(content);
      for (const slot of content.querySelectorAll("div.cf-block[data-block]")) {
        const block = this.ix.blocks[slot.getAttribute("data-block")];
        if (block) slot.replaceWith(this.renderBlock(block));
      }
      this.viewEl.textContent = "";
      this.viewEl.append(h("article", { class: "cf-page", "data-page": entry.page.id }, content),
        this.pager(index));
      this.emit({ type: "page-viewed", first,
        page: { id: entry.page.id, title: entry.page.title, index },
        module: { id: entry.module.id, title: entry.module.title, index: entry.moduleIndex } });
      this.changed();
    }

    /** Page headings one level up (## is the page's h1); returns the h1 if the page has one. */
    promoteHeadings(content) {
      let title = null;
      content.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach((heading, i) => {
        const level = Number(heading.tagName[1]);
        const isTitle = i === 0 && heading === content.firstElementChild && level <= 2;
        const wanted = isTitle ? 1 : Math.max(2, level - 1);
        let el = heading;
        if (wanted !== level) {
          el = document.createElement("h" + wanted);
          for (const attr of heading.attributes) el.setAttribute(attr.name, attr.value);
          el.append(...heading.childNodes);
          heading.replaceWith(el);
        }
        if (isTitle) title = el;
      });
      return title;
    }

    /** Links out of the course open in a new tab, so the course (and its LMS frame) stays. */
    markLinks(content) {
      for (const link of content.querySelectorAll("a[href]")) {
        if (link.getAttribute("href").startsWith("#")) continue;
        link.setAttribute("target", "_blank");
        link.setAttribute("rel", "noopener");
        link.append(h("span", { class: "cf-sr-only", text: " " + this.t("new_tab") }));
      }
    }

    /**
     * A table wider than the screen scrolls sideways inside a region that the keyboard can
     * reach (Tab to it, then the arrow keys), and stays a table for screen readers.
     */
    scrollTables(container) {
      for (const table of container.querySelectorAll("table")) {
        if (table.parentElement.classList.contains("cf-scroll")) continue;
        const region = h("div", { class: "cf-scroll", tabindex: "0", role: "region",
          "aria-label": this.t("table_region") });
        table.replaceWith(region);
        region.append(table);
      }
    }

    objectives(module) {
      const t = this.t;
      const id = "cf-objectives-" + module.id;
      return h("section", { class: "cf-objectives", "aria-labelledby": id },
        h("h2", { id, text: t("objectives_heading") }),
        module.minutes ? h("p", { class: "cf-hint", text: t("module_minutes",
          { minutes: this.fmt.number(module.minutes) }) }) : null,
        h("ul", null, module.objectives.map((text) => h("li", { text }))));
    }

    pager(index) {
      const t = this.t;
      const pages = this.ix.pages;
      const previous = index > 0 ? pageHash(pages[index - 1].page.id) : null;
      const next = index < pages.length - 1 ? pageHash(pages[index + 1].page.id) : COMPLETION_HASH;
      return h("nav", { class: "cf-pager", "aria-label": t("pager_label") },
        previous ? h("a", { class: "cf-button cf-button-secondary", href: previous, rel: "prev",
          "data-testid": "prev" }, icon("prev"), t("previous")) : h("span"),
        h("span", { class: "cf-pager-position", "data-testid": "page-position",
          text: t("page_of", { number: index + 1, total: pages.length }) }),
        h("a", { class: "cf-button", href: next, rel: "next",
          "data-testid": "next" }, t(next === COMPLETION_HASH ? "finish" : "next"), icon("next")));
    }

    renderExited() {
      const t = this.t;
      const heading = h("h1", { tabindex: "-1", text: t("exited_title") });
      this.root.textContent = "";
      this.root.className = "cf-app cf-app-welcome";
      this.root.append(h("main", { class: "cf-welcome", "data-testid": "exited" },
        h("div", { class: "cf-welcome-card" }, heading, h("p", { text: t("exited_body") }))));
      heading.focus();
    }

    // blocks

    renderBlock(block) {
      const renderers = {
        quiz: () => this.renderQuiz(block),
        test: () => this.renderTest(block),
        survey: () => this.renderSurvey(block),
        attestation: () => this.renderAttestation(block),
      };
      const el = renderers[block.kind] ? renderers[block.kind]() : h("div");
      this.scrollTables(el);
      this.blockEls[block.id] = el;
      return el;
    }

    replaceBlock(block) {
      const old = this.blockEls[block.id];
      this.gated = this.gated.filter((item) => item.block !== block);
      const el = this.renderBlock(block);
      const hadFocus = Boolean(old) && old.contains(document.activeElement);
      if (old && old.parentNode) old.replaceWith(el);
      if (hadFocus) {
        const next = el.querySelector("input, select, textarea, button, a[href], [tabindex]");
        if (next) next.focus();
      }
      return el;
    }

    /** Lockable blocks re-render when what unlocks them changes. */
    gate(block, signature) {
      this.gated.push({ block, signature });
    }

    refreshGated() {
      for (const item of this.gated.slice()) {
        if (this.gateSignature(item.block) !== item.signature) this.replaceBlock(item.block);
      }
    }

    gateSignature(block) {
      if (block.kind === "survey") return String(this.evaluationOpen());
      if (block.kind === "attestation") {
        return this.missingBeforeAttestation().map((r) => r.key + ":" + r.text).join("|");
      }
      return "";
    }

    blockShell(block, extra) {
      return h("section", Object.assign({ class: "cf-block cf-" + block.kind,
        "data-block": block.id, "data-kind": block.kind }, extra || {}),
      block.intro_html && block.kind !== "attestation"
        ? h("div", { class: "cf-intro", html: block.intro_html }) : null);
    }

    locked(reason, items) {
      return h("div", { class: "cf-locked", "data-testid": "locked" },
        h("p", { class: "cf-locked-title" }, icon("lock"), reason),
        items.length ? h("ul", null, items.map((item) => h("li", null,
          item.page != null ? h("a", { href: pageHash(this.ix.pages[item.page].page.id),
            text: item.text }) : item.text))) : null);
    }

    latency(question) {
      return Math.max(0, Date.now() - (this.shownAt[question.id] || Date.now()));
    }

    answered(block, question, response, result, attempt) {
      this.emit({ type: "question-answered", block: { id: block.id, kind: block.kind },
        question, response, correctResponse: correctResponse(question), result,
        points: result === "correct" ? question.points : result === "neutral" ? null : 0,
        latencyMs: this.latency(question), attempt });
    }

    stored(question, response) {
      return question.type === "essay" ? null : response;
    }

    // knowledge checks

    renderQuiz(block) {
      const wrap = this.blockShell(block);
      block.questions.forEach((question, i) => {
        wrap.append(this.quizQuestion(block, question, i + 1, block.questions.length));
      });
      return wrap;
    }

    quizQuestion(block, question, number, total) {
      const t = this.t;
      const answers = this.state.answers;
      if (!this.shownAt[question.id]) this.shownAt[question.id] = Date.now();
      const view = new QuestionView(this, layoutFixed(question, block.shuffle !== false), {
        number, total, live: true,
        onChange: (response) => {
          if (question.type === "essay") this.drafts[question.id] = response;
          else if (response == null) delete answers[question.id];
          else answers[question.id] = { checked: false, value: response };
          this.save();
        },
      });
      const check = h("button", { type: "submit", class: "cf-button", "data-testid": "check",
        text: t("check") });
      const retry = h("button", { type: "button", class: "cf-button cf-button-secondary",
        "data-testid": "retry", hidden: true, text: t("try_again") });
      view.actions.append(check, retry);
      const showChecked = (response) => {
        view.disable(true);
        const result = isGraded(question)
          ? (isCorrect(question, response, this.lang) ? "correct" : "incorrect") : "neutral";
        view.showFeedback(result, response);
        check.hidden = true;
        retry.hidden = question.type === "essay";
        return result;
      };
      const record = answers[question.id];
      if (record) view.set(record.value);
      else if (this.drafts[question.id]) view.set(this.drafts[question.id]);
      if (record && record.checked) showChecked(record.value);
      retry.addEventListener("click", () => {
        if (answers[question.id]) answers[question.id].checked = false;
        this.shownAt[question.id] = Date.now();
        this.save();
        view.clearFeedback();
        view.disable(false);
        check.hidden = false;
        retry.hidden = true;
        view.focus();
      });
      return h("form", { class: "cf-question-form", novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          const response = view.get();
          const problem = answerProblem(question, response);
          if (problem) {
            view.warn(t(problem));
            return;
          }
          answers[question.id] = { checked: true, value: this.stored(question, response) };
          delete this.drafts[question.id];
          const result = showChecked(response);
          this.tries[question.id] = (this.tries[question.id] || 0) + 1;
          this.answered(block, question, response, result, this.tries[question.id]);
          this.save();
          (retry.hidden ? view.feedback : retry).focus();
        } }, view.el);
    }

    // the post-test

    startAttempt(block) {
      const test = this.state.test;
      test.seed = randomSeed();
      test.status = 1;
      for (const question of block.questions) {
        delete this.state.answers[question.id];
        delete this.shownAt[question.id];
      }
      this.save();
    }

    renderTest(block) {
      const test = this.state.test;
      if (test.status === 0) this.startAttempt(block);
      const wrap = this.blockShell(block, { "data-testid": "test" });
      if (test.status === 1) {
        wrap.append(this.testFacts(block), this.testForm(block));
      } else {
        wrap.append(this.testResult(block));
        if (this.testStatus().final) wrap.append(this.testReview(block));
      }
      return wrap;
    }

    testFacts(block) {
      const t = this.t;
      const count = testLayout(block, this.state.test.seed).length;
      const number = this.state.test.used + 1;
      return h("ul", { class: "cf-test-facts", tabindex: "-1", "data-testid": "test-attempt" },
        h("li", { text: block.attempts == null ? t("test_attempt", { number })
          : t("test_attempt_of", { number, total: block.attempts }) }),
        h("li", { text: t("test_questions", { count }) }),
        h("li", { text: t("test_pass_mark",
          { percent: this.fmt.percent(passMark(this.data) / SCORE_MAX) }) }));
    }

    testForm(block) {
      const t = this.t;
      const answers = this.state.answers;
      const layouts = testLayout(block, this.state.test.seed);
      const views = layouts.map((layout, i) => {
        const question = layout.question;
        if (!this.shownAt[question.id]) this.shownAt[question.id] = Date.now();
        const view = new QuestionView(this, layout, {
          number: i + 1, total: layouts.length, showPoints: true, live: false,
          onChange: (response) => {
            if (response == null) delete answers[question.id];
            else answers[question.id] = { checked: false, value: response };
            this.save();
          },
        });
        if (answers[question.id]) view.set(answers[question.id].value);
        return view;
      });
      const message = h("p", { class: "cf-form-error", "aria-live": "polite",
        "data-testid": "test-message" });
      const form = h("form", { class: "cf-test-form", novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          const problems = views.map((view) => answerProblem(view.q, view.get()));
          const missing = problems.filter(Boolean).length;
          views.forEach((view, i) => view.markMissing(problems[i] && t(problems[i])));
          if (missing) {
            message.textContent = t("test_unanswered", { count: missing });
            views[problems.findIndex(Boolean)].focus();
            return;
          }
          this.finishAttempt(block, views);
        },
        onkeydown: (event) => {
          // Enter in a field must not hand in the whole test.
          if (event.key === "Enter" && event.target.tagName === "INPUT") event.preventDefault();
        },
      }, views.map((view) => view.el),
      h("div", { class: "cf-actions cf-actions-end" },
        h("button", { type: "submit", class: "cf-button", "data-testid": "test-submit",
          text: t("test_submit") })),
      message);
      return form;
    }

    finishAttempt(block, views) {
      const test = this.state.test;
      const responses = {};
      for (const view of views) {
        responses[view.q.id] = view.get();
        this.state.answers[view.q.id] = { checked: true, value: responses[view.q.id] };
      }
      const result = score(views.map((view) => view.q), responses, this.lang);
      test.used = Math.min(test.used + 1, MAX_ATTEMPTS);
      test.last = result.permille;
      test.best = Math.max(test.best, result.permille);
      test.status = 2;
      for (const view of views) {
        const right = isCorrect(view.q, responses[view.q.id], this.lang);
        this.answered(block, view.q, responses[view.q.id], right ? "correct" : "incorrect",
          test.used);
      }
      const status = this.testStatus();
      const passed = passes(result.permille, this.data.course.passing_score);
      this.emit({ type: "test-finished", block: { id: block.id, kind: block.kind },
        raw: result.raw, max: result.max, scaled: result.permille / SCORE_MAX, passed,
        passingScore: this.data.course.passing_score, attempt: test.used,
        attemptsUsed: test.used, attemptsLeft: status.left, final: status.final,
        bestScaled: test.best / SCORE_MAX, summary: this.summary() });
      this.changed();
      const el = this.replaceBlock(block);
      const heading = el.querySelector(".cf-result-title");
      if (heading) heading.focus();
      this.announce(el.querySelector(".cf-result").textContent);
    }

    testResult(block) {
      const t = this.t;
      const fmt = this.fmt;
      const test = this.state.test;
      const status = this.testStatus();
      const mark = passMark(this.data);
      const passed = passes(test.last, this.data.course.passing_score);
      const retake = h("button", { type: "button", class: "cf-button", "data-testid": "test-retake",
        text: t("test_retake"), onclick: () => {
          this.startAttempt(block);
          const el = this.replaceBlock(block);
          const facts = el.querySelector(".cf-test-facts");
          if (facts) facts.focus();
          this.announce(t("test_new_attempt", { number: test.used + 1 }));
        } });
      const attempts = status.left == null ? t("test_attempts_used", { count: test.used })
        : t("test_attempts_left", { count: status.left });
      return h("div", { class: "cf-result " + (passed ? "cf-result-pass" : "cf-result-fail"),
        "data-testid": "test-result" },
      h("h2", { class: "cf-result-title", tabindex: "-1" }, icon(passed ? "check" : "cross"),
        t("test_result_heading")),
      h("p", { class: "cf-score", "data-testid": "test-score", "data-permille": test.last,
        text: t("test_score", { percent: fmt.percent(test.last / SCORE_MAX) }) }),
      h("p", { "data-testid": "test-status", "data-passed": String(passed),
        text: passed ? t("test_passed") : t("test_failed", { percent: fmt.percent(mark / SCORE_MAX) }) }),
      test.best !== test.last ? h("p", { text: t("test_best",
        { percent: fmt.percent(test.best / SCORE_MAX) }) }) : null,
      h("p", { text: attempts }),
      status.final && !status.passed ? h("p", { text: t("test_closed") }) : null,
      status.final ? h("p", { text: t("test_review_intro") }) : h("div", { class: "cf-actions" }, retake));
    }

    testReview(block) {
      const t = this.t;
      const layouts = testLayout(block, this.state.test.seed);
      const id = "cf-review-" + block.id;
      return h("section", { class: "cf-review", "aria-labelledby": id, "data-testid": "test-review" },
        h("h2", { id, text: t("test_review_heading") }),
        layouts.map((layout, i) => {
          const question = layout.question;
          const record = this.state.answers[question.id];
          const view = new QuestionView(this, layout, { number: i + 1, total: layouts.length,
            showPoints: true, live: false });
          if (record) view.set(record.value);
          view.disable(true);
          const right = Boolean(record) && isCorrect(question, record.value, this.lang);
          view.showFeedback(right ? "correct" : "incorrect", record && record.value, {
            titles: { correct: t("review_correct"), incorrect: t("review_incorrect") },
            correctAnswer: right ? null : correctAnswerText(question, t, this.fmt),
          });
          return view.el;
        }));
    }

    // the evaluation

    renderSurvey(block) {
      const t = this.t;
      const wrap = this.blockShell(block);
      this.gate(block, this.gateSignature(block));
      if (!this.evaluationOpen()) {
        const test = this.requirements().filter((r) => r.key === "test");
        wrap.append(this.locked(t(this.data.completion.test === "attempt"
          ? "locked_evaluation_attempt" : "locked_evaluation_pass"), test));
        return wrap;
      }
      const answers = this.state.answers;
      const done = this.surveySubmitted(block);
      const views = block.questions.map((question, i) => {
        if (!this.shownAt[question.id]) this.shownAt[question.id] = Date.now();
        const view = new QuestionView(this, layoutFixed(question, false), {
          number: i + 1, total: block.questions.length, live: false,
          optional: question.type === "essay",
          onChange: (response) => {
            if (question.type === "essay") {
              this.drafts[question.id] = response;
              return;
            }
            if (response == null) delete answers[question.id];
            else answers[question.id] = { checked: false, value: response };
            this.save();
          },
        });
        const record = answers[question.id];
        if (record && record.value != null) view.set(record.value);
        else if (this.drafts[question.id]) view.set(this.drafts[question.id]);
        if (done) {
          view.disable(true);
          if (question.type === "essay") {
            view.control.el.hidden = true;
            view.feedback.append(h("p", { class: "cf-hint",
              text: t(record ? "essay_submitted" : "essay_skipped") }));
          }
        }
        return view;
      });
      if (done) {
        wrap.append(h("p", { class: "cf-success", tabindex: "-1", "data-testid": "survey-done" },
          icon("check"), t("survey_thanks")), ...views.map((view) => view.el));
        return wrap;
      }
      const message = h("p", { class: "cf-form-error", "aria-live": "polite" });
      wrap.append(h("form", { class: "cf-survey-form", novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          this.submitSurvey(block, views, message);
        },
        onkeydown: (event) => {
          if (event.key === "Enter" && event.target.tagName === "INPUT") event.preventDefault();
        },
      }, views.map((view) => view.el),
      h("div", { class: "cf-actions cf-actions-end" },
        h("button", { type: "submit", class: "cf-button", "data-testid": "survey-submit",
          text: t("survey_submit") })), message));
      return wrap;
    }

    submitSurvey(block, views, message) {
      const t = this.t;
      const missing = views.filter((view) => view.q.type !== "essay" && view.get() == null);
      views.forEach((view) => view.markMissing(missing.includes(view) && t("answer_first")));
      if (missing.length) {
        message.textContent = t("survey_unanswered", { count: missing.length });
        missing[0].focus();
        return;
      }
      const responses = views.map((view) => ({ question: view.q, response: view.get() }));
      for (const { question, response } of responses) {
        this.state.answers[question.id] = { checked: true, value: this.stored(question, response) };
        delete this.drafts[question.id];
        if (response != null) this.answered(block, question, response, "neutral", 1);
      }
      this.state.evaluation = this.ix.surveys.every((b) => this.surveySubmitted(b));
      this.emit({ type: "evaluation-submitted", block: { id: block.id, kind: block.kind },
        responses });
      this.changed();
      const el = this.replaceBlock(block);
      const done = el.querySelector(".cf-success");
      if (done) done.focus();
      this.announce(t("survey_thanks"));
    }

    // the attestation

    renderAttestation(block) {
      const t = this.t;
      const wrap = this.blockShell(block);
      const textId = "cf-attest-text-" + block.id;
      wrap.append(h("div", { class: "cf-attestation-text", id: textId, html: block.intro_html }));
      if (this.state.attested) {
        wrap.append(h("p", { class: "cf-success", tabindex: "-1", "data-testid": "attest-done" },
          icon("check"), t("attested_on", { date: this.fmt.day(this.state.attested) })));
        return wrap;
      }
      this.gate(block, this.gateSignature(block));
      const missing = this.missingBeforeAttestation();
      if (missing.length) {
        wrap.append(this.locked(t("locked_attestation"), missing));
        return wrap;
      }
      const boxId = "cf-attest-" + block.id;
      const box = h("input", { type: "checkbox", id: boxId, class: "cf-check",
        "data-testid": "attest-checkbox", "aria-describedby": textId });
      const message = h("p", { class: "cf-form-error", "aria-live": "polite" });
      wrap.append(h("form", { class: "cf-attest-form", novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          if (!box.checked) {
            message.textContent = t("attest_need_checkbox");
            box.focus();
            return;
          }
          this.state.attested = today();
          this.emit({ type: "attested", block: { id: block.id, kind: block.kind },
            statement: textOf(block.intro_html) });
          this.changed();
          const el = this.replaceBlock(block);
          const done = el.querySelector(".cf-success");
          if (done) done.focus();
          this.announce(done ? done.textContent : "");
        } },
      h("div", { class: "cf-choice cf-attest-choice" }, box,
        h("label", { for: boxId, text: t("attest_checkbox") })),
      h("div", { class: "cf-actions" },
        h("button", { type: "submit", class: "cf-button", "data-testid": "attest-submit",
          text: t("attest_submit") })), message));
      return wrap;
    }

    // completion and the certificate

    showCompletion() {
      const t = this.t;
      this.view = { kind: "completion" };
      const heading = h("h1", { class: "cf-page-title", tabindex: "-1", "data-testid": "page-title",
        text: t("completion_title") });
      this.checklist = h("ul", { class: "cf-checklist", "data-testid": "checklist" });
      this.checklistItems = {};
      const page = h("article", { class: "cf-page cf-completion" },
        h("p", { class: "cf-eyebrow", text: this.data.course.title }),
        heading, ...this.notices(),
        this.completionStatus = h("p", { class: "cf-lead", "data-testid": "completion-status" }),
        h("section", { class: "cf-requirements", "aria-labelledby": "cf-req-title" },
          h("h2", { id: "cf-req-title", text: t("requirements_heading") }), this.checklist),
        this.certificateSlot = h("div", { class: "cf-certificate-slot" }));
      this.viewEl.textContent = "";
      const last = this.ix.pages.length - 1;
      this.viewEl.append(page, h("nav", { class: "cf-pager", "aria-label": t("pager_label") },
        last >= 0 ? h("a", { class: "cf-button cf-button-secondary", rel: "prev", "data-testid": "prev",
          href: pageHash(this.ix.pages[last].page.id) }, icon("prev"), t("previous")) : h("span"),
        h("span"), h("span")));
      this.certificateDay = null;
      this.updateChecklist();
    }

    updateChecklist() {
      const t = this.t;
      if (!this.checklist) return;
      const items = this.requirements();
      for (const item of items) {
        let row = this.checklistItems[item.key];
        if (!row) {
          row = { mark: h("span", { class: "cf-check-mark" }), text: h("span"),
            state: h("span", { class: "cf-sr-only" }), detail: h("span", { class: "cf-hint" }) };
          row.li = h("li", { "data-requirement": item.key }, row.mark,
            h("span", { class: "cf-req-body" }, row.text, row.state, row.detail));
          this.checklistItems[item.key] = row;
          this.checklist.append(row.li);
        }
        if (row.li.dataset.done !== String(item.done)) {
          row.mark.textContent = "";
          row.mark.append(icon(item.done ? "check" : "dot"));
          row.li.dataset.done = String(item.done);
          row.li.classList.toggle("cf-req-done", item.done);
          row.state.textContent = " " + t(item.done ? "req_done" : "req_todo");
        }
        row.text.textContent = "";
        if (!item.done && item.page != null) {
          row.text.append(h("a", { href: pageHash(this.ix.pages[item.page].page.id),
            text: item.text }));
        } else row.text.textContent = item.text;
        row.detail.textContent = item.detail ? " " + item.detail : "";
      }
      const completed = this.state.completed;
      this.completionStatus.textContent = completed
        ? t("completion_done", { date: this.fmt.day(completed) })
        : items.length ? t("completion_todo") : "";
      if (this.certificateDay !== completed) {
        this.certificateDay = completed;
        this.renderCertificateArea();
      }
    }

    renderCertificateArea() {
      const t = this.t;
      const slot = this.certificateSlot;
      slot.textContent = "";
      this.root.classList.remove("cf-has-certificate");
      if (!this.data.course.certificate) return;
      if (!this.state.completed) {
        slot.append(h("p", { class: "cf-locked", "data-testid": "certificate-locked" }, icon("lock"),
          t("certificate_locked")));
        return;
      }
      const canName = typeof this.adapter.setLearnerName === "function";
      const name = this.learner && this.learner.name;
      if (!name && !canName) {
        slot.append(this.certificate());
        this.root.classList.add("cf-has-certificate");
        return;
      }
      if (!name) {
        slot.append(this.nameForm());
        return;
      }
      slot.append(this.certificate(), h("div", { class: "cf-actions cf-noprint" },
        h("button", { type: "button", class: "cf-button", "data-testid": "certificate-print",
          text: t("certificate_print"), onclick: () => root.print() })));
      if (canName) slot.append(this.nameForm());
      this.root.classList.add("cf-has-certificate");
    }

    nameForm() {
      const t = this.t;
      const input = h("input", { type: "text", id: "cf-cert-name", class: "cf-input",
        autocomplete: "name", maxlength: NAME_MAX, "data-testid": "name-input",
        value: (this.learner && this.learner.name) || "" });
      const message = h("p", { class: "cf-form-error", "aria-live": "polite" });
      return h("form", { class: "cf-name-form cf-noprint", novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          const name = input.value.replace(/\s+/g, " ").trim().slice(0, NAME_MAX);
          if (!name) {
            message.textContent = t("name_required");
            input.focus();
            return;
          }
          this.learner = Object.assign({}, this.learner || { id: "" }, { name });
          this.callAdapter("setLearnerName", name);
          this.renderCertificateArea();
          this.announce(t("name_saved"));
          const button = this.certificateSlot.querySelector("[data-testid=certificate-print]");
          if (button) button.focus();
        } },
      h("label", { for: "cf-cert-name", class: "cf-label", text: t("name_on_certificate") }),
      h("div", { class: "cf-inline" }, input,
        h("button", { type: "submit", class: "cf-button cf-button-secondary",
          "data-testid": "name-submit", text: t("name_save") })),
      message);
    }

    certificate() {
      const t = this.t;
      const fmt = this.fmt;
      const course = this.data.course;
      const ce = course.ce;
      const day = this.state.completed;
      const facts = [[t("certificate_date"), fmt.day(day)]];
      if (ce && ce.hours != null) facts.push([t("ce_hours"), fmt.number(ce.hours)]);
      if (ce && ce.level) facts.push([t("ce_level"), t("level_" + ce.level)]);
      if (ce && ce.ethics) facts.push([t("ce_ethics"), t("ce_ethics_yes")]);
      const status = this.testStatus();
      if (status && this.state.test.used > 0) {
        facts.push([t("certificate_score"), fmt.percent(this.state.test.best / SCORE_MAX)]);
      }
      const logo = course.theme && course.theme.logo;
      const name = (this.learner && this.learner.name) || "";
      return h("article", { class: "cf-certificate", "data-testid": "certificate",
        "aria-labelledby": "cf-cert-title" },
      logo ? h("img", { class: "cf-cert-logo", src: logo, alt: "" }) : null,
      ce && ce.provider ? h("p", { class: "cf-cert-provider", text: ce.provider }) : null,
      h("h2", { id: "cf-cert-title", class: "cf-cert-title", text: t("certificate_heading") }),
      h("p", { class: "cf-cert-lead", text: t("certificate_certifies") }),
      h("p", { class: "cf-cert-name", "data-testid": "certificate-name", text: name }),
      h("p", { class: "cf-cert-lead", text: t("certificate_completed") }),
      h("p", { class: "cf-cert-course", text: course.title }),
      h("p", { class: "cf-cert-version", text: t("certificate_version", { version: course.version }) }),
      factList(facts, "cf-cert-facts"),
      ce && ce.approvals.length ? h("div", { class: "cf-cert-approvals" },
        ce.approvals.map((approval) => h("div", { class: "cf-cert-approval" },
          h("p", { class: "cf-cert-body" }, h("strong", { text: approval.body }),
            approval.number ? " · " + t("certificate_approval", { number: approval.number }) : ""),
          approval.statement ? h("p", { text: approval.statement }) : null))) : null,
      h("p", { class: "cf-cert-code" }, t("certificate_code") + " ",
        h("span", { "data-testid": "certificate-code",
          text: verificationCode(course.id, this.learner, day) })));
    }
  }

  // --- boot ---------------------------------------------------------------------------------

  function readCourse() {
    const script = document.getElementById("ceforge-course");
    if (!script) throw new Error("no #ceforge-course element");
    return JSON.parse(script.textContent);
  }

  function fatal(rootEl, message) {
    rootEl.removeAttribute("aria-busy");
    rootEl.textContent = "";
    rootEl.className = "cf-app cf-app-welcome";
    rootEl.append(h("main", { class: "cf-welcome" }, h("div", { class: "cf-welcome-card" },
      h("h1", { text: message.title }), h("p", { class: "cf-form-error", text: message.body }))));
  }

  /**
   * Start the course with `adapter` (docs/runtime.md, "Adapters"): read the course data, await
   * `adapter.start(data)`, decode the state, render. Resolves with the app (`Ceforge.app`).
   */
  async function boot(adapter) {
    if (Ceforge.app) return Ceforge.app;
    const rootEl = document.getElementById("ceforge-app");
    let data;
    try {
      data = readCourse();
    } catch (error) {
      fatal(rootEl, { title: "ceforge", body: "The course data is missing or damaged: " + error.message });
      throw error;
    }
    const t = translator(data.messages);
    rootEl.setAttribute("aria-busy", "true");
    rootEl.textContent = "";
    rootEl.append(h("p", { class: "cf-loading", text: t("loading") }));
    let session;
    try {
      session = (await adapter.start(data)) || {};
    } catch (error) {
      fatal(rootEl, { title: t("error_title"),
        body: t("error_start", { detail: (error && error.message) || String(error) }) });
      return null;
    }
    const app = new App(data, adapter, rootEl, session);
    Ceforge.app = app;
    app.start();
    return app;
  }

  // --- storage for adapters -------------------------------------------------------------------

  /** localStorage, or a stand-in that forgets on close when the browser refuses storage. */
  function openStorage() {
    try {
      const storage = root.localStorage;
      const probe = "ceforge:probe";
      storage.setItem(probe, "1");
      storage.removeItem(probe);
      return { storage, persistent: true };
    } catch {
      const memory = new Map();
      return {
        persistent: false,
        storage: {
          getItem: (key) => (memory.has(key) ? memory.get(key) : null),
          setItem: (key, value) => { memory.set(key, String(value)); },
          removeItem: (key) => { memory.delete(key); },
        },
      };
    }
  }

  /** A stored JSON value, or null when it is absent or unreadable. */
  function readJSON(storage, key) {
    try {
      return JSON.parse(storage.getItem(key) || "null");
    } catch {
      return null;
    }
  }

  Object.assign(Ceforge, {
    boot,
    storage: { open: openStorage, readJSON },
    app: Ceforge.app || null,
    limits: { STATE_VERSION, MAX_SECONDS, MAX_ATTEMPTS, SEED_LIMIT, MAX_DAY, SCORE_MAX,
      ESSAY_MAX, NAME_MAX },
    state: { encode, decode, fresh: freshState, StateError },
    scoring: { isCorrect, isAnswered, answerProblem, correctResponse, score, normalizeText,
      parseNumber, passes, passMark, toPermille, toMark },
    layout: { question: layoutQuestion, fixed: layoutFixed, test: testLayout },
    random: { mulberry32, hash32, shuffled },
    certificate: { verificationCode, today, dayToISO },
    ui: { askName },
    text: { format, translator },
  });
})(window);
