/*
 * ceforge preview, strict LMS simulator: the data types of the SCORM run-time data models.
 *
 * Every check takes the value (a string) and returns null when it is valid, or a problem
 * `{kind, message}`: kind "type" (the value does not have the element's form) or "range" (it
 * has the form but lies outside the allowed range). The API turns "type" into 405 (1.2) or
 * 406 (2004) and "range" into 405 (1.2, which has no range error) or 407 (2004).
 *
 * SCORM 1.2: RTE 1.2, section 3.4.1 (CMIString255, CMIString4096, CMIIdentifier, CMIDecimal,
 * CMISInteger, CMITime, CMITimespan, CMIFeedback). SCORM 2004: RTE 4th edition, section 4.1.1
 * (characterstring, localized_string_type, language_type, long_identifier_type,
 * short_identifier_type, real(10,7), time(second,10,0), timeinterval(second,10,2)) and the
 * response formats of section 4.2.9. Where the standard leaves room, these checks take the
 * strict reading and say so (see docs/preview.md).
 */
(function (root) {
  "use strict";

  const Lms = (root.CeforgeLms = root.CeforgeLms || {});

  const ok = null;
  const type = (message) => ({ kind: "type", message });
  const range = (message) => ({ kind: "range", message });
  const show = (value) => JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value);

  // --- shared ---------------------------------------------------------------------------------

  /** A string of at most `max` characters (UTF-16 code units, as JavaScript counts them). */
  function string(max, name) {
    return (value) => (value.length <= max ? ok
      : type(`${value.length} characters; ${name || "this element"} holds at most ${max}`));
  }

  /** One of `words`, exactly (the vocabularies are case-sensitive). */
  function vocabulary(words) {
    return (value) => (words.includes(value) ? ok
      : type(`${show(value)} is not one of ${words.map((w) => JSON.stringify(w)).join(", ")}`));
  }

  /** A decimal number in `pattern`'s form, within [min, max] when those are given. */
  function number(pattern, what, min, max) {
    return (value) => {
      if (!pattern.test(value)) return type(`${show(value)} is not ${what}`);
      const n = Number(value);
      if (min != null && n < min) return range(`${value} is below ${min}`);
      if (max != null && n > max) return range(`${value} is above ${max}`);
      return ok;
    };
  }

  const DECIMAL = /^-?\d+(?:\.\d+)?$/; // no exponent, no "+", no bare "." (both versions)
  const INTEGER = /^-?\d+$/;

  // --- SCORM 1.2 ------------------------------------------------------------------------------

  const S12 = {};
  S12.string255 = string(255, "a CMIString255");
  S12.string4096 = string(4096, "a CMIString4096");
  /** CMIIdentifier: "alphanumeric, no white space": letters, digits, "-" and "_", 1-255. */
  S12.identifier = (value) => (/^[A-Za-z0-9_-]{1,255}$/.test(value) ? ok
    : type(`${show(value)} is not a CMIIdentifier (1-255 of A-Z a-z 0-9 - _)`));
  S12.decimal = (min, max) => number(DECIMAL, "a CMIDecimal", min, max);
  /** A score: CMIDecimal from 0 to 100, or CMIBlank. */
  S12.score = (value) => (value === "" ? ok : S12.decimal(0, 100)(value));
  S12.sinteger = (min, max) => number(INTEGER, "a CMISInteger", min, max);
  /** CMITimespan: HHHH:MM:SS.SS, 2 to 4 hour digits, at most 2 fraction digits. */
  S12.timespan = (value) => {
    const m = /^(\d{2,4}):(\d{2}):(\d{2})(?:\.\d{1,2})?$/.exec(value);
    if (!m) return type(`${show(value)} is not a CMITimespan (HHHH:MM:SS.SS)`);
    if (Number(m[2]) > 59 || Number(m[3]) > 59) return type(`${value}: minutes and seconds go to 59`);
    return ok;
  };
  /** CMITime: HH:MM:SS.SS, from 00:00:00 to 23:59:59.99. */
  S12.time = (value) => (/^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,2})?$/.test(value) ? ok
    : type(`${show(value)} is not a CMITime (HH:MM:SS.SS, 00:00:00 to 23:59:59.99)`));
  S12.result = (value) => (["correct", "wrong", "unanticipated", "neutral"].includes(value)
    || DECIMAL.test(value) ? ok
    : type(`${show(value)} is not correct, wrong, unanticipated, neutral or a CMIDecimal`));

  const CHAR = "[0-9a-z]";
  const S12_FEEDBACK = {
    "true-false": [/^[01tf]$/, "0, 1, t or f"],
    choice: [new RegExp(`^(?:${CHAR}(?:,${CHAR})*|\\{${CHAR}(?:,${CHAR})*\\})$`),
      "single characters 0-9 a-z separated by commas"],
    "fill-in": null,
    numeric: [DECIMAL, "a CMIDecimal"],
    likert: [new RegExp(`^${CHAR}$`), "a single character 0-9 a-z"],
    matching: [new RegExp(`^(?:${CHAR}\\.${CHAR}(?:,${CHAR}\\.${CHAR})*|`
      + `\\{${CHAR}\\.${CHAR}(?:,${CHAR}\\.${CHAR})*\\})$`), "pairs like 1.a,2.b"],
    performance: null,
    sequencing: [new RegExp(`^${CHAR}(?:,${CHAR})*$`),
      "single characters 0-9 a-z separated by commas"],
  };
  /** CMIFeedback of an interaction of `interactionType` (student_response and patterns). */
  S12.feedback = (interactionType) => (value) => {
    const long = S12.string255(value);
    if (long) return long;
    const rule = S12_FEEDBACK[interactionType];
    if (!rule) return ok; // fill-in, performance, or no type set: any CMIString255
    return rule[0].test(value) ? ok
      : type(`${show(value)} is not a ${interactionType} response (${rule[1]})`);
  };

  // --- SCORM 2004 -----------------------------------------------------------------------------

  const S04 = {};
  S04.characterstring = (spm) => string(spm, `a characterstring (SPM ${spm})`);

  const LANGUAGE = /^(?:[A-Za-z]{2,3}|[iIxX])(?:-[A-Za-z0-9]{1,8})*$/;
  /** language_type: an ISO 639 code (or i-, x-) with subtags, or empty. */
  S04.language = (value) => (value === "" || LANGUAGE.test(value) ? ok
    : type(`${show(value)} is not a language code such as en or en-US`));

  /** localized_string_type: an optional {lang=xx} delimiter, then at most `spm` characters;
   * "{" opens only that delimiter (RTE 4.1.1.6: the text itself cannot start with one). */
  S04.localized = (spm) => (value) => {
    let text = value;
    if (value.startsWith("{lang=")) {
      const end = value.indexOf("}");
      if (end < 0) return type(`${show(value)}: the {lang=...} delimiter is not closed`);
      const language = value.slice(6, end);
      if (!LANGUAGE.test(language)) return type(`{lang=${language}}: not a language code`);
      text = value.slice(end + 1);
    }
    if (text.startsWith("{")) {
      return type(`${show(value)}: starts with "{" but no {lang=...} delimiter`);
    }
    return text.length <= spm ? ok
      : type(`${text.length} characters; a localized string holds at most ${spm}`);
  };

  // RFC 3986 characters (unreserved, sub-delims, ":", "/", "?", "#", "@") and %-escapes;
  // "[" and "]" are left out: they would clash with the [,] [.] [:] delimiters.
  const URI_CHARS = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:/?#@]|%[0-9A-Fa-f]{2})+$/;
  const URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$/i;

  /** long_identifier_type (SPM 4000) and short_identifier_type (SPM 250): a URI, no spaces;
   * one that starts with urn: is a URN (urn:<NID>:<NSS>). */
  function identifier(spm, name) {
    return (value) => {
      if (value === "") return type(`an empty ${name}`);
      if (/\s/.test(value)) return type(`${show(value)}: a ${name} has no white space`);
      if (!URI_CHARS.test(value)) return type(`${show(value)} is not a URI (${name})`);
      if (/^urn:/i.test(value) && !URN.test(value)) {
        return type(`${show(value)} starts with urn: but is not a URN (urn:<NID>:<NSS>)`);
      }
      return value.length <= spm ? ok : type(`${value.length} characters; a ${name} holds at most ${spm}`);
    };
  }
  S04.longIdentifier = identifier(4000, "long_identifier_type");
  S04.shortIdentifier = identifier(250, "short_identifier_type");

  /** real(10,7), within [min, max] when given. */
  S04.real = (min, max) => number(DECIMAL, "a real number", min, max);
  S04.integer = (min, max) => number(INTEGER, "an integer", min, max);

  const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  /** time(second,10,0): YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]], 1970-2038, at most 2
   * fraction digits; the time zone only after the fraction, as the RTE writes it. */
  S04.time = (value) => {
    const m = new RegExp("^(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2})(?::(\\d{2})"
      + "(?::(\\d{2})(?:\\.(\\d+)(Z|[+-]\\d{2}(?::?\\d{2})?)?)?)?)?)?)?)?$").exec(value);
    if (!m) {
      return type(`${show(value)} is not a time(second,10,0) `
        + "(YYYY-MM-DDThh:mm:ss.s with a zone only after the fraction: 2026-01-05T09:30:00.0Z)");
    }
    const [, year, month, day, hour, minute, second, fraction, zone] = m;
    const y = Number(year);
    if (y < 1970 || y > 2038) return type(`year ${year} is outside 1970-2038`);
    if (month && (Number(month) < 1 || Number(month) > 12)) return type(`month ${month}`);
    if (day) {
      const d = Number(day);
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      const last = Number(month) === 2 && !leap ? 28 : DAYS[Number(month) - 1];
      if (d < 1 || d > last) return type(`${year}-${month} has no day ${day}`);
    }
    if (hour && Number(hour) > 23) return type(`hour ${hour}`);
    if (minute && Number(minute) > 59) return type(`minute ${minute}`);
    if (second && Number(second) > 59) return type(`second ${second}`);
    if (fraction && fraction.length > 2) {
      return type(`${show(value)}: ${fraction.length} fraction digits; at most 2`);
    }
    if (zone && zone !== "Z") {
      const zm = /^[+-](\d{2})(?::?(\d{2}))?$/.exec(zone);
      if (Number(zm[1]) > 23 || (zm[2] && Number(zm[2]) > 59)) return type(`time zone ${zone}`);
    }
    return ok;
  };

  /** timeinterval(second,10,2): P[nY][nM][nD][T[nH][nM][n[.nn]S]], at least one part,
   * no T without a time part, at most 2 fraction digits on the seconds and nowhere else. */
  S04.interval = (value) => {
    const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?)?$/
      .exec(value);
    const what = "is not a timeinterval (P1DT2H3M4.5S, at most 2 fraction digits)";
    if (!m) return type(`${show(value)} ${what}`);
    const parts = m.slice(1, 7);
    if (parts.every((p) => p === undefined)) return type(`${show(value)} has no parts`);
    if (value.includes("T") && parts.slice(3).every((p) => p === undefined)) {
      return type(`${show(value)}: T with no hours, minutes or seconds`);
    }
    if (m[7] && m[7].length > 2) return type(`${show(value)}: ${m[7].length} fraction digits`);
    return ok;
  };

  /** The centiseconds of a 1.2 timespan or a 2004 interval (years 365 days, months 30). */
  Lms.centiseconds = (value) => {
    let m = /^(\d+):(\d{2}):(\d{2})(?:\.(\d{1,2}))?$/.exec(value);
    if (m) {
      return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 100
        + Number((m[4] || "0").padEnd(2, "0"));
    }
    m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?)?$/
      .exec(value || "");
    if (!m) return 0;
    const n = (i) => Number(m[i] || 0);
    const days = n(1) * 365 + n(2) * 30 + n(3);
    const seconds = ((days * 24 + n(4)) * 60 + n(5)) * 60 + n(6);
    return seconds * 100 + Number((m[7] || "0").slice(0, 2).padEnd(2, "0"));
  };

  /** Centiseconds as a 1.2 CMITimespan (0000:00:00.00) and a 2004 interval (PT1H2M3.5S). */
  Lms.timespan12 = (cs) => {
    const hours = Math.min(Math.floor(cs / 360000), 9999);
    const pad = (n) => String(n).padStart(2, "0");
    return `${String(hours).padStart(4, "0")}:${pad(Math.floor(cs / 6000) % 60)}:`
      + `${pad(Math.floor(cs / 100) % 60)}.${pad(cs % 100)}`;
  };
  Lms.interval2004 = (cs) => {
    const h = Math.floor(cs / 360000);
    const min = Math.floor(cs / 6000) % 60;
    const s = (cs % 6000) / 100;
    return `PT${h}H${min}M${Number.isInteger(s) ? s : s.toFixed(2).replace(/0$/, "")}S`;
  };

  S04.result = (value) => (["correct", "incorrect", "unanticipated", "neutral"].includes(value)
    || DECIMAL.test(value) ? ok
    : type(`${show(value)} is not correct, incorrect, unanticipated, neutral or a real number`));

  // --- SCORM 2004 responses (RTE 4.2.9) -------------------------------------------------------

  function split(value, delimiter) {
    return value.split(delimiter);
  }

  /** Strip the leading {name=true|false} delimiters of a pattern that may carry them. */
  function stripFlags(value, names) {
    let text = value;
    const seen = new Set();
    for (;;) {
      const m = /^\{(case_matters|order_matters)=([^}]*)\}/.exec(text);
      if (!m) return { text };
      if (!names.includes(m[1]) || seen.has(m[1])) return { error: type(`{${m[1]}=...} is not allowed here`) };
      if (m[2] !== "true" && m[2] !== "false") return { error: type(`{${m[1]}=${m[2]}}: true or false`) };
      seen.add(m[1]);
      text = text.slice(m[0].length);
    }
  }

  function each(items, check) {
    for (const item of items) {
      const problem = check(item);
      if (problem) return problem;
    }
    return ok;
  }

  function identifierSet(value, unique, allowEmpty) {
    if (value === "") return allowEmpty ? ok : type("an empty response");
    const ids = split(value, "[,]");
    const problem = each(ids, S04.shortIdentifier);
    if (problem) return problem;
    if (unique && new Set(ids).size !== ids.length) return type(`${show(value)} repeats an identifier`);
    return ok;
  }

  function pairs(value, second) {
    if (value === "") return type("an empty response");
    return each(split(value, "[,]"), (pair) => {
      const parts = split(pair, "[.]");
      if (parts.length !== 2) return type(`${show(pair)} is not a source[.]target pair`);
      return S04.shortIdentifier(parts[0]) || second(parts[1]);
    });
  }

  /** A numeric pattern: <min>[:]<max>, either bound left out for none (RTE 4.2.9.1: one number
   * is the same number twice). */
  function numericRange(value) {
    const parts = split(value, "[:]");
    if (parts.length !== 2) return type(`${show(value)} is not min[:]max`);
    const problem = each(parts.filter((p) => p !== ""), S04.real());
    if (problem) return problem;
    if (parts[0] !== "" && parts[1] !== "" && Number(parts[0]) > Number(parts[1])) {
      return type(`${show(value)}: min is above max`);
    }
    return ok;
  }

  function performanceStep(allowRange) {
    return (step) => {
      const parts = split(step, "[.]");
      if (parts.length !== 2) return type(`${show(step)} is not step_name[.]step_answer`);
      const [name, answer] = parts;
      if (name === "" && answer === "") return type("a step with neither name nor answer");
      const badName = name === "" ? ok : S04.shortIdentifier(name);
      if (badName) return badName;
      if (answer === "") return ok;
      if (allowRange && answer.includes("[:]")) return numericRange(answer);
      return S04.real()(answer) ? S04.shortIdentifier(answer) : ok; // a number, or an id
    };
  }

  /** Checks of cmi.interactions.n.learner_response by interaction type. */
  const LEARNER_RESPONSE = {
    "true-false": vocabulary(["true", "false"]),
    choice: (v) => identifierSet(v, true, true),
    "fill-in": (v) => {
      const items = split(v, "[,]");
      return items.length > 10 ? type(`${items.length} strings; at most 10`) : each(items, S04.localized(250));
    },
    "long-fill-in": S04.localized(4000),
    likert: S04.shortIdentifier,
    matching: (v) => pairs(v, S04.shortIdentifier),
    performance: (v) => (v === "" ? type("an empty response") : each(split(v, "[,]"), performanceStep(false))),
    sequencing: (v) => identifierSet(v, false, false),
    numeric: S04.real(),
    other: S04.characterstring(4000),
  };

  /** Checks of cmi.interactions.n.correct_responses.m.pattern by interaction type. */
  const PATTERN = {
    "true-false": vocabulary(["true", "false"]),
    choice: (v) => identifierSet(v, true, true),
    "fill-in": (v) => {
      const flags = stripFlags(v, ["case_matters", "order_matters"]);
      if (flags.error) return flags.error;
      const items = split(flags.text, "[,]");
      return items.length > 10 ? type(`${items.length} strings; at most 10`) : each(items, S04.localized(250));
    },
    "long-fill-in": (v) => {
      const flags = stripFlags(v, ["case_matters"]);
      return flags.error || S04.localized(4000)(flags.text);
    },
    likert: S04.shortIdentifier,
    matching: (v) => pairs(v, S04.shortIdentifier),
    performance: (v) => {
      const flags = stripFlags(v, ["order_matters"]);
      if (flags.error) return flags.error;
      return flags.text === "" ? type("an empty pattern") : each(split(flags.text, "[,]"), performanceStep(true));
    },
    sequencing: (v) => identifierSet(v, false, false),
    numeric: numericRange,
    other: S04.characterstring(4000),
  };

  /** How many correct response patterns an interaction type allows (RTE 4.2.9.1): the types
   * listed allow one; the others any number. */
  S04.patternLimit = { "true-false": 1, likert: 1, numeric: 1, other: 1 };
  S04.learnerResponse = (interactionType) => LEARNER_RESPONSE[interactionType] || S04.characterstring(4000);
  S04.pattern = (interactionType) => PATTERN[interactionType] || S04.characterstring(4000);

  S04.navRequest = (edition) => (value) => {
    const words = ["continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll",
      "_none_"];
    if (words.includes(value)) return ok;
    const m = /^\{target=([^{}\s]+)\}(choice|jump)$/.exec(value);
    if (m && (m[2] === "choice" || edition >= 4)) return ok;
    return type(`${show(value)} is not a navigation request`
      + ` (${words.join(", ")}, {target=ID}choice${edition >= 4 ? ", {target=ID}jump" : ""})`);
  };

  Lms.types = { ok, type, range, vocabulary, string, scorm12: S12, scorm2004: S04 };
})(window);
