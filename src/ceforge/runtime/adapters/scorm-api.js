/* ceforge runtime, SCORM: finding the LMS's API; the Channel that writes to it, losing nothing. */
(function (root) {
  "use strict";

  // The first of the scripts the SCORM adapters share (scorm-api.js, scorm-data.js,
  // scorm-common.js; the adapter last): it starts `Ceforge.scorm`, and boots nothing.
  const Ceforge = root.Ceforge;

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

  Ceforge.scorm = { findApi, Channel, warn, dialects: {} };
})(window);
