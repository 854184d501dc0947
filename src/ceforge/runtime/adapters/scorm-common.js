/*
 * ceforge learner runtime: what the SCORM adapters (scorm12.js and scorm2004.js) share.
 *
 * Loaded after the core and before the adapter, it defines `Ceforge.scorm` and boots nothing.
 * Each adapter describes its version as a "dialect" (the API's name and methods, the data model
 * elements, the formats) and hands it to `Ceforge.scorm.adapter(dialect)`, which holds what
 * the versions have in common:
 *
 * - API discovery as ADL specifies it: this window and its parents (7 levels for SCORM 1.2, 500
 *   for 2004), then the opener's (and the top window's opener's). Without an LMS the course
 *   runs all the same and says that this session is not being tracked.
 * - The session: initialized on load, terminated exactly once, from the core's `exit` (the Exit
 *   course button or `pagehide`; never `unload`), with `exit` = suspend while the course is not
 *   complete and session time set just before.
 * - Writes go through a `Channel`: every value is kept, in order, until a Commit that follows
 *   it succeeds. An LMS that answers "false" to SetValue or Commit is retried (with backoff,
 *   and at every later commit) while the learner keeps working under a calm notice; at the
 *   next successful commit nothing is missing. Values the LMS refuses as invalid (a 4xx error:
 *   a bug, not a hiccup) are logged and skipped, so that they never block the rest.
 * - Commits: at once (after the current task, so that the state saved with it goes along)
 *   after every status or score change, when the page is hidden, and at exit; otherwise at most
 *   every COMMIT_SECONDS.
 * - Status: one decision (`decide`) from the core's summary and `lms.report`, which the dialect
 *   writes as SCORM 1.2's lesson_status or 2004's completion and success. Nothing says passed
 *   or completed before the course's completion rules hold, a failed attempt with attempts left
 *   says nothing, and the score is written before the status it goes with.
 * - Every answered question becomes an interaction record (appended at `_count`), the module
 *   objectives `cmi.objectives` entries (ids the LMS already holds are reused, never
 *   appended twice), the bookmark and the state string the location and `suspend_data`.
 * - The interaction record's skeleton is one (`interactionWrites`): which fields, in which
 *   order, from which parts of the event. The versions differ only in element names and
 *   value formats, which each adapter gives as a table of its own.
 */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;

  const COMMIT_SECONDS = 20; // commits without a status change are at most this frequent
  const RETRY_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  const NOTICE = "lms"; // the key of this adapter's notice (Ceforge.app.notice)
  const DONE = new Set(["passed", "completed"]); // statuses that are never taken back

  function warn(what, detail) {
    if (root.console && root.console.warn) root.console.warn("ceforge scorm: " + what, detail);
  }

  // --- API discovery (ADL's algorithm) --------------------------------------------------------

  /** `win[name]` when it looks like an API object; null also when the window is foreign. */
  function probe(win, name) {
    try {
      const api = win[name];
      return api && (typeof api === "object" || typeof api === "function") ? api : null;
    } catch {
      return null; // a window of another origin
    }
  }

  /** Look in `win`, then up its parents, at most `levels` steps. */
  function scan(win, name, levels) {
    let current = win;
    for (let tries = 0; current; tries++) {
      const api = probe(current, name);
      if (api) return api;
      let parent = null;
      try {
        parent = current.parent;
      } catch {
        parent = null;
      }
      if (!parent || parent === current || tries >= levels) return null;
      current = parent;
    }
    return null;
  }

  function openerOf(win) {
    try {
      return win && win.opener ? win.opener : null;
    } catch {
      return null;
    }
  }

  /** The LMS's API object named `name`, or null: this window's chain, then the opener's. */
  function findApi(name, levels, win) {
    const start = win || root;
    let api = scan(start, name, levels);
    if (api) return api;
    let top = null;
    try {
      top = start.top;
    } catch {
      top = null;
    }
    for (const opener of [openerOf(start), openerOf(top)]) {
      if (opener) api = scan(opener, name, levels);
      if (api) return api;
    }
    return null;
  }

  // --- formats ----------------------------------------------------------------------------------

  const pad = (n, width) => String(n).padStart(width || 2, "0");

  /** Hundredths of a second, rounded, never negative. */
  function hundredths(seconds) {
    return Math.round(Math.max(Number(seconds) || 0, 0) * 100);
  }

  /** SCORM 1.2 CMITimespan: HH:MM:SS or HH:MM:SS.SS, 2 to 4 hour digits (9999 h at most). */
  function cmiTimespan(seconds) {
    const cap = 9999 * 360000 + 359999;
    const total = Math.min(hundredths(seconds), cap);
    const hours = Math.floor(total / 360000);
    const minutes = Math.floor((total % 360000) / 6000);
    const rest = total % 6000;
    const whole = Math.floor(rest / 100);
    const fraction = rest % 100;
    return pad(hours) + ":" + pad(minutes) + ":" + pad(whole) + (fraction ? "." + pad(fraction) : "");
  }

  /** SCORM 2004 timeinterval: an ISO 8601 duration, at most 2 fraction digits, never bare PT. */
  function isoDuration(seconds) {
    const total = hundredths(seconds);
    const hours = Math.floor(total / 360000);
    const minutes = Math.floor((total % 360000) / 6000);
    const rest = total % 6000;
    let text = (hours ? hours + "H" : "") + (minutes ? minutes + "M" : "");
    if (rest || !text) {
      const secs = Math.floor(rest / 100);
      const fraction = rest % 100;
      text += secs + (fraction ? "." + pad(fraction).replace(/0$/, "") : "") + "S";
    }
    return "PT" + text;
  }

  /** SCORM 1.2 CMITime: the time of day, HH:MM:SS, in the learner's time zone. */
  function cmiTime(date) {
    return pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds());
  }

  /** SCORM 2004 time (second, 10, 0): UTC, hundredths of a second at most (Moodle's rule). */
  function isoTimestamp(date) {
    return date.getUTCFullYear() + "-" + pad(date.getUTCMonth() + 1) + "-" +
      pad(date.getUTCDate()) + "T" + pad(date.getUTCHours()) + ":" + pad(date.getUTCMinutes()) +
      ":" + pad(date.getUTCSeconds()) + "." + pad(Math.floor(date.getUTCMilliseconds() / 10)) +
      "Z";
  }

  /** A number as a plain decimal (no exponent), at most `digits` fraction digits. */
  function decimal(value, digits) {
    const text = Number(value).toLocaleString("en-US", { useGrouping: false,
      maximumFractionDigits: digits === undefined ? 7 : digits });
    return text === "-0" ? "0" : text;
  }

  /** A learner's numeric answer, as typed, as a plain decimal ("3,5" -> "3.5"); "" if none. */
  function decimalText(text) {
    const value = String(text == null ? "" : text).trim().replace(",", ".");
    const match = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(value);
    if (!match || !(match[2] || match[3])) return "";
    const whole = (match[2] || "0").replace(/^0+(?=\d)/, "");
    const fraction = (match[3] || "").replace(/0+$/, "");
    const sign = match[1] === "-" && (/[1-9]/.test(whole) || fraction) ? "-" : "";
    return sign + whole + (fraction ? "." + fraction : "");
  }

  /** "Last, First" (how LMSs give names) turned around: "First Last". */
  function learnerName(value) {
    const text = String(value || "").replace(/^\{lang=[^}]*\}/, "").replace(/\s+/g, " ").trim();
    const comma = text.indexOf(",");
    if (comma < 0) return text;
    const last = text.slice(0, comma).trim();
    const first = text.slice(comma + 1).trim();
    return first && last ? first + " " + last : first || last;
  }

  // --- the status decision ----------------------------------------------------------------------

  /**
   * What to report, from the core's summary (docs/runtime.md) and `lms.report`:
   * `status` is SCORM 1.2's lesson_status (2004 maps it onto completion and success), and
   * `score` the best score (0-1) when it is time to write it, else null.
   *
   * - done (the completion rules hold): passed (or completed, for completed-* reports and
   *   when the learner has not passed a test that completion did not require);
   * - the test failed for good (no attempt left): failed for *-failed reports;
   * - anything else: incomplete. A failed attempt with attempts left changes nothing.
   * The score goes with the final status: written when done, or when the test failed for good
   * and the report says so; never earlier, since an LMS with a mastery score (1.2
   * masteryscore, 2004 satisfiedByMeasure) would turn it into passed or failed on its own.
   */
  function decide(summary, report, scored) {
    const reportsPassed = String(report).startsWith("passed");
    const reportsFailed = String(report).endsWith("-failed");
    const failedForGood = summary.passed === false && summary.testFinal;
    let status = "incomplete";
    if (failedForGood && reportsFailed) status = "failed";
    else if (summary.completed) {
      status = reportsPassed && summary.passed !== false ? "passed" : "completed";
    }
    const final = summary.completed || (failedForGood && reportsFailed);
    const score = scored && final && summary.scaled != null ? summary.scaled : null;
    return { status, completed: Boolean(summary.completed), score };
  }

  // --- responses --------------------------------------------------------------------------------

  /** The chosen ids of a response in the question's written order (multiple-choice). */
  function inWrittenOrder(question, ids) {
    const chosen = new Set(ids || []);
    return question.choices.filter((c) => chosen.has(c.id)).map((c) => c.id);
  }

  /** Matching pairs, sources in written order, unmatched ones left out. */
  function pairs(question, response) {
    const targets = new Map(response || []);
    return question.sources.filter((s) => targets.has(s.id)).map((s) => [s.id, targets.get(s.id)]);
  }

  // --- interaction records ----------------------------------------------------------------------

  /** Interaction types of the question types both versions type alike; each adds `essay`. */
  const INTERACTION_TYPES = {
    "choice": "choice",
    "multiple-choice": "choice",
    "true-false": "true-false",
    "likert": "likert",
    "sequencing": "sequencing",
    "matching": "matching",
    "fill-in": "fill-in",
    "numeric": "numeric",
  };

  /**
   * A response (docs/runtime.md, "Responses") in a version's format, `record` being its
   * table (see `interactionWrites`): ids joined with `record.list`, a matching pair with
   * `record.pair`; a choice or likert id as it is, a number as a plain decimal.
   */
  function responseText(record, question, value) {
    if (value == null) return "";
    switch (question.type) {
      case "true-false":
        return record.trueFalse(value);
      case "multiple-choice":
        return inWrittenOrder(question, value).join(record.list);
      case "sequencing":
        return value.join(record.list);
      case "matching":
        return pairs(question, value).map((pair) => pair[0] + record.pair + pair[1])
          .join(record.list);
      case "numeric":
        return decimalText(value);
      case "fill-in":
        return record.fillIn(value);
      case "essay":
        return record.essay(value);
      default:
        return String(value);
    }
  }

  /**
   * The correct-response patterns in a version's format: one for every type with a right
   * answer, but one per fill-in alternative (the first 5) and a numeric's as `record.range`
   * says; none for likert and essay.
   */
  function correctPatterns(record, question) {
    const correct = question.choices.filter((c) => c.correct).map((c) => c.id);
    switch (question.type) {
      case "choice":
        return correct.slice(0, 1);
      case "true-false":
        return correct.slice(0, 1).map((id) => record.trueFalse(id));
      case "multiple-choice":
        return [correct.join(record.list)];
      case "sequencing":
        return [question.choices.map((c) => c.id).join(record.list)];
      case "matching":
        return [question.sources.map((s) => s.id + record.pair + s.match).join(record.list)];
      case "fill-in":
        return (question.answers || []).slice(0, 5).map((a) => record.fillIn(a));
      case "numeric":
        return question.numeric ? record.range(question.numeric) : [];
      default:
        return [];
    }
  }

  /**
   * A dialect's `interactionWrites(prefix, event, data)`: the [element, value] pairs that
   * record a `question-answered` event at `prefix` (cmi.interactions.n.), in the order both
   * versions write them: id first and type before the responses (2004 requires it), then the
   * description, the time, weighting (points in the post-test, 0 elsewhere), the response,
   * result, latency and the correct-response patterns. `record`, the version's table:
   * `id(questionId)`; `types` (question type -> interaction type) and `otherType`;
   * `description(question, data)` or null where the version has none; `timeElement` and
   * `time(date)`; `weighting(points)`; `responseElement`; `list`, `pair`, `trueFalse(id)`,
   * `fillIn(text)`, `essay(text)` and `range({min, max})` (a list of patterns) for the
   * responses and patterns; `result(result)`; `duration(seconds)` for the latency.
   */
  function interactionWrites(record) {
    return (prefix, event, data) => {
      const question = event.question;
      const when = new Date(event.timestamp);
      const writes = [
        [prefix + "id", record.id(question.id)],
        [prefix + "type", record.types[question.type] || record.otherType],
      ];
      if (record.description) {
        writes.push([prefix + "description", record.description(question, data)]);
      }
      const time = Number.isNaN(when.getTime()) ? new Date() : when;
      const weighting = event.block.kind === "test" ? record.weighting(question.points) : "0";
      writes.push(
        [prefix + record.timeElement, record.time(time)],
        [prefix + "weighting", weighting],
        [prefix + record.responseElement, responseText(record, question, event.response)],
        [prefix + "result", record.result(event.result)],
        [prefix + "latency", record.duration((event.latencyMs || 0) / 1000)],
      );
      correctPatterns(record, question).forEach((pattern, n) => {
        writes.push([prefix + "correct_responses." + n + ".pattern", pattern]);
      });
      return writes;
    };
  }

  // --- the channel to the LMS -------------------------------------------------------------------

  /**
   * SetValue and Commit with nothing lost. `names` maps get, set, commit, error, diagnostic to
   * the API's method names; `permanent` lists the error codes that mean the value itself is
   * wrong (skipped, not retried); `free` the elements whose later value replaces an earlier
   * pending one (others keep every write, in order: the score before its status).
   */
  class Channel {
    constructor(api, names, permanent, free, onHealth) {
      this.api = api;
      this.names = names;
      this.permanent = new Set(permanent);
      this.free = new Set(free);
      this.onHealth = onHealth;
      this.queue = []; // {element, value, applied} not yet covered by a successful Commit
      this.healthy = true;
      this.closed = false;
    }

    call(method, ...args) {
      try {
        return String(this.api[this.names[method]](...args));
      } catch (error) {
        warn(this.names[method] + " threw", error);
        return "false";
      }
    }

    lastError() {
      return this.call("error");
    }

    get(element) {
      if (this.closed) return "";
      const value = this.call("get", element);
      return value === "undefined" || value === "null" ? "" : value;
    }

    set(element, value) {
      if (this.closed) return;
      if (this.free.has(element)) this.queue = this.queue.filter((e) => e.element !== element);
      this.queue.push({ element, value: String(value), applied: false });
      this.apply();
    }

    /** SetValue every pending write, in order; false at the first one the LMS did not take. */
    apply() {
      for (const entry of this.queue) {
        if (entry.applied) continue;
        if (this.call("set", entry.element, entry.value) === "true") {
          entry.applied = true;
          continue;
        }
        const code = this.lastError();
        if (this.permanent.has(code)) {
          warn("the LMS refuses " + entry.element + " = " + JSON.stringify(entry.value) +
            " (error " + code + "): " + this.call("diagnostic", code));
          entry.applied = true;
          continue;
        }
        this.health(false);
        return false;
      }
      return true;
    }

    /** Commit what is pending; true when the LMS has it all. */
    commit() {
      if (this.closed) return false;
      if (!this.apply()) return false;
      if (this.call("commit", "") !== "true") {
        for (const entry of this.queue) entry.applied = false; // replay all of it next time
        this.health(false);
        return false;
      }
      this.queue = [];
      this.health(true);
      return true;
    }

    /** Terminate the session (once). */
    finish() {
      if (this.closed) return "false";
      const result = this.call("finish", "");
      this.closed = true;
      return result;
    }

    health(ok) {
      if (ok === this.healthy) return;
      this.healthy = ok;
      this.onHealth(ok);
    }
  }

  // --- the adapter ------------------------------------------------------------------------------

  /**
   * The adapter of one SCORM version. `dialect` gives: `name`, `apiName`, `levels`, `methods`
   * (init, finish, get, set, commit, error, diagnostic), `elements` (entry, mode, name, id,
   * location, suspend, exit, sessionTime), `freeElements` (see Channel), `locationMax`,
   * `permanentErrors`, `initErrorsOk` (Initialize errors that still mean a session: already
   * initialized), `sessionTime(seconds)`, `exitValue(completed)`, `readState(channel, entry)`,
   * `readStatus(channel)` (element -> value the LMS holds), and, as [element, value] pairs in
   * the order to write them: `statusWrites(decision)`, `scoreWrites(scaled)`,
   * `progressWrites(measure)` (optional), `interactionWrites(prefix, event, data)` and
   * `objectiveWrites(prefix, objective, status, isNew, data)`; `objectiveStatus(channel,
   * prefix)` reads an objective's status back.
   */
  function scormAdapter(dialect) {
    let data = null;
    let t = (key) => key;
    let channel = null;
    let tracked = false;
    let untrackedReason = null;
    let mode = "normal"; // normal, browse or review: only a normal launch reports a status
    let normalMode = true;
    let scored = false;
    let written = {}; // element -> the value last given to the LMS (writes only on change)
    let nextInteraction = 0;
    let objectives = []; // {id, module, prefix, status}
    let learner = null;
    let commitTimer = null;
    let retryTimer = null;
    let retries = 0;
    let lastCommit = 0;
    let urgent = false;
    let finished = false;

    function notice(key, params) {
      const app = Ceforge.app;
      if (app && typeof app.notice === "function") app.notice(NOTICE, key ? t(key, params) : null);
    }

    function onHealth(ok) {
      if (ok) {
        retries = 0;
        if (retryTimer) root.clearTimeout(retryTimer);
        retryTimer = null;
        notice(null);
      } else {
        notice("scorm_unsaved");
        scheduleRetry();
      }
    }

    function scheduleRetry() {
      if (retryTimer || finished) return;
      const delay = RETRY_MS[Math.min(retries, RETRY_MS.length - 1)];
      retries += 1;
      retryTimer = root.setTimeout(() => {
        retryTimer = null;
        commitNow();
      }, delay);
    }

    /** Write `value` to `element` when it differs from what the LMS was last given. */
    function put(element, value) {
      const text = String(value);
      if (written[element] === text) return false;
      written[element] = text;
      channel.set(element, text);
      return true;
    }

    function summary() {
      const app = Ceforge.app;
      return app && typeof app.summary === "function" ? app.summary() : null;
    }

    /** Whether this session records anything: an LMS session, in normal mode, not ended. */
    function recording() {
      return tracked && normalMode && !finished;
    }

    function commitNow() {
      if (!recording()) return;
      if (commitTimer) root.clearTimeout(commitTimer);
      commitTimer = null;
      urgent = false;
      lastCommit = Date.now();
      if (!channel.commit()) scheduleRetry();
    }

    /** A commit soon: after this task when `now`, else within COMMIT_SECONDS of the last. */
    function requestCommit(now) {
      if (!recording()) return;
      if (now) {
        if (urgent) return;
        urgent = true;
        if (commitTimer) root.clearTimeout(commitTimer);
        commitTimer = root.setTimeout(commitNow, 0);
        return;
      }
      if (commitTimer) return;
      const wait = Math.max(0, lastCommit + COMMIT_SECONDS * 1000 - Date.now());
      commitTimer = root.setTimeout(commitNow, wait);
    }

    /** Score, then status, as `decide` says; true when something changed. */
    function report(now) {
      if (!recording() || !now) return false;
      const decision = decide(now, data.lms.report, scored);
      let changed = false;
      if (decision.score != null) {
        for (const [element, value] of dialect.scoreWrites(decision.score)) {
          changed = put(element, value) || changed;
        }
      }
      for (const [element, value] of dialect.statusWrites(decision)) {
        // What the LMS holds as done stays done: a state it could not give back (another
        // version of the course, a truncated suspend_data) must not undo a completion.
        if (DONE.has(written[element]) && !DONE.has(value)) continue;
        changed = put(element, value) || changed;
      }
      if (changed) requestCommit(true);
      return changed;
    }

    // objectives: a module's are completed once its pages are all viewed

    function setUpObjectives() {
      const wanted = (data.lms.objectives || []).filter((o) => o && o.id);
      if (!wanted.length) return;
      const countText = channel.get("cmi.objectives._count");
      let count = /^\d+$/.test(countText) ? Number(countText) : 0;
      const known = new Map(); // id -> index, as the LMS holds them (2004: from the manifest)
      for (let i = 0; i < count; i++) {
        const id = channel.get("cmi.objectives." + i + ".id");
        if (id && !known.has(id)) known.set(id, i);
      }
      for (const objective of wanted) {
        const isNew = !known.has(objective.id);
        const index = isNew ? count++ : known.get(objective.id);
        const prefix = "cmi.objectives." + index + ".";
        const status = isNew ? "" : dialect.objectiveStatus(channel, prefix);
        objectives.push({ id: objective.id, module: objective.module, prefix, status });
        for (const [element, value] of dialect.objectiveWrites(prefix, objective, null, isNew,
          data)) {
          put(element, value);
        }
      }
    }

    function updateObjectives(viewed) {
      if (!objectives.length) return;
      const byModule = {};
      let at = 0;
      for (const module of data.modules) {
        const flags = module.pages.map(() => Boolean(viewed[at++]));
        byModule[module.id] = flags.every(Boolean) ? "completed"
          : flags.some(Boolean) ? "incomplete" : "";
      }
      for (const objective of objectives) {
        const status = byModule[objective.module];
        if (!status || status === objective.status || objective.status === "completed") continue;
        objective.status = status;
        for (const [element, value] of dialect.objectiveWrites(objective.prefix, objective,
          status, false, data)) {
          put(element, value);
        }
      }
    }

    // interactions

    function recordAnswer(event) {
      const prefix = "cmi.interactions." + nextInteraction++ + ".";
      for (const [element, value] of dialect.interactionWrites(prefix, event, data)) {
        channel.set(element, value);
      }
      requestCommit(false);
    }

    // lifecycle

    function open() {
      const api = findApi(dialect.apiName, dialect.levels);
      if (!api) {
        untrackedReason = { key: "scorm_not_tracked" };
        return null;
      }
      channel = new Channel(api, dialect.methods, dialect.permanentErrors, dialect.freeElements,
        onHealth);
      const started = channel.call("init", "");
      if (started !== "true") {
        const code = channel.lastError();
        if (dialect.initErrorsOk.indexOf(code) < 0) {
          untrackedReason = { key: "scorm_no_session", params: { detail: "error " + code } };
          channel.closed = true;
          return null;
        }
      }
      return api;
    }

    const adapter = {
      name: dialect.name,

      start(loaded) {
        data = loaded;
        data.lms = data.lms || {};
        t = Ceforge.text.translator(data.messages);
        scored = data.blocks.some((block) => block.kind === "test");
        if (!open()) {
          adapter.setLearnerName = (name) => {
            learner = { id: learner ? learner.id : "", name };
          };
          return { state: null, learner: null, resume: false };
        }
        tracked = true;
        const el = dialect.elements;
        const entry = channel.get(el.entry);
        mode = channel.get(el.mode) || "normal";
        normalMode = mode === "normal";
        const state = dialect.readState(channel, entry) || null;
        written = dialect.readStatus(channel);
        const name = learnerName(channel.get(el.name));
        learner = { id: channel.get(el.id), name };
        if (!name) {
          adapter.setLearnerName = (typed) => {
            learner = { id: learner.id, name: typed };
          };
        }
        const count = channel.get("cmi.interactions._count");
        nextInteraction = /^\d+$/.test(count) ? Number(count) : 0;
        if (normalMode) setUpObjectives();
        return { state, learner: { id: learner.id, name: learner.name }, resume: entry === "resume" };
      },

      /** After boot: the notices, and the status of a launch (incomplete from the start). */
      started() {
        if (!tracked) {
          if (untrackedReason) notice(untrackedReason.key, untrackedReason.params);
          return;
        }
        if (!normalMode) {
          notice(mode === "browse" ? "launch_browse" : "launch_review");
          return;
        }
        if (!report(summary())) requestCommit(false);
      },

      saveState(text) {
        if (!recording()) return;
        const limit = data.lms.state_limit;
        if (limit && text.length > limit) {
          warn("the state is longer than suspend_data allows; not saved", text.length);
        } else {
          channel.set(dialect.elements.suspend, text);
        }
        try {
          updateObjectives(Ceforge.state.decode(text, data).viewed);
        } catch (error) {
          warn("cannot read the state back", error);
        }
        requestCommit(false);
      },

      event(evt) {
        if (!recording()) return;
        switch (evt.type) {
          case "page-viewed":
            put(dialect.elements.location, String(evt.page.id).slice(0, dialect.locationMax));
            requestCommit(false);
            break;
          case "question-answered":
            recordAnswer(evt);
            break;
          case "progress":
            if (dialect.progressWrites) {
              for (const [element, value] of dialect.progressWrites(evt.measure)) put(element, value);
            }
            report(summary());
            requestCommit(false);
            break;
          case "test-finished":
          case "completed":
            report(evt.summary);
            break;
          default:
            break;
        }
      },

      flush() {
        commitNow();
      },

      exit(info) {
        if (!tracked || finished) return;
        const now = (info && info.summary) || summary();
        if (normalMode && now) {
          report(now);
          channel.set(dialect.elements.exit, dialect.exitValue(now.completed));
          // Once, at the end: some LMSs add session_time to total_time at every commit.
          channel.set(dialect.elements.sessionTime, dialect.sessionTime(now.sessionSeconds));
        }
        commitNow();
        finished = true;
        if (commitTimer) root.clearTimeout(commitTimer);
        if (retryTimer) root.clearTimeout(retryTimer);
        channel.finish();
      },
    };
    return adapter;
  }

  /**
   * Boot the core with the adapter of `dialect`, then let it show its notices. The dialect is
   * kept in `Ceforge.scorm.dialects` by its name (tests call its writers directly).
   */
  function boot(dialect) {
    Ceforge.scorm.dialects[dialect.name] = dialect;
    const adapter = scormAdapter(dialect);
    Ceforge.adapters = Ceforge.adapters || {};
    Ceforge.adapters[dialect.name] = adapter;
    return Promise.resolve(Ceforge.boot(adapter)).then((app) => {
      if (app) adapter.started();
      return app;
    });
  }

  Ceforge.scorm = {
    COMMIT_SECONDS,
    findApi,
    cmiTimespan,
    isoDuration,
    cmiTime,
    isoTimestamp,
    decimal,
    decimalText,
    learnerName,
    decide,
    inWrittenOrder,
    pairs,
    INTERACTION_TYPES,
    interactionWrites,
    dialects: {},
    Channel,
    adapter: scormAdapter,
    boot,
  };
})(window);
