/* ceforge runtime core: starting a course: its data, the welcome screen, Ceforge.boot. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { NAME_MAX } = Ceforge.limits;
  const { translator, formatters, safeLanguage } = Ceforge.text;
  const { h, factList } = Ceforge.dom;
  const App = Ceforge.App;

  // --- the learner's name (asked by adapters that have no LMS to ask) -----------------------

  function courseFacts(data, t, fmt) {
    const ce = data.course.ce;
    const facts = [];
    if (ce && ce.hours != null) facts.push([t("ce_hours"), fmt.number(ce.hours)]);
    if (ce && ce.level) facts.push([t("ce_level"), ce.level_label || t("level_" + ce.level)]);
    if (ce && ce.provider) facts.push([t("ce_provider"), ce.provider]);
    return facts;
  }

  /**
   * Ask the learner's name on a welcome screen in `#ceforge-app`; resolves with the trimmed
   * name. For adapters with no LMS to ask (the web adapter), before `Ceforge.boot`.
   */
  function askName(data, options) {
    const opts = options || {};
    const t = translator(data.messages);
    const fmt = formatters(safeLanguage(data.course.language));
    const rootEl = document.getElementById("ceforge-app");
    return new Promise((resolve) => {
      const input = h("input", {
        type: "text", id: "cf-name", class: "cf-input", autocomplete: "name",
        maxlength: NAME_MAX, "aria-describedby": "cf-name-hint cf-name-error",
        "data-testid": "name-input", value: opts.initial || "",
      });
      const error = h("p", { id: "cf-name-error", class: "cf-form-error", "aria-live": "polite" });
      const form = h("form", {
        class: "cf-name-form", novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          const name = input.value.replace(/\s+/g, " ").trim().slice(0, NAME_MAX);
          if (!name) {
            error.textContent = t("name_required");
            input.setAttribute("aria-invalid", "true");
            input.focus();
            return;
          }
          resolve(name);
        },
      },
      h("label", { for: "cf-name", class: "cf-label", text: t("name_label") }),
      h("p", { id: "cf-name-hint", class: "cf-hint", text: t("name_hint") }),
      input, error,
      h("button", { type: "submit", class: "cf-button", "data-testid": "name-submit",
        text: t("name_start") }));
      const logo = data.course.theme && data.course.theme.logo;
      rootEl.textContent = "";
      rootEl.className = "cf-app cf-app-welcome";
      rootEl.removeAttribute("aria-busy");
      rootEl.append(h("main", { class: "cf-welcome", id: "cf-main" },
        h("div", { class: "cf-welcome-card" },
          logo ? h("img", { class: "cf-logo", src: logo, alt: "" }) : null,
          h("p", { class: "cf-eyebrow", text: t("welcome") }),
          h("h1", { text: data.course.title }),
          data.course.description ? h("p", { class: "cf-lead", text: data.course.description })
            : null,
          factList(courseFacts(data, t, fmt), "cf-facts"),
          form)));
      input.focus();
    });
  }

  // --- boot -----------------------------------------------------------------------------------

  function readCourse() {
    const script = document.getElementById("ceforge-course");
    if (!script) throw new Error("no #ceforge-course element");
    return JSON.parse(script.textContent);
  }

  function fatal(rootEl, message) {
    rootEl.removeAttribute("aria-busy");
    rootEl.textContent = "";
    rootEl.className = "cf-app cf-app-welcome";
    rootEl.append(h("main", { class: "cf-welcome" }, h("div", { class: "cf-welcome-card" },
      h("h1", { text: message.title }), h("p", { class: "cf-form-error", text: message.body }))));
  }

  /**
   * Start the course with `adapter` (docs/runtime.md, "Adapters"): read the course data, await
   * `adapter.start(data)`, decode the state, render (once the first page's module has come).
   * Resolves with the app (`Ceforge.app`), rendered.
   */
  async function boot(adapter) {
    if (Ceforge.app) return Ceforge.app;
    const rootEl = document.getElementById("ceforge-app");
    let data;
    try {
      data = readCourse();
    } catch (error) {
      fatal(rootEl, { title: "ceforge", body: "The course data is missing or damaged: " + error.message });
      throw error;
    }
    const t = translator(data.messages);
    rootEl.setAttribute("aria-busy", "true");
    rootEl.textContent = "";
    rootEl.append(h("p", { class: "cf-loading", text: t("loading") }));
    let session;
    try {
      session = (await adapter.start(data)) || {};
    } catch (error) {
      fatal(rootEl, { title: t("error_title"),
        body: t("error_start", { detail: (error && error.message) || String(error) }) });
      return null;
    }
    const app = new App(data, adapter, rootEl, session);
    Ceforge.app = app;
    await app.start(); // it may wait for the first page's module (core/modules.js)
    return app;
  }

  Ceforge.app = Ceforge.app || null;
  Ceforge.boot = boot;
  Ceforge.ui = { askName };
})(window);
