/* ceforge runtime core: video and audio: the "watched" rule, and the App's media blocks. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { MEDIA_PARTS } = Ceforge.limits;
  const { h } = Ceforge.dom;
  const { uuid } = Ceforge.random;

  const SPEEDS = [0.75, 1, 1.25, 1.5, 2];

  // --- the rules (pure: tests/js/media.test.js) --------------------------------------------------

  function emptyParts() {
    return new Array(MEDIA_PARTS).fill(false);
  }

  /**
   * The parts played, `parts` (100 booleans: 1 % of the media each) with what `ranges` (played
   * `[start, end]` seconds, as a media element's `played` gives them) add: a part counts once
   * at least half of it has been played.
   */
  function playedParts(parts, ranges, duration) {
    const out = (parts || emptyParts()).slice();
    if (!(duration > 0)) return out;
    const size = duration / MEDIA_PARTS;
    for (let i = 0; i < MEDIA_PARTS; i++) {
      if (out[i]) continue;
      const from = i * size;
      const to = from + size;
      let covered = 0;
      for (const [start, end] of ranges) covered += Math.max(0, Math.min(end, to) - Math.max(start, from));
      if (covered >= size / 2 - 1e-9) out[i] = true;
    }
    return out;
  }

  /** The share of the media played, 0-1, in hundredths. */
  function progressOf(parts) {
    return (parts || []).filter(Boolean).length / MEDIA_PARTS;
  }

  /** Whether a medium is watched: its parts played reach its `watched` share. */
  function isWatched(block, record) {
    return Boolean(record) && progressOf(record.parts) + 1e-9 >= block.media.watched;
  }

  /** Played segments as the xAPI Video Profile writes them: `0.000[.]12.500[,]14.000[.]21.000`. */
  function segmentsText(segments) {
    return segments.map(([start, end]) => start.toFixed(3) + "[.]" + end.toFixed(3)).join("[,]");
  }

  /** The required media of a page not yet watched. */
  function unwatched(ix, state, pageId) {
    return ix.data.blocks.filter((block) => block.page === pageId && block.media &&
      block.media.required && !isWatched(block, state.blocks[block.id]));
  }

  Ceforge.media = { playedParts, progressOf, isWatched, segmentsText, unwatched, SPEEDS };

  // --- the App's media blocks --------------------------------------------------------------------

  /** One medium on screen: its element, what this visit played, its session for xAPI. */
  class MediaView {
    constructor(app, block, el) {
      this.app = app;
      this.block = block;
      this.el = el;
      this.session = null; // the xAPI Video Profile's session: from the first play to leaving
      this.segments = []; // played [start, end] of this session, in the order played
      this.from = null; // where the segment being played started
      this.last = 0; // the last known position (where a seek starts from)
      this.seconds = 0; // seconds played in this session
    }

    facts(extra) {
      return Object.assign({ block: { id: this.block.id, kind: this.block.kind },
        session: this.session, length: round3(this.el.duration || 0),
        threshold: this.block.media.watched, time: round3(this.el.currentTime || 0) }, extra);
    }

    closeSegment(at) {
      if (this.from == null) return;
      const end = Math.max(this.from, at);
      this.segments.push([this.from, end]);
      this.seconds += end - this.from;
      this.from = null;
    }

    progress() {
      return this.app.mediaRecord(this.block).parts;
    }
  }

  function round3(value) {
    return Math.round(Number(value) * 1000) / 1000;
  }

  Object.assign(Ceforge.App.prototype, {
    mediaRecord(block) {
      return this.state.blocks[block.id] || { parts: emptyParts() };
    },

    renderMedia(block) {
      const t = this.t;
      const media = block.media;
      const video = block.kind === "video";
      const el = h(video ? "video" : "audio", { controls: true, preload: "metadata",
        src: media.src, poster: video ? media.poster : null, playsinline: video ? true : null,
        "data-testid": "media", "aria-describedby": "cf-media-about-" + block.id });
      if (video && media.captions) {
        el.append(h("track", { kind: "captions", src: media.captions,
          srclang: media.captions_language || this.data.course.language,
          label: t("media_captions"), default: media.captions_on ? true : null }));
      }
      const view = new MediaView(this, block, el);
      this.mediaViews = (this.mediaViews || []).concat(view);
      const speed = h("select", { id: "cf-speed-" + block.id, class: "cf-select",
        "data-testid": "media-speed", onchange: (event) => {
          el.playbackRate = Number(event.target.value);
        } }, SPEEDS.map((rate) => h("option", { value: String(rate),
        text: this.fmt.number(rate) + "×", selected: rate === 1 ? true : null })));
      const status = h("p", { class: "cf-media-status", "data-testid": "media-progress",
        "aria-live": "polite" });
      const wrap = this.blockShell(block);
      const about = wrap.querySelector(".cf-intro");
      if (about) about.setAttribute("id", "cf-media-about-" + block.id);
      else el.removeAttribute("aria-describedby");
      wrap.append(h("div", { class: "cf-media cf-media-" + block.kind }, el),
        h("div", { class: "cf-media-tools" },
          h("label", { for: "cf-speed-" + block.id, text: t("media_speed") }), speed),
        status);
      if (media.transcript_html) {
        wrap.append(h("details", { class: "cf-transcript", "data-testid": "transcript" },
          h("summary", { text: media.transcript_title || t("media_transcript") }),
          h("div", { class: "cf-transcript-body", html: media.transcript_html })));
      } else if (media.transcript) {
        wrap.append(h("p", { class: "cf-transcript-link" }, h("a", { href: media.transcript,
          "data-testid": "transcript", target: "_blank", rel: "noopener",
          text: t("media_transcript_file") })));
      }
      this.listenToMedia(view, status);
      this.showMediaStatus(block, status);
      return wrap;
    },

    showMediaStatus(block, status) {
      const t = this.t;
      const fmt = this.fmt;
      const progress = progressOf(this.mediaRecord(block).parts);
      status.dataset.progress = String(progress);
      const watched = isWatched(block, this.state.blocks[block.id]);
      status.dataset.watched = String(watched);
      status.textContent = block.media.required
        ? t(watched ? "media_watched_done" : "media_watched_needed",
          { percent: fmt.percent(progress), needed: fmt.percent(block.media.watched) })
        : t("media_watched", { percent: fmt.percent(progress) });
    },

    listenToMedia(view, status) {
      const el = view.el;
      const block = view.block;
      const open = () => {
        if (view.session) return;
        view.session = uuid();
        view.segments = [];
        view.seconds = 0;
        this.emit(Object.assign({ type: "media-initialized" }, view.facts({
          captions: Boolean(block.media.captions && el.textTracks && el.textTracks[0] &&
            el.textTracks[0].mode === "showing"),
          speed: el.playbackRate })));
      };
      el.addEventListener("play", () => {
        open();
        view.from = el.currentTime;
        this.emit(Object.assign({ type: "media-played" }, view.facts()));
      });
      el.addEventListener("timeupdate", () => {
        if (!el.seeking) view.last = el.currentTime;
        this.mediaPlayed(view, status);
      });
      el.addEventListener("seeking", () => view.closeSegment(view.last));
      el.addEventListener("seeked", () => {
        if (!view.session) {
          view.last = el.currentTime;
          return;
        }
        const from = view.last;
        view.last = el.currentTime;
        if (!el.paused) view.from = el.currentTime;
        this.emit(Object.assign({ type: "media-seeked" }, view.facts({ from: round3(from),
          to: round3(el.currentTime), progress: progressOf(view.progress()),
          segments: Ceforge.media.segmentsText(view.segments) })));
      });
      el.addEventListener("pause", () => {
        view.closeSegment(el.currentTime);
        this.mediaPlayed(view, status);
        if (!view.session) return;
        this.emit(Object.assign({ type: "media-paused" }, view.facts({
          progress: progressOf(view.progress()), segments: Ceforge.media.segmentsText(view.segments),
        })));
      });
      el.addEventListener("ended", () => this.mediaPlayed(view, status));
    },

    /** What the element has played so far, into the state; the page's viewed mark once its
     * required media are watched. */
    mediaPlayed(view, status) {
      const block = view.block;
      const el = view.el;
      const before = this.mediaRecord(block);
      const ranges = [];
      for (let i = 0; i < el.played.length; i++) ranges.push([el.played.start(i), el.played.end(i)]);
      const parts = playedParts(before.parts, ranges, el.duration);
      if (parts.every((part, i) => part === before.parts[i])) return;
      const wasWatched = isWatched(block, this.state.blocks[block.id]);
      this.state.blocks[block.id] = { parts };
      this.showMediaStatus(block, status);
      if (!wasWatched && isWatched(block, this.state.blocks[block.id])) {
        this.emit(Object.assign({ type: "media-completed" }, view.facts({
          progress: progressOf(parts), seconds: view.seconds,
          segments: Ceforge.media.segmentsText(view.segments.concat(
            view.from == null ? [] : [[view.from, el.currentTime]])) })));
        this.markViewed(this.ix.pageIndex[block.page]);
      }
      this.changed();
    },

    /** Leaving the page (or the course): each media session that was open ends. */
    leaveMedia() {
      for (const view of this.mediaViews || []) {
        if (!view.session) continue;
        view.closeSegment(view.el.currentTime || 0);
        this.emit(Object.assign({ type: "media-terminated" }, view.facts({
          progress: progressOf(view.progress()), segments: Ceforge.media.segmentsText(view.segments),
        })));
        view.session = null;
        if (!view.el.paused) view.el.pause();
      }
      this.mediaViews = [];
    },
  });
})(window);
