/* ceforge runtime: the SCORM 2004 adapter (3rd and 4th edition). */
/*
 * The SCORM 2004 run-time data model as ceforge writes it (what the versions share, from API
 * discovery to retries and the order of an interaction record, is scorm-common.js; this file
 * gives 2004's names and formats):
 *
 * - cmi.completion_status and cmi.success_status, apart, from the one decision of
 *   Ceforge.scorm.decide (`lms.report`): completed once the completion rules hold; passed or
 *   failed with the final status only. cmi.score.scaled (0-1; raw 0-100, min 0, max 100) just
 *   before the status it goes with; cmi.progress_measure as the learner moves on;
 * - cmi.location: the current page's id; cmi.suspend_data: the state string (64000 characters,
 *   4000 in the 3rd edition; the build checks the worst case);
 * - cmi.exit: "suspend" while the course is not complete, "normal" once it is;
 *   cmi.session_time: an ISO 8601 duration (PT1H2M3.5S, never a bare PT);
 * - cmi.objectives.n: the ids the LMS has from the manifest are looked up before anything is
 *   appended (a second entry with the same id is error 351); completion_status as the module's
 *   pages are viewed; the objective's text as description in the 4th edition;
 * - cmi.interactions.n for every answered question, id first and type before the responses:
 *   description (the question, 250 characters), timestamp (hundredths of a second at most),
 *   weighting (points in the post-test, 0 elsewhere), learner_response and correct_responses in
 *   2004's formats ("[,]", "[.]", "min[:]max", true/false; each fill-in alternative its own
 *   pattern), result (correct, incorrect, neutral) and latency. An essay is a long-fill-in.
 */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const S = Ceforge.scorm;
  const SHORT_TEXT = 250; // localized_string_type (250): description, a fill-in string
  const LONG_TEXT = 4000; // long-fill-in
  const FOURTH = "2004 4th Edition";

  /**
   * Text as a localized string: a leading "{" would read as a {lang=} delimiter, so it gets
   * a space before it; in a fill-in string "[,]" would split it, so it becomes ",".
   */
  function text(value, max, list) {
    let out = String(value == null ? "" : value);
    if (list) out = out.split("[,]").join(",");
    out = out.slice(0, max);
    return out.startsWith("{") ? (" " + out).slice(0, max) : out;
  }

  /** `{lang=xx}` for the course language, when it is a tag SCORM's pattern accepts. */
  function langPrefix(data) {
    const language = String((data && data.course && data.course.language) || "");
    return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(language) ? "{lang=" + language + "}" : "";
  }

  /** cmi.interactions.n in 2004's names and formats (the record itself: scorm-common.js). */
  const INTERACTIONS = {
    id: (id) => id, // a long_identifier_type: ceforge's ids as they are
    types: { ...S.INTERACTION_TYPES, essay: "long-fill-in" },
    otherType: "other",
    description: (question, data) =>
      langPrefix(data) + text(question.prompt_text, SHORT_TEXT, false),
    timeElement: "timestamp",
    time: S.isoTimestamp,
    weighting: (points) => S.decimal(points),
    responseElement: "learner_response",
    list: "[,]",
    pair: "[.]",
    trueFalse: String, // "true" or "false", as the core has it
    fillIn: (value) => text(value, SHORT_TEXT, true), // each alternative its own pattern
    essay: (value) => text(value, LONG_TEXT, false),
    range: (range) => [S.decimal(range.min) + "[:]" + S.decimal(range.max)],
    result: (result) => (result === "correct" || result === "incorrect" ? result : "neutral"),
    duration: S.isoDuration,
  };

  const dialect = {
    name: "scorm2004",
    apiName: "API_1484_11",
    levels: 500,
    methods: {
      init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
      commit: "Commit", error: "GetLastError", diagnostic: "GetDiagnostic",
    },
    elements: {
      entry: "cmi.entry",
      mode: "cmi.mode",
      name: "cmi.learner_name",
      id: "cmi.learner_id",
      location: "cmi.location",
      suspend: "cmi.suspend_data",
      exit: "cmi.exit",
      sessionTime: "cmi.session_time",
    },
    freeElements: ["cmi.suspend_data", "cmi.location", "cmi.exit", "cmi.session_time",
      "cmi.progress_measure"],
    locationMax: 1000,
    // Invalid argument, general set failure, undefined, unimplemented, read-only, write-only,
    // type mismatch, out of range, dependency not established.
    permanentErrors: ["201", "351", "401", "402", "404", "405", "406", "407", "408"],
    initErrorsOk: ["103"], // already initialized
    reopenErrors: ["104"], // already terminated: the LMS's API of this window is spent

    sessionTime: S.isoDuration,

    exitValue(completed) {
      return completed ? "normal" : "suspend";
    },

    readState(channel, entry) {
      // A new attempt has no state; reading it would only be error 403 (not initialized).
      return entry === "ab-initio" ? "" : channel.get("cmi.suspend_data");
    },

    readStatus(channel) {
      return {
        "cmi.completion_status": channel.get("cmi.completion_status"),
        "cmi.success_status": channel.get("cmi.success_status"),
      };
    },

    scoreWrites(scaled) {
      return [
        ["cmi.score.scaled", S.decimal(scaled, 4)],
        ["cmi.score.raw", S.decimal(scaled * 100, 2)],
        ["cmi.score.min", "0"],
        ["cmi.score.max", "100"],
      ];
    },

    statusWrites(decision) {
      const success = { passed: "passed", failed: "failed" }[decision.status] || "unknown";
      return [
        ["cmi.completion_status", decision.completed ? "completed" : "incomplete"],
        ["cmi.success_status", success],
      ];
    },

    progressWrites(measure) {
      const value = Math.min(1, Math.max(0, Math.floor(Number(measure) * 10000) / 10000));
      return [["cmi.progress_measure", S.decimal(value, 4)]];
    },

    objectiveStatus(channel, prefix) {
      const status = channel.get(prefix + "completion_status");
      return status === "completed" || status === "incomplete" ? status : "";
    },

    objectiveWrites(prefix, objective, status, isNew, data) {
      const writes = [];
      if (isNew) {
        writes.push([prefix + "id", objective.id]);
        if (data.lms.edition === FOURTH && objective.description) {
          writes.push([prefix + "description",
            langPrefix(data) + text(objective.description, SHORT_TEXT, false)]);
        }
      }
      if (status) writes.push([prefix + "completion_status", status]);
      return writes;
    },

    interactionWrites: S.interactionWrites(INTERACTIONS),

    /** The certificate's record (docs/scorm.md): a comment from the learner, appended. */
    certificateWrites(text, channel) {
      const count = channel.get("cmi.comments_from_learner._count");
      const prefix = "cmi.comments_from_learner." + (/^\d+$/.test(count) ? count : "0") + ".";
      return [
        [prefix + "comment", text.slice(0, LONG_TEXT)],
        [prefix + "location", "certificate"],
        [prefix + "timestamp", S.isoTimestamp(new Date())],
      ];
    },
  };

  S.boot(dialect);
})(window);
