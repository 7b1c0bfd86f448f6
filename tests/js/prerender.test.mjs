// The clicks answered before Python is up (web/js/prerender.js): the request keys Python's
// build writes, the changes to the opening view, and the walk through the table.
import assert from "node:assert/strict";
import { test } from "node:test";

import { applyPatch, createAhead, requestKey } from "../../web/js/prerender.js";

test("a request's key sorts every object's keys and has no spaces, as json.dumps(sort_keys=True)", () => {
  assert.equal(
    requestKey("select", { selection: { to: 2, layer: 1, from: 3 } }),
    '{"args":{"selection":{"from":3,"layer":1,"to":2}},"op":"select"}',
  );
  assert.equal(
    requestKey("setState", { partial: { notation: "vector", list: [1, "é", null, true] } }),
    '{"args":{"partial":{"list":[1,"é",null,true],"notation":"vector"}},"op":"setState"}',
  );
});

test("a change replaces values, keys of objects and indices of lists, and leaves the base alone", () => {
  const base = { a: 1, b: { c: [10, 20, 30], d: "x" }, e: [1, 2] };
  const frozen = structuredClone(base);
  const out = applyPatch(base, { b: { c: { 1: [21] } }, e: [[3]] });
  assert.deepEqual(out, { a: 1, b: { c: [10, 21, 30], d: "x" }, e: [3] });
  assert.deepEqual(base, frozen);
  assert.ok(Array.isArray(out.b.c));
  assert.equal(out.b.d, base.b.d);
  assert.deepEqual(applyPatch(base, {}), base);
  assert.equal(applyPatch(base, [null]), null);
});

test("the table is walked from the opening view until a request it does not hold", () => {
  const select = (to) => requestKey("select", { selection: { layer: 1, to, from: 1 } });
  const table = {
    actions: [select(1), select(2)],
    views: [{}, { pick: ["one"] }, { pick: ["two"] }],
    next: [
      [1, 2],
      [1, 2],
      [1, 2],
    ],
  };
  const opening = { pick: "none", state: { n: 1 } };
  const ahead = createAhead(table, opening, 1);
  assert.ok(ahead.shown(1, { pick: "none", state: { n: 1 } })); // init's answer: on screen
  assert.ok(!ahead.shown(1, { pick: "none", state: { n: 2 } })); // another: drawn
  assert.equal(ahead.answer("init", {}, 1), null); // drawn already, and no stop
  const sel = (to) => ({ selection: { layer: 1, to, from: 1 } });
  assert.deepEqual(ahead.answer("select", sel(2), 2), { pick: "two", state: { n: 1 } });
  const one = ahead.answer("select", sel(1), 3);
  assert.deepEqual(one, { pick: "one", state: { n: 1 } });
  assert.ok(ahead.shown(1, opening) && ahead.shown(2, { other: true })); // not over view 3
  assert.ok(ahead.shown(3, structuredClone(one)));
  assert.ok(!ahead.shown(3, { pick: "one", state: { n: 2 } }));
  assert.ok(!ahead.shown(4, one)); // a request not answered ahead is always drawn
  assert.equal(ahead.answer("select", sel(1), 4), one); // built once
  assert.equal(ahead.answer("preset", { name: "deep" }, 5), null);
  assert.equal(ahead.answer("select", sel(2), 6), null); // the State is no longer the table's
  assert.ok(!ahead.shown(5, one) && !ahead.shown(6, one));
  const stopped = createAhead(table, opening, 1);
  stopped.stop();
  assert.equal(stopped.answer("select", sel(1), 2), null);
  const none = createAhead(null, opening, 1); // no table: only init is answered
  assert.equal(none.answer("select", sel(1), 2), null);
  assert.ok(none.shown(1, opening));
});
