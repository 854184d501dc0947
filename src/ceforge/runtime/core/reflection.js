/* ceforge runtime core: the reflection journal: answers kept in this browser, My reflections. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { ESSAY_MAX } = Ceforge.limits;
  const { h, textOf } = Ceforge.dom;
  const { open: openStorage, readJSON } = Ceforge.storage;
  const { dayToISO, today } = Ceforge.certificate;

  const REFLECTIONS_HASH = "#/reflections";
  const SAVE_MS = 400; // typing is saved this long after the last key

  // --- the journal (pure: tests/js/reflection.test.js) -------------------------------------------

  /**
   * Where a learner's reflections are kept: this browser's localStorage (never the state
   * string, which goes to the LMS), per course and learner. Each entry is
   * `{text, saved, shared}` by reflection block id, `saved` and `shared` days since
   * 1970-01-01 (`shared` null until the learner shares it; `share=lms` only).
   */
  function journalKey(data, learner) {
    return "ceforge:reflections:" + data.course.id + ":" + ((learner && learner.id) || "");
  }

  /** The journal as Markdown: the course, the day, then each prompt and its answer. */
  function journalMarkdown(data, entries, t, day) {
    const lines = ["# " + t("reflections_title") + ": " + data.course.title, "", day, ""];
    for (const block of data.blocks.filter((b) => b.kind === "reflection")) {
      const entry = entries[block.id];
      const prompt = textOf(block.intro_html);
      lines.push("## " + prompt, "");
      lines.push(entry && entry.text.trim() ? entry.text.trim() : "_" + t("reflections_empty") + "_", "");
    }
    return lines.join("\n");
  }

  Ceforge.reflection = { journalKey, journalMarkdown, REFLECTIONS_HASH };

  // --- the App's reflection blocks and the My reflections view -----------------------------------

  Object.assign(Ceforge.App.prototype, {
    journal() {
      if (!this.journalStore) {
        const opened = openStorage();
        this.journalStore = { storage: opened.storage, key: journalKey(this.data, this.learner) };
        this.journalEntries = readJSON(opened.storage, this.journalStore.key) || {};
      }
      return this.journalEntries;
    },

    saveJournal() {
      try {
        this.journalStore.storage.setItem(this.journalStore.key, JSON.stringify(this.journalEntries));
        return true;
      } catch {
        return false;
      }
    },

    hasReflections() {
      return this.data.blocks.some((block) => block.kind === "reflection");
    },

    renderReflection(block) {
      const t = this.t;
      const entries = this.journal();
      const entry = entries[block.id];
      const share = Boolean(block.reflection && block.reflection.share);
      const wrap = this.blockShell(block);
      const intro = wrap.querySelector(".cf-intro");
      const promptId = "cf-reflection-prompt-" + block.id;
      if (intro) intro.id = promptId;
      const inputId = "cf-reflection-" + block.id;
      const status = h("p", { class: "cf-hint cf-reflection-status", "aria-live": "polite",
        "data-testid": "reflection-status" });
      const area = h("textarea", { id: inputId, class: "cf-input cf-textarea", rows: "6",
        maxlength: ESSAY_MAX, "data-testid": "reflection-input",
        "aria-describedby": (intro ? promptId + " " : "") + inputId + "-privacy",
        value: entry ? entry.text : "" });
      let timer = null;
      area.addEventListener("input", () => {
        root.clearTimeout(timer);
        timer = root.setTimeout(() => {
          const previous = entries[block.id] || { shared: null };
          entries[block.id] = { text: area.value, saved: today(), shared: previous.shared };
          status.textContent = this.saveJournal() ? t("reflection_saved") : t("reflection_not_saved");
        }, SAVE_MS);
      });
      wrap.append(h("div", { class: "cf-text-answer" },
        h("label", { for: inputId, class: "cf-label", text: t("reflection_label") }), area),
      h("p", { id: inputId + "-privacy", class: "cf-hint cf-privacy",
        text: t(share ? "reflection_privacy_share" : "reflection_privacy") }));
      const actions = h("div", { class: "cf-actions" });
      if (share) {
        actions.append(h("button", { type: "button", class: "cf-button",
          "data-testid": "reflection-share", text: t(entry && entry.shared ? "reflection_share_again"
            : "reflection_share"), onclick: () => this.shareReflection(block, area, status) }));
      }
      actions.append(h("a", { href: REFLECTIONS_HASH, class: "cf-button cf-button-secondary",
        "data-testid": "reflections-link", text: t("reflections_title") }));
      wrap.append(actions, status);
      if (entry && entry.shared) {
        status.textContent = t("reflection_shared_on", { date: this.fmt.day(entry.shared) });
      }
      return wrap;
    },

    /** `share=lms`: the answer goes to the LMS or LRS as an essay's does. */
    shareReflection(block, area, status) {
      const t = this.t;
      const text = area.value.trim() ? area.value : "";
      if (!text) {
        status.textContent = t("reflection_write_first");
        area.focus();
        return;
      }
      const entries = this.journal();
      const day = today();
      entries[block.id] = { text: area.value, saved: day, shared: day };
      this.saveJournal();
      this.emit({ type: "question-answered", block: { id: block.id, kind: block.kind },
        question: block.reflection.question, response: text, correctResponse: null,
        result: "neutral", points: null, latencyMs: 0, attempt: 1 });
      const el = this.replaceBlock(block);
      const done = el.querySelector("[data-testid=reflection-status]");
      done.textContent = t("reflection_shared_on", { date: this.fmt.day(day) });
      this.announce(done.textContent);
    },

    showReflections() {
      const t = this.t;
      this.view = { kind: "reflections" };
      const entries = this.journal();
      const blocks = this.data.blocks.filter((block) => block.kind === "reflection");
      const heading = h("h1", { class: "cf-page-title", tabindex: "-1", "data-testid": "page-title",
        text: t("reflections_title") });
      const list = h("div", { class: "cf-journal", "data-testid": "reflections" },
        blocks.map((block) => {
          const entry = entries[block.id];
          const answered = entry && entry.text.trim();
          const page = this.ix.pages[this.ix.pageIndex[block.page]];
          return h("section", { class: "cf-journal-entry", "data-block": block.id },
            h("div", { class: "cf-journal-prompt", html: block.intro_html }),
            h("p", { class: answered ? "cf-journal-text" : "cf-hint",
              text: answered ? entry.text : t("reflections_empty") }),
            page ? h("p", { class: "cf-noprint" }, h("a", { href: "#/page/" +
              encodeURIComponent(page.page.id), text: t("reflections_go", { title: page.page.title }) }))
              : null);
        }));
      const page = h("article", { class: "cf-page cf-reflections" },
        h("p", { class: "cf-eyebrow", text: this.data.course.title }), heading,
        h("p", { class: "cf-lead cf-privacy", text: t("reflections_where") }),
        this.journalActions(), list);
      this.viewEl.textContent = "";
      this.viewEl.append(page);
      if (this.printReflections) {
        this.printReflections = false;
        root.setTimeout(() => root.print(), 0);
      }
    },

    /** Download (Markdown) and Print, for the My reflections view and the completion page. */
    journalActions() {
      const t = this.t;
      return h("div", { class: "cf-actions cf-noprint" },
        h("button", { type: "button", class: "cf-button", "data-testid": "reflections-download",
          text: t("reflections_download"), onclick: () => this.downloadJournal() }),
        h("button", { type: "button", class: "cf-button cf-button-secondary",
          "data-testid": "reflections-print", text: t("reflections_print"), onclick: () => {
            if (this.view.kind === "reflections") {
              root.setTimeout(() => root.print(), 0);
              return;
            }
            // My reflections may wait for the modules that hold the prompts: print once shown.
            this.printReflections = true;
            root.location.hash = REFLECTIONS_HASH;
          } }));
    },

    /** The journal as a Markdown download, once the modules that hold the prompts have come
     * (core/modules.js: the completion page offers it before they may have). */
    downloadJournal() {
      const modules = Ceforge.modules;
      const needed = this.reflectionModules().filter((module) => !modules.ready(this.data, module));
      if (needed.length) {
        Promise.all(needed.map((module) => modules.load(this.data, module)))
          .then(() => this.downloadJournal(), (error) => this.announce(error.message || String(error)));
        return;
      }
      const text = journalMarkdown(this.data, this.journal(), this.t, dayToISO(today()));
      const blob = new Blob([text], { type: "text/markdown;charset=utf-8" });
      const url = URL.createObjectURL(blob);
      const name = "reflections-" + String(this.data.course.title).toLowerCase()
        .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) + ".md";
      const link = h("a", { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      root.setTimeout(() => URL.revokeObjectURL(url), 10000);
      this.announce(this.t("reflections_downloaded"));
    },

    /** On the completion page: the journal, to keep. */
    reflectionsSection() {
      if (!this.hasReflections()) return null;
      const t = this.t;
      return h("section", { class: "cf-requirements cf-noprint", "aria-labelledby": "cf-refl-title" },
        h("h2", { id: "cf-refl-title", text: t("reflections_title") }),
        h("p", null, t("reflections_keep"), " ",
          h("a", { href: REFLECTIONS_HASH, text: t("reflections_open") })),
        this.journalActions());
    },
  });
})(window);
