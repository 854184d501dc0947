/* ceforge runtime core: the App's post-test (attempts, results, review) and evaluation. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { MAX_ATTEMPTS, SCORE_MAX } = Ceforge.limits;
  const { h, icon } = Ceforge.dom;
  const { seed: randomSeed } = Ceforge.random;
  const { isCorrect, answerProblem, score, passes, passMark, correctAnswerText } = Ceforge.scoring;
  const { fixed: layoutFixed, test: testLayout } = Ceforge.layout;
  const { QuestionView } = Ceforge.views;

  Object.assign(Ceforge.App.prototype, {
    // the post-test

    startAttempt(block) {
      const test = this.state.test;
      test.seed = randomSeed();
      test.status = 1;
      for (const question of block.questions) {
        delete this.state.answers[question.id];
        delete this.shownAt[question.id];
      }
      this.save();
    },

    renderTest(block) {
      const test = this.state.test;
      const wrap = this.blockShell(block, { "data-testid": "test" });
      if (test.status === 0) {
        // Graded scenarios count toward the score: the test waits until each one has ended.
        this.gate(block, this.gateSignature(block));
        const missing = this.gradedMissing();
        if (missing.length) {
          wrap.append(this.locked(this.t("locked_test_scenarios"), missing));
          return wrap;
        }
        this.startAttempt(block);
      }
      if (test.status === 1) {
        wrap.append(this.testFacts(block), this.testForm(block));
      } else {
        wrap.append(this.testResult(block));
        if (this.testStatus().final) wrap.append(this.testReview(block));
      }
      return wrap;
    },

    testFacts(block) {
      const t = this.t;
      const count = testLayout(block, this.state.test.seed).length;
      const number = this.state.test.used + 1;
      return h("ul", { class: "cf-test-facts", tabindex: "-1", "data-testid": "test-attempt" },
        h("li", { text: block.attempts == null ? t("test_attempt", { number })
          : t("test_attempt_of", { number, total: block.attempts }) }),
        h("li", { text: t("test_questions", { count }) }),
        h("li", { text: t("test_pass_mark",
          { percent: this.fmt.percent(passMark(this.data) / SCORE_MAX) }) }));
    },

    testForm(block) {
      const t = this.t;
      const answers = this.state.answers;
      const layouts = testLayout(block, this.state.test.seed);
      const views = layouts.map((layout, i) => {
        const question = layout.question;
        if (!this.shownAt[question.id]) this.shownAt[question.id] = Date.now();
        const view = new QuestionView(this, layout, {
          number: i + 1, total: layouts.length, showPoints: true, live: false,
          onChange: (response) => {
            if (response == null) delete answers[question.id];
            else answers[question.id] = { checked: false, value: response };
            this.save();
          },
        });
        if (answers[question.id]) view.set(answers[question.id].value);
        return view;
      });
      const message = h("p", { class: "cf-form-error", "aria-live": "polite",
        "data-testid": "test-message" });
      const form = h("form", { class: "cf-test-form", novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          const problems = views.map((view) => answerProblem(view.q, view.get()));
          const missing = problems.filter(Boolean).length;
          views.forEach((view, i) => view.markMissing(problems[i] && t(problems[i])));
          if (missing) {
            message.textContent = t("test_unanswered", { count: missing });
            views[problems.findIndex(Boolean)].focus();
            return;
          }
          this.finishAttempt(block, views);
        },
        onkeydown: (event) => {
          // Enter in a field must not hand in the whole test.
          if (event.key === "Enter" && event.target.tagName === "INPUT") event.preventDefault();
        },
      }, views.map((view) => view.el),
      h("div", { class: "cf-actions cf-actions-end" },
        h("button", { type: "submit", class: "cf-button", "data-testid": "test-submit",
          text: t("test_submit") })),
      message);
      return form;
    },

    finishAttempt(block, views) {
      const test = this.state.test;
      const responses = {};
      for (const view of views) {
        responses[view.q.id] = view.get();
        this.state.answers[view.q.id] = { checked: true, value: responses[view.q.id] };
      }
      const result = score(views.map((view) => view.q), responses, this.gradedPoints());
      test.used = Math.min(test.used + 1, MAX_ATTEMPTS);
      test.last = result.permille;
      test.best = Math.max(test.best, result.permille);
      test.status = 2;
      for (const view of views) {
        const right = isCorrect(view.q, responses[view.q.id]);
        this.answered(block, view.q, responses[view.q.id], right ? "correct" : "incorrect",
          test.used);
      }
      const status = this.testStatus();
      const passed = passes(result.permille, this.data.course.passing_score);
      this.emit({ type: "test-finished", block: { id: block.id, kind: block.kind },
        raw: result.raw, max: result.max, scaled: result.permille / SCORE_MAX, passed,
        passingScore: this.data.course.passing_score, attempt: test.used,
        attemptsUsed: test.used, attemptsLeft: status.left, final: status.final,
        bestScaled: test.best / SCORE_MAX, summary: this.summary() });
      this.changed();
      const el = this.replaceBlock(block);
      const heading = el.querySelector(".cf-result-title");
      if (heading) heading.focus();
      this.announce(el.querySelector(".cf-result").textContent);
    },

    testResult(block) {
      const t = this.t;
      const fmt = this.fmt;
      const test = this.state.test;
      const status = this.testStatus();
      const mark = passMark(this.data);
      const passed = passes(test.last, this.data.course.passing_score);
      const retake = h("button", { type: "button", class: "cf-button", "data-testid": "test-retake",
        text: t("test_retake"), onclick: () => {
          this.startAttempt(block);
          const el = this.replaceBlock(block);
          const facts = el.querySelector(".cf-test-facts");
          if (facts) facts.focus();
          this.announce(t("test_new_attempt", { number: test.used + 1 }));
        } });
      const attempts = status.left == null ? t("test_attempts_used", { count: test.used })
        : t("test_attempts_left", { count: status.left });
      return h("div", { class: "cf-result " + (passed ? "cf-result-pass" : "cf-result-fail"),
        "data-testid": "test-result" },
      h("h2", { class: "cf-result-title", tabindex: "-1" }, icon(passed ? "check" : "cross"),
        t("test_result_heading")),
      h("p", { class: "cf-score", "data-testid": "test-score", "data-permille": test.last,
        text: t("test_score", { percent: fmt.percent(test.last / SCORE_MAX) }) }),
      h("p", { "data-testid": "test-status", "data-passed": String(passed),
        text: passed ? t("test_passed") : t("test_failed", { percent: fmt.percent(mark / SCORE_MAX) }) }),
      this.ix.graded.length ? h("p", { "data-testid": "test-scenario-points",
        text: t("test_scenario_points", { points: fmt.number(this.gradedPoints().raw),
          max: fmt.number(this.gradedPoints().max) }) }) : null,
      test.best !== test.last ? h("p", { text: t("test_best",
        { percent: fmt.percent(test.best / SCORE_MAX) }) }) : null,
      h("p", { text: attempts }),
      status.final && !status.passed ? h("p", { text: t("test_closed") }) : null,
      status.final ? h("p", { text: t("test_review_intro") }) : h("div", { class: "cf-actions" }, retake));
    },

    testReview(block) {
      const t = this.t;
      const layouts = testLayout(block, this.state.test.seed);
      const id = "cf-review-" + block.id;
      return h("section", { class: "cf-review", "aria-labelledby": id, "data-testid": "test-review" },
        h("h2", { id, text: t("test_review_heading") }),
        layouts.map((layout, i) => {
          const question = layout.question;
          const record = this.state.answers[question.id];
          const view = new QuestionView(this, layout, { number: i + 1, total: layouts.length,
            showPoints: true, live: false });
          if (record) view.set(record.value);
          view.disable(true);
          const right = Boolean(record) && isCorrect(question, record.value);
          view.showFeedback(right ? "correct" : "incorrect", record && record.value, {
            titles: { correct: t("review_correct"), incorrect: t("review_incorrect") },
            correctAnswer: right ? null : correctAnswerText(question, t, this.fmt),
          });
          return view.el;
        }));
    },

    // the evaluation

    renderSurvey(block) {
      const t = this.t;
      const wrap = this.blockShell(block);
      this.gate(block, this.gateSignature(block));
      if (!this.evaluationOpen()) {
        const test = this.requirements().filter((r) => r.key === "test");
        wrap.append(this.locked(t(this.data.completion.test === "attempt"
          ? "locked_evaluation_attempt" : "locked_evaluation_pass"), test));
        return wrap;
      }
      const answers = this.state.answers;
      const done = this.surveySubmitted(block);
      const views = block.questions.map((question, i) => {
        if (!this.shownAt[question.id]) this.shownAt[question.id] = Date.now();
        const view = new QuestionView(this, layoutFixed(question, false), {
          number: i + 1, total: block.questions.length, live: false,
          optional: question.type === "essay",
          onChange: (response) => {
            if (question.type === "essay") {
              this.drafts[question.id] = response;
              return;
            }
            if (response == null) delete answers[question.id];
            else answers[question.id] = { checked: false, value: response };
            this.save();
          },
        });
        const record = answers[question.id];
        if (record && record.value != null) view.set(record.value);
        else if (this.drafts[question.id]) view.set(this.drafts[question.id]);
        if (done) {
          view.disable(true);
          if (question.type === "essay") {
            view.control.el.hidden = true;
            view.feedback.append(h("p", { class: "cf-hint",
              text: t(record ? "essay_submitted" : "essay_skipped") }));
          }
        }
        return view;
      });
      if (done) {
        wrap.append(h("p", { class: "cf-success", tabindex: "-1", "data-testid": "survey-done" },
          icon("check"), t("survey_thanks")), ...views.map((view) => view.el));
        return wrap;
      }
      const message = h("p", { class: "cf-form-error", "aria-live": "polite" });
      wrap.append(h("form", { class: "cf-survey-form", novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          this.submitSurvey(block, views, message);
        },
        onkeydown: (event) => {
          if (event.key === "Enter" && event.target.tagName === "INPUT") event.preventDefault();
        },
      }, views.map((view) => view.el),
      h("div", { class: "cf-actions cf-actions-end" },
        h("button", { type: "submit", class: "cf-button", "data-testid": "survey-submit",
          text: t("survey_submit") })), message));
      return wrap;
    },

    submitSurvey(block, views, message) {
      const t = this.t;
      const missing = views.filter((view) => view.q.type !== "essay" && view.get() == null);
      views.forEach((view) => view.markMissing(missing.includes(view) && t("answer_first")));
      if (missing.length) {
        message.textContent = t("survey_unanswered", { count: missing.length });
        missing[0].focus();
        return;
      }
      const responses = views.map((view) => ({ question: view.q, response: view.get() }));
      for (const { question, response } of responses) {
        this.state.answers[question.id] = { checked: true, value: this.stored(question, response) };
        delete this.drafts[question.id];
        if (response != null) this.answered(block, question, response, "neutral", 1);
      }
      this.state.evaluation = this.ix.surveys.every((b) => this.surveySubmitted(b));
      this.emit({ type: "evaluation-submitted", block: { id: block.id, kind: block.kind },
        responses });
      this.changed();
      const el = this.replaceBlock(block);
      const done = el.querySelector(".cf-success");
      if (done) done.focus();
      this.announce(t("survey_thanks"));
    },
  });
})(window);
