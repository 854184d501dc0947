/* ceforge runtime core: seeded random numbers and hashes, for draws and shuffles. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { SEED_LIMIT } = Ceforge.limits;

  /** mulberry32: a small seeded generator; returns a function giving floats in [0, 1). */
  function mulberry32(seed) {
    let a = seed >>> 0;
    return function next() {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function utf8(text) {
    if (typeof TextEncoder === "function") return new TextEncoder().encode(text);
    const bytes = [];
    const raw = unescape(encodeURIComponent(text));
    for (let i = 0; i < raw.length; i++) bytes.push(raw.charCodeAt(i));
    return bytes;
  }

  /** FNV-1a over the UTF-8 bytes of `text`, from `basis`, then murmur3's fmix32; a uint32. */
  function hash32(text, basis) {
    let hash = basis === undefined ? 0x811c9dc5 : basis >>> 0;
    for (const byte of utf8(String(text))) {
      hash ^= byte;
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
    return hash >>> 0;
  }

  function shuffled(list, rng) {
    const items = list.slice();
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
    return items;
  }

  function randomSeed() {
    if (root.crypto && root.crypto.getRandomValues) {
      const words = new Uint32Array(1);
      root.crypto.getRandomValues(words);
      return words[0] % SEED_LIMIT;
    }
    return Math.floor(Math.random() * SEED_LIMIT);
  }

  /** A random UUID (version 4): statement ids, the session of a video. */
  function uuid() {
    const crypto = root.crypto;
    if (crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    if (crypto && crypto.getRandomValues) crypto.getRandomValues(bytes);
    else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  Ceforge.random = { mulberry32, hash32, shuffled, seed: randomSeed, uuid };
})(window);
