/* ceforge runtime core: helpers of every part: UI strings, formats, building elements. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { DAY_MS } = Ceforge.limits;

  function format(template, params) {
    return String(template).replace(/\{(\w+)\}/g, (whole, name) =>
      params && Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole);
  }

  /** `t(key, params)`: the course language's UI string, placeholders filled in. */
  function translator(messages) {
    const table = messages || {};
    return (key, params) => format(Object.prototype.hasOwnProperty.call(table, key)
      ? table[key] : key, params);
  }

  /**
   * Build an element. Props: `text` (textContent), `html` (innerHTML: trusted course HTML
   * only, never learner input), `class`, `on<event>` listeners, `hidden`/`disabled`/`checked`/
   * `value` as properties, anything else as an attribute. Strings among the children become
   * text nodes.
   */
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    if (props) {
      for (const key of Object.keys(props)) {
        const value = props[key];
        if (value == null || value === false) continue;
        if (key === "text") el.textContent = value;
        else if (key === "html") el.innerHTML = value;
        else if (key === "class") el.className = value;
        else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
        else if (key === "hidden" || key === "disabled" || key === "checked" || key === "value") {
          el[key] = value;
        } else el.setAttribute(key, value === true ? "" : String(value));
      }
    }
    for (const child of children.flat(Infinity)) {
      if (child == null || child === false) continue;
      el.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return el;
  }

  const ICONS = {
    check: "M4 10.5l4 4 8-9",
    cross: "M5 5l10 10M15 5L5 15",
    lock: "M6 9V6.5a4 4 0 0 1 8 0V9M4.5 9h11v8h-11z",
    dot: "M10 6.5a3.5 3.5 0 1 1 0 7a3.5 3.5 0 1 1 0-7z",
    info: "M10 2.5a7.5 7.5 0 1 1 0 15a7.5 7.5 0 1 1 0-15zM10 9.5v4M10 6.5v.2",
    up: "M5 12l5-5 5 5",
    down: "M5 8l5 5 5-5",
    prev: "M12 5l-5 5 5 5",
    next: "M8 5l5 5-5 5",
  };

  function icon(name) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("class", "cf-icon cf-icon-" + name);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  function warn(what, error) {
    if (root.console && root.console.warn) root.console.warn("ceforge: " + what, error);
  }

  function safeLanguage(language) {
    try {
      return Intl.getCanonicalLocales(language)[0] || "en";
    } catch {
      return "en";
    }
  }

  function textOf(html) {
    const box = document.createElement("div");
    box.innerHTML = html;
    return (box.textContent || "").replace(/\s+/g, " ").trim();
  }

  function formatters(language) {
    const number = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
    const percent = new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 1 });
    const date = new Intl.DateTimeFormat(language, { year: "numeric", month: "long", day: "numeric",
      timeZone: "UTC" });
    return {
      number: (n) => number.format(n),
      percent: (x) => percent.format(x),
      day: (day) => date.format(new Date(day * DAY_MS)),
    };
  }

  /**
   * A list of facts: `[term, value]` pairs, or `[key, term, value]` triples whose value gets
   * the `data-testid` `testidPrefix + key`.
   */
  function factList(facts, className, testidPrefix) {
    return h("dl", { class: className },
      facts.map((fact) => {
        const [key, term, value] = fact.length === 3 ? fact : [null, fact[0], fact[1]];
        return h("div", { class: "cf-fact" }, h("dt", { text: term }), h("dd", { text: value,
          "data-testid": key && testidPrefix ? testidPrefix + key : null }));
      }));
  }

  /**
   * An ISO 8601 duration in hundredths of a second at most, shortest form, never a bare PT
   * (PT1H2M3.25S, PT0S; negative or missing seconds are PT0S): the one writer of the adapters,
   * for SCORM 2004's timeinterval and xAPI's durations alike.
   */
  function isoDuration(seconds) {
    const total = Math.round(Math.max(Number(seconds) || 0, 0) * 100);
    const hours = Math.floor(total / 360000);
    const minutes = Math.floor((total % 360000) / 6000);
    const rest = total % 6000;
    let text = (hours ? hours + "H" : "") + (minutes ? minutes + "M" : "");
    if (rest || !text) {
      const fraction = rest % 100;
      text += Math.floor(rest / 100)
        + (fraction ? "." + String(fraction).padStart(2, "0").replace(/0$/, "") : "") + "S";
    }
    return "PT" + text;
  }

  Ceforge.text = { format, translator, formatters, safeLanguage, isoDuration };
  Ceforge.dom = { h, icon, textOf, factList };
  Ceforge.warn = warn;
})(window);
