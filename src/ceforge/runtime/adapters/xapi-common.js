/* ceforge runtime, xAPI: the adapter tincan.js and cmi5.js share: launch, bookmark, events. */
/*
 * What the xAPI adapters (tincan.js and cmi5.js) share besides the statements themselves
 * (xapi-statements.js) and their delivery (xapi-delivery.js), both loaded before this file.
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
  const { openStorage, readJSON, writeJSON, Outbox } = xapi;

  const STATE_ID = "https://w3id.org/xapi/ceforge/state";
  const START_MS = 8000; // the LRS's answers at launch are awaited this long at most
  const STATE_WRITE_MS = 2000; // the State API is written at most this often

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
        } else if (evt.type === "page-completed") {
          // Viewed: shown, and its required media watched (docs/runtime.md).
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
          record(recorder.courseCompleted(evt.summary.activeSeconds, evt.certificate));
        } else if (evt.type === "scenario-decision") {
          record(recorder.scenarioDecided(evt, index.blockModule[evt.block.id]));
        } else if (evt.type === "scenario-completed") {
          record(recorder.scenarioCompleted(evt, index.blockModule[evt.block.id]));
        } else if (evt.type.startsWith("media-")) {
          record(recorder.mediaEvent(evt, index.blockModule[evt.block.id]));
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
    STATE_ID,
    launchParameters,
    StateStore,
    createAdapter,
  });
})(window);
