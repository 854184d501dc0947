/*
 * ceforge preview: the inspector page.
 *
 * The page is the LMS's window: the course runs in its frame, a child of this window, so a
 * SCORM course finds the strict simulator (lms/*.js) as window.API or window.API_1484_11 here.
 * For Tin Can and cmi5 the page asks the preview server for a launch URL (the server is the
 * LRS and, for cmi5, the LMS that writes LMS.LaunchData and answers the fetch URL).
 *
 * It long-polls /api/wait: a new build reloads the course (exit, then launch again on the
 * same page of the course), a failed build shows its diagnostics and leaves the course
 * running; new statements are listed with the rules they break, and the requests the LRS
 * refused for breaking the protocol (no credential, a document of another session, a write to
 * LMS.LaunchData) with what was wrong.
 *
 * `window.ceforgePreview` is for tests and for `ceforge.preview.launch.run_headless`:
 * `ready`, `loads`, `launches`, `exit()`, `launch()`, `relaunch()`, `report()`, `sim()`.
 */
(function () {
  "use strict";

  const Lms = window.CeforgeLms;
  const byTest = (id) => document.querySelector(`[data-testid="${id}"]`);
  const frame = byTest("course-frame");
  const SCORM = ["scorm12", "scorm2004"];
  const FLUSH_MS = 300;
  const MODEL_ROWS_MAX = 2000;

  const state = {
    status: null,
    version: -1,
    generation: 0,
    standard: null,
    unitId: null,
    sims: {},
    apiLookups: 0,
    exited: false,
    hash: "",
    statementsAfter: 0,
    requestProblemsAfter: 0,
    pending: [],
    flushTimer: null,
    loads: 0,
    launches: 0,
    busy: Promise.resolve(),
  };

  // --- the server -------------------------------------------------------------------------------

  async function api(method, name, body, keepalive) {
    const init = { method, cache: "no-store", keepalive: Boolean(keepalive) };
    if (body !== undefined) {
      init.headers = { "Content-Type": "application/json" };
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`/api/${name}`, init);
    if (response.status === 204) return null;
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
    return answer;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Run `task` after the ones before it (launches and exits never interleave). */
  function serial(task) {
    state.busy = state.busy.then(task, task).catch((error) => console.warn("ceforge preview", error));
    return state.busy;
  }

  // --- the LMS ----------------------------------------------------------------------------------

  const plan = () => (state.status && state.status.build.plan) || null;

  function currentUnit() {
    const p = plan();
    if (!p) return null;
    return p.units.find((u) => u.id === state.unitId) || p.units[0];
  }

  function sim() {
    return state.unitId != null ? state.sims[state.unitId] || null : null;
  }

  /** SCORM names a learner "Last, First". */
  function scormName(name) {
    const text = String(name || "").trim();
    if (text.includes(",") || !text.includes(" ")) return text;
    const parts = text.split(/\s+/);
    return `${parts.pop()}, ${parts.join(" ")}`;
  }

  function scormConfig(unit) {
    const learner = state.status.learner;
    return {
      learnerId: learner.id,
      learnerName: scormName(learner.name),
      credit: "credit",
      mode: "normal",
      masteryScore: unit.mastery_score,
      launchData: unit.launch_data,
      maxTimeAllowed: unit.max_time_allowed,
      timeLimitAction: unit.time_limit_action,
      scaledPassingScore: unit.scaled_passing_score,
      completionThreshold: unit.completion_threshold,
    };
  }

  /** The simulator of a unit (one learner record per SCO), restored from the server. */
  function simFor(unit, records) {
    if (state.sims[unit.id]) return state.sims[unit.id];
    const p = plan();
    const created = Lms.create(p.standard, { edition: p.edition || 4 });
    const saved = records && records[unit.id];
    if (saved && saved.record && saved.standard === p.standard) created.restore(saved.record);
    created.on((entry) => {
      if (sim() === created) {
        state.pending.push(entry);
        scheduleFlush();
        showEntry(entry);
        scheduleModel();
      }
    });
    state.sims[unit.id] = created;
    return created;
  }

  function installApi(standard) {
    for (const name of ["API", "API_1484_11"]) {
      const wanted = (standard === "scorm12" && name === "API")
        || (standard === "scorm2004" && name === "API_1484_11");
      Object.defineProperty(window, name, {
        configurable: true,
        get() {
          if (!wanted) return undefined;
          state.apiLookups += 1;
          const current = sim();
          return current ? current.api : undefined;
        },
      });
    }
  }

  function scheduleFlush() {
    if (state.flushTimer) return;
    state.flushTimer = setTimeout(flush, FLUSH_MS);
  }

  /** Send the simulator's snapshot and the calls since the last one to the server. */
  function flush(keepalive) {
    clearTimeout(state.flushTimer);
    state.flushTimer = null;
    const current = sim();
    if (!current) return Promise.resolve();
    const log = state.pending.splice(0);
    return api("POST", "snapshots", { unit: state.unitId, snapshot: current.snapshot(), log },
      keepalive).catch((error) => console.warn("ceforge preview: snapshot not sent", error));
  }

  // --- launching --------------------------------------------------------------------------------

  function frameHash() {
    try {
      const href = frame.contentWindow.location.href;
      return href.startsWith("about:") ? "" : frame.contentWindow.location.hash;
    } catch {
      return "";
    }
  }

  function load(url) {
    return new Promise((resolve) => {
      frame.addEventListener("load", () => resolve(), { once: true });
      frame.src = url;
    });
  }

  /** Unload the course; a SCORM session still running is then abandoned. */
  async function exitCourse() {
    if (state.exited) return;
    state.exited = true;
    state.hash = frameHash();
    await load("about:blank");
    const current = sim();
    if (current) current.unload();
    await flush();
    byTest("exited").hidden = false;
  }

  async function launchCourse(keepHash) {
    const unit = currentUnit();
    const status = state.status;
    if (!unit || !status.base) return;
    let url;
    state.unitId = unit.id;
    if (SCORM.includes(plan().standard)) {
      const current = simFor(unit, null); // a unit a rebuild added starts with no record
      current.controls.failCommits = status.controls.failCommits;
      current.controls.offline = status.controls.offline;
      current.launch(scormConfig(unit));
      url = status.base + unit.href;
      renderModel();
    } else {
      const mastery = byTest("mastery-score").value.trim();
      const answer = await api("POST", "launch", {
        unit: unit.id,
        launchMode: byTest("launch-mode").value,
        masteryScore: mastery === "" ? null : Number(mastery),
      });
      url = answer.url;
    }
    if (keepHash && state.hash && !url.includes("#")) url += state.hash;
    state.exited = false;
    byTest("exited").hidden = true;
    state.launches += 1;
    await load(url);
  }

  const exit = () => serial(() => exitCourse());
  const launch = () => serial(() => launchCourse(false));
  const relaunch = (keepHash) => serial(async () => {
    await exitCourse();
    await launchCourse(keepHash !== false);
  });

  /** The unit menu, for packages of several SCOs or AUs. */
  function showUnits() {
    const p = plan();
    const select = byTest("unit");
    select.replaceChildren(...p.units.map((u) => new Option(u.title || u.id, u.id)));
    select.value = currentUnit().id;
    document.querySelector(".pv-unit").hidden = p.units.length < 2;
  }

  /** The first successful build: set the LMS up for the package's standard, then launch. */
  async function setUp() {
    const p = plan();
    state.standard = p.standard;
    byTest("target").textContent = p.standard + (p.edition ? ` (${p.edition === 3 ? "3rd" : "4th"} ed.)` : "");
    state.unitId = p.units[0].id;
    showUnits();
    for (const el of document.querySelectorAll(".pv-cmi5")) el.hidden = p.standard !== "cmi5";
    for (const el of document.querySelectorAll(".pv-scorm")) el.hidden = !SCORM.includes(p.standard);
    for (const el of document.querySelectorAll(".pv-lms")) el.hidden = p.standard === "web";
    byTest("no-calls").hidden = SCORM.includes(p.standard);
    if (SCORM.includes(p.standard)) {
      const saved = await api("GET", "snapshots");
      for (const unit of p.units) simFor(unit, saved.latest);
      installApi(p.standard);
    }
    await launchCourse(false);
    window.ceforgePreview.ready = true;
  }

  // --- status -----------------------------------------------------------------------------------

  function apply(status) {
    const first = state.status === null;
    state.status = status;
    state.version = status.version;
    renderBuild(status);
    for (const current of Object.values(state.sims)) {
      current.controls.failCommits = status.controls.failCommits;
      current.controls.offline = status.controls.offline;
    }
    byTest("fail-commits").checked = status.controls.failCommits;
    byTest("offline").checked = status.controls.offline;
    const name = byTest("learner-name");
    if (first || document.activeElement !== name) name.value = status.learner.name;
    if (status.forward) {
      const forward = byTest("forward");
      forward.hidden = false;
      forward.textContent = `Every stored statement also goes to ${status.forward}.`;
    }
    const build = status.build;
    if (build.generation && !state.generation) {
      state.generation = build.generation;
      serial(setUp);
    } else if (build.generation > state.generation) {
      state.generation = build.generation;
      showUnits();
      relaunch(true);
    }
    if (status.statements > state.statementsAfter) loadStatements();
    if (status.requestProblems > state.requestProblemsAfter) loadRequestProblems();
  }

  function renderBuild(status) {
    const build = status.build;
    const line = byTest("build-status");
    const time = new Date(build.finished_at * 1000).toLocaleTimeString();
    if (build.ok) {
      line.dataset.state = "ok";
      const warnings = build.diagnostics.length ? `, ${build.diagnostics.length} warning(s)` : "";
      line.textContent = status.package ? `package ${status.package}`
        : `built ${time} in ${build.seconds.toFixed(2)} s (build ${build.generation}${warnings})`;
    } else {
      line.dataset.state = "failed";
      line.textContent = `build failed at ${time}` + (build.generation ? `; showing build ${build.generation}` : "");
    }
    const box = byTest("diagnostics");
    const lines = build.diagnostics.filter((d) => !build.ok || d.severity === "error").map((d) => d.text);
    if (!build.ok && build.failure) lines.push(build.failure);
    box.hidden = build.ok;
    byTest("diagnostic-lines").textContent = lines.join("\n");
    if (!build.ok && !build.generation) byTest("target").textContent = status.target;
  }

  async function poll() {
    for (;;) {
      try {
        apply(await api("GET", `wait?version=${state.version}`));
      } catch {
        await sleep(1000); // the server went away or restarts: try again
      }
    }
  }

  // --- the API log and the data model -------------------------------------------------------------

  function cell(row, text, code) {
    const td = row.insertCell();
    if (code) {
      const c = document.createElement("code");
      c.textContent = text;
      td.append(c);
    } else {
      td.textContent = text;
    }
    return td;
  }

  function showEntry(entry) {
    const body = byTest("api-log").tBodies[0];
    const row = body.insertRow();
    row.dataset.testid = "api-call";
    row.dataset.seq = entry.seq;
    if (entry.lms) {
      row.className = "pv-note";
      row.dataset.lms = entry.lms;
      cell(row, String(entry.seq));
      const td = cell(row, `LMS: ${entry.lms} — ${entry.detail}`);
      td.colSpan = 4;
    } else {
      row.dataset.call = entry.call;
      row.dataset.error = String(entry.error);
      cell(row, String(entry.seq));
      cell(row, entry.call, true);
      cell(row, entry.args.map((a) => JSON.stringify(a)).join(", "), true);
      cell(row, JSON.stringify(entry.result), true);
      const current = sim();
      const text = entry.error ? `${entry.error} ${current.spec.errorStrings[entry.error] || ""}`
        + (entry.diagnostic ? `: ${entry.diagnostic}` : "") : "0";
      cell(row, text + (entry.warnings ? ` (${entry.warnings.join("; ")})` : ""));
    }
    const panel = row.closest(".pv-panel");
    if (panel.scrollHeight - panel.scrollTop - panel.clientHeight < 80) row.scrollIntoView({ block: "nearest" });
    renderSummary();
  }

  const feed = { count: 0, flagged: 0, refused: 0, requests: 0 };

  function renderSummary() {
    const current = sim();
    const summary = byTest("summary");
    if (!current) {
      if (state.standard === "tincan" || state.standard === "cmi5") {
        summary.dataset.errors = String(feed.flagged + feed.refused + feed.requests);
        summary.textContent = `${feed.count} statement(s), ${feed.flagged} flagged, `
          + `${feed.refused} refused by the LRS`
          + (feed.requests ? `; ${feed.requests} request(s) refused` : "");
      }
      return;
    }
    const errors = current.errors().length;
    summary.dataset.errors = String(errors);
    const session = current.session;
    summary.textContent = `${current.spec.label}: session ${session ? session.number : 0} `
      + `(${session ? session.state : "none"}), attempt ${current.record.attempt}, `
      + `${current.log.filter((e) => e.call).length} calls, ${errors} error(s), `
      + `${current.problems.length} problem(s)`;
  }

  let modelFrame = 0;
  function scheduleModel() {
    if (!modelFrame) modelFrame = requestAnimationFrame(() => { modelFrame = 0; renderModel(); });
  }

  let lastModel = {};
  function renderModel() {
    const current = sim();
    if (!current) return;
    const model = current.model();
    const body = byTest("data-model").tBodies[0];
    const rows = Object.entries(model).slice(0, MODEL_ROWS_MAX).map(([name, value]) => {
      const row = document.createElement("tr");
      row.dataset.element = name;
      if (lastModel[name] !== value) row.className = "pv-changed";
      cell(row, name, true);
      cell(row, value.length > 300 ? `${value.slice(0, 300)}… (${value.length} characters)` : value, true);
      return row;
    });
    body.replaceChildren(...rows);
    lastModel = model;
    const usage = current.suspendUsage();
    const meter = byTest("suspend-meter");
    meter.max = usage.limit;
    meter.value = usage.used;
    meter.high = usage.limit * 0.9;
    byTest("suspend-element").textContent = usage.element;
    byTest("suspend-text").textContent = `${usage.used} / ${usage.limit} characters`;
    meter.closest(".pv-meter").dataset.level = usage.used > usage.limit ? "over"
      : usage.used > usage.limit * 0.9 ? "high" : "ok";
    renderSummary();
  }

  // --- statements and runtime events --------------------------------------------------------------

  let loadingStatements = false;
  let statementsAgain = false;
  /** List the statements stored since the last ones listed. Asked again while it loads (more
   * arrived meanwhile), it loads once more when done: no change may come after the last
   * statement to ask a third time. */
  async function loadStatements() {
    if (loadingStatements) {
      statementsAgain = true;
      return;
    }
    loadingStatements = true;
    try {
      do {
        statementsAgain = false;
        const items = await api("GET", `statements?after=${state.statementsAfter}`);
        for (const item of items) {
          state.statementsAfter = Math.max(state.statementsAfter, item.seq);
          showStatement(item);
        }
      } while (statementsAgain);
    } finally {
      loadingStatements = false;
    }
  }

  let loadingRequests = false;
  /** List the requests the LRS refused since the last ones listed. */
  async function loadRequestProblems() {
    if (loadingRequests) return;
    loadingRequests = true;
    try {
      const items = await api("GET", `request-problems?after=${state.requestProblemsAfter}`);
      const list = byTest("request-problems");
      for (const item of items) {
        state.requestProblemsAfter = Math.max(state.requestProblemsAfter, item.seq);
        const li = document.createElement("li");
        li.dataset.testid = "request-problem";
        li.dataset.status = String(item.status);
        li.textContent = item.text;
        list.append(li);
        feed.requests += 1;
      }
      byTest("request-problems-box").hidden = list.childElementCount === 0;
      renderSummary();
    } finally {
      loadingRequests = false;
    }
    if (state.status && state.status.requestProblems > state.requestProblemsAfter) {
      loadRequestProblems();
    }
  }

  function describe(statement) {
    const verb = String((statement.verb && statement.verb.id) || "?").split("/").pop();
    const object = statement.object || {};
    const names = (object.definition && object.definition.name) || {};
    const name = Object.values(names)[0] || object.id || "?";
    return { verb, text: `${verb} ${name}` };
  }

  function showStatement(item) {
    const list = byTest("statements");
    const li = document.createElement("li");
    const { verb, text } = describe(item.statement);
    li.dataset.testid = "statement";
    li.dataset.verb = verb;
    li.dataset.status = item.status;
    li.dataset.source = item.source;
    li.dataset.problems = String(item.problems.length);
    feed.count += 1;
    if (item.problems.length) feed.flagged += 1;
    if (item.status === "refused") feed.refused += 1;
    renderSummary();
    const head = document.createElement("div");
    head.textContent = `${item.source === "lms" ? "LMS: " : ""}${text}`
      + (item.status === "refused" ? " — refused by the LRS" : "")
      + (item.forwarded ? ` (forwarded: ${item.forwarded})` : "");
    li.append(head);
    const flags = item.status === "refused" ? [item.refusal] : item.problems;
    if (flags.length) {
      const ul = document.createElement("ul");
      ul.className = "pv-flags";
      for (const flag of flags) {
        const f = document.createElement("li");
        f.dataset.testid = "statement-problem";
        f.textContent = flag;
        ul.append(f);
      }
      li.append(ul);
    }
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "JSON";
    const pre = document.createElement("pre");
    pre.textContent = JSON.stringify(item.statement, null, 2);
    details.append(summary, pre);
    li.append(details);
    list.append(li);
  }

  function renderEvents() {
    let events = [];
    try {
      const app = frame.contentWindow.Ceforge && frame.contentWindow.Ceforge.app;
      events = app ? app.events : [];
    } catch {
      events = [];
    }
    const list = byTest("events");
    if (list.childElementCount === events.length) return;
    list.replaceChildren(...events.map((evt) => {
      const li = document.createElement("li");
      li.dataset.type = evt.type;
      const detail = evt.page ? evt.page.title : evt.question ? evt.question.id
        : evt.block ? evt.block.id : "";
      li.textContent = `${evt.timestamp ? evt.timestamp.slice(11, 19) : ""} ${evt.type} ${detail}`;
      return li;
    }));
  }

  // --- controls ---------------------------------------------------------------------------------

  function clearCourseStorage(match) {
    try {
      for (const key of Object.keys(localStorage)) if (match(key)) localStorage.removeItem(key);
    } catch (error) {
      console.warn("ceforge preview: cannot reach localStorage", error);
    }
  }

  function wire() {
    for (const tab of document.querySelectorAll("[data-tab]")) {
      tab.addEventListener("click", () => {
        for (const other of document.querySelectorAll("[data-tab]")) {
          other.setAttribute("aria-selected", String(other === tab));
        }
        for (const panel of document.querySelectorAll("[data-panel]")) {
          panel.hidden = panel.dataset.panel !== tab.dataset.tab;
        }
        if (tab.dataset.tab === "model") renderModel();
        if (tab.dataset.tab === "events") renderEvents();
      });
    }
    byTest("exit").addEventListener("click", () => exit());
    byTest("launch").addEventListener("click", () => launch());
    byTest("relaunch").addEventListener("click", () => relaunch(true));
    byTest("reset").addEventListener("click", () => serial(async () => {
      await exitCourse();
      apply(await api("POST", "reset", {}));
      clearCourseStorage((key) => key.startsWith("ceforge:"));
      for (const current of Object.values(state.sims)) current.reset();
      byTest("statements").replaceChildren();
      byTest("request-problems").replaceChildren();
      byTest("request-problems-box").hidden = true;
      Object.assign(feed, { count: 0, flagged: 0, refused: 0, requests: 0 });
      state.hash = "";
      await launchCourse(false);
    }));
    byTest("set-name").addEventListener("click", () => serial(async () => {
      const name = byTest("learner-name").value.trim();
      if (!name) return;
      await exitCourse();
      apply(await api("POST", "controls", { learnerName: name }));
      // The web adapter keeps the name it asked for; the xAPI adapters one the learner gave.
      try {
        for (const key of Object.keys(localStorage)) {
          if (/^ceforge:[^:]*@.*:learner$|^ceforge:.*:learner$/.test(key) && !key.includes(":xapi:")) {
            const learner = JSON.parse(localStorage.getItem(key) || "null");
            if (learner && typeof learner === "object") {
              localStorage.setItem(key, JSON.stringify(Object.assign(learner, { name })));
            }
          }
        }
      } catch (error) {
        console.warn("ceforge preview: cannot update the stored name", error);
      }
      clearCourseStorage((key) => key.startsWith("ceforge:xapi:") && key.includes(":learner:"));
      await launchCourse(true);
    }));
    for (const [id, key] of [["fail-commits", "failCommits"], ["offline", "offline"]]) {
      byTest(id).addEventListener("change", async (event) => {
        apply(await api("POST", "controls", { [key]: event.target.checked }));
      });
    }
    byTest("launch-mode").addEventListener("change", () => relaunch(false));
    byTest("unit").addEventListener("change", (event) => serial(async () => {
      await exitCourse();
      state.unitId = event.target.value;
      byTest("api-log").tBodies[0].replaceChildren();
      await launchCourse(false);
    }));
    frame.addEventListener("load", () => {
      if (!frame.src.startsWith("about:")) state.loads += 1;
    });
    window.addEventListener("pagehide", () => flush(true));
    setInterval(() => {
      if (!document.querySelector('[data-panel="events"]').hidden) renderEvents();
    }, 1000);
  }

  window.ceforgePreview = {
    ready: false,
    state,
    get loads() { return state.loads; },
    get launches() { return state.launches; },
    sim,
    exit,
    launch,
    relaunch,
    flush,
    /** What happened, for a headless launch: API lookups, calls, the data model, problems. */
    report() {
      const current = sim();
      return {
        standard: state.standard,
        unit: state.unitId,
        apiLookups: state.apiLookups,
        log: current ? current.log : [],
        model: current ? current.model() : {},
        record: current ? current.record : null,
        problems: current ? current.problems : [],
        snapshot: current ? current.snapshot() : null,
      };
    },
  };

  wire();
  api("GET", "status").then(apply).catch((error) => console.warn("ceforge preview", error))
    .then(poll);
})();
