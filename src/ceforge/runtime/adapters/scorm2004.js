/*
 * ceforge learner runtime: the SCORM 2004 adapter (3rd and 4th edition).
 *
 * The SCORM 2004 run-time data model as ceforge writes it (what the versions share, from API
 * discovery to retries, is scorm-common.js):
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

  const TYPES = {
    "choice": "choice",
    "multiple-choice": "choice",
    "true-false": "true-false",
    "likert": "likert",
    "sequencing": "sequencing",
    "matching": "matching",
    "fill-in": "fill-in",
    "numeric": "numeric",
    "essay": "long-fill-in",
  };

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

  /** A response (docs/runtime.md, "Responses") in SCORM 2004's format for its type. */
  function response(question, value) {
    if (value == null) return "";
    switch (question.type) {
      case "multiple-choice":
        return S.inWrittenOrder(question, value).join("[,]");
      case "sequencing":
        return value.join("[,]");
      case "matching":
        return S.pairs(question, value).map((pair) => pair[0] + "[.]" + pair[1]).join("[,]");
      case "numeric":
        return S.decimalText(value);
      case "fill-in":
        return text(value, SHORT_TEXT, true);
      case "essay":
        return text(value, LONG_TEXT, false);
      default:
        return String(value); // choice, likert: the id; true-false: "true" or "false"
    }
  }

  /** The correct-response patterns: one per fill-in alternative; none for likert and essay. */
  function patterns(question) {
    const correct = question.choices.filter((c) => c.correct).map((c) => c.id);
    switch (question.type) {
      case "choice":
      case "true-false":
        return correct.slice(0, 1);
      case "multiple-choice":
        return [correct.join("[,]")];
      case "sequencing":
        return [question.choices.map((c) => c.id).join("[,]")];
      case "matching":
        return [question.sources.map((s) => s.id + "[.]" + s.match).join("[,]")];
      case "fill-in":
        return (question.answers || []).slice(0, 5).map((a) => text(a, SHORT_TEXT, true));
      case "numeric": {
        const range = question.numeric;
        return range ? [S.decimal(range.min) + "[:]" + S.decimal(range.max)] : [];
      }
      default:
        return [];
    }
  }

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

    interactionWrites(prefix, event, data) {
      const question = event.question;
      const when = new Date(event.timestamp);
      const writes = [
        [prefix + "id", question.id],
        [prefix + "type", TYPES[question.type] || "other"],
        [prefix + "description", langPrefix(data) + text(question.prompt_text, SHORT_TEXT, false)],
        [prefix + "timestamp", S.isoTimestamp(Number.isNaN(when.getTime()) ? new Date() : when)],
        [prefix + "weighting", event.block.kind === "test" ? S.decimal(question.points) : "0"],
        [prefix + "learner_response", response(question, event.response)],
        [prefix + "result", event.result === "correct" || event.result === "incorrect"
          ? event.result : "neutral"],
        [prefix + "latency", S.isoDuration((event.latencyMs || 0) / 1000)],
      ];
      patterns(question).forEach((pattern, n) => {
        writes.push([prefix + "correct_responses." + n + ".pattern", pattern]);
      });
      return writes;
    },
  };

  Ceforge.scorm.dialects = Ceforge.scorm.dialects || {};
  Ceforge.scorm.dialects.scorm2004 = dialect;
  S.boot(dialect);
})(window);
