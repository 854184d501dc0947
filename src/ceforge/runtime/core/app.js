/* ceforge runtime core: the App, a running course: lifecycle, time, saving, completion. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { MAX_SECONDS, SCORE_MAX } = Ceforge.limits;
  const { translator, formatters, safeLanguage } = Ceforge.text;
  const { h, icon } = Ceforge.dom;
  const { index: indexOf, fresh: freshState, encode, decode, collected } = Ceforge.state;
  const { passes, passMark } = Ceforge.scoring;
  const { today, dayToISO, newCode } = Ceforge.certificate;
  const warn = Ceforge.warn;

  const TICK_MS = 1000;
  const MAX_TICK_MS = 5000; // a longer gap between ticks (sleep, a frozen tab) is not counted
  const SAVE_SECONDS = 30; // active time alone is saved this often
  const EVENT_LOG = 500;

  /**
   * The running course. This file holds its lifecycle and its completion rules; the files
   * after it add the rest to its prototype: navigation.js (the shell, pages and routes),
   * blocks.js (blocks and knowledge checks), assessment.js (the post-test and the
   * evaluation), finish.js (the attestation, the completion page, the licence and name
   * forms) and certificate-view.js (the certificate).
   */
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
      this.waiting = null; // the route a show waits for its module to load (navigation.js)
      this.awaited = false; // start waited for the first page's module
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
      // The contents tick the completion page once the learner has been on it since the course
      // completed; a course completed in an earlier session counts as seen (the state keeps no
      // more than the day of completion).
      this.completionSeen = this.state.completed > 0;
    }

    // lifecycle

    start() {
      // A learner who completed a course with a certificate comes back to print it again.
      const reprint = this.state.completed && this.data.course.certificate;
      const route = this.route() || (reprint ? { kind: "completion" }
        : { kind: "page", index: this.state.page });
      const entry = route.kind === "page" ? this.ix.pages[route.index] : null;
      if (entry && !this.awaited && !Ceforge.modules.ready(this.data, entry.module)) {
        // The first page's module comes first (core/modules.js), so that starting does what
        // it always did, in the same order; if it cannot come, the page says so.
        this.awaited = true;
        const start = () => this.start();
        return Ceforge.modules.load(this.data, entry.module).then(start, start);
      }
      // Focus inside the app now means the learner just used the welcome screen: move it on.
      const hadFocus = this.root.contains(document.activeElement);
      this.renderShell();
      if (this.discarded) this.emit({ type: "state-discarded", reason: this.discarded });
      this.minutesMet = this.minutesDone();
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
      this.leaveMedia();
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
      if (rules.pages) {
        // The pages completion asks for: not the About and References pages of a CE course.
        const required = this.ix.required;
        const viewed = required.filter((entry) => st.viewed[entry.index]).length;
        const next = required.find((entry) => !st.viewed[entry.index]);
        list.push({ key: "pages", done: viewed === required.length,
          page: next ? next.index : null,
          text: t("req_pages", { viewed, total: required.length }) });
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
      // The licence details the certificate asks for, given once on the completion page.
      const asked = collected(this.data);
      if (asked.length) {
        list.push({ key: "license", done: asked.every((field) => st.certificate[field]),
          page: null, text: t("req_license") });
      }
      return list;
    }

    evaluationOpen() {
      return this.testMet();
    }

    /** What must be done before the attestation opens: every other requirement but the
     * licence details, which are given after it. */
    missingBeforeAttestation() {
      return this.requirements().filter((r) =>
        r.key !== "attestation" && r.key !== "license" && !r.done);
    }

    progress() {
      if (this.state.completed) return 1;
      const required = this.ix.required;
      let total = required.length;
      let done = required.filter((entry) => this.state.viewed[entry.index]).length;
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
        const event = { type: "completed", day: this.state.completed,
          date: dayToISO(this.state.completed), summary: this.summary() };
        if (this.data.course.certificate) event.certificate = this.issueCertificate();
        this.emit(event);
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

    /**
     * The certificate's record at completion (docs/runtime.md, "The certificate"): a new
     * verification code, the name it is issued to (when known), the licence details; kept in
     * the state and sent with the `completed` event.
     */
    issueCertificate() {
      const record = this.state.certificate;
      if (!record.code) record.code = newCode();
      if (!record.name && this.learner && this.learner.name) record.name = this.learner.name;
      const asked = collected(this.data);
      return { code: record.code, name: record.name,
        license_number: asked.includes("license_number") ? record.license_number : "",
        license_state: asked.includes("license_state") ? record.license_state : "" };
    }
  }

  Ceforge.App = App;
})(window);
