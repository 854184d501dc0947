/* ceforge runtime core: answer rules, scores and the post-test's verdict. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { SCORE_MAX } = Ceforge.limits;

  // The fill-in answer rule (docs/runtime.md, "Answer rules"). The build applies the same to
  // the accepted answers (ceforge.answers.normalize_answer: the course data's `accept`), and
  // tests/js/answers.test.js and tests/test_answers.py hold the two to the same cases.
  const INVISIBLE = /[\u00ad\u200b\u2060\ufeff]/g;
  const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u2039\u203a]/g;
  const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g;
  const DASHES = /[\u2010-\u2015\u2212\u2043]/g;
  const WHITE_SPACE =
    /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

  /** Typographic quotes and dashes as a keyboard types them; invisible characters removed. */
  function keyboard(text) {
    return text.replace(INVISIBLE, "").replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, "\"")
      .replace(DASHES, "-").replace(/\u2044/g, "/");
  }

  /** A typed answer as it is compared: keyboard forms, NFKC, white space folded, lower case
   * by Unicode's default mapping (the same in every language, and in the build). */
  function normalizeText(text) {
    const typed = keyboard(keyboard(String(text)).normalize("NFKC"));
    return typed.replace(WHITE_SPACE, " ").replace(/^ | $/g, "").toLowerCase();
  }

  /** The number a learner typed (`,` or `.` as the decimal mark), or NaN. */
  function parseNumber(text) {
    let value = String(text == null ? "" : text).trim();
    if (/^[-+]?\d*,\d+$/.test(value)) value = value.replace(",", ".");
    if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(value)) return NaN;
    return Number(value);
  }

  const GRADED = new Set(["choice", "true-false", "multiple-choice", "fill-in", "numeric",
    "matching", "sequencing"]);

  function isGraded(question) {
    return GRADED.has(question.type);
  }

  /** Whether `response` (the neutral form) is complete enough to check or submit. */
  function answerProblem(question, response) {
    switch (question.type) {
      case "numeric":
        if (response == null || !String(response).trim()) return "answer_first";
        return Number.isNaN(parseNumber(response)) ? "enter_number" : null;
      case "matching":
        if (!response || !response.length) return "answer_first";
        return response.length < question.sources.length ? "match_all" : null;
      case "sequencing":
        return null;
      case "multiple-choice":
        return response && response.length ? null : "answer_first";
      default:
        return response == null || !String(response).trim() ? "answer_first" : null;
    }
  }

  function isAnswered(question, response) {
    return answerProblem(question, response) === null;
  }

  /** true or false for a graded question, null for likert and essay (no right answer). */
  function isCorrect(question, response) {
    if (!isGraded(question)) return null;
    if (!isAnswered(question, response)) return false;
    const right = question.choices.filter((c) => c.correct).map((c) => c.id);
    switch (question.type) {
      case "choice":
      case "true-false":
        return right.length === 1 && response === right[0];
      case "multiple-choice": {
        const chosen = new Set(response);
        return chosen.size === response.length && chosen.size === right.length &&
          right.every((id) => chosen.has(id));
      }
      case "fill-in":
        return (question.accept || []).indexOf(normalizeText(response)) >= 0;
      case "numeric": {
        const value = parseNumber(response);
        const { min, max } = question.numeric;
        const slack = 1e-9 * Math.max(1, Math.abs(min), Math.abs(max));
        return value >= min - slack && value <= max + slack;
      }
      case "matching": {
        const pairs = new Map(response);
        return pairs.size === question.sources.length &&
          question.sources.every((s) => pairs.get(s.id) === s.match);
      }
      case "sequencing":
        return response.length === question.choices.length &&
          question.choices.every((c, i) => response[i] === c.id);
      default:
        return false;
    }
  }

  /** The right answer in the neutral response form (fill-in: every alternative). */
  function correctResponse(question) {
    switch (question.type) {
      case "choice":
      case "true-false":
        return (question.choices.find((c) => c.correct) || {}).id || null;
      case "multiple-choice":
        return question.choices.filter((c) => c.correct).map((c) => c.id);
      case "sequencing":
        return question.choices.map((c) => c.id);
      case "matching":
        return question.sources.map((s) => [s.id, s.match]);
      case "fill-in":
        return (question.answers || []).slice();
      case "numeric":
        return { min: question.numeric.min, max: question.numeric.max };
      default:
        return null;
    }
  }

  /**
   * Points of right answers over points of `questions`; `responses` maps question id. `extra`
   * (`{raw, max}`, optional) adds points earned elsewhere: the graded scenarios' ends.
   */
  function score(questions, responses, extra) {
    let raw = extra ? extra.raw : 0;
    let max = extra ? extra.max : 0;
    for (const question of questions) {
      max += question.points;
      if (isCorrect(question, responses[question.id])) raw += question.points;
    }
    const scaled = max > 0 ? raw / max : 0;
    return { raw, max, scaled, permille: toPermille(scaled) };
  }

  /** A score (0-1) kept in thousandths, rounded down (with 10^-9 of floating-point slack). */
  function toPermille(scaled) {
    return Math.max(0, Math.min(SCORE_MAX, Math.floor(scaled * SCORE_MAX + 1e-9)));
  }

  /** A mastery score (0-1) as a mark in thousandths, rounded up: the least kept score that
   * reaches it (0.6666 gives 667: 666 would be 0.666, below the mastery score). */
  function toMark(mastery) {
    return Math.max(0, Math.min(SCORE_MAX, Math.ceil(Number(mastery) * SCORE_MAX - 1e-9)));
  }

  /**
   * The post-test's verdict, the one rule (docs/runtime.md, "The verdict"): a score kept in
   * thousandths passes a mastery score (the course's passing_score, or a cmi5 LMS's
   * masteryScore) when it reaches the mark, the mastery score rounded up to a thousandth. The
   * core decides with it and every adapter reports the core's decision; ceforge.verdict is the
   * same rule in Python, for `ceforge statements`.
   */
  function passes(permille, mastery) {
    return permille >= toMark(mastery);
  }

  /** The course's mark in thousandths, as the learner is told it ("You need 80%"). */
  function passMark(data) {
    return toMark(data.course.passing_score);
  }

  /** The right answer of `question` as text, to reveal after the test is over. */
  function correctAnswerText(question, t, fmt) {
    const texts = (ids) => ids.map((id) => (question.choices.find((c) => c.id === id) || {}).text);
    switch (question.type) {
      case "choice":
      case "true-false":
      case "multiple-choice":
        return texts(question.choices.filter((c) => c.correct).map((c) => c.id)).join("; ");
      case "fill-in":
        return (question.answers || [])[0] || "";
      case "numeric": {
        const { min, max } = question.numeric;
        return min === max ? fmt.number(min)
          : t("number_range", { min: fmt.number(min), max: fmt.number(max) });
      }
      case "matching":
        return question.sources.map((s) => s.text + " → " +
          (question.targets.find((target) => target.id === s.match) || {}).text).join("; ");
      case "sequencing":
        return question.choices.map((c, i) => (i + 1) + ". " + c.text).join("  ");
      default:
        return "";
    }
  }

  Ceforge.scoring = { isGraded, isCorrect, isAnswered, answerProblem, correctResponse,
    correctAnswerText, score, normalizeText, parseNumber, passes, passMark, toPermille, toMark };
})(window);
