/*
 * ceforge learner runtime: the SCORM 1.2 adapter.
 *
 * The SCORM 1.2 run-time data model as ceforge writes it (what the versions share, from API
 * discovery to retries, is scorm-common.js):
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

  const TYPES = {
    "choice": "choice",
    "multiple-choice": "choice",
    "true-false": "true-false",
    "likert": "likert",
    "sequencing": "sequencing",
    "matching": "matching",
    "fill-in": "fill-in",
    "numeric": "numeric",
    "essay": "fill-in",
  };

  /** CMIIdentifier, portably: letters, digits, "-" and "_" (ceforge ids may hold "."). */
  function identifier(id) {
    return String(id).replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 255);
  }

  function trueFalse(value) {
    return value === "true" ? "t" : "f";
  }

  /** A response (docs/runtime.md, "Responses") in SCORM 1.2's format for its type. */
  function response(question, value) {
    if (value == null) return "";
    switch (question.type) {
      case "true-false":
        return trueFalse(value);
      case "multiple-choice":
        return S.inWrittenOrder(question, value).join(",");
      case "sequencing":
        return value.join(",");
      case "matching":
        return S.pairs(question, value).map((pair) => pair[0] + "." + pair[1]).join(",");
      case "numeric":
        return S.decimalText(value);
      case "fill-in":
      case "essay":
        return String(value).slice(0, FEEDBACK_MAX);
      default:
        return String(value);
    }
  }

  /** The correct-response patterns: several for fill-in alternatives; none for likert/essay. */
  function patterns(question) {
    const correct = question.choices.filter((c) => c.correct).map((c) => c.id);
    switch (question.type) {
      case "choice":
        return correct.slice(0, 1);
      case "true-false":
        return correct.length ? [trueFalse(correct[0])] : [];
      case "multiple-choice":
        return [correct.join(",")];
      case "sequencing":
        return [question.choices.map((c) => c.id).join(",")];
      case "matching":
        return [question.sources.map((s) => s.id + "." + s.match).join(",")];
      case "fill-in":
        return (question.answers || []).slice(0, 5).map((a) => String(a).slice(0, FEEDBACK_MAX));
      case "numeric": {
        // 1.2 has no range: an exact answer only.
        const range = question.numeric;
        return range && range.min === range.max ? [S.decimal(range.min)] : [];
      }
      default:
        return [];
    }
  }

  const RESULTS = { correct: "correct", incorrect: "wrong", neutral: "neutral" };

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

    interactionWrites(prefix, event) {
      const question = event.question;
      const when = new Date(event.timestamp);
      const writes = [
        [prefix + "id", identifier(question.id)],
        [prefix + "type", TYPES[question.type] || "fill-in"],
        [prefix + "time", S.cmiTime(Number.isNaN(when.getTime()) ? new Date() : when)],
        [prefix + "weighting", event.block.kind === "test" ? S.decimal(question.points, 2) : "0"],
        [prefix + "student_response", response(question, event.response)],
        [prefix + "result", RESULTS[event.result] || "neutral"],
        [prefix + "latency", S.cmiTimespan((event.latencyMs || 0) / 1000)],
      ];
      patterns(question).forEach((pattern, n) => {
        writes.push([prefix + "correct_responses." + n + ".pattern", pattern]);
      });
      return writes;
    },
  };

  Ceforge.scorm.dialects = Ceforge.scorm.dialects || {};
  Ceforge.scorm.dialects.scorm12 = dialect;
  S.boot(dialect);
})(window);
