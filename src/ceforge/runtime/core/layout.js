/* ceforge runtime core: the order a learner sees questions, choices and items in. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { mulberry32, hash32, shuffled } = Ceforge.random;

  /** Display orders of one question, drawn from `rng` in a fixed order. */
  function layoutQuestion(question, rng, shuffleChoices) {
    const layout = { question, choices: question.choices };
    if (shuffleChoices && (question.type === "choice" || question.type === "multiple-choice")) {
      layout.choices = shuffled(question.choices, rng);
    }
    if (question.type === "sequencing") {
      let order = shuffled(question.choices.map((c) => c.id), rng);
      if (order.length > 1 && order.every((id, i) => id === question.choices[i].id)) {
        order = order.slice(1).concat(order[0]); // never start in the right order
      }
      layout.sequence = order;
    }
    if (question.type === "matching") layout.targets = shuffled(question.targets, rng);
    return layout;
  }

  /** A knowledge check or survey question: the same order on every visit. */
  function layoutFixed(question, shuffleChoices) {
    return layoutQuestion(question, mulberry32(hash32(question.id)), shuffleChoices);
  }

  /** The questions of a test attempt and their orders, all derived from the attempt's seed. */
  function testLayout(block, seed) {
    const rng = mulberry32(seed);
    const pool = block.questions.length;
    const count = block.draw == null ? pool : Math.min(block.draw, pool);
    let drawn = shuffled(block.questions.map((q, i) => i), rng).slice(0, count);
    if (!block.shuffle) drawn = drawn.sort((a, b) => a - b);
    return drawn.map((i) => layoutQuestion(block.questions[i], rng, block.shuffle));
  }

  Ceforge.layout = { question: layoutQuestion, fixed: layoutFixed, test: testLayout };
})(window);
