/*
 * ceforge preview, strict LMS simulator: SCORM 2004, 3rd and 4th edition (the data model of
 * RTE section 4.2 and the error codes of section 3.1.7).
 *
 * Codes: 0 no error; 101 general exception (only when the simulator itself fails: the other
 * codes cover every situation it checks); 102 initialization failure (the LMS is offline);
 * 103 already initialized; 104 content instance terminated (Initialize after Terminate); 111
 * termination failure (offline); 112/113 termination before initialization / after
 * termination; 122/123, 132/133, 142/143 get, set and commit before initialization / after
 * termination; 201 general argument error (a parameter other than ""); 301 general get
 * failure (no element named, _children or _count of an element that has none, an index beyond
 * _count); 351 general set failure (no element named, an index beyond _count, a duplicate
 * identifier, a second pattern where one is allowed, an objective id changed); 391 general
 * commit failure; 401 undefined element; 402 unimplemented element (the 4th edition's
 * adl.data); 403 value not initialized; 404 read-only (keywords too); 405 write-only; 406 type
 * mismatch; 407 value out of range; 408 dependency not established (an interaction's or
 * objective's element before its id, a response before the type).
 *
 * Limits: cmi.suspend_data holds 64000 characters in the 4th edition and 4000 in the 3rd;
 * every characterstring its SPM (cmi.location 1000, …); a longer value is refused with 406.
 *
 * What the LMS does: completion_status follows progress_measure when the package gives a
 * completion threshold, and success_status follows score.scaled when it gives a scaled
 * passing score (unknown without a scaled score). At Terminate, session_time is added to
 * total_time; exit "suspend" keeps the attempt for the next launch (entry "resume"); any other
 * exit ends the attempt, and the next launch starts a new one from nothing (entry
 * "ab-initio").
 */
(function (root) {
  "use strict";

  const Lms = root.CeforgeLms;
  const T = Lms.types.scorm2004;
  const { vocabulary } = Lms.types;

  const COMPLETION = ["completed", "incomplete", "not attempted", "unknown"];
  const SUCCESS = ["passed", "failed", "unknown"];
  const TYPES = ["true-false", "choice", "fill-in", "long-fill-in", "likert", "matching",
    "performance", "sequencing", "numeric", "other"];

  const rw = (check, extra) => Object.assign({ access: "rw", check }, extra || {});
  const ro = () => ({ access: "r" });
  const wo = (check, extra) => Object.assign({ access: "w", check }, extra || {});

  function elementsFor(edition) {
    const score = (prefix) => ({
      [`${prefix}.scaled`]: rw(T.real(-1, 1)),
      [`${prefix}.raw`]: rw(T.real()),
      [`${prefix}.min`]: rw(T.real()),
      [`${prefix}.max`]: rw(T.real()),
    });
    const responseType = (ctx) => ctx.get(`cmi.interactions.${ctx.parsed.arrays[0].index}.type`);
    return Object.assign({
      "cmi.comments_from_learner.n.comment": rw(T.localized(4000)),
      "cmi.comments_from_learner.n.location": rw(T.characterstring(250)),
      "cmi.comments_from_learner.n.timestamp": rw(T.time),
      "cmi.comments_from_lms.n.comment": ro(),
      "cmi.comments_from_lms.n.location": ro(),
      "cmi.comments_from_lms.n.timestamp": ro(),
      "cmi.completion_status": rw(vocabulary(COMPLETION)),
      "cmi.completion_threshold": ro(),
      "cmi.credit": ro(),
      "cmi.entry": ro(),
      "cmi.exit": wo(vocabulary(["time-out", "suspend", "logout", "normal", ""]), { session: true }),
      "cmi.interactions.n.id": rw(T.longIdentifier),
      "cmi.interactions.n.type": rw(vocabulary(TYPES)),
      "cmi.interactions.n.objectives.n.id": rw(T.longIdentifier),
      "cmi.interactions.n.timestamp": rw(T.time),
      "cmi.interactions.n.correct_responses.n.pattern": rw((v, ctx) => T.pattern(responseType(ctx))(v)),
      "cmi.interactions.n.weighting": rw(T.real()),
      "cmi.interactions.n.learner_response": rw((v, ctx) => T.learnerResponse(responseType(ctx))(v)),
      "cmi.interactions.n.result": rw(T.result),
      "cmi.interactions.n.latency": rw(T.interval),
      "cmi.interactions.n.description": rw(T.localized(250)),
      "cmi.launch_data": ro(),
      "cmi.learner_id": ro(),
      "cmi.learner_name": ro(),
      "cmi.learner_preference.audio_level": rw(T.real(0)),
      "cmi.learner_preference.language": rw(T.language),
      "cmi.learner_preference.delivery_speed": rw(T.real(0)),
      "cmi.learner_preference.audio_captioning": rw(T.integer(-1, 1)),
      "cmi.location": rw(T.characterstring(1000)),
      "cmi.max_time_allowed": ro(),
      "cmi.mode": ro(),
      "cmi.objectives.n.id": rw(T.longIdentifier),
      "cmi.objectives.n.success_status": rw(vocabulary(SUCCESS)),
      "cmi.objectives.n.completion_status": rw(vocabulary(COMPLETION)),
      "cmi.objectives.n.progress_measure": rw(T.real(0, 1)),
      "cmi.objectives.n.description": rw(T.localized(250)),
      "cmi.progress_measure": rw(T.real(0, 1)),
      "cmi.scaled_passing_score": ro(),
      "cmi.session_time": wo(T.interval, { session: true }),
      "cmi.success_status": rw(vocabulary(SUCCESS)),
      "cmi.suspend_data": rw(T.characterstring(edition >= 4 ? 64000 : 4000)),
      "cmi.time_limit_action": ro(),
      "cmi.total_time": ro(),
      "adl.nav.request": rw(T.navRequest(edition), { session: true }),
    }, score("cmi.score"), score("cmi.objectives.n.score"));
  }

  const children = {
    cmi: "_version,comments_from_learner,comments_from_lms,completion_status,"
      + "completion_threshold,credit,entry,exit,interactions,launch_data,learner_id,"
      + "learner_name,learner_preference,location,max_time_allowed,mode,objectives,"
      + "progress_measure,scaled_passing_score,score,session_time,success_status,suspend_data,"
      + "time_limit_action,total_time",
    "cmi.comments_from_learner": "comment,location,timestamp",
    "cmi.comments_from_lms": "comment,location,timestamp",
    "cmi.interactions": "id,type,objectives,timestamp,correct_responses,weighting,"
      + "learner_response,result,latency,description",
    "cmi.learner_preference": "audio_level,language,delivery_speed,audio_captioning",
    "cmi.objectives": "id,score,success_status,completion_status,progress_measure,description",
    "cmi.objectives.n.score": "scaled,raw,min,max",
    "cmi.score": "scaled,raw,min,max",
  };

  const codes = {
    argument: 201,
    alreadyInitialized: 103,
    initializeAfterTerminate: 104,
    terminateBeforeInit: 112,
    terminateAfterTerminate: 113,
    getBeforeInit: 122,
    getAfterTerminate: 123,
    setBeforeInit: 132,
    setAfterTerminate: 133,
    commitBeforeInit: 142,
    commitAfterTerminate: 143,
    getEmpty: 301,
    setEmpty: 351,
    undefined: 401,
    unimplemented: 402,
    setKeyword: 404,
    keywordMisplaced: 401,
    noChildren: 301,
    notArray: 301,
    readOnly: 404,
    writeOnly: 405,
    type: 406,
    range: 407,
    notInitialized: 403,
    getIndex: 301,
    setIndex: 351,
    dependency: 408,
    duplicate: 351,
    initializeFailed: 102,
    commitFailed: 391,
    terminateFailed: 111,
  };

  const errorStrings = {
    0: "No Error",
    101: "General Exception",
    102: "General Initialization Failure",
    103: "Already Initialized",
    104: "Content Instance Terminated",
    111: "General Termination Failure",
    112: "Termination Before Initialization",
    113: "Termination After Termination",
    122: "Retrieve Data Before Initialization",
    123: "Retrieve Data After Termination",
    132: "Store Data Before Initialization",
    133: "Store Data After Termination",
    142: "Commit Before Initialization",
    143: "Commit After Termination",
    201: "General Argument Error",
    301: "General Get Failure",
    351: "General Set Failure",
    391: "General Commit Failure",
    401: "Undefined Data Model Element",
    402: "Unimplemented Data Model Element",
    403: "Data Model Element Value Not Initialized",
    404: "Data Model Element Is Read Only",
    405: "Data Model Element Is Write Only",
    406: "Data Model Element Type Mismatch",
    407: "Data Model Element Value Out Of Range",
    408: "Data Model Dependency Not Established",
  };

  const dependency = (diagnostic) => ({ error: codes.dependency, diagnostic });
  const duplicate = (diagnostic) => ({ error: codes.duplicate, diagnostic });

  /** 408: an entry of an array with ids must get its id first; a response needs a type. */
  function beforeSet(ctx) {
    const { parsed, creating, name } = ctx;
    const pattern = parsed.pattern;
    const top = parsed.arrays[0];
    if (top && (top.path === "cmi.interactions" || top.path === "cmi.objectives")) {
      const item = `${top.path}.${top.index}`;
      const isId = pattern === `${top.path}.n.id`;
      if (creating.includes(top.path) && !isId) {
        return dependency(`${name}: set ${item}.id first`);
      }
      if (top.path === "cmi.interactions" && parsed.arrays.length > 1) {
        const nested = parsed.arrays[1];
        if (nested.path.endsWith(".objectives") && creating.includes(nested.path)
            && parsed.leaf !== "id") {
          return dependency(`${name}: set ${nested.path}.${nested.index}.id first`);
        }
      }
      if (/\.(correct_responses\.n\.pattern|learner_response)$/.test(pattern)
          && ctx.get(`${item}.type`) === undefined) {
        return dependency(`${name}: set ${item}.type first`);
      }
    }
    return null;
  }

  /** 351: identifiers unique in their array, an objective's id fixed once set, patterns. */
  function afterCheck(ctx) {
    const { parsed, value, name, session } = ctx;
    const pattern = parsed.pattern;
    const idsOf = (arrayPath) => {
      const out = [];
      for (let i = 0; i < (session.counts.get(arrayPath) || 0); i++) {
        out.push(session.values.get(`${arrayPath}.${i}.id`));
      }
      return out;
    };
    if (pattern === "cmi.objectives.n.id" || pattern === "cmi.interactions.n.objectives.n.id") {
      const array = parsed.arrays[parsed.arrays.length - 1];
      const ids = idsOf(array.path);
      const other = ids.findIndex((id, i) => id === value && i !== array.index);
      if (other >= 0) return duplicate(`${name}: ${array.path}.${other}.id is already ${JSON.stringify(value)}`);
      const before = ids[array.index];
      if (pattern === "cmi.objectives.n.id" && before !== undefined && before !== value) {
        return duplicate(`${name}: an objective's id cannot change once set (it is ${JSON.stringify(before)})`);
      }
    }
    if (pattern === "cmi.interactions.n.correct_responses.n.pattern") {
      const [interaction, response] = parsed.arrays;
      const item = `cmi.interactions.${interaction.index}`;
      const type = session.values.get(`${item}.type`);
      const limit = T.patternLimit[type];
      if (limit && response.index >= limit) {
        return duplicate(`${name}: a ${type} interaction has ${limit} correct response pattern`);
      }
      const count = session.counts.get(response.path) || 0;
      for (let i = 0; i < count; i++) {
        if (i !== response.index && session.values.get(`${response.path}.${i}.pattern`) === value
            && type === "choice") {
          return duplicate(`${name}: the same pattern is ${response.path}.${i}.pattern`);
        }
      }
    }
    return null;
  }

  /** adl.nav.request_valid.* (read-only; this LMS has no sequencing, so "unknown"), and the
   * 4th edition's shared data (adl.data), which this LMS recognizes but does not implement. */
  function special(session, name, mode, value, edition) {
    if (edition >= 4 && /^adl\.data(\.|$)/.test(name)) {
      return { error: codes.unimplemented, diagnostic: `${name}: shared data (adl.data) is not `
        + "implemented by the preview's LMS" };
    }
    if (!/^adl\.nav\.request_valid\.(?:continue|previous|(?:choice|jump)\.\{target=[^{}\s]+\})$/
      .test(name)) {
      return null;
    }
    if (mode === "set") return { error: codes.readOnly, diagnostic: `${name} is read-only` };
    return { value: "unknown" };
  }

  function make(options) {
    const edition = Number(options.edition || 4);
    return {
      version: "2004",
      edition: `2004 ${edition === 3 ? "3rd" : "4th"} Edition`,
      label: `SCORM 2004 ${edition === 3 ? "3rd" : "4th"} Edition`,
      dataModelVersion: "1.0",
      names: {
        initialize: "Initialize",
        terminate: "Terminate",
        getValue: "GetValue",
        setValue: "SetValue",
        commit: "Commit",
        getLastError: "GetLastError",
        getErrorString: "GetErrorString",
        getDiagnostic: "GetDiagnostic",
      },
      apiName: "API_1484_11",
      suspendElement: "cmi.suspend_data",
      suspendLimit: edition >= 4 ? 64000 : 4000,
      elements: elementsFor(edition),
      children,
      codes,
      errorStrings,
      beforeSet,
      afterCheck,
      special: (session, name, mode, value) => special(session, name, mode, value, edition),

      /** What the LMS gives the SCO at launch (config: learnerId, learnerName, credit, mode,
       * scaledPassingScore, completionThreshold, maxTimeAllowed, timeLimitAction, launchData). */
      launchValues(config, record) {
        const optional = (value) => (value == null || value === "" ? null : value);
        return {
          "cmi.learner_id": config.learnerId || "learner-1",
          "cmi.learner_name": config.learnerName || "Learner, Preview",
          "cmi.credit": config.credit || "credit",
          "cmi.mode": config.mode || "normal",
          "cmi.entry": record.entry,
          "cmi.completion_status": "unknown",
          "cmi.success_status": "unknown",
          "cmi.total_time": Lms.interval2004(record.totalCs),
          "cmi.launch_data": optional(config.launchData),
          "cmi.max_time_allowed": optional(config.maxTimeAllowed),
          "cmi.time_limit_action": config.timeLimitAction || "continue,no message",
          "cmi.scaled_passing_score": optional(config.scaledPassingScore),
          "cmi.completion_threshold": optional(config.completionThreshold),
          "cmi.learner_preference.audio_level": "1",
          "cmi.learner_preference.language": "",
          "cmi.learner_preference.delivery_speed": "1",
          "cmi.learner_preference.audio_captioning": "0",
        };
      },

      /** Statuses the LMS decides from the measures the package gave it. */
      computed(session) {
        const get = (n) => session.values.get(n);
        const out = {};
        const threshold = get("cmi.completion_threshold");
        const progress = get("cmi.progress_measure");
        if (threshold !== undefined && progress !== undefined) {
          out["cmi.completion_status"] = Number(progress) >= Number(threshold) ? "completed" : "incomplete";
        }
        const passing = get("cmi.scaled_passing_score");
        if (passing !== undefined) {
          const scaled = get("cmi.score.scaled");
          out["cmi.success_status"] = scaled === undefined ? "unknown"
            : Number(scaled) >= Number(passing) ? "passed" : "failed";
        }
        return out;
      },

      beforeTerminate(session) {
        const missing = [];
        if (!session.values.has("cmi.session_time")) {
          missing.push("Terminate before cmi.session_time was set: the LMS adds no time");
        }
        if (!session.values.has("cmi.exit")) {
          missing.push("Terminate before cmi.exit was set: the attempt ends (no resume)");
        }
        return missing;
      },

      /** What the LMS does at Terminate; returns [kind, detail] notes for the log. */
      finish(session, record) {
        const notes = [];
        const computed = this.computed(session);
        Object.assign(record.values, computed); // the LMS records the statuses it decided
        const time = session.values.get("cmi.session_time");
        if (time) record.totalCs += Lms.centiseconds(time);
        const exit = session.values.get("cmi.exit") || "";
        const request = session.values.get("adl.nav.request");
        if (request && request !== "_none_") notes.push(["navigation", `adl.nav.request ${request}`]);
        const completion = computed["cmi.completion_status"] || record.values["cmi.completion_status"] || "unknown";
        const success = computed["cmi.success_status"] || record.values["cmi.success_status"] || "unknown";
        record.ended = { exit, completion, success, session: session.number };
        if (exit === "suspend") {
          record.entry = "resume";
          notes.push(["finish", `exit "suspend": the attempt goes on (completion ${completion}, `
            + `success ${success}, total_time ${Lms.interval2004(record.totalCs)})`]);
        } else {
          record.previous = { attempt: record.attempt, values: record.values, totalCs: record.totalCs,
            completion, success };
          record.attempt += 1;
          record.entry = "ab-initio";
          record.values = {};
          record.counts = {};
          record.totalCs = 0;
          notes.push(["finish", `exit ${JSON.stringify(exit)}: attempt ${record.attempt - 1} ends `
            + `(completion ${completion}, success ${success}); the next launch starts attempt `
            + `${record.attempt}`]);
        }
        return notes;
      },
    };
  }

  Lms.specs.scorm2004 = { make };
})(window);
