// The permalink's hash (web/js/share.js readHash): the link, embed mode, its panels and
// controls, and the hand-written select=, notation= and present=, each as written (Python reads them).
import assert from "node:assert/strict";
import { test } from "node:test";

import { readHash } from "../../web/js/share.js";

const none = { controls: null, select: null, notation: null, present: null };

test("the hash gives the link, whether the page is embedded, and the panels named", () => {
  assert.deepEqual(readHash("#embed=1&panels=diagram,%20derivation,,&state=v1.abc-_"), {
    link: "v1.abc-_",
    embed: true,
    panels: ["diagram", "derivation"],
    ...none,
  });
  assert.deepEqual(readHash("#state=v1.x"), { link: "v1.x", embed: false, panels: [], ...none });
  assert.deepEqual(readHash(""), { link: null, embed: false, panels: [], ...none });
  // only "1" embeds
  assert.deepEqual(readHash("#embed=true"), { link: null, embed: false, panels: [], ...none });
});

test("controls, select, notation and present go to Python as written", () => {
  assert.deepEqual(readHash("#embed=1&controls=none&select=2-1-3&notation=vector&present=1"), {
    link: null,
    embed: true,
    panels: [],
    controls: "none",
    select: "2-1-3",
    notation: "vector",
    present: "1",
  });
  assert.equal(readHash("#select=%202-1-3").select, " 2-1-3"); // not trimmed: Python names it
});
