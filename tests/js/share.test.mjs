// The permalink's hash (web/js/share.js readHash): the link, embed mode and its panels.
import assert from "node:assert/strict";
import { test } from "node:test";

import { readHash } from "../../web/js/share.js";

test("the hash gives the link, whether the page is embedded, and the panels named", () => {
  assert.deepEqual(readHash("#embed=1&panels=diagram,%20derivation,,&state=v1.abc-_"), {
    link: "v1.abc-_",
    embed: true,
    panels: ["diagram", "derivation"],
  });
  assert.deepEqual(readHash("#state=v1.x"), { link: "v1.x", embed: false, panels: [] });
  assert.deepEqual(readHash(""), { link: null, embed: false, panels: [] });
  assert.deepEqual(readHash("#embed=true"), { link: null, embed: false, panels: [] }); // only "1" embeds
});
