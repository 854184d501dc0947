/* ceforge runtime core: branching scenarios: the path rules, and the App's scenario blocks. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { MAX_RUNS } = Ceforge.limits;
  const { h, icon } = Ceforge.dom;
  const { walkPath } = Ceforge.state;

  // --- the rules (pure: tests/js/scenario.test.js) ---------------------------------------------

  /** A scenario's record as the state keeps it, or a fresh one (first run, nothing chosen). */
  function recordOf(state, block) {
    return state.blocks[block.id] || { path: [], run: 1, scored: null };
  }

  /** Where the path leads: `{node, steps}`, each step `{node, choice}` of a decision taken. */
  function position(block, path) {
    const scenario = block.scenario;
    const walked = walkPath(scenario, path) || walkPath(scenario, []);
    const byId = {};
    scenario.nodes.forEach((node) => { byId[node.id] = node; });
    const steps = walked.visited.slice(0, -1).map((id, i) => ({
      node: byId[id], choice: byId[id].choices.find((c) => c.id === path[i]) }));
    return { node: walked.node, steps };
  }

  /**
   * The record after choosing `choiceId` at the path's node: the choice is added to the path,
   * unless it leads back to a node on the path, which cuts the path there (the path holds
   * each node once, so it stays within `path_limit`). `ended` is the end node reached, if any.
   */
  function choose(block, record, choiceId) {
    const at = position(block, record.path);
    const choice = at.node.end ? null : at.node.choices.find((c) => c.id === choiceId);
    if (!choice) throw new RangeError(block.id + ": no choice " + choiceId + " here");
    const visited = walkPath(block.scenario, record.path).visited;
    const back = visited.indexOf(choice.target);
    const path = back >= 0 ? record.path.slice(0, back) : record.path.concat(choiceId);
    const node = position(block, path).node;
    let scored = record.scored;
    if (node.end && scored == null) scored = node.id; // the first run to an end is scored
    return { record: { path, run: record.run, scored }, choice, from: at.node, node,
      ended: node.end ? node : null };
  }

  /** The record of a new run: back to the first node, the scored end kept. */
  function restart(record) {
    return { path: [], run: Math.min(record.run + 1, MAX_RUNS), scored: record.scored };
  }

  /** The points a graded scenario adds to the post-test: `{raw, max}` (0 of its best while
   * no run has ended). */
  function points(block, record) {
    const scenario = block.scenario;
    const end = scenario.nodes.find((node) => node.id === record.scored);
    return { raw: end && end.points ? end.points : 0, max: scenario.max_points };
  }

  /** The decision as an interaction, in the form of a question (what SCORM records). */
  function decisionQuestion(block, node) {
    return { id: block.id + "-" + node.id, type: "choice", prompt_text: node.title_text,
      points: 0, choices: node.choices.map((c) => ({ id: c.id, text: c.text, correct: false })) };
  }

  /** The run's outcome as an interaction (SCORM: 2004 `other`, 1.2 `fill-in`). */
  function outcomeQuestion(block) {
    return { id: block.id, type: "outcome", prompt_text: block.scenario.nodes[0].title_text,
      points: 0, choices: [] };
  }

  Ceforge.scenario = { recordOf, position, choose, restart, points, decisionQuestion,
    outcomeQuestion };

  // --- the App's scenario blocks -----------------------------------------------------------------

  Object.assign(Ceforge.App.prototype, {
    renderScenario(block) {
      const t = this.t;
      const record = recordOf(this.state, block);
      const at = position(block, record.path);
      const wrap = this.blockShell(block);
      this.scenarioShown = this.scenarioShown || {};
      if (!this.scenarioShown[block.id]) this.scenarioShown[block.id] = Date.now();
      const said = (this.scenarioSaid || {})[block.id];
      const stage = h("div", { class: "cf-scenario-stage" });
      if (said) {
        stage.append(h("div", { class: "cf-scenario-said", "data-testid": "scenario-feedback" },
          h("p", { class: "cf-scenario-said-label" }, t("scenario_you_chose"), " ",
            h("span", { html: said.choice.html })),
          said.choice.feedback_html ? h("div", { html: said.choice.feedback_html }) : null));
      }
      const node = at.node;
      stage.append(h("h3", { class: "cf-scenario-node", tabindex: "-1",
        "data-testid": "scenario-node", "data-node": node.id, html: node.title_html }));
      if (node.body_html) stage.append(h("div", { class: "cf-scenario-body", html: node.body_html }));
      if (node.end) stage.append(this.scenarioEnd(block, node, record));
      else stage.append(this.scenarioChoices(block, node));
      wrap.append(stage);
      if (record.path.length || node.end) {
        wrap.append(h("div", { class: "cf-actions" }, h("button", { type: "button",
          class: "cf-button cf-button-secondary", "data-testid": "scenario-restart",
          text: t("scenario_restart"), onclick: () => this.restartScenario(block) })));
      }
      if (at.steps.length) wrap.append(this.scenarioPath(block, at.steps));
      return wrap;
    },

    scenarioChoices(block, node) {
      const t = this.t;
      const id = "cf-choices-" + block.id;
      return h("div", { class: "cf-scenario-choices" },
        h("p", { id, class: "cf-scenario-prompt", text: t("scenario_what_now") }),
        h("ul", { "aria-labelledby": id }, node.choices.map((choice) => h("li", null,
          h("button", { type: "button", class: "cf-button cf-button-secondary cf-scenario-choice",
            "data-testid": "scenario-choice", "data-choice": choice.id, html: choice.html,
            onclick: () => this.chooseInScenario(block, choice.id) })))));
    },

    scenarioEnd(block, node, record) {
      const t = this.t;
      const scenario = block.scenario;
      const out = h("div", { class: "cf-scenario-outcome cf-outcome-" + (node.outcome || "none"),
        "data-testid": "scenario-outcome", "data-outcome": node.outcome || "" },
      h("p", { class: "cf-scenario-outcome-title" }, icon(node.outcome === "poor" ? "info" : "check"),
        node.outcome ? t("scenario_outcome_" + node.outcome) : t("scenario_end")));
      if (scenario.graded) {
        const scored = points(block, record);
        const fmt = this.fmt;
        out.append(h("p", { "data-testid": "scenario-points", text: t("scenario_points",
          { points: fmt.number(node.points || 0), max: fmt.number(scored.max) }) }));
        if (record.scored !== node.id) {
          out.append(h("p", { class: "cf-hint", text: t("scenario_practice_run",
            { points: fmt.number(scored.raw), max: fmt.number(scored.max) }) }));
        }
      }
      return out;
    },

    scenarioPath(block, steps) {
      const t = this.t;
      return h("details", { class: "cf-scenario-path", "data-testid": "scenario-path" },
        h("summary", { text: t("scenario_path", { count: steps.length }) }),
        h("ol", null, steps.map((step) => h("li", null,
          h("span", { class: "cf-scenario-path-node", text: step.node.title_text + ": " }),
          h("span", { text: step.choice.text })))));
    },

    chooseInScenario(block, choiceId) {
      const before = recordOf(this.state, block);
      const next = choose(block, before, choiceId);
      const latencyMs = Math.max(0, Date.now() - (this.scenarioShown[block.id] || Date.now()));
      this.scenarioShown[block.id] = Date.now();
      this.state.blocks[block.id] = next.record;
      this.scenarioSaid = this.scenarioSaid || {};
      this.scenarioSaid[block.id] = { choice: next.choice };
      const blockRef = { id: block.id, kind: block.kind };
      this.emit({ type: "scenario-decision", block: blockRef, node: { id: next.from.id,
        title: next.from.title_text }, choice: { id: next.choice.id, text: next.choice.text },
      target: next.node.id, run: next.record.run, latencyMs,
      question: decisionQuestion(block, next.from), response: next.choice.id, result: "neutral" });
      if (next.ended) {
        const end = next.ended;
        const graded = block.scenario.graded;
        this.emit({ type: "scenario-completed", block: blockRef, end: { id: end.id,
          title: end.title_text }, outcome: end.outcome, points: end.points,
        maxPoints: block.scenario.max_points, graded, scored: before.scored == null,
        run: next.record.run, path: next.record.path.slice(), question: outcomeQuestion(block),
        response: end.outcome || end.id, result: "neutral", latencyMs });
      }
      this.changed();
      const el = this.replaceBlock(block);
      const heading = el.querySelector("[data-testid=scenario-node]");
      if (heading) heading.focus();
      this.announce(next.ended ? el.querySelector(".cf-scenario-outcome-title").textContent
        : next.node.title_text);
    },

    restartScenario(block) {
      this.state.blocks[block.id] = restart(recordOf(this.state, block));
      if (this.scenarioSaid) delete this.scenarioSaid[block.id];
      this.scenarioShown[block.id] = Date.now();
      this.changed();
      const el = this.replaceBlock(block);
      const heading = el.querySelector("[data-testid=scenario-node]");
      if (heading) heading.focus();
      this.announce(this.t("scenario_restarted"));
    },

    /** Graded scenarios not yet ended: the post-test waits for them (they count toward it). */
    gradedMissing() {
      return this.ix.graded.filter((block) => recordOf(this.state, block).scored == null)
        .map((block) => ({ key: "scenario:" + block.id, done: false,
          page: this.ix.pageIndex[block.page],
          text: this.t("req_scenario", { title: block.scenario.nodes[0].title_text }) }));
    },

    /** The points the graded scenarios add to a post-test attempt. */
    gradedPoints() {
      const total = { raw: 0, max: 0 };
      for (const block of this.ix.graded) {
        const got = points(block, recordOf(this.state, block));
        total.raw += got.raw;
        total.max += got.max;
      }
      return total;
    },
  });
})(window);
