/* ceforge runtime, xAPI: delivery: LRS requests, the outbox that never loses a statement. */
(function (root) {
  "use strict";

  // Loaded after xapi-statements.js and before xapi-common.js (docs/xapi.md, "The adapters in
  // the browser"); it adds to `Ceforge.xapi` and boots nothing.
  const Ceforge = root.Ceforge;
  const xapi = Ceforge.xapi;

  const XAPI_VERSION = "1.0.3";
  const BATCH = 50; // statements per POST
  const KEEPALIVE_BYTES = 60000; // browsers allow 64 KiB of keepalive bodies in flight
  const RETRY_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  const REQUEST_MS = 20000; // a request that takes longer is given up (and retried)
  const SETTLE_MS = 3000; // the last page's keepalive requests may still be landing
  const FORGET_ACKED = 2000; // ids remembered as acknowledged, for merging with other tabs

  // --- warnings -------------------------------------------------------------------------------

  function warn(what, error) {
    if (root.console && root.console.warn) root.console.warn("ceforge xapi: " + what, error);
  }

  // --- storage --------------------------------------------------------------------------------

  const { open: openStorage, readJSON } = Ceforge.storage;

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

  Object.assign(Ceforge.xapi, {
    XAPI_VERSION,
    warn,
    lrsClient,
    openStorage,
    readJSON,
    writeJSON,
    Outbox,
  });
})(window);
