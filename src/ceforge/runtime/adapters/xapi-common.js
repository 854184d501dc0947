/*
 * ceforge learner runtime: what the xAPI adapters (tincan.js and cmi5.js) share besides the
 * statements themselves (xapi-statements.js, loaded just before this file).
 *
 * Loaded before the adapter, it completes `Ceforge.xapi` and boots nothing; `createAdapter`
 * makes the adapter (docs/runtime.md, "Adapters") from a function that reads the launch.
 *
 * - Delivery never loses a statement. Every statement goes first into an outbox in localStorage
 *   (keyed by course and registration), then to the LRS in batches (a POST of an array); it
 *   leaves the outbox only once the LRS has acknowledged it (an LRS that already holds it counts:
 *   the UUID ids make resending harmless). Failures are retried with backoff, and whatever is
 *   left is sent on the next launch. On `pagehide` the last statements go with
 *   `fetch(..., {keepalive: true})`. While the LRS cannot be reached the learner keeps
 *   working, with a calm notice (`Ceforge.app.notice`).
 * - The state string is bookmarked with the State API (`activities/state`, stateId
 *   `https://w3id.org/xapi/ceforge/state`) and always in localStorage too, which is all there
 *   is when the LRS refuses the State API.
 * - Credentials live in memory only: nothing here writes them anywhere.
 *
 * docs/xapi.md, "The adapters in the browser", is the long version.
 */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const xapi = Ceforge.xapi;

  const XAPI_VERSION = "1.0.3";
  const STATE_ID = "https://w3id.org/xapi/ceforge/state";
  const BATCH = 50; // statements per POST
  const KEEPALIVE_BYTES = 60000; // browsers allow 64 KiB of keepalive bodies in flight
  const RETRY_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  const REQUEST_MS = 20000; // a request that takes longer is given up (and retried)
  const START_MS = 8000; // the LRS's answers at launch are awaited this long at most
  const STATE_WRITE_MS = 2000; // the State API is written at most this often
  const SETTLE_MS = 3000; // the last page's keepalive requests may still be landing
  const FORGET_ACKED = 2000; // ids remembered as acknowledged, for merging with other tabs

  // --- warnings -------------------------------------------------------------------------------

  function warn(what, error) {
    if (root.console && root.console.warn) root.console.warn("ceforge xapi: " + what, error);
  }

  // --- storage --------------------------------------------------------------------------------

  const { open: openStorage, readJSON } = root.Ceforge.storage;

  function writeJSON(storage, key, value) {
    try {
      storage.setItem(key, JSON.stringify(value));
      return true;
    } catch (error) {
      warn("cannot write " + key, error); // quota: what is in memory still goes out
      return false;
    }
  }

  // --- the LRS --------------------------------------------------------------------------------

  /**
   * Requests to one LRS: `request(method, resource, {query, json, text, keepalive, timeout})`
   * resolves with `{status, text}` and rejects when the LRS cannot be reached.
   */
  function lrsClient(endpoint, auth) {
    const base = xapi.endpointUrl(endpoint);
    const header = auth ? xapi.authorization(auth) : null;

    async function request(method, resource, options) {
      const opts = options || {};
      const url = new URL(resource, base);
      for (const [key, value] of Object.entries(opts.query || {})) {
        if (value != null) url.searchParams.set(key, value);
      }
      const headers = { "X-Experience-API-Version": XAPI_VERSION };
      if (header) headers.Authorization = header;
      let body;
      if (opts.json !== undefined) {
        body = JSON.stringify(opts.json);
        headers["Content-Type"] = "application/json";
      } else if (opts.text !== undefined) {
        body = opts.text;
        headers["Content-Type"] = "text/plain; charset=utf-8";
      }
      const init = { method, headers, body, mode: "cors", credentials: "omit", cache: "no-store" };
      let timer = null;
      if (opts.keepalive) {
        init.keepalive = true;
      } else if (typeof root.AbortController === "function") {
        const controller = new root.AbortController();
        init.signal = controller.signal;
        timer = root.setTimeout(() => controller.abort(), opts.timeout || REQUEST_MS);
      }
      try {
        const response = await root.fetch(url.href, init);
        const text = await response.text();
        return { status: response.status, text };
      } finally {
        if (timer != null) root.clearTimeout(timer);
      }
    }

    /** POST statements; what the answer means for them. */
    async function postStatements(statements, keepalive) {
      let answer;
      try {
        answer = await request("POST", "statements", { json: statements, keepalive });
      } catch {
        return "unreachable";
      }
      const status = answer.status;
      // 409: the LRS holds statements with these ids already: they arrived before.
      if ((status >= 200 && status < 300) || status === 409) return "delivered";
      if (status === 400 || status === 413) return "refused";
      return status === 401 || status === 403 ? "denied" : "unreachable";
    }

    return { base, request, postStatements };
  }

  // --- the outbox -----------------------------------------------------------------------------

  /**
   * Statements not yet acknowledged by the LRS, oldest first, kept in localStorage under
   * `<prefix>outbox`. `add` stores them and sends them soon; a batch leaves the outbox when the
   * LRS acknowledges it. An LRS that refuses a batch (400) has it sent again one statement at a
   * time; a statement it refuses on its own is moved to `<prefix>refused` (kept, never sent
   * again, reported on the console). `onStatus(failing, pending)` follows delivery.
   */
  class Outbox {
    constructor(lrs, storage, prefix, onStatus) {
      this.lrs = lrs;
      this.storage = storage;
      this.key = prefix + "outbox";
      this.metaKey = prefix + "meta";
      this.refusedKey = prefix + "refused";
      this.onStatus = onStatus || (() => {});
      this.items = (readJSON(storage, this.key) || []).filter((s) => s && s.id);
      this.meta = readJSON(storage, this.metaKey) || {};
      this.acked = new Set();
      this.exitSent = new Set();
      this.inflight = new Set();
      this.busy = false;
      this.failures = 0;
      this.single = 0; // statements still to send one at a time
      this.timer = null;
      this.lastTry = 0;
      this.idle = [];
      // Statements the previous page sent with keepalive as it went away may still be landing.
      this.settleUntil = (this.meta.keepaliveAt || 0) + SETTLE_MS;
    }

    /** The last timestamp given out for this registration (ms), kept across launches. */
    get lastTimestamp() {
      return this.meta.last || 0;
    }

    set lastTimestamp(value) {
      this.meta.last = value;
      writeJSON(this.storage, this.metaKey, this.meta);
    }

    get pending() {
      return this.items.length;
    }

    add(statements) {
      if (!statements.length) return;
      this.items.push(...statements);
      this.persist();
      this.nudge();
    }

    /** Write the outbox, merged with what another tab of this registration may have stored. */
    persist() {
      const mine = new Set(this.items.map((s) => s.id));
      const others = (readJSON(this.storage, this.key) || [])
        .filter((s) => s && s.id && !mine.has(s.id) && !this.acked.has(s.id));
      const all = others.length
        ? this.items.concat(others).sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1))
        : this.items;
      if (!all.length) {
        try {
          this.storage.removeItem(this.key);
        } catch (error) {
          warn("cannot clear the outbox", error);
        }
        return;
      }
      writeJSON(this.storage, this.key, all);
    }

    /** Try to send in `delay` ms (sooner when already scheduled sooner). */
    kick(delay) {
      if (this.timer != null) {
        if (delay > 0) return;
        root.clearTimeout(this.timer);
      }
      const wait = Math.max(delay, this.settleUntil - Date.now(), 0);
      this.timer = root.setTimeout(() => {
        this.timer = null;
        this.pump();
      }, wait);
    }

    /** Send soon; after a failure a new statement is a reason to try again at once, but not
     * more than once a second. */
    nudge() {
      if (this.failures && Date.now() - this.lastTry < 1000) {
        if (this.timer == null) this.kick(1000);
        return;
      }
      this.kick(0);
    }

    async pump() {
      if (this.busy) return;
      if (!this.items.length) {
        this.settle();
        return;
      }
      this.busy = true;
      const batch = this.items.slice(0, this.single > 0 ? 1 : BATCH);
      batch.forEach((s) => this.inflight.add(s.id));
      this.lastTry = Date.now();
      let outcome;
      try {
        outcome = await this.lrs.postStatements(batch, false);
      } catch {
        outcome = "unreachable";
      }
      batch.forEach((s) => this.inflight.delete(s.id));
      this.busy = false;
      if (outcome === "delivered") {
        this.remove(batch);
        this.failures = 0;
        if (this.single > 0) this.single -= 1; // back to batches past the refused batch
        this.onStatus(false, this.items.length);
        this.kick(0);
      } else if (outcome === "refused" && batch.length > 1) {
        this.single = batch.length; // send them one by one to find the one the LRS refuses
        this.kick(0);
      } else if (outcome === "refused") {
        warn("the LRS refused a statement; it is kept under " + this.refusedKey, batch[0]);
        const refused = readJSON(this.storage, this.refusedKey) || [];
        writeJSON(this.storage, this.refusedKey, refused.concat(batch));
        this.remove(batch);
        if (this.single > 0) this.single -= 1;
        this.kick(0);
      } else {
        this.failures += 1;
        this.onStatus(true, this.items.length);
        const base = RETRY_MS[Math.min(this.failures, RETRY_MS.length) - 1];
        this.kick(Math.round(base * (0.8 + Math.random() * 0.4)));
      }
    }

    remove(batch) {
      const gone = new Set(batch.map((s) => s.id));
      for (const id of gone) this.acked.add(id);
      if (this.acked.size > FORGET_ACKED) this.acked = new Set(Array.from(gone));
      this.items = this.items.filter((s) => !gone.has(s.id));
      this.persist();
    }

    /** Resolves once the outbox is empty, or after `timeout` ms. */
    drained(timeout) {
      if (!this.items.length) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (value) => {
          this.idle = this.idle.filter((fn) => fn !== done);
          resolve(value);
        };
        this.idle.push(done);
        root.setTimeout(() => done(false), timeout);
      });
    }

    settle() {
      for (const fn of this.idle.slice()) fn(true);
    }

    /**
     * The page goes away: send what is left with keepalive (at most KEEPALIVE_BYTES; what is in
     * flight already or was sent this way already is not sent again). The outbox keeps it all
     * until the LRS says it arrived, so what does not arrive goes out on the next launch.
     */
    flushOnExit() {
      this.meta.keepaliveAt = Date.now();
      writeJSON(this.storage, this.metaKey, this.meta);
      const send = (statements) => {
        statements.forEach((s) => this.exitSent.add(s.id));
        this.lrs.postStatements(statements, true).then((outcome) => {
          if (outcome === "delivered") this.remove(statements);
        }, () => {});
      };
      let used = 0;
      let chunk = [];
      let size = 2; // the brackets of the array
      for (const statement of this.items) {
        if (this.inflight.has(statement.id) || this.exitSent.has(statement.id)) continue;
        const bytes = new Blob([JSON.stringify(statement)]).size + 1;
        if (used + size + bytes > KEEPALIVE_BYTES) break;
        chunk.push(statement);
        size += bytes;
        if (chunk.length === BATCH) {
          send(chunk);
          used += size;
          chunk = [];
          size = 2;
        }
      }
      if (chunk.length) send(chunk);
    }
  }

  // --- the state string -----------------------------------------------------------------------

  /**
   * The state string in the State API and in localStorage (`<prefix>state`: `{text, synced}`).
   * At launch the copy not yet synced to the LRS wins (it is the newest); otherwise the LRS's (the
   * learner may have gone on elsewhere). An LRS that refuses the State API (Ralph has none) is
   * not asked again for this registration (`noStateApi`): localStorage is then the bookmark.
   */
  class StateStore {
    constructor(lrs, storage, prefix, params, writable) {
      this.lrs = lrs;
      this.storage = storage;
      this.key = prefix + "state";
      this.query = Object.assign({ stateId: STATE_ID }, params);
      this.writable = writable;
      this.remote = true; // the LRS may have a State API
      this.pending = null; // text not yet written to the LRS
      this.timer = null;
      this.writing = false;
      this.lastWrite = 0;
    }

    async load() {
      const local = readJSON(this.storage, this.key);
      let remote = null;
      if (local && local.noStateApi === this.lrs.base) {
        this.remote = false; // this LRS refused the State API before: do not ask again
        return typeof local.text === "string" ? local.text : null;
      }
      try {
        const answer = await this.lrs.request("GET", "activities/state",
          { query: this.query, timeout: START_MS });
        if (answer.status === 200) remote = answer.text;
        else if (answer.status !== 404) this.remote = false;
      } catch {
        // unreachable now: the local copy will do, and the next writes will tell
      }
      if (local && typeof local.text === "string" && (!local.synced || remote == null)) {
        return local.text;
      }
      return remote || null;
    }

    save(text) {
      if (!this.writable) return;
      const record = { text, synced: false };
      if (!this.remote) record.noStateApi = this.lrs.base;
      writeJSON(this.storage, this.key, record);
      if (!this.remote) return;
      this.pending = text;
      if (this.timer == null) {
        const wait = Math.max(0, this.lastWrite + STATE_WRITE_MS - Date.now());
        this.timer = root.setTimeout(() => {
          this.timer = null;
          this.write(false);
        }, wait);
      }
    }

    async write(keepalive) {
      if (!this.remote || this.pending == null || (this.writing && !keepalive)) return;
      const text = this.pending;
      this.pending = null;
      this.writing = true;
      this.lastWrite = Date.now();
      let status = 0;
      try {
        status = (await this.lrs.request("PUT", "activities/state",
          { query: this.query, text, keepalive })).status;
      } catch {
        status = 0;
      }
      this.writing = false;
      if (status >= 200 && status < 300) {
        const local = readJSON(this.storage, this.key);
        if (local && local.text === text) writeJSON(this.storage, this.key, { text, synced: true });
      } else if (status === 0 || status >= 500 || status === 401 || status === 429) {
        if (this.pending == null) this.pending = text; // try again with the next change
        if (this.timer == null) {
          this.timer = root.setTimeout(() => {
            this.timer = null;
            this.write(false);
          }, 10000);
        }
      } else {
        this.remote = false; // 400, 403, 404, 405, 501…: no State API here
        const local = readJSON(this.storage, this.key);
        if (local) {
          writeJSON(this.storage, this.key, Object.assign(local, { noStateApi: this.lrs.base }));
        }
      }
      if (this.pending != null && this.timer == null) this.write(false);
    }

    flush() {
      if (this.timer != null) {
        root.clearTimeout(this.timer);
        this.timer = null;
      }
      this.write(true);
    }
  }

  // --- the adapter ----------------------------------------------------------------------------

  /** Where each page and block sits: module of a page, module of a block. */
  function courseIndex(data) {
    const pages = [];
    const modulePages = {};
    for (const module of data.modules) {
      modulePages[module.id] = module.pages.map((p) => p.id);
      for (const page of module.pages) pages.push({ id: page.id, module: module.id });
    }
    const blockModule = {};
    for (const block of data.blocks) blockModule[block.id] = block.module;
    return { pages, modulePages, blockModule };
  }

  /** The decoded state string, or null when there is none or it does not decode. */
  function decoded(text, data) {
    if (text == null) return null;
    try {
      return Ceforge.state.decode(text, data);
    } catch {
      return null;
    }
  }

  /**
   * An adapter (docs/runtime.md, "Adapters") that sends xAPI statements. `connect(data, t)`
   * reads the launch and resolves with `{lrs, actor, registration, stateActivityId, launch,
   * notices, returnURL}` (`launch`: see Recorder; `notices`: `{key: text}` to show at once;
   * `returnURL`: where to go after Exit course). It may reject with an Error whose message is
   * shown to the learner.
   */
  function createAdapter(name, connect) {
    const { storage, persistent } = openStorage();
    let session = null;

    const app = () => Ceforge.app;
    const notices = {};

    function showNotice(key, text) {
      notices[key] = text || null;
      if (app() && typeof app().notice === "function") app().notice(key, text || null);
    }

    function record(statements) {
      if (session && statements.length) session.outbox.add(statements);
    }

    const adapter = {
      name,

      async start(data) {
        const t = Ceforge.text.translator(data.messages);
        const conn = await connect(data, t);
        const index = courseIndex(data);
        // A module's AU (cmi5 au=module) keeps its bookmark and outbox apart from the others.
        const unit = conn.launch && conn.launch.module ? "module:" + conn.launch.module + ":" : "";
        const prefix = "ceforge:xapi:" + data.course.id + ":" + conn.registration + ":" + unit;
        const judged = !conn.launch || conn.launch.launchMode === "Normal";
        const outbox = new Outbox(conn.lrs, storage, prefix, (failing, pending) => {
          showNotice("lrs", failing && pending ? t("lrs_unreachable") : null);
        });
        const clock = () => {
          let ms = Date.now();
          if (ms <= outbox.lastTimestamp) ms = outbox.lastTimestamp + 1;
          outbox.lastTimestamp = ms;
          return new Date(ms).toISOString();
        };
        const state = new StateStore(conn.lrs, storage, prefix, {
          activityId: conn.stateActivityId,
          agent: JSON.stringify(conn.actor),
          registration: conn.registration,
        }, judged);
        const text = await state.load();
        const saved = decoded(text, data);
        const recorder = new xapi.Recorder(data, conn.actor, conn.registration, conn.launch, clock);
        const viewed = new Set();
        if (saved) {
          index.pages.forEach((page, i) => { if (saved.viewed[i]) viewed.add(page.id); });
          recorder.completed = saved.completed > 0;
          recorder.passed = saved.test.used > 0
            && Ceforge.scoring.passes(saved.test.best, data.course.passing_score);
        }
        const finished = new Set(Object.keys(index.modulePages)
          .filter((m) => index.modulePages[m].every((id) => viewed.has(id))));
        session = { data, conn, index, outbox, state, recorder, viewed, finished,
          attemptMs: 0, exited: false };
        for (const [key, value] of Object.entries(conn.notices || {})) showNotice(key, value);
        record(recorder.start(saved != null));
        root.addEventListener("online", () => outbox.kick(0));
        const learner = await learnerOf(data, conn, storage);
        return { state: text, learner, resume: saved != null, persistent };
      },

      saveState(text) {
        if (session) session.state.save(text);
      },

      event(evt) {
        if (!session || session.exited) return;
        const { recorder, index } = session;
        if (evt.type === "page-viewed") {
          record(recorder.pageShown(evt.page.id, evt.module.id));
          session.viewed.add(evt.page.id);
          const moduleId = evt.module.id;
          if (!session.finished.has(moduleId)
              && index.modulePages[moduleId].every((id) => session.viewed.has(id))) {
            session.finished.add(moduleId);
            const summary = app() ? app().summary() : { progress: 0 };
            record(recorder.moduleFinished(moduleId, Math.floor(summary.progress * 100 + 1e-9)));
          }
        } else if (evt.type === "question-answered") {
          if (evt.block.kind === "test") {
            session.attemptMs = Math.max(session.attemptMs, evt.latencyMs || 0);
          }
          record(recorder.questionAnswered(evt, index.blockModule[evt.block.id]));
        } else if (evt.type === "test-finished") {
          const seconds = session.attemptMs / 1000;
          session.attemptMs = 0;
          record(recorder.testFinished(evt, index.blockModule[evt.block.id], seconds));
        } else if (evt.type === "completed") {
          record(recorder.courseCompleted(evt.summary.activeSeconds));
        }
      },

      flush() {
        if (!session) return;
        session.state.flush();
        session.outbox.kick(0);
      },

      setLearnerName(learnerName) {
        if (session) writeJSON(storage, learnerKey(session.data, session.conn), learnerName);
      },

      exit({ reason }) {
        if (!session || session.exited) return;
        session.exited = true;
        record(session.recorder.end());
        session.state.flush();
        if (reason === "pagehide") {
          session.outbox.flushOnExit();
          return;
        }
        session.outbox.kick(0);
        const returnURL = session.conn.returnURL;
        if (returnURL) {
          session.outbox.drained(5000).then(() => { root.location.assign(returnURL); });
        }
      },
    };

    // A page that goes away after Exit course still sends what is left.
    root.addEventListener("pagehide", () => {
      if (session && session.exited) session.outbox.flushOnExit();
    });
    // Notices asked for before the app existed.
    Ceforge.boot(adapter).then((running) => {
      if (!running) return;
      for (const [key, text] of Object.entries(notices)) if (text) running.notice(key, text);
    }, () => {});
    return adapter;
  }

  function learnerKey(data, conn) {
    return "ceforge:xapi:" + data.course.id + ":learner:" + xapi.agentKey(conn.actor);
  }

  /** The learner for the certificate: the actor's name, or the one the learner gave. */
  async function learnerOf(data, conn, storage) {
    const id = xapi.agentKey(conn.actor);
    const given = readJSON(storage, learnerKey(data, conn));
    if (typeof given === "string" && given) return { id, name: given };
    if (conn.actor.name) return { id, name: String(conn.actor.name) };
    const asked = await Ceforge.ui.askName(data);
    writeJSON(storage, learnerKey(data, conn), asked);
    return { id, name: asked };
  }

  /** The launch URL's query parameters, by name. */
  function launchParameters() {
    return new URLSearchParams(root.location.search);
  }

  Object.assign(Ceforge.xapi, {
    XAPI_VERSION,
    STATE_ID,
    lrsClient,
    openStorage,
    readJSON,
    writeJSON,
    launchParameters,
    Outbox,
    StateStore,
    createAdapter,
  });
})(window);
