/* ceforge runtime core: the Resources page, the course's handouts with their type and size. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { h } = Ceforge.dom;

  /** A file's size for people: kilobytes or megabytes in the course's language. */
  function fileSize(bytes, language) {
    const megabytes = bytes >= 1000 * 1000;
    const value = megabytes ? bytes / (1000 * 1000) : Math.max(bytes / 1000, 0.1);
    return new Intl.NumberFormat(language, { style: "unit", unit: megabytes ? "megabyte" : "kilobyte",
      unitDisplay: "short", maximumFractionDigits: 1 }).format(value);
  }

  Ceforge.resources = { fileSize };

  Object.assign(Ceforge.App.prototype, {
    hasResources() {
      return Boolean(this.data.resources && this.data.resources.length);
    },

    /**
     * The Resources page (`#/resources`): each handout of assets/handouts/ as a link that
     * opens in a new tab (a PDF shows there, other files download), with its type and size.
     */
    showResources() {
      const t = this.t;
      this.view = { kind: "resources" };
      const list = h("ul", { class: "cf-resources", "data-testid": "resources" },
        this.data.resources.map((resource) => h("li", { class: "cf-resource",
          "data-path": resource.path },
        h("a", { href: resource.path, "data-testid": "resource", text: resource.name }),
        " ",
        h("span", { class: "cf-resource-meta", "data-testid": "resource-meta",
          text: "(" + resource.type + ", " + fileSize(resource.bytes, this.lang) + ")" }))));
      const page = h("article", { class: "cf-page cf-resources-page" },
        h("p", { class: "cf-eyebrow", text: this.data.course.title }),
        h("h1", { class: "cf-page-title", tabindex: "-1", "data-testid": "page-title",
          text: t("resources_title") }),
        h("p", { class: "cf-lead", text: t("resources_intro") }),
        list);
      this.markLinks(page);
      this.viewEl.textContent = "";
      this.viewEl.append(page);
    },
  });
})(window);
