/*
 * Video and audio (docs/runtime.md, "Video and audio"): the parts a learner has played, the
 * "watched" rule that holds a page's viewed mark, the played segments the xAPI Video Profile
 * reports, and the state record of each medium.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { loadCore, blocks } = require("./runtime");

const Ceforge = loadCore();
const { media: rules, state: codec } = Ceforge;
const data = blocks();
const video = data.blocks.find((b) => b.kind === "video");
const audio = data.blocks.find((b) => b.kind === "audio");

test("a part counts once at least half of it has been played", () => {
  const none = rules.playedParts(null, [], 100);
  assert.equal(none.length, 100);
  assert.equal(rules.progressOf(none), 0);
  // 100 s: parts of 1 s. 10.5 s to 20.4 s covers parts 10 to 19 (20 is only 0.4 played).
  const some = rules.playedParts(none, [[10.5, 20.4]], 100);
  assert.deepEqual(some.map((p, i) => (p ? i : -1)).filter((i) => i >= 0),
    [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  // Parts played before stay played; a range that grows adds the parts it now covers.
  const more = rules.playedParts(some, [[10.5, 20.6]], 100); // the session's played union
  assert.equal(more[20], true);
  assert.equal(rules.playedParts(none, [[1, 100]], 0).filter(Boolean).length, 0, "no duration yet");
});

test("a medium is watched at its threshold, and holds its page until then", () => {
  assert.equal(video.media.watched, 0.9);
  const parts = (n) => Array.from({ length: 100 }, (_, i) => i < n);
  assert.equal(rules.isWatched(video, { parts: parts(89) }), false);
  assert.equal(rules.isWatched(video, { parts: parts(90) }), true);
  assert.equal(rules.isWatched(video, undefined), false);
  const ix = codec.index(data);
  const state = codec.fresh(data);
  assert.deepEqual(rules.unwatched(ix, state, video.page).map((b) => b.id), [video.id]);
  assert.deepEqual(rules.unwatched(ix, state, audio.page), [], "the audio is not required");
  state.blocks[video.id] = { parts: parts(95) };
  assert.deepEqual(rules.unwatched(ix, state, video.page), []);
});

test("played segments as the Video Profile writes them", () => {
  assert.equal(rules.segmentsText([[0, 12.5], [14, 21.0004]]), "0.000[.]12.500[,]14.000[.]21.000");
  assert.equal(rules.segmentsText([]), "");
});

test("the state keeps each medium's parts, five to a character", () => {
  const state = codec.fresh(data);
  state.blocks[video.id] = { parts: Array.from({ length: 100 }, (_, i) => i < 7) };
  const text = codec.encode(state, data);
  // The video is block 1 (after the scenario): N(1), S(20 characters): 7 parts are v, 3, then 0s.
  assert.ok(text.endsWith("1." + "1." + "k:v3" + "0".repeat(18)), text);
  assert.deepEqual(codec.decode(text, data).blocks[video.id], state.blocks[video.id]);
  assert.throws(() => codec.decode(text.slice(0, -1) + "z", data), /bad parts/);
});
