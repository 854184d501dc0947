/* ceforge runtime core: the modules' text, loaded when the learner first needs it. */
(function (root) {
  "use strict";

  // A launch page that runs several modules embeds the course without their text (pages'
  // `html`, the blocks' and questions' texts): each module's text is a classic script of its
  // own (`module.data`, `ceforge/modules/<id>.js`) that hands it over with
  // `Ceforge.modules.define(part)` when it loads (docs/runtime.md, "Course data"). A script
  // element loads from `file://` too, where `fetch` does not. A module without `data` came
  // whole.
  const Ceforge = root.Ceforge;
  const parts = {}; // module id -> its part, as its script handed it over
  const loading = {}; // script path -> the promise of its part
  const merged = new WeakMap(); // course data -> ids of the modules merged into it

  function define(part) {
    parts[part.module] = part;
  }

  function ready(data, module) {
    if (!module.data) return true;
    const done = merged.get(data);
    return Boolean(done && done.has(module.id));
  }

  function fetchPart(module) {
    if (parts[module.id]) return Promise.resolve(parts[module.id]);
    if (!loading[module.data]) {
      loading[module.data] = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = module.data;
        script.onload = () => {
          if (parts[module.id]) resolve(parts[module.id]);
          else reject(new Error(module.data + " holds no data of module " + module.id));
        };
        script.onerror = () => {
          delete loading[module.data]; // a later attempt may succeed
          reject(new Error("cannot load " + module.data));
        };
        document.head.append(script);
      });
    }
    return loading[module.data];
  }

  /** Put a module's text where the runtime reads it: each page's `html`, each block's and
   * question's texts, each choice's (by index). */
  function merge(data, module, part) {
    for (const page of module.pages) {
      if (Object.prototype.hasOwnProperty.call(part.pages, page.id)) page.html = part.pages[page.id];
    }
    for (const block of data.blocks) {
      const texts = part.blocks[block.id];
      if (!texts) continue;
      block.intro_html = texts.intro_html;
      for (const question of block.questions) {
        const text = texts.questions[question.id];
        if (!text) continue;
        for (const [key, value] of Object.entries(text)) {
          if (Array.isArray(value)) value.forEach((item, i) => Object.assign(question[key][i], item));
          else question[key] = value;
        }
      }
    }
    if (!merged.has(data)) merged.set(data, new Set());
    merged.get(data).add(module.id);
  }

  /** Resolves once `module`'s text is in `data` (at once for a module that came whole). */
  function load(data, module) {
    if (ready(data, module)) return Promise.resolve();
    return fetchPart(module).then((part) => {
      if (!ready(data, module)) merge(data, module, part);
    });
  }

  /** Resolves once every module's text is in `data`. */
  function loadAll(data) {
    return Promise.all(data.modules.map((module) => load(data, module))).then(() => data);
  }

  Ceforge.modules = { define, ready, load, loadAll };
})(window);
