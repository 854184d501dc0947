/* ceforge runtime: the xAPI statements (for tincan.js and cmi5.js; no network here). */
/*
 * Loaded after the core and before xapi-delivery.js and xapi-common.js. It adds to
 * `Ceforge.xapi` what a statement is made of: ids, durations (the core's writer), scores,
 * responses in the interaction formats, the actor of a launch, and the `Recorder`, ceforge's
 * statement rules (docs/xapi.md) written once more for the browser, one for one with
 * `ceforge.xapi.statements.Recorder` in Python, which `ceforge statements` uses. The package
 * carries every activity definition (course data `xapi`); the Recorder only adds the actor, the
 * result, the context, the timestamp and the id.
 */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { isoDuration } = Ceforge.text; // the one ISO 8601 duration writer (SCORM's too)

  // --- ids, durations, scores, responses ----------------------------------------------------

  const uuid = Ceforge.random.uuid; // the core's

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

  function isUuid(text) {
    return typeof text === "string" && UUID.test(text);
  }

  /**
   * `scaled` always; `raw`, `min` and `max` too when they are whole numbers (cmi5). An
   * answer's `scaled` is 1 or 0; a post-test's is the core's kept score (thousandths, rounded
   * down), the score its verdict judged, so that `passed` always comes with a scaled score at
   * least the mastery score and `failed` with one below it (cmi5 9.3, 9.5).
   */
  function makeScore(earned, possible, scaled) {
    const score = { scaled };
    if (Number.isInteger(earned) && Number.isInteger(possible)) {
      score.raw = earned;
      score.min = 0;
      score.max = possible;
    }
    return score;
  }

  /** A response of the runtime (docs/runtime.md, "Responses") in the interaction's format. */
  function interactionResponse(question, response) {
    if (response == null) return "";
    switch (question.type) {
      case "multiple-choice": {
        const chosen = new Set(response);
        return question.choices.filter((c) => chosen.has(c.id)).map((c) => c.id).join("[,]");
      }
      case "sequencing":
        return response.join("[,]");
      case "matching": {
        const targets = new Map(response);
        return question.sources.filter((s) => targets.has(s.id))
          .map((s) => s.id + "[.]" + targets.get(s.id)).join("[,]");
      }
      default:
        return String(response);
    }
  }

  // --- the launch -----------------------------------------------------------------------------

  /** The value of an `Authorization` header: `Basic ` is put before a bare token. */
  function authorization(auth) {
    const text = String(auth || "").trim();
    return /^[A-Za-z][A-Za-z0-9._~+-]*\s+\S/.test(text) ? text : "Basic " + text;
  }

  /** The LRS endpoint as an absolute URL ending with a slash. */
  function endpointUrl(endpoint) {
    const url = new URL(String(endpoint), root.location.href);
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    url.search = "";
    url.hash = "";
    return url.href;
  }

  const first = (value) => (Array.isArray(value) ? value[0] : value);

  /**
   * An xAPI Agent from a launch's `actor`, old forms normalized: arrays around the agent and
   * around each of its values (`{"name": ["Ana"], "mbox": ["mailto:ana@example.org"]}`), an
   * `mbox` without `mailto:`, and the old account keys `accountServiceHomePage`/`accountName`.
   * It keeps one identifier (mbox, mbox_sha1sum, openid, account: the first there is).
   */
  function normalizeActor(value) {
    const actor = first(typeof value === "string" ? JSON.parse(value) : value);
    if (!actor || typeof actor !== "object") throw new Error("the actor is not an xAPI agent");
    const out = { objectType: "Agent" };
    const name = first(actor.name);
    if (typeof name === "string" && name.trim()) out.name = name;
    const mbox = first(actor.mbox);
    const sha1 = first(actor.mbox_sha1sum);
    const openid = first(actor.openid);
    const account = first(actor.account);
    if (typeof mbox === "string" && mbox) {
      out.mbox = /^mailto:/i.test(mbox) ? mbox : "mailto:" + mbox;
    } else if (typeof sha1 === "string" && sha1) {
      out.mbox_sha1sum = sha1;
    } else if (typeof openid === "string" && openid) {
      out.openid = openid;
    } else if (account && typeof account === "object") {
      const homePage = first(account.homePage) || first(account.accountServiceHomePage);
      const accountName = first(account.name) || first(account.accountName);
      if (!homePage || !accountName) throw new Error("the actor's account is incomplete");
      out.account = { homePage: String(homePage), name: String(accountName) };
    } else {
      throw new Error("the actor has no mbox, mbox_sha1sum, openid or account");
    }
    return out;
  }

  /** A stable key of an agent: its identifier. */
  function agentKey(actor) {
    if (actor.mbox) return actor.mbox;
    if (actor.mbox_sha1sum) return "sha1:" + actor.mbox_sha1sum;
    if (actor.openid) return actor.openid;
    if (actor.account) return actor.account.homePage + "|" + actor.account.name;
    return "";
  }

  // --- statements -----------------------------------------------------------------------------

  /** An activity for `contextActivities`: its id, and its definition's name and type. */
  function ref(activity) {
    const out = { id: activity.id, objectType: "Activity" };
    const source = activity.definition || {};
    const definition = {};
    if (source.name) definition.name = source.name;
    if (source.type) definition.type = source.type;
    if (Object.keys(definition).length) out.definition = definition;
    return out;
  }

  function merged(template, ours) {
    const seen = new Set(template.map((item) => item.id));
    return template.concat(ours.filter((item) => !seen.has(item.id)));
  }

  const clone = (value) => JSON.parse(JSON.stringify(value));

  /**
   * ceforge's statement rules for one learner and registration: docs/xapi.md, "Statements" and
   * "cmi5" (the same rules as `ceforge.xapi.statements.Recorder`). Each method returns the
   * statements to send, in order. `launch` is null for Tin Can; for cmi5 `{activityId,
   * contextTemplate, launchMode, masteryScore, module, name, description}` (`module`: the
   * module of an `au=module` AU, else null).
   */
  class Recorder {
    constructor(data, actor, registration, launch, clock) {
      this.data = data;
      this.vocab = data.xapi;
      this.actor = actor;
      this.registration = registration;
      this.launch = launch;
      this.clock = clock;
      this.completed = false; // a completed statement went out in this registration
      this.passed = false; // a post-test attempt passed in this registration
      this.judgedSent = false; // a cmi5-defined passed or failed went out in this session
      this.started = Date.now();
    }

    get judged() {
      return !this.launch || this.launch.launchMode === "Normal";
    }

    start(resumed) {
      this.started = Date.now();
      this.judgedSent = false;
      const out = [this.emit("initialized", this.launched())];
      if (resumed) out.push(this.emit("resumed", this.launched()));
      return out.filter(Boolean);
    }

    pageShown(pageId, moduleId) {
      const a = this.vocab.activities;
      return [this.emit("experienced", a.pages[pageId], [a.modules[moduleId]])].filter(Boolean);
    }

    moduleFinished(moduleId, progress) {
      const a = this.vocab.activities;
      const extensions = { [this.vocab.extensions.progress]: progress };
      const result = { completion: true, extensions };
      return [this.emit("progressed", a.modules[moduleId], [a.course], [], result)]
        .filter(Boolean);
    }

    questionAnswered(evt, moduleId) {
      const a = this.vocab.activities;
      const question = evt.question;
      const result = { response: interactionResponse(question, evt.response) };
      if (evt.result === "correct" || evt.result === "incorrect") {
        const right = evt.result === "correct";
        result.success = right;
        result.score = makeScore(right ? question.points : 0, question.points, right ? 1 : 0);
      }
      result.duration = isoDuration((evt.latencyMs || 0) / 1000);
      const inTest = evt.block && evt.block.kind === "test" && a.test;
      const parents = inTest ? [a.test] : [a.modules[moduleId]];
      const groups = inTest ? [a.modules[moduleId]] : [];
      const extensions = inTest ? { [this.vocab.extensions.attempt]: evt.attempt } : {};
      return [this.emit("answered", a.questions[question.id], parents, groups, result, extensions)]
        .filter(Boolean);
    }

    testFinished(evt, moduleId, seconds) {
      const a = this.vocab.activities;
      const success = evt.passed; // the core's verdict, never judged again here
      const name = success ? "passed" : "failed";
      const result = () => ({ success, score: makeScore(evt.raw, evt.max, evt.scaled),
        duration: isoDuration(seconds) });
      const out = [this.emit(name, a.test, [a.modules[moduleId]], [], result(),
        { [this.vocab.extensions.attempt]: evt.attempt })];
      // cmi5: one judgement per session, and never "failed" after "passed" (cmi5 9.3).
      if (this.launch && !this.judgedSent && !this.passed && (success || evt.attemptsLeft === 0)) {
        const extensions = {};
        if (this.launch.masteryScore != null) {
          extensions[this.vocab.extensions.mastery_score] = this.launch.masteryScore;
        }
        out.push(this.emit(name, this.launched(), [], [], result(), extensions));
        this.judgedSent = true;
      }
      this.passed = this.passed || success;
      return out.filter(Boolean);
    }

    /** A decision in a scenario: `responded` to the node's choice interaction. */
    scenarioDecided(evt, moduleId) {
      const a = this.vocab.activities;
      const result = { response: evt.choice.id, duration: isoDuration((evt.latencyMs || 0) / 1000) };
      return [this.emit("responded", a.decisions[evt.block.id][evt.node.id],
        [a.scenarios[evt.block.id]], [a.modules[moduleId]], result,
        { [this.vocab.extensions.attempt]: evt.run })].filter(Boolean);
    }

    /**
     * The end of a scenario's run: `completed`, with the outcome, and for a graded scenario
     * the score of the run that counts (the first to reach an end).
     */
    scenarioCompleted(evt, moduleId) {
      const a = this.vocab.activities;
      const result = { completion: true, response: evt.end.id };
      if (evt.outcome) result.extensions = { [this.vocab.extensions.outcome]: evt.outcome };
      if (evt.graded && evt.scored) {
        const earned = evt.points || 0;
        result.score = makeScore(earned, evt.maxPoints, evt.maxPoints ? earned / evt.maxPoints : 0);
      }
      return [this.emit("completed", a.scenarios[evt.block.id], [a.modules[moduleId]], [],
        result, { [this.vocab.extensions.attempt]: evt.run })].filter(Boolean);
    }

    /**
     * A video or audio event as the xAPI Video Profile has it: initialized, played, paused,
     * seeked, completed, terminated, with the time, progress and played segments in its
     * result extensions and the length, session and completion threshold in its context.
     */
    mediaEvent(evt, moduleId) {
      const a = this.vocab.activities;
      const video = this.vocab.video;
      const ext = video.extensions;
      const verb = evt.type.slice("media-".length);
      const result = {};
      const results = {};
      const context = { [ext["session-id"]]: evt.session, [ext.length]: evt.length };
      if (verb !== "initialized") results[ext.time] = evt.time;
      if (verb === "seeked") {
        delete results[ext.time];
        results[ext["time-from"]] = evt.from;
        results[ext["time-to"]] = evt.to;
      }
      if (["paused", "seeked", "completed", "terminated"].includes(verb)) {
        results[ext.progress] = Math.round(evt.progress * 1000) / 1000;
        results[ext["played-segments"]] = evt.segments;
      }
      // The profile: a threshold other than 1 goes with initialized, paused, completed and
      // terminated.
      if (["initialized", "paused", "completed", "terminated"].includes(verb) && evt.threshold !== 1) {
        context[ext["completion-threshold"]] = evt.threshold;
      }
      if (verb === "initialized") {
        context[ext.speed] = evt.speed + "x";
        context[ext["cc-subtitle-enabled"]] = Boolean(evt.captions);
      }
      if (verb === "completed") {
        result.completion = true;
        result.duration = isoDuration(evt.seconds || 0);
      }
      if (Object.keys(results).length) result.extensions = results;
      const activity = a.media[evt.block.id];
      const isVideo = activity.definition && activity.definition.type !== video.audio_type;
      return [this.emit(verb, activity, [a.modules[moduleId]], [], Object.keys(result).length
        ? result : null, context, isVideo ? [video.category] : [])].filter(Boolean);
    }

    /**
     * The course is complete: its CE hours and ethics hours, and the certificate's record
     * (`certificate`: its verification code and the licence details, docs/xapi.md), which a
     * module's AU (cmi5 au=module) has none of: they are the course's.
     */
    courseCompleted(activeSeconds, certificate) {
      if (this.completed) return [];
      this.completed = true;
      const result = { completion: true, duration: isoDuration(activeSeconds) };
      const ce = this.data.course.ce;
      const names = this.vocab.extensions;
      const extensions = {};
      if (!(this.launch && this.launch.module)) {
        if (ce && ce.hours != null) extensions[names.ce_hours] = ce.hours;
        if (ce && ce.ethics_hours) extensions[names.ethics_hours] = ce.ethics_hours;
        if (certificate) {
          extensions[names.certificate_code] = certificate.code;
          for (const field of ["license_number", "license_state"]) {
            if (certificate[field]) extensions[names[field]] = certificate[field];
          }
        }
      }
      if (Object.keys(extensions).length) result.extensions = extensions;
      return [this.emit("completed", this.launched(), [], [], result)].filter(Boolean);
    }

    end() {
      const out = [];
      if (!this.completed) out.push(this.emit("suspended", this.launched()));
      const seconds = (Date.now() - this.started) / 1000;
      out.push(this.emit("terminated", this.launched(), [], [],
        { duration: isoDuration(seconds) }));
      return out.filter(Boolean);
    }

    /** The object of the session statements: the course, or the cmi5 AU. */
    launched() {
      if (!this.launch) return this.vocab.activities.course;
      const definition = { name: this.launch.name };
      if (this.launch.description) definition.description = this.launch.description;
      return { id: this.launch.activityId, objectType: "Activity", definition };
    }

    emit(name, activity, parents, groups, result, extensions, categories) {
      const launch = this.launch;
      let defined = false;
      if (launch) {
        if (!this.judged && name !== "initialized" && name !== "terminated") return null;
        defined = ["initialized", "completed", "passed", "failed", "terminated"].includes(name)
          && activity.id === launch.activityId;
      }
      const statement = {
        id: uuid(),
        actor: this.actor,
        verb: this.vocab.verbs[name],
        object: activity,
        context: this.context(activity, parents || [], groups || [], result, extensions || {},
          defined, categories || []),
        timestamp: this.clock(),
      };
      if (result) statement.result = result;
      return clone(statement);
    }

    context(activity, parents, groups, result, extensions, defined, categories) {
      const course = this.vocab.activities.course;
      const grouping = groups.map(ref);
      if (activity.id !== course.id && parents.every((p) => p.id !== course.id)) {
        grouping.unshift(ref(course));
      }
      const category = this.vocab.category.concat(categories).map(ref);
      if (defined) {
        const categories = this.vocab.cmi5_categories;
        category.push({ id: categories.cmi5, objectType: "Activity" });
        if (result && (result.success != null || result.completion)) {
          category.push({ id: categories.moveon, objectType: "Activity" });
        }
      }
      const activities = { parent: parents.map(ref), grouping, category };
      let ext = Object.assign({}, extensions);
      const template = this.launch ? clone(this.launch.contextTemplate || {}) : {};
      for (const [key, items] of Object.entries(template.contextActivities || {})) {
        activities[key] = merged(Array.isArray(items) ? items : [items], activities[key] || []);
      }
      ext = Object.assign(ext, template.extensions || {});
      const context = {
        registration: this.registration,
        contextActivities: {},
        language: this.data.course.language,
        revision: this.data.course.version,
      };
      for (const [key, items] of Object.entries(activities)) {
        if (items.length) context.contextActivities[key] = items;
      }
      // The template's own values win: an AU "MUST NOT overwrite" them (cmi5 10.2.1).
      for (const [key, value] of Object.entries(template)) {
        if (key !== "contextActivities" && key !== "extensions") context[key] = value;
      }
      if (Object.keys(ext).length) context.extensions = ext;
      return context;
    }
  }

  Ceforge.xapi = Object.assign(Ceforge.xapi || {}, {
    uuid,
    isUuid,
    isoDuration,
    makeScore,
    interactionResponse,
    authorization,
    endpointUrl,
    normalizeActor,
    agentKey,
    Recorder,
  });
})(window);
