/* ceforge runtime core: localStorage for adapters, or memory when the browser refuses it. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;

  /** localStorage, or a stand-in that forgets on close when the browser refuses storage. */
  function openStorage() {
    try {
      const storage = root.localStorage;
      const probe = "ceforge:probe";
      storage.setItem(probe, "1");
      storage.removeItem(probe);
      return { storage, persistent: true };
    } catch {
      const memory = new Map();
      return {
        persistent: false,
        storage: {
          getItem: (key) => (memory.has(key) ? memory.get(key) : null),
          setItem: (key, value) => { memory.set(key, String(value)); },
          removeItem: (key) => { memory.delete(key); },
        },
      };
    }
  }

  /** A stored JSON value, or null when it is absent or unreadable. */
  function readJSON(storage, key) {
    try {
      return JSON.parse(storage.getItem(key) || "null");
    } catch {
      return null;
    }
  }

  Ceforge.storage = { open: openStorage, readJSON };
})(window);
