/* ceforge runtime: the cmi5 adapter (an AU of a `cmi5` package launched by an LMS). */
/*
 * The LMS launches the AU with `endpoint`, `fetch`, `actor`, `registration` and `activityId`
 * (cmi5 8.1). The AU POSTs once to `fetch` for its auth token (cmi5 8.2), reads the
 * `LMS.LaunchData` state document (contextTemplate, launchMode, masteryScore, moveOn,
 * returnURL; cmi5 10) and the learner preferences (cmi5 11), then sends the statements of
 * docs/xapi.md with the cmi5 rules (xapi-common.js's Recorder): the launch's activityId as the
 * object of the cmi5-defined statements, the contextTemplate in every statement, the cmi5 and
 * moveon categories, one judgement per session, nothing but initialized and terminated in
 * Browse and Review. A masteryScore in LaunchData replaces the course's passing score, for the
 * learner's screen too. After Exit course the AU goes to the returnURL.
 *
 * With `au=module` each module is an AU with a launch page of its own, whose course data is
 * that module alone (its completion rules, no certificate) and whose `xapi.cmi5.module` names
 * it: the AU takes the module's name, sends `completed` when the module's rules are met, and
 * keeps its bookmark and outbox apart from the other AUs of the registration.
 *
 * The fetch URL works once: a page reloaded after its session ended (terminated) says so and
 * sends the learner back to the LMS, which launches a new session.
 */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const xapi = Ceforge.xapi;
  const LAUNCH_DATA = "LMS.LaunchData";
  const PREFERENCES = "cmi5LearnerPreferences";
  const LAUNCH_MODES = ["Normal", "Browse", "Review"];
  const PARAMETERS = ["endpoint", "fetch", "actor", "registration", "activityId"];

  /** The auth token: one POST to the fetch URL (cmi5 8.2). */
  async function fetchToken(url, t) {
    let answer;
    try {
      const response = await root.fetch(url, { method: "POST", cache: "no-store",
        credentials: "omit" });
      answer = await response.json();
    } catch (error) {
      throw new Error(t("cmi5_unavailable", { detail: error.message }));
    }
    if (answer && String(answer["error-code"]) === "1") throw new Error(t("cmi5_session_ended"));
    if (!answer || typeof answer["auth-token"] !== "string" || !answer["auth-token"]) {
      const detail = (answer && answer["error-text"]) || "no auth-token";
      throw new Error(t("cmi5_unavailable", { detail }));
    }
    return answer["auth-token"];
  }

  async function readLaunchData(lrs, query, t) {
    let answer;
    try {
      answer = await lrs.request("GET", "activities/state",
        { query: Object.assign({ stateId: LAUNCH_DATA }, query) });
    } catch (error) {
      throw new Error(t("cmi5_unavailable", { detail: error.message }));
    }
    if (answer.status !== 200) {
      throw new Error(t("cmi5_unavailable", { detail: LAUNCH_DATA + ": HTTP " + answer.status }));
    }
    try {
      return JSON.parse(answer.text);
    } catch (error) {
      throw new Error(t("cmi5_unavailable", { detail: LAUNCH_DATA + ": " + error.message }));
    }
  }

  /**
   * The module this AU's page runs (`au=module`: `module-<id>.html` runs that module alone),
   * or null when the AU is the whole course.
   */
  function unitModule(data) {
    const cmi5 = data.xapi.cmi5;
    const moduleId = cmi5 && cmi5.module;
    return moduleId && data.xapi.activities.modules[moduleId] ? moduleId : null;
  }

  async function connect(data, t) {
    const params = xapi.launchParameters();
    const missing = PARAMETERS.filter((name) => !params.get(name));
    if (missing.length) throw new Error(t("xapi_launch_incomplete", { names: missing.join(", ") }));
    let actor;
    try {
      actor = JSON.parse(params.get("actor")); // cmi5 9.2: the actor as the LMS gives it
    } catch (error) {
      throw new Error(t("xapi_launch_invalid", { name: "actor", detail: error.message }));
    }
    if (!actor || typeof actor !== "object" || Array.isArray(actor)) {
      throw new Error(t("xapi_launch_invalid", { name: "actor", detail: params.get("actor") }));
    }
    const registration = params.get("registration");
    if (!xapi.isUuid(registration)) {
      throw new Error(t("xapi_launch_invalid", { name: "registration", detail: registration }));
    }
    const activityId = params.get("activityId");
    const token = await fetchToken(params.get("fetch"), t);
    const lrs = xapi.lrsClient(params.get("endpoint"), "Basic " + token);
    const agent = JSON.stringify(actor);
    const launchData = await readLaunchData(lrs, { activityId, agent, registration }, t);
    try {
      await lrs.request("GET", "agents/profile", { query: { profileId: PREFERENCES, agent } });
    } catch {
      // The preferences are read because cmi5 11.0 says so; the course has no use for them.
    }
    const launchMode = LAUNCH_MODES.includes(launchData.launchMode) ? launchData.launchMode
      : "Normal";
    const mastery = Number(launchData.masteryScore);
    const masteryScore = launchData.masteryScore != null && mastery >= 0 && mastery <= 1
      ? mastery : null;
    // The mark the learner is judged and told: a tenth of a percent, rounded up, like a
    // passing_score of course.yml (Ceforge.scoring.passes, docs/runtime.md "The verdict").
    if (masteryScore != null) {
      data.course.passing_score = Ceforge.scoring.toMark(masteryScore) / Ceforge.limits.SCORE_MAX;
    }
    const moduleId = unitModule(data);
    const activities = data.xapi.activities;
    const definition = (moduleId ? activities.modules[moduleId] : activities.course).definition
      || {};
    const notices = {};
    if (launchMode !== "Normal") {
      notices.launch = t(launchMode === "Browse" ? "launch_browse" : "launch_review");
    }
    return {
      lrs,
      actor,
      registration,
      stateActivityId: activityId,
      launch: {
        activityId,
        contextTemplate: launchData.contextTemplate || {},
        launchMode,
        masteryScore,
        moveOn: launchData.moveOn || null,
        module: moduleId,
        name: definition.name,
        description: definition.description || null,
      },
      notices,
      returnURL: typeof launchData.returnURL === "string" && launchData.returnURL
        ? launchData.returnURL : null,
    };
  }

  Ceforge.adapters = Ceforge.adapters || {};
  Ceforge.adapters.cmi5 = xapi.createAdapter("cmi5", connect);
})(window);
