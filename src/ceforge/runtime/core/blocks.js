/* ceforge runtime core: the App's blocks on a page, their locks, the knowledge checks. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { h, icon } = Ceforge.dom;
  const { pageHash } = Ceforge.routes;
  const { isGraded, isCorrect, answerProblem, correctResponse } = Ceforge.scoring;
  const { fixed: layoutFixed } = Ceforge.layout;
  const { QuestionView } = Ceforge.views;

  /** ``text`` cut at a word to ``max`` characters at most, with an ellipsis when cut. */
  function shortened(text, max) {
    const whole = String(text || "");
    if (whole.length <= max) return whole;
    const cut = whole.slice(0, max - 1);
    const space = cut.lastIndexOf(" ");
    return (space > max / 2 ? cut.slice(0, space) : cut) + "…";
  }

  Object.assign(Ceforge.App.prototype, {
    // blocks

    renderBlock(block) {
      const renderers = {
        quiz: () => this.renderQuiz(block),
        test: () => this.renderTest(block),
        survey: () => this.renderSurvey(block),
        attestation: () => this.renderAttestation(block),
        scenario: () => this.renderScenario(block),
        video: () => this.renderMedia(block),
        audio: () => this.renderMedia(block),
        reflection: () => this.renderReflection(block),
      };
      const el = renderers[block.kind] ? renderers[block.kind]() : h("div");
      this.scrollTables(el);
      this.blockEls[block.id] = el;
      return el;
    },

    replaceBlock(block) {
      const old = this.blockEls[block.id];
      this.gated = this.gated.filter((item) => item.block !== block);
      const el = this.renderBlock(block);
      const hadFocus = Boolean(old) && old.contains(document.activeElement);
      if (old && old.parentNode) old.replaceWith(el);
      if (hadFocus) {
        const next = el.querySelector("input, select, textarea, button, a[href], [tabindex]");
        if (next) next.focus();
      }
      return el;
    },

    /** Lockable blocks re-render when what unlocks them changes. */
    gate(block, signature) {
      this.gated.push({ block, signature });
    },

    refreshGated() {
      for (const item of this.gated.slice()) {
        if (this.gateSignature(item.block) !== item.signature) this.replaceBlock(item.block);
      }
    },

    gateSignature(block) {
      if (block.kind === "survey") return String(this.evaluationOpen());
      if (block.kind === "attestation") {
        return this.missingBeforeAttestation().map((r) => r.key + ":" + r.text).join("|");
      }
      if (block.kind === "test") return this.gradedMissing().map((r) => r.key).join("|");
      return "";
    },

    blockShell(block, extra) {
      return h("section", Object.assign({ class: "cf-block cf-" + block.kind,
        "data-block": block.id, "data-kind": block.kind }, extra || {}),
      block.intro_html && block.kind !== "attestation"
        ? h("div", { class: "cf-intro", html: block.intro_html }) : null);
    },

    locked(reason, items) {
      return h("div", { class: "cf-locked", "data-testid": "locked" },
        h("p", { class: "cf-locked-title" }, icon("lock"), reason),
        items.length ? h("ul", null, items.map((item) => h("li", null,
          item.page != null ? h("a", { href: pageHash(this.ix.pages[item.page].page.id),
            text: item.text }) : item.text))) : null);
    },

    latency(question) {
      return Math.max(0, Date.now() - (this.shownAt[question.id] || Date.now()));
    },

    answered(block, question, response, result, attempt) {
      this.emit({ type: "question-answered", block: { id: block.id, kind: block.kind },
        question, response, correctResponse: correctResponse(question), result,
        points: result === "correct" ? question.points : result === "neutral" ? null : 0,
        latencyMs: this.latency(question), attempt });
    },

    stored(question, response) {
      return question.type === "essay" ? null : response;
    },

    // knowledge checks

    renderQuiz(block) {
      const wrap = this.blockShell(block);
      block.questions.forEach((question, i) => {
        wrap.append(this.quizQuestion(block, question, i + 1, block.questions.length));
      });
      return wrap;
    },

    quizQuestion(block, question, number, total) {
      const t = this.t;
      const answers = this.state.answers;
      if (!this.shownAt[question.id]) this.shownAt[question.id] = Date.now();
      const view = new QuestionView(this, layoutFixed(question, block.shuffle !== false), {
        number, total, live: true,
        onChange: (response) => {
          if (question.type === "essay") this.drafts[question.id] = response;
          else if (response == null) delete answers[question.id];
          else answers[question.id] = { checked: false, value: response };
          this.save();
        },
      });
      // Several questions on a page: each button's name says which one it checks.
      const check = h("button", { type: "submit", class: "cf-button", "data-testid": "check",
        "aria-label": t("check_named", { question: shortened(question.prompt_text, 120) }),
        text: t("check") });
      const retry = h("button", { type: "button", class: "cf-button cf-button-secondary",
        "data-testid": "retry", hidden: true, text: t("try_again") });
      view.actions.append(check, retry);
      const showChecked = (response) => {
        view.disable(true);
        const result = isGraded(question)
          ? (isCorrect(question, response) ? "correct" : "incorrect") : "neutral";
        view.showFeedback(result, response);
        check.hidden = true;
        retry.hidden = result !== "incorrect"; // nothing to try again once right, or an essay
        return result;
      };
      const record = answers[question.id];
      if (record) view.set(record.value);
      else if (this.drafts[question.id]) view.set(this.drafts[question.id]);
      if (record && record.checked) showChecked(record.value);
      retry.addEventListener("click", () => {
        if (answers[question.id]) answers[question.id].checked = false;
        this.shownAt[question.id] = Date.now();
        this.save();
        view.clearFeedback();
        view.disable(false);
        check.hidden = false;
        retry.hidden = true;
        view.focus();
      });
      return h("form", { class: "cf-question-form", novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          const response = view.get();
          const problem = answerProblem(question, response);
          if (problem) {
            view.warn(t(problem));
            return;
          }
          answers[question.id] = { checked: true, value: this.stored(question, response) };
          delete this.drafts[question.id];
          const result = showChecked(response);
          this.tries[question.id] = (this.tries[question.id] || 0) + 1;
          this.answered(block, question, response, result, this.tries[question.id]);
          this.save();
          (retry.hidden ? view.feedback : retry).focus();
        } }, view.el);
    },
  });
})(window);
