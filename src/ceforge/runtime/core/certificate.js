/* ceforge runtime core: the certificate's day, facts and verification code. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { DAY_MS, SCORE_MAX } = Ceforge.limits;
  const { hash32 } = Ceforge.random;

  /** Today in the learner's calendar, as days since 1970-01-01. */
  function today() {
    const now = new Date();
    return Math.floor(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / DAY_MS);
  }

  function dayToISO(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  /** A 12-character code in groups of four, from the course, learner and completion day. */
  function verificationCode(courseId, learner, day) {
    const text = [courseId, (learner && learner.id) || "", (learner && learner.name) || "",
      dayToISO(day)].join("\n");
    let out = "";
    for (const basis of [0x811c9dc5, 0x050c5d1f]) {
      const bits = hash32(text, basis) >>> 2; // 30 bits, six characters
      for (let shift = 25; shift >= 0; shift -= 5) out += CODE_ALPHABET[(bits >>> shift) & 31];
    }
    return out.match(/.{4}/g).join("-");
  }

  /** What the certificate states besides the learner and the course: [term, value] pairs. */
  function facts(data, state, t, fmt) {
    const ce = data.course.ce;
    const list = [[t("certificate_date"), fmt.day(state.completed)]];
    if (ce && ce.hours != null) list.push([t("ce_hours"), fmt.number(ce.hours)]);
    if (ce && ce.level) list.push([t("ce_level"), t("level_" + ce.level)]);
    if (ce && ce.ethics) list.push([t("ce_ethics"), t("ce_ethics_yes")]);
    if (data.blocks.some((block) => block.kind === "test") && state.test.used > 0) {
      list.push([t("certificate_score"), fmt.percent(state.test.best / SCORE_MAX)]);
    }
    return list;
  }

  Ceforge.certificate = { verificationCode, today, dayToISO, facts };
})(window);
