/* ceforge runtime, SCORM: the adapter both versions share: status, objectives, session, boot. */
/*
 * What the SCORM adapters (scorm12.js and scorm2004.js) share, in three scripts loaded after the
 * core and before the adapter, which build `Ceforge.scorm` and boot nothing: scorm-api.js (API
 * discovery, the Channel), scorm-data.js (value formats, interaction records), then this one
 * (the status decision and the adapter). Each adapter describes its version as a "dialect" (the API's name and methods, the data model
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
  const { findApi, Channel, warn, learnerName } = Ceforge.scorm;

  const COMMIT_SECONDS = 20; // commits without a status change are at most this frequent
  const RETRY_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  const NOTICE = "lms"; // the key of this adapter's notice (Ceforge.app.notice)
  const DONE = new Set(["passed", "completed"]); // statuses that are never taken back

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

  // --- the adapter ------------------------------------------------------------------------------

  /**
   * The adapter of one SCORM version. `dialect` gives: `name`, `apiName`, `levels`, `methods`
   * (init, finish, get, set, commit, error, diagnostic), `elements` (entry, mode, name, id,
   * location, suspend, exit, sessionTime), `freeElements` (see Channel), `locationMax`,
   * `permanentErrors`, `initErrorsOk` (Initialize errors that still mean a session: already
   * initialized), `reopenErrors` (optional: Initialize errors of an API whose session in this
   * window has ended, for which the learner must reopen the activity), `sessionTime(seconds)`, `exitValue(completed)`, `readState(channel, entry)`,
   * `readStatus(channel)` (element -> value the LMS holds), and, as [element, value] pairs in
   * the order to write them: `statusWrites(decision)`, `scoreWrites(scaled)`,
   * `progressWrites(measure)` (optional), `interactionWrites(prefix, event, data)`,
   * `objectiveWrites(prefix, objective, status, isNew, data)` and
   * `certificateWrites(text, channel)` (the certificate's record, docs/scorm.md);
   * `objectiveStatus(channel, prefix)` reads an objective's status back.
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
          // An API whose session already ended in this window (Moodle's player, when its own
          // navigation opens the next SCO): the learner must leave and reopen the activity.
          untrackedReason = (dialect.reopenErrors || []).indexOf(code) >= 0
            ? { key: "scorm_reopen" }
            : { key: "scorm_no_session", params: { detail: "error " + code } };
          channel.closed = true;
          return null;
        }
      }
      return api;
    }

    /** The certificate issued at completion, written once where the LMS keeps it. */
    function recordCertificate(record) {
      const text = "ceforge-certificate " + JSON.stringify({ code: record.code,
        license_number: record.license_number, license_state: record.license_state });
      for (const [element, value] of dialect.certificateWrites(text, channel)) {
        channel.set(element, value);
      }
      requestCommit(true);
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
          case "scenario-decision":
          case "scenario-completed":
            recordAnswer(evt); // a decision and a run's outcome are interactions too
            break;
          case "progress":
            if (dialect.progressWrites) {
              for (const [element, value] of dialect.progressWrites(evt.measure)) put(element, value);
            }
            report(summary());
            requestCommit(false);
            break;
          case "test-finished":
            report(evt.summary);
            break;
          case "completed":
            report(evt.summary);
            if (evt.certificate) recordCertificate(evt.certificate);
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
          // A course with a certificate keeps its attempt open once complete, so that the
          // learner finds the certificate on the next launch (docs/scorm.md, "Printing the
          // certificate again"): a 2004 attempt that ends starts afresh.
          const ends = now.completed && !data.course.certificate;
          channel.set(dialect.elements.exit, dialect.exitValue(ends));
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

  Object.assign(Ceforge.scorm, {
    COMMIT_SECONDS,
    decide,
    adapter: scormAdapter,
    boot,
  });
})(window);
