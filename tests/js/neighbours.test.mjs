// Typesetting ahead (web/js/neighbours.js): which connections are prepared after a selection,
// in which order, and that the work stops as soon as it is no longer wanted.
import assert from "node:assert/strict";
import { test } from "node:test";

import { neighbours, prepareNeighbours } from "../../web/js/neighbours.js";

// The 2-3-1 demo's connections in the diagram's order: layer 1 (to 1..3, from 1..2), then layer 2.
const edges = [];
for (const [layer, tos, froms] of [[1, 3, 2], [2, 1, 3]])
  for (let to = 1; to <= tos; to++) for (let from = 1; from <= froms; from++) edges.push({ layer, to, from });
const id = (s) => `${s.layer}-${s.to}-${s.from}`;

test("the same neuron's other connections come first, then its layer's, then the next layer's", () => {
  const got = neighbours(edges, { layer: 1, to: 2, from: 1 }).map(id);
  assert.deepEqual(got, ["1-2-2", "1-3-1", "1-3-2", "1-1-1", "1-1-2", "2-1-1", "2-1-2", "2-1-3"]);
  assert.deepEqual(neighbours(edges, { layer: 2, to: 1, from: 3 }).map(id).slice(0, 3), ["2-1-1", "2-1-2", "1-1-1"]);
  assert.deepEqual(neighbours(edges, null), []);
});

test("at most eight are prepared, one at a time, and never the selection itself", async () => {
  globalThis.window = {};
  const asked = [];
  const done = await prepareNeighbours(
    { diagram: { edges }, state: { selected: { layer: 2, to: 1, from: 1 } } },
    {
      derive: async (s) => (asked.push(id(s)), { steps: [id(s)] }),
      typesetAhead: async () => true,
      wanted: () => true,
    },
  );
  assert.equal(done, 8);
  assert.equal(new Set(asked).size, 8);
  assert.ok(!asked.includes("2-1-1"));
});

test("it stops when no longer wanted, and a failure rejects", async () => {
  globalThis.window = {};
  let left = 3;
  const view = { diagram: { edges }, state: { selected: { layer: 1, to: 1, from: 1 } } };
  const done = await prepareNeighbours(view, {
    derive: async () => ({ steps: [] }),
    typesetAhead: async () => true,
    wanted: () => left-- > 0,
  });
  assert.ok(done < 3);
  await assert.rejects(
    prepareNeighbours(view, {
      derive: async () => {
        throw new Error("no such connection");
      },
      typesetAhead: async () => true,
      wanted: () => true,
    }),
    /no such connection/,
  );
});
