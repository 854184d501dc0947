/* ceforge runtime: the Tin Can adapter (a `tincan` package launched by an LMS). */
/*
 * The LMS launches index.html with the LRS in the query string: `endpoint`, `auth` (`Basic `
 * is put before a bare token), `actor` (JSON; the old array form is normalized), and usually
 * `registration` and `activity_id`. Without a registration the learner gets one of their own,
 * kept in this browser. Statements, delivery and bookmarking are xapi-common.js's (the rules
 * are docs/xapi.md); the credentials stay in memory.
 */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const xapi = Ceforge.xapi;

  /** The registration of a launch without one: made once per learner and course, kept. */
  function ownRegistration(data, actor) {
    const { storage } = xapi.openStorage();
    const key = "ceforge:xapi:" + data.course.id + ":registration:" + xapi.agentKey(actor);
    let registration = xapi.readJSON(storage, key);
    if (!xapi.isUuid(registration)) {
      registration = xapi.uuid();
      xapi.writeJSON(storage, key, registration);
    }
    return registration;
  }

  async function connect(data, t) {
    const params = xapi.launchParameters();
    const missing = ["endpoint", "actor"].filter((name) => !params.get(name));
    if (missing.length) throw new Error(t("xapi_launch_incomplete", { names: missing.join(", ") }));
    let actor;
    try {
      actor = xapi.normalizeActor(params.get("actor"));
    } catch (error) {
      throw new Error(t("xapi_launch_invalid", { name: "actor", detail: error.message }));
    }
    let registration = params.get("registration");
    if (registration && !xapi.isUuid(registration)) {
      throw new Error(t("xapi_launch_invalid", { name: "registration", detail: registration }));
    }
    if (!registration) registration = ownRegistration(data, actor);
    return {
      lrs: xapi.lrsClient(params.get("endpoint"), params.get("auth")),
      actor,
      registration,
      stateActivityId: params.get("activity_id") || data.course.id,
      launch: null,
      notices: {},
      returnURL: null,
    };
  }

  Ceforge.adapters = Ceforge.adapters || {};
  Ceforge.adapters.tincan = xapi.createAdapter("tincan", connect);
})(window);
