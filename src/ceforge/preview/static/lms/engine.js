/*
 * ceforge preview, strict LMS simulator: the engine both SCORM versions share.
 *
 * `CeforgeLms.create(standard, options)` (standard "scorm12" or "scorm2004") returns a
 * simulator: `sim.api` is the object a SCO finds as window.API (1.2) or window.API_1484_11
 * (2004), with the standard's eight functions. The rules of each version live in
 * lms/scorm12.js and lms/scorm2004.js as a *spec*: the elements of its data model (access,
 * check of the value), the error codes it returns in each situation, and what the LMS does
 * at launch, commit and terminate. This file walks a call through them:
 *
 *   state (initialized? terminated?) -> element (defined? keyword? read-only? write-only?)
 *   -> array positions (in order?) -> dependencies and uniqueness (2004) -> the value's type
 *   and range -> store.
 *
 * A simulator runs sessions (launches) one after another over one learner *record*: what the
 * LMS kept from the sessions before (values as of the last successful commit, entry, total
 * time, attempt). `sim.launch(config)` starts a session; the course is loaded afterwards.
 * Every call is logged (`sim.log`), with its result and error code; listeners registered with
 * `sim.on(fn)` see each log entry. Everything a test or the Python side reads is plain JSON:
 * `sim.snapshot()`.
 */
(function (root) {
  "use strict";

  const Lms = (root.CeforgeLms = root.CeforgeLms || {});
  const specs = (Lms.specs = Lms.specs || {});
  const LOG_VALUE_MAX = 500; // characters of a value kept in the log (the model keeps all)

  const INDEX = /^(?:0|[1-9]\d*)$/;

  /** An element name as its pattern (indexes replaced by "n") and the arrays it goes through:
   * "cmi.interactions.2.objectives.0.id" -> pattern "cmi.interactions.n.objectives.n.id",
   * arrays [{path: "cmi.interactions", index: 2}, {path: "cmi.interactions.2.objectives",
   * index: 0}]. */
  function parse(name) {
    const segments = name.split(".");
    const pattern = [];
    const arrays = [];
    segments.forEach((segment, i) => {
      if (i > 0 && INDEX.test(segment)) {
        arrays.push({ path: segments.slice(0, i).join("."), index: Number(segment) });
        pattern.push("n");
      } else {
        pattern.push(segment);
      }
    });
    return { pattern: pattern.join("."), arrays, leaf: segments[segments.length - 1] };
  }

  /** The array patterns and container patterns a spec's element table implies. */
  function shape(elements) {
    const containers = new Set();
    const arrays = new Set();
    for (const pattern of Object.keys(elements)) {
      const parts = pattern.split(".");
      for (let i = 1; i < parts.length; i++) {
        (parts[i] === "n" ? arrays : containers).add(parts.slice(0, i).join("."));
      }
    }
    return { containers, arrays };
  }

  function clip(value) {
    return typeof value === "string" && value.length > LOG_VALUE_MAX
      ? value.slice(0, LOG_VALUE_MAX) + `… (${value.length} characters)` : value;
  }

  function freshRecord() {
    return { attempt: 1, sessions: 0, entry: "ab-initio", totalCs: 0, values: {}, counts: {},
      ended: null, previous: null };
  }

  class Simulator {
    constructor(standard, options) {
      const spec = specs[standard];
      if (!spec) throw new Error(`no LMS simulator for ${standard}`);
      this.standard = standard;
      this.spec = spec.make(options || {});
      Object.assign(this.spec, shape(this.spec.elements));
      this.controls = { failCommits: false, offline: false };
      this.record = freshRecord();
      this.log = [];
      this.problems = [];
      this.listeners = [];
      this.session = null;
      this.seq = 0;
      this.started = Date.now();
      this.api = this.makeApi();
    }

    // --- sessions ---------------------------------------------------------------------------

    /** Start a session for the record as it stands (the course is loaded after this). */
    launch(config) {
      if (this.session && this.session.state === "running") this.unload();
      const record = this.record;
      record.sessions += 1;
      const session = {
        number: record.sessions,
        state: "not-initialized",
        values: new Map(),
        counts: new Map(Object.entries(record.counts)),
        lastError: 0,
        diagnostic: "",
        config: Object.assign({}, config || {}),
        calls: 0,
        errors: 0,
        problems: [],
        committed: false,
      };
      for (const [name, value] of Object.entries(this.spec.launchValues(session.config, record))) {
        if (value != null) session.values.set(name, String(value));
      }
      for (const [name, value] of Object.entries(record.values)) session.values.set(name, value);
      this.session = session;
      this.note("launch", `session ${session.number} (attempt ${record.attempt}, entry `
        + `${JSON.stringify(record.entry)})`);
      return session;
    }

    /** The course went away (its frame navigated elsewhere); a running session is abandoned:
     * the LMS keeps what was last committed. */
    unload() {
      const session = this.session;
      if (!session) return;
      if (session.state === "running") {
        this.problem(session, "the course went away without terminating the session "
          + `(${this.spec.names.terminate} was never called); the LMS keeps what was last `
          + "committed");
        session.state = "abandoned";
        this.record.entry = "";
      } else if (session.state === "not-initialized") {
        this.problem(session, `the course never called ${this.spec.names.initialize}`);
        session.state = "abandoned";
      }
    }

    /** Forget the learner: the next launch is a first launch. */
    reset() {
      this.unload();
      this.record = freshRecord();
      this.session = null;
      this.note("reset", "the learner's record was cleared");
    }

    restore(record) {
      this.record = Object.assign(freshRecord(), record || {});
    }

    // --- what the inspector and the tests read -------------------------------------------------

    on(listener) {
      this.listeners.push(listener);
    }

    emit(entry) {
      this.log.push(entry);
      for (const listener of this.listeners) {
        try {
          listener(entry);
        } catch (error) {
          if (root.console) root.console.warn("ceforge preview: a log listener failed", error);
        }
      }
    }

    /** Something the course did wrong that is no API error (logged, kept for the report). */
    problem(session, text) {
      session.problems.push(text);
      this.problems.push({ session: session.number, problem: text });
      this.note("problem", text);
    }

    note(kind, detail) {
      this.emit({ seq: ++this.seq, session: this.session ? this.session.number : 0,
        t: Date.now() - this.started, lms: kind, detail });
    }

    /** The data model of the current session: every value, with the _count of every array. */
    model() {
      const session = this.session;
      if (!session) return {};
      const out = {};
      for (const [name, value] of session.values) out[name] = value;
      for (const [name, count] of session.counts) out[`${name}._count`] = String(count);
      for (const [name, value] of Object.entries(this.spec.computed(session))) out[name] = value;
      const natural = new Intl.Collator("en", { numeric: true });
      return Object.fromEntries(Object.entries(out).sort(([a], [b]) => natural.compare(a, b)));
    }

    suspendUsage() {
      const value = this.session ? this.session.values.get(this.spec.suspendElement) || "" : "";
      return { element: this.spec.suspendElement, used: value.length, limit: this.spec.suspendLimit };
    }

    errors() {
      return this.log.filter((entry) => entry.error);
    }

    snapshot() {
      const session = this.session;
      return {
        standard: this.standard,
        version: this.spec.version,
        edition: this.spec.edition,
        session: session ? session.number : 0,
        state: session ? session.state : "none",
        model: this.model(),
        record: JSON.parse(JSON.stringify(this.record)),
        suspend: this.suspendUsage(),
        controls: Object.assign({}, this.controls),
        errors: this.errors().length,
        problems: session ? session.problems.slice() : [],
        calls: this.log.length,
      };
    }

    // --- the API ----------------------------------------------------------------------------

    makeApi() {
      const names = this.spec.names;
      const api = {};
      const wrap = (name, fn, logged) => {
        api[name] = (...args) => {
          let result;
          let failure = null;
          try {
            result = fn.apply(this, args);
          } catch (error) {
            failure = error;
          }
          const session = this.session;
          if (failure) { // a bug of the simulator must not look like a fault of the course
            if (root.console) root.console.error("ceforge preview: simulator failure", failure);
            this.fail(session, 101, `simulator failure: ${failure.message}`);
            result = logged === "bool" ? "false" : "";
          }
          if (logged) {
            const warnings = args.filter((a) => a !== undefined && typeof a !== "string")
              .map((a) => `an argument is a ${typeof a}, not a string`);
            if (args.length === 0 && name !== names.getLastError) {
              warnings.push("called with no argument (the standard passes \"\")");
            }
            const entry = {
              seq: ++this.seq,
              session: session.number,
              t: Date.now() - this.started,
              call: name,
              args: args.map((a) => clip(a === undefined ? "" : String(a))),
              result: clip(result),
              error: session.lastError,
              diagnostic: session.lastError ? session.diagnostic : "",
            };
            if (entry.error) entry.errorString = this.spec.errorStrings[String(entry.error)] || "";
            if (warnings.length) entry.warnings = warnings;
            session.calls += 1;
            if (entry.error) session.errors += 1;
            this.emit(entry);
          }
          return result;
        };
      };
      wrap(names.initialize, this.initialize, "bool");
      wrap(names.terminate, this.terminate, "bool");
      wrap(names.getValue, this.getValue, "value");
      wrap(names.setValue, this.setValue, "bool");
      wrap(names.commit, this.commit, "bool");
      wrap(names.getLastError, () => String(this.session ? this.session.lastError : 0), null);
      wrap(names.getErrorString, (code) => this.spec.errorStrings[String(code)] || "", null);
      wrap(names.getDiagnostic, (code) => {
        const session = this.session;
        if (!session) return "";
        if (code === "" || code === undefined || String(code) === String(session.lastError)) {
          return session.diagnostic;
        }
        return this.spec.errorStrings[String(code)] || "";
      }, null);
      return api;
    }

    fail(session, code, diagnostic) {
      session.lastError = code;
      session.diagnostic = diagnostic;
    }

    succeed(session) {
      session.lastError = 0;
      session.diagnostic = "";
    }

    /** The error of calling `what` in the session's state, or 0. */
    stateError(session, what) {
      const codes = this.spec.codes;
      if (session.state === "not-initialized") return codes[`${what}BeforeInit`];
      if (session.state !== "running") return codes[`${what}AfterTerminate`];
      return 0;
    }

    current() {
      if (this.session) return this.session;
      // A call before any launch: answer as a session that was never initialized.
      return this.launch({});
    }

    initialize(parameter) {
      const session = this.current();
      const { codes, names } = this.spec;
      if (parameter !== "" && parameter !== undefined) {
        this.fail(session, codes.argument, `${names.initialize} takes "" (got ${JSON.stringify(parameter)})`);
        return "false";
      }
      if (session.state === "running") {
        this.fail(session, codes.alreadyInitialized, "the session is already initialized");
        return "false";
      }
      if (session.state !== "not-initialized") {
        this.fail(session, codes.initializeAfterTerminate, "the session has been terminated; "
          + "a SCO initializes once per launch");
        return "false";
      }
      if (this.controls.offline) {
        this.fail(session, codes.initializeFailed, "the LMS is offline (preview control): it "
          + "cannot start the session");
        return "false";
      }
      session.state = "running";
      session.startedAt = Date.now();
      this.succeed(session);
      return "true";
    }

    terminate(parameter) {
      const session = this.current();
      const { codes, names } = this.spec;
      if (parameter !== "" && parameter !== undefined) {
        this.fail(session, codes.argument, `${names.terminate} takes "" (got ${JSON.stringify(parameter)})`);
        return "false";
      }
      const stateError = this.stateError(session, "terminate");
      if (stateError) {
        this.fail(session, stateError, session.state === "not-initialized"
          ? "the session was never initialized" : "the session is already terminated");
        return "false";
      }
      if (this.controls.offline) {
        this.fail(session, codes.terminateFailed, "the LMS is offline (preview control): the "
          + "session's data did not reach it");
        return "false";
      }
      for (const problem of this.spec.beforeTerminate(session)) this.problem(session, problem);
      this.persist(session);
      for (const [kind, detail] of this.spec.finish(session, this.record)) this.note(kind, detail);
      session.state = "terminated";
      this.succeed(session);
      return "true";
    }

    commit(parameter) {
      const session = this.current();
      const { codes, names } = this.spec;
      if (parameter !== "" && parameter !== undefined) {
        this.fail(session, codes.argument, `${names.commit} takes "" (got ${JSON.stringify(parameter)})`);
        return "false";
      }
      const stateError = this.stateError(session, "commit");
      if (stateError) {
        this.fail(session, stateError, session.state === "not-initialized"
          ? "the session is not initialized" : "the session is terminated");
        return "false";
      }
      if (this.controls.offline || this.controls.failCommits) {
        this.fail(session, codes.commitFailed, this.controls.offline
          ? "the LMS is offline (preview control)" : "the LMS failed the commit (preview control)");
        return "false";
      }
      this.persist(session);
      this.succeed(session);
      return "true";
    }

    /** The LMS stores what the SCO wrote (not the session-only elements). */
    persist(session) {
      const values = {};
      for (const [name, value] of session.values) {
        const def = this.spec.elements[parse(name).pattern];
        if (def && def.access !== "r" && !def.session) values[name] = value;
      }
      this.record.values = values;
      this.record.counts = Object.fromEntries(session.counts);
      session.committed = true;
    }

    getValue(name) {
      const session = this.current();
      const spec = this.spec;
      const codes = spec.codes;
      const stateError = this.stateError(session, "get");
      if (stateError) {
        this.fail(session, stateError, session.state === "not-initialized"
          ? "the session is not initialized" : "the session is terminated");
        return "";
      }
      if (name === "" || name === undefined || name === null) {
        this.fail(session, codes.getEmpty, "no element named");
        return "";
      }
      name = String(name);
      const answer = (spec.special && spec.special(session, name, "get"))
        || this.keyword(session, name);
      if (answer) {
        if (answer.error) this.fail(session, answer.error, answer.diagnostic);
        else this.succeed(session);
        return answer.error ? "" : answer.value;
      }
      const parsed = parse(name);
      const def = spec.elements[parsed.pattern];
      if (!def) {
        this.fail(session, codes.undefined, `${name} is not an element of the ${spec.label} data model`);
        return "";
      }
      if (def.access === "w") {
        this.fail(session, codes.writeOnly, `${name} is write-only`);
        return "";
      }
      for (const array of parsed.arrays) {
        const count = session.counts.get(array.path) || 0;
        if (array.index >= count) {
          this.fail(session, codes.getIndex, `${array.path} has ${count} entries; there is no `
            + `${array.path}.${array.index}`);
          return "";
        }
      }
      const computed = spec.computed(session)[name];
      const value = computed !== undefined ? computed : session.values.get(name);
      if (value === undefined) {
        if (codes.notInitialized) {
          this.fail(session, codes.notInitialized, `${name} has no value yet`);
          return "";
        }
        this.succeed(session);
        return "";
      }
      this.succeed(session);
      return value;
    }

    /** `_children`, `_count` and `_version` reads; null when `name` is no keyword. */
    keyword(session, name) {
      const spec = this.spec;
      const codes = spec.codes;
      const m = /^(.*)\.(_children|_count|_version)$/.exec(name);
      if (!m) return null;
      const [, base, word] = m;
      const parsed = parse(base);
      const known = spec.elements[parsed.pattern] || spec.containers.has(parsed.pattern)
        || spec.arrays.has(parsed.pattern);
      for (const array of parsed.arrays) {
        const count = session.counts.get(array.path) || 0;
        if (known && array.index >= count) {
          return { error: codes.getIndex, diagnostic: `${array.path} has ${count} entries` };
        }
      }
      if (word === "_version") {
        return base === "cmi" ? { value: spec.dataModelVersion }
          : { error: known ? codes.keywordMisplaced : codes.undefined,
            diagnostic: `${name}: only cmi._version exists` };
      }
      if (word === "_children") {
        const list = spec.children[parsed.pattern];
        if (list) return { value: list };
        return known
          ? { error: codes.noChildren, diagnostic: `${base} has no children` }
          : { error: codes.undefined, diagnostic: `${base} is not an element of the data model` };
      }
      if (spec.arrays.has(parsed.pattern)) {
        return { value: String(session.counts.get(base) || 0) };
      }
      return known
        ? { error: codes.notArray, diagnostic: `${base} is not an array; it has no _count` }
        : { error: codes.undefined, diagnostic: `${base} is not an element of the data model` };
    }

    setValue(name, value) {
      const session = this.current();
      const spec = this.spec;
      const codes = spec.codes;
      const stateError = this.stateError(session, "set");
      if (stateError) {
        this.fail(session, stateError, session.state === "not-initialized"
          ? "the session is not initialized" : "the session is terminated");
        return "false";
      }
      if (name === "" || name === undefined || name === null) {
        this.fail(session, codes.setEmpty, "no element named");
        return "false";
      }
      name = String(name);
      value = value === undefined || value === null ? "" : String(value);
      const special = spec.special && spec.special(session, name, "set", value);
      if (special) {
        if (special.error) this.fail(session, special.error, special.diagnostic);
        else this.succeed(session);
        return special.error ? "false" : "true";
      }
      const keyword = /^(.*)\.(_children|_count|_version)$/.exec(name);
      if (keyword) {
        const base = parse(keyword[1]).pattern;
        const known = spec.elements[base] || spec.containers.has(base) || spec.arrays.has(base);
        this.fail(session, known || base === "cmi" ? codes.setKeyword : codes.undefined,
          `${name} is a keyword; it cannot be set`);
        return "false";
      }
      const parsed = parse(name);
      const def = spec.elements[parsed.pattern];
      if (!def) {
        this.fail(session, codes.undefined, `${name} is not an element of the ${spec.label} data model`);
        return "false";
      }
      if (def.access === "r") {
        this.fail(session, codes.readOnly, `${name} is read-only`);
        return "false";
      }
      const creating = [];
      for (const array of parsed.arrays) {
        const count = session.counts.get(array.path) || 0;
        if (array.index > count) {
          this.fail(session, codes.setIndex, `${array.path} has ${count} entries; the next one `
            + `is ${array.path}.${count}, not ${array.index}`);
          return "false";
        }
        if (array.index === count) creating.push(array.path);
      }
      const ctx = { name, value, parsed, creating, session, get: (n) => session.values.get(n) };
      const rule = spec.beforeSet(ctx);
      if (rule) {
        this.fail(session, rule.error, rule.diagnostic);
        return "false";
      }
      const problem = def.check ? def.check(value, ctx) : null;
      if (problem) {
        this.fail(session, problem.kind === "range" ? codes.range : codes.type,
          `${name}: ${problem.message}`);
        return "false";
      }
      const unique = spec.afterCheck ? spec.afterCheck(ctx) : null;
      if (unique) {
        this.fail(session, unique.error, unique.diagnostic);
        return "false";
      }
      for (const path of creating) session.counts.set(path, (session.counts.get(path) || 0) + 1);
      session.values.set(name, def.store ? def.store(value, ctx) : value);
      this.succeed(session);
      return "true";
    }
  }

  Lms.parse = parse;
  Lms.create = (standard, options) => new Simulator(standard, options);
  Lms.Simulator = Simulator;
})(window);
