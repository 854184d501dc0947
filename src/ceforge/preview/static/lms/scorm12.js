/*
 * ceforge preview, strict LMS simulator: SCORM 1.2 (the data model of RTE 1.2, section 3.4,
 * and the error codes of section 3.3.2).
 *
 * Codes: 101 general exception (already initialized, a failed initialize or commit), 201 invalid argument (a
 * parameter other than "", no element named, an array index out of order), 202 no children,
 * 203 not an array, 301 not initialized (before LMSInitialize and after LMSFinish: 1.2 has no
 * "terminated" state), 401 not implemented (an element outside the data model, as the RTE's
 * "xyz.score.result" example), 402 keyword, 403 read-only, 404 write-only, 405 incorrect data
 * type (1.2 has no range error, so a value out of range is 405 too).
 *
 * At LMSFinish the LMS does what 1.2 LMSs do (Moodle, for one): a lesson_status left "not
 * attempted" becomes "completed" ("browsed" in browse mode); with a mastery score, a raw
 * score and credit, passed or failed follows the score; session_time is added to total_time;
 * exit "suspend" makes the next entry "resume", anything else "". Every value the SCO wrote is
 * kept for the next session (1.2 has no attempts).
 */
(function (root) {
  "use strict";

  const Lms = root.CeforgeLms;
  const T = Lms.types.scorm12;
  const { vocabulary } = Lms.types;

  const STATUS = ["passed", "completed", "failed", "incomplete", "browsed"];

  const rw = (check, extra) => Object.assign({ access: "rw", check }, extra || {});
  const ro = () => ({ access: "r" });
  const wo = (check, extra) => Object.assign({ access: "w", check }, extra || {});

  /** The interaction type set for the interaction a response belongs to. */
  function typeOf(ctx) {
    const array = ctx.parsed.arrays[0];
    return ctx.get(`cmi.interactions.${array.index}.type`);
  }

  const elements = {
    "cmi.core.student_id": ro(),
    "cmi.core.student_name": ro(),
    "cmi.core.lesson_location": rw(T.string255),
    "cmi.core.credit": ro(),
    "cmi.core.lesson_status": rw(vocabulary(STATUS)),
    "cmi.core.entry": ro(),
    "cmi.core.score.raw": rw(T.score),
    "cmi.core.score.min": rw(T.score),
    "cmi.core.score.max": rw(T.score),
    "cmi.core.total_time": ro(),
    "cmi.core.lesson_mode": ro(),
    "cmi.core.exit": wo(vocabulary(["time-out", "suspend", "logout", ""]), { session: true }),
    "cmi.core.session_time": wo(T.timespan, { session: true }),
    "cmi.suspend_data": rw(T.string4096),
    "cmi.launch_data": ro(),
    "cmi.comments": rw((value, ctx) => T.string4096((ctx.get("cmi.comments") || "") + value),
      { store: (value, ctx) => (ctx.get("cmi.comments") || "") + value }),
    "cmi.comments_from_lms": ro(),
    "cmi.objectives.n.id": rw(T.identifier),
    "cmi.objectives.n.score.raw": rw(T.score),
    "cmi.objectives.n.score.min": rw(T.score),
    "cmi.objectives.n.score.max": rw(T.score),
    "cmi.objectives.n.status": rw(vocabulary([...STATUS, "not attempted"])),
    "cmi.student_data.mastery_score": ro(),
    "cmi.student_data.max_time_allowed": ro(),
    "cmi.student_data.time_limit_action": ro(),
    "cmi.student_preference.audio": rw(T.sinteger(-1, 100)),
    "cmi.student_preference.language": rw(T.string255),
    "cmi.student_preference.speed": rw(T.sinteger(-100, 100)),
    "cmi.student_preference.text": rw(T.sinteger(-1, 1)),
    "cmi.interactions.n.id": wo(T.identifier),
    "cmi.interactions.n.objectives.n.id": wo(T.identifier),
    "cmi.interactions.n.time": wo(T.time),
    "cmi.interactions.n.type": wo(vocabulary(["true-false", "choice", "fill-in", "matching",
      "performance", "sequencing", "likert", "numeric"])),
    "cmi.interactions.n.correct_responses.n.pattern": wo((value, ctx) => T.feedback(typeOf(ctx))(value)),
    "cmi.interactions.n.weighting": wo(T.decimal()),
    "cmi.interactions.n.student_response": wo((value, ctx) => T.feedback(typeOf(ctx))(value)),
    "cmi.interactions.n.result": wo(T.result),
    "cmi.interactions.n.latency": wo(T.timespan),
  };

  const children = {
    cmi: "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,"
      + "interactions",
    "cmi.core": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,"
      + "total_time,lesson_mode,exit,session_time",
    "cmi.core.score": "raw,min,max",
    "cmi.objectives": "id,score,status",
    "cmi.objectives.n.score": "raw,min,max",
    "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
    "cmi.student_preference": "audio,language,speed,text",
    "cmi.interactions": "id,objectives,time,type,correct_responses,weighting,student_response,"
      + "result,latency",
  };

  const codes = {
    argument: 201,
    alreadyInitialized: 101,
    initializeAfterTerminate: 101,
    terminateBeforeInit: 301,
    terminateAfterTerminate: 301,
    getBeforeInit: 301,
    getAfterTerminate: 301,
    setBeforeInit: 301,
    setAfterTerminate: 301,
    commitBeforeInit: 301,
    commitAfterTerminate: 301,
    getEmpty: 201,
    setEmpty: 201,
    undefined: 401,
    setKeyword: 402,
    keywordMisplaced: 401,
    noChildren: 202,
    notArray: 203,
    readOnly: 403,
    writeOnly: 404,
    type: 405,
    range: 405,
    notInitialized: 0, // a value never set reads as "" without an error
    getIndex: 201,
    setIndex: 201,
    initializeFailed: 101,
    commitFailed: 101,
    terminateFailed: 101,
  };

  const errorStrings = {
    0: "No error",
    101: "General exception",
    201: "Invalid argument error",
    202: "Element cannot have children",
    203: "Element not an array - cannot have count",
    301: "Not initialized",
    401: "Not implemented error",
    402: "Invalid set value, element is a keyword",
    403: "Element is read only",
    404: "Element is write only",
    405: "Incorrect data type",
  };

  function make() {
    return {
      version: "1.2",
      edition: "1.2",
      label: "SCORM 1.2",
      dataModelVersion: "3.4",
      names: {
        initialize: "LMSInitialize",
        terminate: "LMSFinish",
        getValue: "LMSGetValue",
        setValue: "LMSSetValue",
        commit: "LMSCommit",
        getLastError: "LMSGetLastError",
        getErrorString: "LMSGetErrorString",
        getDiagnostic: "LMSGetDiagnostic",
      },
      apiName: "API",
      suspendElement: "cmi.suspend_data",
      suspendLimit: 4096,
      elements,
      children,
      codes,
      errorStrings,

      /** What the LMS gives the SCO at launch (config: learnerId, learnerName, credit, mode,
       * masteryScore (0-100), maxTimeAllowed, timeLimitAction, launchData). */
      launchValues(config, record) {
        return {
          "cmi.core.student_id": config.learnerId || "learner-1",
          "cmi.core.student_name": config.learnerName || "Learner, Preview",
          "cmi.core.lesson_location": "",
          "cmi.core.credit": config.credit || "credit",
          "cmi.core.lesson_status": "not attempted",
          "cmi.core.entry": record.entry,
          "cmi.core.score.raw": "",
          "cmi.core.score.min": "",
          "cmi.core.score.max": "",
          "cmi.core.total_time": Lms.timespan12(record.totalCs),
          "cmi.core.lesson_mode": config.mode || "normal",
          "cmi.suspend_data": "",
          "cmi.launch_data": config.launchData || "",
          "cmi.comments": "",
          "cmi.comments_from_lms": config.commentsFromLms || "",
          "cmi.student_data.mastery_score": config.masteryScore == null ? "" : config.masteryScore,
          "cmi.student_data.max_time_allowed": config.maxTimeAllowed || "",
          "cmi.student_data.time_limit_action": config.timeLimitAction || "",
          "cmi.student_preference.audio": "0",
          "cmi.student_preference.language": "",
          "cmi.student_preference.speed": "0",
          "cmi.student_preference.text": "0",
        };
      },

      computed() {
        return {};
      },

      beforeSet() {
        return null; // 1.2 has no dependencies between elements
      },

      beforeTerminate(session) {
        const missing = [];
        if (!session.values.has("cmi.core.session_time")) {
          missing.push("LMSFinish before cmi.core.session_time was set: the LMS adds no time");
        }
        if (!session.values.has("cmi.core.exit")) {
          missing.push("LMSFinish before cmi.core.exit was set: the next launch is not a resume");
        }
        return missing;
      },

      /** What the LMS does at LMSFinish; returns [kind, detail] notes for the log. */
      finish(session, record) {
        const notes = [];
        const values = record.values;
        const mode = session.values.get("cmi.core.lesson_mode");
        let status = values["cmi.core.lesson_status"] || "not attempted";
        if (status === "not attempted") {
          status = mode === "browse" ? "browsed" : "completed";
          notes.push(["status", `lesson_status was never set; the LMS records ${status}`]);
        }
        const mastery = session.values.get("cmi.student_data.mastery_score");
        const raw = values["cmi.core.score.raw"];
        if (mode === "normal" && session.values.get("cmi.core.credit") === "credit"
            && mastery && raw) {
          const judged = Number(raw) >= Number(mastery) ? "passed" : "failed";
          if (judged !== status) {
            notes.push(["status", `score ${raw} against mastery score ${mastery}: the LMS `
              + `records ${judged} (the SCO said ${status})`]);
          }
          status = judged;
        }
        values["cmi.core.lesson_status"] = status;
        const time = session.values.get("cmi.core.session_time");
        if (time) record.totalCs += Lms.centiseconds(time);
        const exit = session.values.get("cmi.core.exit") || "";
        record.entry = exit === "suspend" ? "resume" : "";
        record.ended = { exit, status, session: session.number };
        notes.push(["finish", `exit ${JSON.stringify(exit)}, lesson_status ${status}, total_time `
          + Lms.timespan12(record.totalCs)]);
        return notes;
      },
    };
  }

  Lms.specs.scorm12 = { make };
})(window);
