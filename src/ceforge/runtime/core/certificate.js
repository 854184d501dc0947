/* ceforge runtime core: the certificate's day, facts and verification code. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { DAY_MS, SCORE_MAX, CODE_LENGTH } = Ceforge.limits;

  /** Today in the learner's calendar, as days since 1970-01-01. */
  function today() {
    const now = new Date();
    return Math.floor(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / DAY_MS);
  }

  function dayToISO(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  // --- the verification code (docs/runtime.md, "The certificate") -----------------------------

  const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  /** The Luhn mod 32 check character of `body` (ceforge.certificate.check_character). */
  function checkCharacter(body) {
    const n = CODE_ALPHABET.length;
    let total = 0;
    let factor = 2;
    for (let i = body.length - 1; i >= 0; i--) {
      const addend = factor * CODE_ALPHABET.indexOf(body[i]);
      factor = factor === 2 ? 1 : 2;
      total += Math.floor(addend / n) + (addend % n);
    }
    return CODE_ALPHABET[(n - (total % n)) % n];
  }

  /** A random number below 32 from the browser's cryptographic generator. */
  function randomBelow32() {
    const crypto = root.crypto;
    if (!crypto || typeof crypto.getRandomValues !== "function") {
      throw new Error("this browser has no crypto.getRandomValues");
    }
    return crypto.getRandomValues(new Uint8Array(1))[0] & 31; // 256 is a multiple of 32
  }

  /**
   * A new verification code, drawn when the course is completed: eleven random characters
   * (55 bits) and the check character, kept without dashes. Nothing in the package can work
   * it out: the provider's records, to which the completion sends it, are what make it valid.
   * `random` (for tests) gives numbers below 32.
   */
  function newCode(random) {
    const draw = random || randomBelow32;
    let body = "";
    for (let i = 0; i < CODE_LENGTH - 1; i++) body += CODE_ALPHABET[draw()];
    return body + checkCharacter(body);
  }

  /** The code as printed: ABCD-EFGH-JKLM. */
  function printedCode(code) {
    return (String(code).match(/.{1,4}/g) || []).join("-");
  }

  // --- what the certificate states -------------------------------------------------------------

  /**
   * What the certificate states besides the learner, the course and the approvals:
   * `[key, term, value]` triples (the key names the field: date, hours, ethics-hours, format,
   * level, score).
   */
  function facts(data, state, t, fmt) {
    const ce = data.course.ce;
    const list = [["date", t("certificate_date"), fmt.day(state.completed)]];
    if (ce && ce.hours != null) list.push(["hours", t("ce_hours"), fmt.number(ce.hours)]);
    if (ce && ce.ethics_hours) {
      list.push(["ethics-hours", t("ce_ethics_hours"), fmt.number(ce.ethics_hours)]);
    }
    if (ce && ce.format_label) list.push(["format", t("ce_format"), ce.format_label]);
    if (ce && ce.level) {
      list.push(["level", t("ce_level"), ce.level_label || t("level_" + ce.level)]);
    }
    if (data.blocks.some((block) => block.kind === "test") && state.test.used > 0) {
      list.push(["score", t("certificate_score"), fmt.percent(state.test.best / SCORE_MAX)]);
    }
    return list;
  }

  /** The presenters as the certificate names them: "Name, credentials". */
  function presenters(data) {
    const ce = data.course.ce;
    return ((ce && ce.presenters) || []).map((p) =>
      p.name + (p.credentials ? ", " + p.credentials : ""));
  }

  /** How to reach the provider, in one line: address, email, phone, website. */
  function contactLine(data) {
    const contact = (data.course.ce && data.course.ce.contact) || {};
    const address = String(contact.address || "").split("\n").map((line) => line.trim())
      .filter(Boolean).join(", ");
    return [address, contact.email, contact.phone, contact.website].filter(Boolean).join(" · ");
  }

  Ceforge.certificate = { today, dayToISO, CODE_ALPHABET, checkCharacter, newCode, printedCode,
    facts, presenters, contactLine };
})(window);
