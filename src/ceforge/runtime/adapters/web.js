/* ceforge runtime: the web adapter (standalone folder, preview and offline use). */
/*
 * The state string and the learner live in this browser's localStorage, under keys made of the
 * course id and version; with no LMS to say who the learner is, the learner is asked their name
 * (for the certificate) on first launch. No network calls. The interface is docs/runtime.md,
 * "Adapters"; this is the smallest complete example of it.
 */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { open: openStorage, readJSON } = Ceforge.storage;

  function randomId() {
    const bytes = new Uint8Array(12);
    if (root.crypto && root.crypto.getRandomValues) root.crypto.getRandomValues(bytes);
    else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function webAdapter() {
    const { storage, persistent } = openStorage();
    let keys = null;
    let learner = null;

    const write = (key, value) => {
      try {
        storage.setItem(key, value);
      } catch {
        // Quota exceeded or storage revoked mid-session: keep going without saving.
      }
    };

    return {
      name: "web",

      async start(data) {
        const prefix = "ceforge:" + data.course.id + "@" + data.course.version + ":";
        keys = { state: prefix + "state", learner: prefix + "learner" };
        const state = storage.getItem(keys.state);
        learner = readJSON(storage, keys.learner);
        if (!learner || typeof learner.id !== "string" || typeof learner.name !== "string" ||
            !learner.name) {
          const name = await Ceforge.ui.askName(data);
          learner = { id: randomId(), name };
          write(keys.learner, JSON.stringify(learner));
        }
        return { state, learner: { id: learner.id, name: learner.name }, resume: state != null,
          persistent };
      },

      saveState(text) {
        write(keys.state, text);
      },

      event() {
        // Nothing to report to: the core's own log (Ceforge.app.events) is enough here.
      },

      setLearnerName(name) {
        learner = { id: learner ? learner.id : randomId(), name };
        write(keys.learner, JSON.stringify(learner));
      },

      exit() {
        // Every change is already in localStorage; there is no session to close.
      },
    };
  }

  Ceforge.adapters = Ceforge.adapters || {};
  Ceforge.adapters.web = webAdapter;
  Ceforge.boot(webAdapter());
})(window);
