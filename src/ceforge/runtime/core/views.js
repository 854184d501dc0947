/* ceforge runtime core: one question on screen: its controls and its feedback. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { ESSAY_MAX } = Ceforge.limits;
  const { h, icon } = Ceforge.dom;

  /**
   * One question as a <fieldset>: `get()` and `set(response)` in the neutral response form,
   * `disable()`, `showFeedback()`. `opts.onChange` is called on every edit.
   */
  class QuestionView {
    constructor(app, layout, opts) {
      this.app = app;
      this.q = layout.question;
      this.layout = layout;
      this.opts = opts;
      const t = app.t;
      const q = this.q;
      this.base = "cf-q-" + q.id;
      const legend = h("legend", { class: "cf-legend", id: this.base + "-legend" });
      if (opts.number) {
        legend.append(h("span", { class: "cf-qnumber",
          text: t("question_number", { number: opts.number, total: opts.total }) }));
      }
      // The prompt and its badges side by side: a long prompt wraps beside the badge, which
      // stays at the top right instead of falling under the prompt's last line.
      const row = h("span", { class: "cf-legend-row" },
        h("span", { class: "cf-prompt", html: q.prompt_html }));
      if (opts.showPoints) {
        row.append(h("span", { class: "cf-points",
          text: t(q.points === 1 ? "point_one" : "points", { points: app.fmt.number(q.points) }) }));
      }
      if (opts.optional) row.append(h("span", { class: "cf-optional", text: t("optional") }));
      legend.append(row);
      this.control = CONTROLS[q.type] ? CONTROLS[q.type](this) : essayControl(this);
      this.missing = h("p", { class: "cf-missing", hidden: true });
      this.fieldset = h("fieldset", { class: "cf-fieldset" }, legend,
        q.stem_html ? h("div", { class: "cf-stem", html: q.stem_html }) : null,
        this.control.hint || null, this.control.el, this.missing);
      this.actions = h("div", { class: "cf-actions" });
      this.feedback = h("div", { class: "cf-feedback", "data-testid": "feedback",
        "aria-live": opts.live ? "polite" : null });
      this.el = h("div", { class: "cf-question", "data-question": q.id, "data-type": q.type },
        this.fieldset, this.actions, this.feedback);
    }

    changed() {
      this.markMissing(null);
      if (this.opts.onChange) this.opts.onChange(this.get());
    }

    get() {
      return this.control.get();
    }

    set(value) {
      if (value != null) this.control.set(value);
    }

    disable(disabled) {
      this.control.disable(disabled);
      this.el.classList.toggle("cf-disabled", disabled);
    }

    focus() {
      this.control.focus();
    }

    markMissing(message) {
      this.missing.hidden = !message;
      this.missing.textContent = message || "";
      this.el.classList.toggle("cf-is-missing", Boolean(message));
    }

    clearFeedback() {
      this.feedback.textContent = "";
      this.feedback.className = "cf-feedback";
      delete this.feedback.dataset.result;
      delete this.el.dataset.result;
    }

    /** A note in the feedback area that is not a result ("answer the question first"). */
    warn(message) {
      this.clearFeedback();
      this.feedback.classList.add("cf-feedback-warning");
      this.feedback.append(h("p", { class: "cf-feedback-title" }, icon("info"), message));
    }

    /** result: correct, incorrect or neutral; options.correctAnswer: text to reveal. */
    showFeedback(result, response, options) {
      const t = this.app.t;
      const q = this.q;
      const opts = options || {};
      const chosen = q.type === "multiple-choice" ? response || []
        : ["choice", "true-false", "likert"].includes(q.type) && response ? [response] : [];
      const explained = Boolean(q.feedback_html) ||
        q.choices.some((choice) => chosen.includes(choice.id) && choice.feedback_html);
      // "Read the feedback and try again" only when there is feedback to read.
      const titles = opts.titles || { correct: t("correct"),
        incorrect: t(explained ? "incorrect" : "incorrect_no_feedback"), neutral: t("submitted") };
      const parts = document.createDocumentFragment();
      parts.append(h("p", { class: "cf-feedback-title" },
        icon(result === "correct" ? "check" : result === "incorrect" ? "cross" : "info"),
        titles[result]));
      if (opts.correctAnswer) {
        parts.append(h("p", { class: "cf-correct-answer" },
          h("strong", { text: t("correct_answer") }), " ", opts.correctAnswer));
      }
      for (const choice of q.choices) {
        if (!chosen.includes(choice.id) || !choice.feedback_html) continue;
        parts.append(h("div", { class: "cf-choice-feedback" },
          h("p", { class: "cf-choice-feedback-label", text: t("your_choice", { choice: choice.text }) }),
          h("div", { html: choice.feedback_html })));
      }
      if (q.feedback_html) parts.append(h("div", { class: "cf-feedback-body", html: q.feedback_html }));
      this.clearFeedback();
      this.feedback.classList.add("cf-feedback-" + result);
      this.feedback.dataset.result = result;
      this.el.dataset.result = result;
      this.feedback.append(parts);
      this.app.scrollTables(this.feedback);
    }
  }

  function choiceControl(view, type) {
    const q = view.q;
    const likert = q.type === "likert";
    const list = h("div", { class: likert ? "cf-choices cf-likert" : "cf-choices" });
    const inputs = view.layout.choices.map((choice, i) => {
      const id = view.base + "-" + i;
      const input = h("input", { type, id, name: view.base, value: choice.id,
        class: "cf-check", onchange: () => view.changed() });
      list.append(h("div", { class: "cf-choice", "data-choice": choice.id }, input,
        h("label", { for: id, html: choice.html })));
      return input;
    });
    const hint = type === "checkbox"
      ? h("p", { class: "cf-hint", text: view.app.t("select_all") }) : null;
    return {
      el: list,
      hint,
      get() {
        const chosen = new Set(inputs.filter((i) => i.checked).map((i) => i.value));
        if (type === "radio") return chosen.size ? [...chosen][0] : null;
        const ids = q.choices.filter((c) => chosen.has(c.id)).map((c) => c.id);
        return ids.length ? ids : null;
      },
      set(value) {
        const chosen = new Set(Array.isArray(value) ? value : [value]);
        inputs.forEach((input) => { input.checked = chosen.has(input.value); });
      },
      disable(disabled) {
        inputs.forEach((input) => { input.disabled = disabled; });
      },
      focus() {
        (inputs.find((i) => i.checked) || inputs[0]).focus();
      },
    };
  }

  function textControl(view) {
    const q = view.q;
    const t = view.app.t;
    const numeric = q.type === "numeric";
    const id = view.base + "-input";
    const hintId = view.base + "-hint";
    const input = h("input", {
      type: "text", id, class: "cf-input" + (numeric ? " cf-input-number" : ""),
      maxlength: q.max_length, autocomplete: "off", spellcheck: "false",
      inputmode: numeric ? "decimal" : null, "aria-describedby": numeric ? hintId : null,
      oninput: () => view.changed(),
    });
    return {
      el: h("div", { class: "cf-text-answer" },
        h("label", { for: id, class: "cf-label", text: t("your_answer") }),
        numeric ? h("p", { class: "cf-hint", id: hintId, text: t("number_hint") }) : null,
        input),
      get() {
        return input.value.trim() ? input.value : null;
      },
      set(value) {
        input.value = String(value);
      },
      disable(disabled) {
        input.disabled = disabled;
      },
      focus() {
        input.focus();
      },
    };
  }

  function matchingControl(view) {
    const q = view.q;
    const t = view.app.t;
    const selects = q.sources.map((source, i) => {
      const id = view.base + "-" + i;
      return {
        source,
        select: h("select", { id, class: "cf-select", "data-source": source.id,
          onchange: () => view.changed() },
        h("option", { value: "", text: t("choose") }),
        view.layout.targets.map((target) => h("option", { value: target.id, text: target.text }))),
        label: h("label", { for: id, class: "cf-match-source", html: source.html }),
      };
    });
    return {
      el: h("div", { class: "cf-matching" },
        selects.map((row) => h("div", { class: "cf-match-row" }, row.label, row.select))),
      get() {
        const pairs = selects.filter((row) => row.select.value)
          .map((row) => [row.source.id, row.select.value]);
        return pairs.length ? pairs : null;
      },
      set(value) {
        const pairs = new Map(value);
        selects.forEach((row) => { row.select.value = pairs.get(row.source.id) || ""; });
      },
      disable(disabled) {
        selects.forEach((row) => { row.select.disabled = disabled; });
      },
      focus() {
        selects[0].select.focus();
      },
    };
  }

  function sequenceControl(view) {
    const q = view.q;
    const app = view.app;
    const t = app.t;
    const byId = {};
    q.choices.forEach((choice) => { byId[choice.id] = choice; });
    let order = view.layout.sequence.slice();
    let disabled = false;
    const hintId = view.base + "-hint";
    const list = h("ol", { class: "cf-sequence", "aria-describedby": hintId });

    function draw(focus) {
      list.textContent = "";
      order.forEach((id, i) => {
        const choice = byId[id];
        const button = (dir) => {
          const blocked = disabled || (dir < 0 ? i === 0 : i === order.length - 1);
          return h("button", {
            type: "button", class: "cf-move",
            "data-testid": dir < 0 ? "move-up" : "move-down",
            "aria-label": t(dir < 0 ? "move_up" : "move_down", { item: choice.text }),
            title: t(dir < 0 ? "move_up" : "move_down", { item: choice.text }),
            "aria-disabled": blocked ? "true" : null,
            onclick: () => move(i, dir),
          }, icon(dir < 0 ? "up" : "down"));
        };
        const up = button(-1);
        const down = button(1);
        list.append(h("li", { class: "cf-seq-item", "data-item": id },
          h("span", { class: "cf-seq-position", "aria-hidden": "true", text: String(i + 1) }),
          h("span", { class: "cf-seq-text", html: choice.html }),
          h("span", { class: "cf-seq-moves" }, up, down)));
        if (focus && focus.id === id) {
          let target = focus.dir < 0 ? up : down;
          if (target.getAttribute("aria-disabled")) target = focus.dir < 0 ? down : up;
          target.focus();
        }
      });
    }

    function move(i, dir) {
      const j = i + dir;
      if (disabled || j < 0 || j >= order.length) return;
      const id = order[i];
      order[i] = order[j];
      order[j] = id;
      draw({ id, dir });
      app.announce(t("moved", { item: byId[id].text, position: j + 1, total: order.length }));
      view.changed();
    }

    draw(null);
    return {
      el: list,
      hint: h("p", { class: "cf-hint", id: hintId, text: t("sequence_hint") }),
      get() {
        return order.slice();
      },
      set(value) {
        if (value.length === order.length) order = value.slice();
        draw(null);
      },
      disable(value) {
        disabled = value;
        draw(null);
      },
      focus() {
        const first = list.querySelector("button:not([aria-disabled])");
        if (first) first.focus();
      },
    };
  }

  function essayControl(view) {
    const id = view.base + "-input";
    const area = h("textarea", { id, class: "cf-input cf-textarea", rows: "5", maxlength: ESSAY_MAX,
      oninput: () => view.changed() });
    const wrap = h("div", { class: "cf-text-answer" },
      h("label", { for: id, class: "cf-label", text: view.app.t("your_answer") }), area);
    return {
      el: wrap,
      get() {
        return area.value.trim() ? area.value : null;
      },
      set(value) {
        area.value = String(value);
      },
      disable(disabled) {
        area.disabled = disabled;
      },
      focus() {
        area.focus();
      },
    };
  }

  const CONTROLS = {
    "choice": (view) => choiceControl(view, "radio"),
    "true-false": (view) => choiceControl(view, "radio"),
    "likert": (view) => choiceControl(view, "radio"),
    "multiple-choice": (view) => choiceControl(view, "checkbox"),
    "fill-in": textControl,
    "numeric": textControl,
    "matching": matchingControl,
    "sequencing": sequenceControl,
    "essay": essayControl,
  };

  Ceforge.views = { QuestionView };
})(window);
