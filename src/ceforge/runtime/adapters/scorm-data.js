/* ceforge runtime, SCORM: values as LMSs take them: times, numbers, names, interactions. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;

  // --- formats ----------------------------------------------------------------------------------

  const pad = (n, width) => String(n).padStart(width || 2, "0");

  /** Hundredths of a second, rounded, never negative. */
  function hundredths(seconds) {
    return Math.round(Math.max(Number(seconds) || 0, 0) * 100);
  }

  /** SCORM 1.2 CMITimespan: HH:MM:SS or HH:MM:SS.SS, 2 to 4 hour digits (9999 h at most). */
  function cmiTimespan(seconds) {
    const cap = 9999 * 360000 + 359999;
    const total = Math.min(hundredths(seconds), cap);
    const hours = Math.floor(total / 360000);
    const minutes = Math.floor((total % 360000) / 6000);
    const rest = total % 6000;
    const whole = Math.floor(rest / 100);
    const fraction = rest % 100;
    return pad(hours) + ":" + pad(minutes) + ":" + pad(whole) + (fraction ? "." + pad(fraction) : "");
  }

  /** SCORM 1.2 CMITime: the time of day, HH:MM:SS, in the learner's time zone. */
  function cmiTime(date) {
    return pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds());
  }

  /** SCORM 2004 time (second, 10, 0): UTC, hundredths of a second at most (Moodle's rule). */
  function isoTimestamp(date) {
    return date.getUTCFullYear() + "-" + pad(date.getUTCMonth() + 1) + "-" +
      pad(date.getUTCDate()) + "T" + pad(date.getUTCHours()) + ":" + pad(date.getUTCMinutes()) +
      ":" + pad(date.getUTCSeconds()) + "." + pad(Math.floor(date.getUTCMilliseconds() / 10)) +
      "Z";
  }

  /** A number as a plain decimal (no exponent), at most `digits` fraction digits. */
  function decimal(value, digits) {
    const text = Number(value).toLocaleString("en-US", { useGrouping: false,
      maximumFractionDigits: digits === undefined ? 7 : digits });
    return text === "-0" ? "0" : text;
  }

  /** A learner's numeric answer, as typed, as a plain decimal ("3,5" -> "3.5"); "" if none. */
  function decimalText(text) {
    const value = String(text == null ? "" : text).trim().replace(",", ".");
    const match = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(value);
    if (!match || !(match[2] || match[3])) return "";
    const whole = (match[2] || "0").replace(/^0+(?=\d)/, "");
    const fraction = (match[3] || "").replace(/0+$/, "");
    const sign = match[1] === "-" && (/[1-9]/.test(whole) || fraction) ? "-" : "";
    return sign + whole + (fraction ? "." + fraction : "");
  }

  /** "Last, First" (how LMSs give names) turned around: "First Last". */
  function learnerName(value) {
    const text = String(value || "").replace(/^\{lang=[^}]*\}/, "").replace(/\s+/g, " ").trim();
    const comma = text.indexOf(",");
    if (comma < 0) return text;
    const last = text.slice(0, comma).trim();
    const first = text.slice(comma + 1).trim();
    return first && last ? first + " " + last : first || last;
  }

  // --- responses --------------------------------------------------------------------------------

  /** The chosen ids of a response in the question's written order (multiple-choice). */
  function inWrittenOrder(question, ids) {
    const chosen = new Set(ids || []);
    return question.choices.filter((c) => chosen.has(c.id)).map((c) => c.id);
  }

  /** Matching pairs, sources in written order, unmatched ones left out. */
  function pairs(question, response) {
    const targets = new Map(response || []);
    return question.sources.filter((s) => targets.has(s.id)).map((s) => [s.id, targets.get(s.id)]);
  }

  // --- interaction records ----------------------------------------------------------------------

  /** Interaction types of the question types both versions type alike; each adds `essay`. */
  const INTERACTION_TYPES = {
    "choice": "choice",
    "multiple-choice": "choice",
    "true-false": "true-false",
    "likert": "likert",
    "sequencing": "sequencing",
    "matching": "matching",
    "fill-in": "fill-in",
    "numeric": "numeric",
  };

  /**
   * A response (docs/runtime.md, "Responses") in a version's format, `record` being its
   * table (see `interactionWrites`): ids joined with `record.list`, a matching pair with
   * `record.pair`; a choice or likert id as it is, a number as a plain decimal.
   */
  function responseText(record, question, value) {
    if (value == null) return "";
    switch (question.type) {
      case "true-false":
        return record.trueFalse(value);
      case "multiple-choice":
        return inWrittenOrder(question, value).join(record.list);
      case "sequencing":
        return value.join(record.list);
      case "matching":
        return pairs(question, value).map((pair) => pair[0] + record.pair + pair[1])
          .join(record.list);
      case "numeric":
        return decimalText(value);
      case "fill-in":
        return record.fillIn(value);
      case "essay":
        return record.essay(value);
      default:
        return String(value);
    }
  }

  /**
   * The correct-response patterns in a version's format: one for every type with a right
   * answer, but one per fill-in alternative (the first 5) and a numeric's as `record.range`
   * says; none for likert and essay.
   */
  function correctPatterns(record, question) {
    const correct = question.choices.filter((c) => c.correct).map((c) => c.id);
    switch (question.type) {
      case "choice":
        return correct.slice(0, 1);
      case "true-false":
        return correct.slice(0, 1).map((id) => record.trueFalse(id));
      case "multiple-choice":
        return [correct.join(record.list)];
      case "sequencing":
        return [question.choices.map((c) => c.id).join(record.list)];
      case "matching":
        return [question.sources.map((s) => s.id + record.pair + s.match).join(record.list)];
      case "fill-in":
        return (question.answers || []).slice(0, 5).map((a) => record.fillIn(a));
      case "numeric":
        return question.numeric ? record.range(question.numeric) : [];
      default:
        return [];
    }
  }

  /**
   * A dialect's `interactionWrites(prefix, event, data)`: the [element, value] pairs that
   * record a `question-answered` event at `prefix` (cmi.interactions.n.), in the order both
   * versions write them: id first and type before the responses (2004 requires it), then the
   * description, the time, weighting (points in the post-test, 0 elsewhere), the response,
   * result, latency and the correct-response patterns. `record`, the version's table:
   * `id(questionId)`; `types` (question type -> interaction type) and `otherType`;
   * `description(question, data)` or null where the version has none; `timeElement` and
   * `time(date)`; `weighting(points)`; `responseElement`; `list`, `pair`, `trueFalse(id)`,
   * `fillIn(text)`, `essay(text)` and `range({min, max})` (a list of patterns) for the
   * responses and patterns; `result(result)`; `duration(seconds)` for the latency.
   */
  function interactionWrites(record) {
    return (prefix, event, data) => {
      const question = event.question;
      const when = new Date(event.timestamp);
      const writes = [
        [prefix + "id", record.id(question.id)],
        [prefix + "type", record.types[question.type] || record.otherType],
      ];
      if (record.description) {
        writes.push([prefix + "description", record.description(question, data)]);
      }
      const time = Number.isNaN(when.getTime()) ? new Date() : when;
      const weighting = event.block.kind === "test" ? record.weighting(question.points) : "0";
      writes.push(
        [prefix + record.timeElement, record.time(time)],
        [prefix + "weighting", weighting],
        [prefix + record.responseElement, responseText(record, question, event.response)],
        [prefix + "result", record.result(event.result)],
        [prefix + "latency", record.duration((event.latencyMs || 0) / 1000)],
      );
      correctPatterns(record, question).forEach((pattern, n) => {
        writes.push([prefix + "correct_responses." + n + ".pattern", pattern]);
      });
      return writes;
    };
  }

  Object.assign(Ceforge.scorm, {
    cmiTimespan,
    isoDuration: Ceforge.text.isoDuration, // SCORM 2004's timeinterval: the core's one writer
    cmiTime,
    isoTimestamp,
    decimal,
    decimalText,
    learnerName,
    inWrittenOrder,
    pairs,
    INTERACTION_TYPES,
    interactionWrites,
  });
})(window);
