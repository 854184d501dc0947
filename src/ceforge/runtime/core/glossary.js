/*
 * ceforge runtime core: glossary terms on a page (their definition on focus, hover, by key),
 * and the Glossary page.
 */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { h } = Ceforge.dom;

  let open = null; // the term whose definition shows: {wrap, button, tip, pinned}

  function hide(item) {
    if (!item) return;
    item.tip.hidden = true;
    item.button.setAttribute("aria-expanded", "false");
    item.pinned = false;
    if (open === item) open = null;
  }

  function show(item, pinned) {
    if (open && open !== item) hide(open);
    item.tip.hidden = false;
    item.pinned = item.pinned || Boolean(pinned);
    item.button.setAttribute("aria-expanded", String(item.pinned));
    open = item;
  }

  let listening = false;

  /** Escape hides the definition that shows, wherever the focus is (WCAG 1.4.13). */
  function listenForEscape() {
    if (listening) return;
    listening = true;
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && open) hide(open);
    });
  }

  Object.assign(Ceforge.App.prototype, {
    hasGlossary() {
      return Boolean(this.data.glossary && this.data.glossary.length);
    },

    /** The Glossary page (`#/glossary`): every term of the course, in alphabetical order. */
    showGlossary() {
      this.view = { kind: "glossary" };
      const collator = new Intl.Collator(this.lang, { sensitivity: "base" });
      const terms = this.data.glossary.slice().sort((a, b) => collator.compare(a.term, b.term));
      const list = h("dl", { class: "cf-glossary", "data-testid": "glossary" },
        terms.map((term) => h("div", { class: "cf-glossary-entry", "data-term": term.id },
          h("dt", null, h("dfn", { text: term.term })), h("dd", { html: term.html }))));
      const page = h("article", { class: "cf-page cf-glossary-page" },
        h("p", { class: "cf-eyebrow", text: this.data.course.title }),
        h("h1", { class: "cf-page-title", tabindex: "-1", "data-testid": "page-title",
          text: this.t("glossary_title") }),
        list);
      this.markLinks(page);
      this.viewEl.textContent = "";
      this.viewEl.append(page);
    },

    /**
     * Each term the build marked (``span.cf-term``) becomes a button described by its
     * definition: the definition shows on hover and on focus, stays while the pointer is over
     * it, and Enter or a click keeps it open (aria-expanded); Escape closes it. A screen
     * reader reads the definition as the button's description.
     */
    markTerms(container) {
      listenForEscape();
      const terms = {};
      for (const term of this.data.glossary || []) terms[term.id] = term;
      this.termCount = this.termCount || 0;
      for (const span of Array.from(container.querySelectorAll("span.cf-term[data-term]"))) {
        const term = terms[span.dataset.term];
        if (!term) continue;
        const tipId = "cf-term-tip-" + this.termCount++;
        const tip = h("span", { role: "tooltip", id: tipId, class: "cf-term-tip", hidden: true,
          "data-testid": "term-tip" }, h("strong", { text: term.term }), " ", term.text);
        const button = h("button", { type: "button", class: "cf-term", "data-term": term.id,
          "data-testid": "term", "aria-describedby": tipId, "aria-expanded": "false",
          "aria-controls": tipId }, ...Array.from(span.childNodes));
        const wrap = h("span", { class: "cf-term-wrap" }, button, tip);
        const item = { wrap, button, tip, pinned: false };
        button.addEventListener("click", () => {
          if (item.pinned) hide(item);
          else show(item, true);
        });
        button.addEventListener("focus", () => show(item));
        button.addEventListener("blur", () => {
          if (!item.pinned) hide(item);
        });
        wrap.addEventListener("mouseenter", () => show(item));
        wrap.addEventListener("mouseleave", () => {
          if (!item.pinned && document.activeElement !== button) hide(item);
        });
        span.replaceWith(wrap);
      }
    },
  });
})(window);
