/*
 * The test LMS around a SCO: scorm-again's API, set up as an LMS would, and a recorder.
 *
 * window.__lmsConfig (put there by the test before the page loads):
 *   version   "1.2" or "2004"
 *   sco       the SCO's launch URL (relative to this page)
 *   cmi       flattened initial data (learner, entry, mode, mastery, objectives, saved data)
 *   depth     frames between this page and the SCO (wrap.html), 0 by default
 *   popup     true: the SCO opens in a window of its own (found through window.opener)
 *
 * window.lms, for the test to read and steer:
 *   calls     every API call: {fn, args, result, error, t} (error: GetLastError after it;
 *             t: milliseconds since the page loaded)
 *   commits   every commit the LMS accepted: {kind: "commit"|"terminate", at (index in
 *             calls), cmi (scorm-again's renderCommitCMI, flattened)}
 *   messages  scorm-again's log at WARN and above: {level, message}
 *   failing   {set, commit}: while true, SetValue / Commit answer "false" (error 101 or
 *             391) and store nothing, as an LMS that has lost its server would
 *   stored    what a strict LMS would have saved: each Commit (or Terminate) the LMS accepts
 *             saves the values set since the previous Commit; a refused Commit loses them,
 *             as an LMS that sends only what changed would (a SCO must set them again)
 *   api       the scorm-again instance
 */
(function () {
  "use strict";

  const config = window.__lmsConfig;
  if (!config) throw new Error("lms.js: no window.__lmsConfig");
  const v12 = config.version === "1.2";
  const names = v12
    ? { init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
      commit: "LMSCommit", error: "LMSGetLastError", errorString: "LMSGetErrorString",
      diagnostic: "LMSGetDiagnostic" }
    : { init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
      commit: "Commit", error: "GetLastError", errorString: "GetErrorString",
      diagnostic: "GetDiagnostic" };
  const failureCodes = v12 ? { set: "101", commit: "101" } : { set: "101", commit: "391" };

  const log = {
    calls: [],
    commits: [],
    messages: [],
    failing: { set: false, commit: false },
    stored: {},
    api: null,
  };
  window.lms = log;

  const settings = {
    autocommit: false,
    lmsCommitUrl: false,
    dataCommitFormat: "flattened",
    logLevel: 3, // WARN
    onLogMessage: (level, message) => { log.messages.push({ level, message: String(message) }); },
  };
  const api = v12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  log.api = api;
  api.loadFromFlattenedJSON(config.cmi || {}, "");

  let injected = null; // the error code of an injected failure, until the next call
  let unsaved = {}; // values set since the last Commit

  function snapshot(kind) {
    // "at": the index this call is about to get in log.calls.
    log.commits.push({ kind, at: log.calls.length, cmi: api.renderCommitCMI(kind === "terminate") });
  }

  function wrap(key) {
    const real = api[names[key]].bind(api);
    api[names[key]] = function (...args) {
      let result;
      let error;
      if (key === "error" && injected) {
        result = injected;
        error = injected;
      } else if ((key === "set" && log.failing.set) || (key === "commit" && log.failing.commit)) {
        injected = failureCodes[key];
        result = "false";
        error = injected;
        if (key === "commit") unsaved = {};
      } else {
        if (key !== "errorString" && key !== "diagnostic") injected = null;
        result = real(...args);
        error = String(api.lastErrorCode);
        if (result === "true" && key === "set") unsaved[String(args[0])] = String(args[1]);
        if (result === "true" && (key === "commit" || key === "finish")) {
          Object.assign(log.stored, unsaved);
          unsaved = {};
          snapshot(key === "commit" ? "commit" : "terminate");
        }
      }
      log.calls.push({ fn: names[key], args: args.map(String), result: String(result), error,
        t: Math.round(performance.now()) });
      return result;
    };
  }
  Object.keys(names).forEach(wrap);
  if (v12) window.API = api;
  else window.API_1484_11 = api;

  let url = config.sco;
  for (let i = 0; i < (config.depth || 0); i++) {
    url = "wrap.html?to=" + encodeURIComponent(url);
  }
  if (config.popup) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Open the course";
    button.id = "open";
    button.addEventListener("click", () => { window.open(url, "course"); });
    document.body.prepend(button);
    document.getElementById("sco").remove();
  } else {
    document.getElementById("sco").src = url;
  }
})();
