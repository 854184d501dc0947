/* ceforge runtime core: content blocks on a page: callout labels, tabs, print expanded. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { h } = Ceforge.dom;

  let printOpened = []; // the <details> opened for print, closed again after it

  /** Print shows everything: every <details> open (an accordion, a transcript), every tab. */
  function openForPrint() {
    printOpened = Array.from(document.querySelectorAll(".cf-app details:not([open])"));
    for (const details of printOpened) details.open = true;
  }

  function closeAfterPrint() {
    for (const details of printOpened) details.open = false;
    printOpened = [];
  }

  let listening = false;

  function listenForPrint() {
    if (listening) return;
    listening = true;
    root.addEventListener("beforeprint", openForPrint);
    root.addEventListener("afterprint", closeAfterPrint);
  }

  /** The next tab for a key of the tab list (arrows, Home, End), or null for another key. */
  function nextTab(key, index, count) {
    switch (key) {
      case "ArrowRight":
      case "ArrowDown":
        return (index + 1) % count;
      case "ArrowLeft":
      case "ArrowUp":
        return (index - 1 + count) % count;
      case "Home":
        return 0;
      case "End":
        return count - 1;
      default:
        return null;
    }
  }

  Ceforge.content = { nextTab };

  Object.assign(Ceforge.App.prototype, {
    /** What the build wrote into a page, made to work: callouts, tabs, glossary terms. */
    enhanceContent(container) {
      listenForPrint();
      for (const title of container.querySelectorAll(".cf-callout > .cf-callout-title")) {
        if (!title.textContent.trim()) {
          title.textContent = this.t("callout_" + title.parentElement.dataset.callout);
        }
      }
      container.querySelectorAll(".cf-tabs").forEach((tabs, n) => this.makeTabs(tabs, n));
      this.markTerms(container);
    },

    /**
     * A ``::: tabs`` block as the WAI-ARIA tabs pattern: a tab list (arrow keys, Home and End
     * move and select; one tab in the Tab order), one panel shown. Printed, every panel shows
     * under its heading.
     */
    makeTabs(tabs, n) {
      const panels = Array.from(tabs.children).filter((el) => el.classList.contains("cf-tab-panel"));
      if (!panels.length) return;
      const base = (tabs.id || "cf-tabs-" + n) + "-";
      const list = h("div", { role: "tablist", class: "cf-tablist" });
      const buttons = panels.map((panel, i) => {
        const label = panel.querySelector(".cf-tab-label");
        label.classList.add("cf-print-only");
        panel.id = base + "panel-" + i;
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", base + "tab-" + i);
        panel.tabIndex = 0;
        const button = h("button", { type: "button", role: "tab", id: base + "tab-" + i,
          class: "cf-tab", "aria-controls": panel.id, "data-testid": "tab",
          html: label.innerHTML, onclick: () => select(i) });
        list.append(button);
        return button;
      });
      const select = (index, focus) => {
        buttons.forEach((button, i) => {
          button.setAttribute("aria-selected", String(i === index));
          button.tabIndex = i === index ? 0 : -1;
          panels[i].hidden = i !== index;
        });
        if (focus) buttons[index].focus();
      };
      list.addEventListener("keydown", (event) => {
        const index = buttons.indexOf(document.activeElement);
        const next = index < 0 ? null : nextTab(event.key, index, buttons.length);
        if (next == null) return;
        event.preventDefault();
        select(next, true);
      });
      tabs.prepend(list);
      select(0);
    },
  });
})(window);
