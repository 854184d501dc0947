/* ceforge runtime: the SCORM 1.2 adapter. */
/*
 * The SCORM 1.2 run-time data model as ceforge writes it (what the versions share, from API
 * discovery to retries and the order of an interaction record, is scorm-common.js; this file
 * gives 1.2's names and formats):
 *
 * - cmi.core.lesson_status: incomplete, then passed/completed/failed as `lms.report` says
 *   (Ceforge.scorm.decide); the score (cmi.core.score.raw 0-100, min 0, max 100) just before
 *   the status it goes with;
 * - cmi.core.lesson_location: the current page's id; cmi.suspend_data: the state string
 *   (4096 characters at most: the build refuses a course that could need more);
 * - cmi.core.exit: "suspend" while the course is not complete, "" once it is;
 *   cmi.core.session_time: HH:MM:SS(.SS);
 * - cmi.objectives.n: one per module objective, "incomplete" then "completed" as the module's
 *   pages are viewed;
 * - cmi.interactions.n for every answered question: id (the question id, only letters, digits,
 *   "-" and "_"), type, time (HH:MM:SS), weighting (points in the post-test, 0 elsewhere),
 *   student_response and correct_responses in 1.2's formats (single-character ids joined by
 *   commas, t/f, "1.a,2.b"), result (correct, wrong, neutral) and latency. 1.2 has no
 *   long-fill-in: an essay is a fill-in cut to 255 characters.
 */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const S = Ceforge.scorm;
  const FEEDBACK_MAX = 255; // CMIFeedback: student_response and correct_responses patterns

  /** CMIIdentifier, portably: letters, digits, "-" and "_" (ceforge ids may hold "."). */
  function identifier(id) {
    return String(id).replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 255);
  }

  const RESULTS = { correct: "correct", incorrect: "wrong", neutral: "neutral" };

  /** cmi.interactions.n in 1.2's names and formats (the record itself: scorm-common.js). */
  const INTERACTIONS = {
    id: identifier,
    types: { ...S.INTERACTION_TYPES, essay: "fill-in" }, // 1.2 has no long-fill-in
    otherType: "fill-in",
    description: null, // not in 1.2's data model
    timeElement: "time",
    time: S.cmiTime,
    weighting: (points) => S.decimal(points, 2),
    responseElement: "student_response",
    list: ",", // single-character ids: "a,c"
    pair: ".", // "1.a,2.b"
    trueFalse: (id) => (id === "true" ? "t" : "f"),
    fillIn: (text) => String(text).slice(0, FEEDBACK_MAX),
    essay: (text) => String(text).slice(0, FEEDBACK_MAX),
    // 1.2 has no range: an exact answer only.
    range: (range) => (range.min === range.max ? [S.decimal(range.min)] : []),
    result: (result) => RESULTS[result] || "neutral",
    duration: S.cmiTimespan,
  };

  const dialect = {
    name: "scorm12",
    apiName: "API",
    levels: 7,
    methods: {
      init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
      commit: "LMSCommit", error: "LMSGetLastError", diagnostic: "LMSGetDiagnostic",
    },
    elements: {
      entry: "cmi.core.entry",
      mode: "cmi.core.lesson_mode",
      name: "cmi.core.student_name",
      id: "cmi.core.student_id",
      location: "cmi.core.lesson_location",
      suspend: "cmi.suspend_data",
      exit: "cmi.core.exit",
      sessionTime: "cmi.core.session_time",
    },
    freeElements: ["cmi.suspend_data", "cmi.core.lesson_location", "cmi.core.exit",
      "cmi.core.session_time"],
    locationMax: 255,
    // Invalid argument, not implemented, keyword, read-only, write-only, wrong data type.
    permanentErrors: ["201", "401", "402", "403", "404", "405"],
    initErrorsOk: ["101"], // some LMSs say "already initialized" this way

    sessionTime: S.cmiTimespan,

    exitValue(completed) {
      return completed ? "" : "suspend";
    },

    readState(channel) {
      return channel.get("cmi.suspend_data");
    },

    readStatus(channel) {
      return { "cmi.core.lesson_status": channel.get("cmi.core.lesson_status") };
    },

    scoreWrites(scaled) {
      return [
        ["cmi.core.score.raw", S.decimal(scaled * 100, 2)],
        ["cmi.core.score.min", "0"],
        ["cmi.core.score.max", "100"],
      ];
    },

    statusWrites(decision) {
      return [["cmi.core.lesson_status", decision.status]];
    },

    objectiveStatus(channel, prefix) {
      return channel.get(prefix + "status");
    },

    objectiveWrites(prefix, objective, status, isNew) {
      const writes = isNew ? [[prefix + "id", objective.id]] : [];
      if (status) writes.push([prefix + "status", status]);
      return writes;
    },

    interactionWrites: S.interactionWrites(INTERACTIONS),

    /** The certificate's record (docs/scorm.md): cmi.comments, which each write adds to. */
    certificateWrites(text) {
      return [["cmi.comments", text]];
    },
  };

  S.boot(dialect);
})(window);
