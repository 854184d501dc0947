/* ceforge runtime core: the App's shell (header, contents, progress), routes and pages. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { h, icon } = Ceforge.dom;

  function pageHash(pageId) {
    return "#/page/" + encodeURIComponent(pageId);
  }

  const COMPLETION_HASH = "#/completion";
  const REFLECTIONS_HASH = "#/reflections"; // the My reflections view (core/reflection.js)
  const GLOSSARY_HASH = "#/glossary"; // the Glossary page (core/glossary.js)
  const RESOURCES_HASH = "#/resources"; // the Resources page (core/resources.js)

  Object.assign(Ceforge.App.prototype, {
    // shell: header, contents, main

    renderShell() {
      const t = this.t;
      const course = this.data.course;
      this.root.textContent = "";
      this.root.className = "cf-app";
      this.root.removeAttribute("aria-busy");
      this.progressEl = h("progress", { id: "cf-progress", max: "100", value: "0",
        "data-testid": "progress" });
      this.progressText = h("span", { class: "cf-progress-text", "aria-hidden": "true" });
      this.tocButton = h("button", { type: "button", class: "cf-button cf-button-quiet cf-toc-toggle",
        "aria-expanded": "false", "aria-controls": "cf-nav", "data-testid": "toc-toggle",
        onclick: () => this.toggleToc() }, t("contents"));
      const logo = course.theme && course.theme.logo;
      const header = h("header", { class: "cf-header" },
        h("div", { class: "cf-brand" },
          logo ? h("img", { class: "cf-logo", src: logo, alt: "" }) : null,
          h("p", { class: "cf-course-title", text: course.title })),
        h("div", { class: "cf-progress" },
          h("label", { for: "cf-progress", text: t("course_progress") }),
          this.progressEl, this.progressText),
        h("div", { class: "cf-header-actions" }, this.tocButton,
          h("button", { type: "button", class: "cf-button cf-button-quiet", "data-testid": "exit",
            onclick: () => this.exit("button") }, t("exit"))));
      this.nav = h("nav", { id: "cf-nav", class: "cf-nav", "aria-label": t("contents_label"),
        "data-testid": "toc" });
      this.viewEl = h("div", { class: "cf-view" });
      this.statusEl = h("div", { class: "cf-status", role: "status" });
      this.live = h("div", { id: "cf-live", class: "cf-sr-only", role: "status",
        "data-testid": "live" });
      this.main = h("main", { id: "cf-main", class: "cf-main", tabindex: "-1" }, this.statusEl,
        this.viewEl, this.live);
      const skip = h("a", { class: "cf-skip", href: "#cf-main", text: t("skip_to_content"),
        onclick: (event) => {
          event.preventDefault();
          this.main.focus();
        } });
      this.root.append(skip, header, h("div", { class: "cf-layout" }, this.nav, this.main));
      this.renderToc();
    },

    /** Each module's number among the modules of content (0 for the About and References
     * pages, which have a `kind`). */
    moduleNumbers() {
      let n = 0;
      return this.data.modules.map((module) => (module.kind ? 0 : ++n));
    },

    renderToc() {
      const t = this.t;
      const list = h("ol", { class: "cf-toc" });
      this.tocLinks = [];
      // Modules of content are numbered; the About and References pages (`kind`) are not.
      const numbers = this.moduleNumbers();
      this.data.modules.forEach((module, m) => {
        const entries = this.ix.pages.filter((entry) => entry.moduleIndex === m);
        if (!entries.length) return;
        const pages = h("ol", { class: "cf-toc-pages" });
        const links = entries.map((entry) => {
          const link = this.tocLink(pageHash(entry.page.id), entry.page.title);
          link.a.dataset.page = entry.page.id;
          this.tocLinks[entry.index] = link;
          return link;
        });
        if (module.kind && links.length === 1) { // the About page: one link, no heading
          list.append(h("li", { class: "cf-toc-module cf-toc-single" }, links[0].a));
          return;
        }
        for (const link of links) pages.append(h("li", null, link.a));
        list.append(h("li", { class: "cf-toc-module" },
          h("span", { class: "cf-toc-module-title" },
            numbers[m] ? h("span", { class: "cf-toc-number", text: numbers[m] + "." }) : null,
            (numbers[m] ? " " : "") + module.title),
          pages));
      });
      this.completionLink = this.tocLink(COMPLETION_HASH, t("completion_title"));
      this.completionLink.a.dataset.testid = "toc-completion";
      list.append(h("li", { class: "cf-toc-module cf-toc-end" }, this.completionLink.a));
      if (this.hasReflections()) {
        const journal = h("a", { href: REFLECTIONS_HASH, class: "cf-toc-link cf-toc-journal",
          "data-testid": "toc-reflections", onclick: () => this.closeToc() },
        h("span", { class: "cf-toc-text", text: t("reflections_title") }));
        list.append(h("li", { class: "cf-toc-module cf-toc-end" }, journal));
      }
      if (this.hasGlossary()) {
        const glossary = h("a", { href: GLOSSARY_HASH, class: "cf-toc-link cf-toc-journal",
          "data-testid": "toc-glossary", onclick: () => this.closeToc() },
        h("span", { class: "cf-toc-text", text: t("glossary_title") }));
        list.append(h("li", { class: "cf-toc-module cf-toc-end" }, glossary));
      }
      if (this.hasResources()) {
        const resources = h("a", { href: RESOURCES_HASH, class: "cf-toc-link cf-toc-journal",
          "data-testid": "toc-resources", onclick: () => this.closeToc() },
        h("span", { class: "cf-toc-text", text: t("resources_title") }));
        list.append(h("li", { class: "cf-toc-module cf-toc-end" }, resources));
      }
      this.nav.append(h("div", { class: "cf-nav-inner" },
        h("p", { class: "cf-nav-title", "aria-hidden": "true", text: t("contents") }), list));
    },

    tocLink(href, title) {
      const mark = h("span", { class: "cf-toc-mark" });
      const status = h("span", { class: "cf-sr-only" });
      const a = h("a", { href, class: "cf-toc-link", "data-testid": "toc-link",
        onclick: () => this.closeToc() }, mark, h("span", { class: "cf-toc-text", text: title }),
      status);
      return { a, mark, status };
    },

    toggleToc(open) {
      const expanded = open === undefined
        ? this.tocButton.getAttribute("aria-expanded") !== "true" : open;
      this.tocButton.setAttribute("aria-expanded", String(expanded));
      this.root.classList.toggle("cf-toc-open", expanded);
    },

    closeToc() {
      if (this.root.classList.contains("cf-toc-open")) this.toggleToc(false);
    },

    updateChrome() {
      const t = this.t;
      const percent = Math.round(this.progress() * 100);
      this.progressEl.value = percent;
      this.progressEl.setAttribute("aria-valuetext", this.fmt.percent(percent / 100));
      this.progressText.textContent = this.fmt.percent(percent / 100);
      const current = this.view && this.view.kind === "page" ? this.view.index : -1;
      const mark = (link, done, isCurrent) => {
        link.mark.textContent = "";
        link.mark.append(icon(done ? "check" : "dot"));
        link.a.classList.toggle("cf-viewed", done);
        if (isCurrent) link.a.setAttribute("aria-current", "page");
        else link.a.removeAttribute("aria-current");
        link.status.textContent = done ? " " + t(link === this.completionLink ? "toc_complete"
          : "toc_viewed") : "";
      };
      const testPage = this.pageOfBlock(this.ix.test);
      this.tocLinks.forEach((link, i) => mark(link,
        i === testPage ? this.state.viewed[i] && this.testDone() : this.state.viewed[i],
        i === current));
      const onCompletion = Boolean(this.view && this.view.kind === "completion");
      if (onCompletion && this.state.completed > 0) this.completionSeen = true;
      mark(this.completionLink, this.state.completed > 0 && this.completionSeen, onCompletion);
    },

    /** Whether the post-test's page is ticked: passed (or, when the course asks only for an
     * attempt, finished once); a failed attempt is not done. */
    testDone() {
      const status = this.testStatus();
      if (!status) return true;
      return this.data.completion.test === "attempt" ? this.state.test.used > 0 : status.passed;
    },

    // routing

    route() {
      const hash = root.location.hash;
      const match = /^#\/page\/(.+)$/.exec(hash);
      if (match) {
        let id;
        try {
          id = decodeURIComponent(match[1]);
        } catch {
          return null;
        }
        const index = this.ix.pageIndex[id];
        return index == null ? null : { kind: "page", index };
      }
      if (hash === REFLECTIONS_HASH && this.hasReflections()) return { kind: "reflections" };
      if (hash === GLOSSARY_HASH && this.hasGlossary()) return { kind: "glossary" };
      if (hash === RESOURCES_HASH && this.hasResources()) return { kind: "resources" };
      return hash === COMPLETION_HASH ? { kind: "completion" } : null;
    },

    replaceHash(route) {
      const hash = route.kind === "page" ? pageHash(this.ix.pages[route.index].page.id)
        : route.kind === "reflections" ? REFLECTIONS_HASH
          : route.kind === "glossary" ? GLOSSARY_HASH
            : route.kind === "resources" ? RESOURCES_HASH : COMPLETION_HASH;
      if (root.location.hash === hash) return;
      try {
        root.history.replaceState(root.history.state, "", hash);
      } catch {
        root.location.replace(hash);
      }
    },

    show(route, focus) {
      const entry = route.kind === "page" ? this.ix.pages[route.index] : null;
      const modules = Ceforge.modules;
      const needed = this.routeModules(route).filter((module) => !modules.ready(this.data, module));
      if (needed.length) {
        // What the route shows has not come yet (core/modules.js): show it once it has,
        // unless the learner went elsewhere meanwhile.
        const waiting = this.waiting = {};
        if (!this.view) this.showLoading();
        Promise.all(needed.map((module) => modules.load(this.data, module))).then(() => {
          if (this.waiting === waiting && !this.exited) this.show(route, focus);
        }, (error) => {
          if (this.waiting === waiting) this.showLoadError(error);
        });
        return;
      }
      this.waiting = null;
      this.leaveMedia();
      this.blockEls = {};
      this.gated = [];
      if (entry) this.showPage(route.index);
      else if (route.kind === "reflections") this.showReflections();
      else if (route.kind === "glossary") this.showGlossary();
      else if (route.kind === "resources") this.showResources();
      else this.showCompletion();
      this.updateChrome();
      if (focus) {
        const heading = this.viewEl.querySelector("h1");
        if (heading) heading.focus();
        root.scrollTo(0, 0);
      }
      const next = entry && this.data.modules[entry.moduleIndex + 1];
      if (next) modules.load(this.data, next).catch(() => {}); // ready before it is asked for
    },

    /** The modules whose text a route shows: a page's own; for My reflections, those that
     * hold a reflection (its prompt is the block's text). The Glossary and Resources pages and
     * the completion page show only what the launch page holds. */
    routeModules(route) {
      if (route.kind === "page") {
        const entry = this.ix.pages[route.index];
        return entry ? [entry.module] : [];
      }
      if (route.kind === "reflections") return this.reflectionModules();
      return [];
    },

    /** The modules that hold a reflection block. */
    reflectionModules() {
      const ids = new Set(this.data.blocks.filter((block) => block.kind === "reflection")
        .map((block) => block.module));
      return this.data.modules.filter((module) => ids.has(module.id));
    },

    showLoading() {
      this.viewEl.textContent = "";
      this.viewEl.append(h("p", { class: "cf-loading", text: this.t("loading") }));
    },

    showLoadError(error) {
      this.viewEl.textContent = "";
      this.viewEl.append(h("div", { class: "cf-notice", role: "alert" }, icon("info"),
        h("p", { text: this.t("error_start", { detail: error.message || String(error) }) })));
    },

    notices() {
      const t = this.t;
      const out = [];
      if (!this.persistent) out.push(t("storage_unavailable"));
      if (this.discarded) {
        out.push(t(this.discarded === "fingerprint" ? "state_other_version" : "state_unreadable"));
      }
      if (this.resumed) out.push(t("resume_notice"));
      this.discarded = null;
      this.resumed = false;
      return out.map((text) => h("p", { class: "cf-notice", "data-testid": "notice" },
        icon("info"), text));
    },

    showPage(index) {
      const t = this.t;
      const entry = this.ix.pages[index];
      const first = !this.state.viewed[index];
      this.view = { kind: "page", index };
      this.state.page = index;
      const content = h("div", { class: "cf-page-content", html: entry.page.html });
      let title = this.promoteHeadings(content);
      if (!title) {
        title = h("h1", { text: entry.page.title });
        content.prepend(title);
      }
      title.setAttribute("tabindex", "-1");
      title.dataset.testid = "page-title";
      title.classList.add("cf-page-title");
      const numbers = this.moduleNumbers();
      const number = numbers[entry.moduleIndex];
      title.before(h("p", { class: "cf-eyebrow", text: number
        ? t("module_eyebrow", { number, total: numbers.filter(Boolean).length,
          title: entry.module.title })
        : this.data.course.title }));
      const intro = this.notices();
      if (entry.inModule === 0 && entry.module.objectives.length) {
        intro.push(this.objectives(entry.module));
      }
      title.after(...intro);
      this.markLinks(content);
      this.enhanceContent(content);
      this.scrollTables(content);
      for (const slot of content.querySelectorAll("div.cf-block[data-block]")) {
        const block = this.ix.blocks[slot.getAttribute("data-block")];
        if (block) slot.replaceWith(this.renderBlock(block));
      }
      this.viewEl.textContent = "";
      this.viewEl.append(h("article", { class: "cf-page", "data-page": entry.page.id }, content),
        this.pager(index));
      this.emit({ type: "page-viewed", first,
        page: { id: entry.page.id, title: entry.page.title, index },
        module: { id: entry.module.id, title: entry.module.title, index: entry.moduleIndex } });
      this.markViewed(index);
      this.changed();
    },

    /**
     * Mark page `index` as viewed, once its required media are watched (a page without any is
     * viewed as soon as it is shown); `page-completed` says so. True when it changed.
     */
    markViewed(index) {
      const entry = this.ix.pages[index];
      if (!entry || this.state.viewed[index]) return false;
      if (Ceforge.media.unwatched(this.ix, this.state, entry.page.id).length) return false;
      this.state.viewed[index] = true;
      this.emit({ type: "page-completed",
        page: { id: entry.page.id, title: entry.page.title, index },
        module: { id: entry.module.id, title: entry.module.title, index: entry.moduleIndex } });
      return true;
    },

    /** Page headings one level up (## is the page's h1); returns the h1 if the page has one. */
    promoteHeadings(content) {
      let title = null;
      content.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach((heading, i) => {
        const level = Number(heading.tagName[1]);
        const isTitle = i === 0 && heading === content.firstElementChild && level <= 2;
        const wanted = isTitle ? 1 : Math.max(2, level - 1);
        let el = heading;
        if (wanted !== level) {
          el = document.createElement("h" + wanted);
          for (const attr of heading.attributes) el.setAttribute(attr.name, attr.value);
          el.append(...heading.childNodes);
          heading.replaceWith(el);
        }
        if (isTitle) title = el;
      });
      return title;
    },

    /** Links out of the course open in a new tab, so the course (and its LMS frame) stays. */
    markLinks(content) {
      for (const link of content.querySelectorAll("a[href]")) {
        if (link.getAttribute("href").startsWith("#")) continue;
        link.setAttribute("target", "_blank");
        link.setAttribute("rel", "noopener");
        link.append(h("span", { class: "cf-sr-only", text: " " + this.t("new_tab") }));
      }
    },

    /**
     * A table wider than the screen scrolls sideways inside a region that the keyboard can
     * reach (Tab to it, then the arrow keys), and stays a table for screen readers.
     */
    scrollTables(container) {
      for (const table of container.querySelectorAll("table")) {
        if (table.parentElement.classList.contains("cf-scroll")) continue;
        const region = h("div", { class: "cf-scroll", tabindex: "0", role: "region",
          "aria-label": this.t("table_region") });
        table.replaceWith(region);
        region.append(table);
      }
    },

    objectives(module) {
      const t = this.t;
      const id = "cf-objectives-" + module.id;
      return h("section", { class: "cf-objectives", "aria-labelledby": id },
        h("h2", { id, text: t("objectives_heading") }),
        module.minutes ? h("p", { class: "cf-hint", text: t("module_minutes",
          { minutes: this.fmt.number(module.minutes) }) }) : null,
        h("ul", null, module.objectives.map((text) => h("li", { text }))));
    },

    pager(index) {
      const t = this.t;
      const pages = this.ix.pages;
      const previous = index > 0 ? pageHash(pages[index - 1].page.id) : null;
      const next = index < pages.length - 1 ? pageHash(pages[index + 1].page.id) : COMPLETION_HASH;
      return h("nav", { class: "cf-pager", "aria-label": t("pager_label") },
        previous ? h("a", { class: "cf-button cf-button-secondary", href: previous, rel: "prev",
          "data-testid": "prev" }, icon("prev"), t("previous")) : h("span"),
        h("span", { class: "cf-pager-position", "data-testid": "page-position",
          text: t("page_of", { number: index + 1, total: pages.length }) }),
        h("a", { class: "cf-button", href: next, rel: "next",
          "data-testid": "next" }, t(next === COMPLETION_HASH ? "finish" : "next"), icon("next")));
    },

    renderExited() {
      const t = this.t;
      const heading = h("h1", { tabindex: "-1", text: t("exited_title") });
      this.root.textContent = "";
      this.root.className = "cf-app cf-app-welcome";
      this.root.append(h("main", { class: "cf-welcome", "data-testid": "exited" },
        h("div", { class: "cf-welcome-card" }, heading, h("p", { text: t("exited_body") }))));
      heading.focus();
    },
  });

  Ceforge.routes = { pageHash, COMPLETION_HASH };
})(window);
