// What the page sends Python (web/js/json.js): plain data only, NaN and ±Infinity kept.
import assert from "node:assert/strict";
import { test } from "node:test";

import { checkPlain, encode } from "../../web/js/json.js";

const PLAIN = "(numbers, text, true/false, null, lists and objects)";

test("plain data passes, also an object without a prototype and a value met twice", () => {
  const shared = [1, 2];
  const bare = Object.assign(Object.create(null), { a: 1 });
  checkPlain({ layers: [2, 3, 1], name: "x", on: true, none: null, nan: NaN, bare, a: shared, b: shared }, "state");
});

test("anything else is named by its path", () => {
  class Weights {}
  const cases = [
    [{ f: () => 1 }, "args.f is a function, not plain data"],
    [{ input: [1, undefined] }, "args.input[1] is undefined, not plain data"],
    [{ when: new Date(0) }, "args.when is a Date, not plain data"],
    [{ m: new Map() }, "args.m is a Map, not plain data"],
    [{ w: new Weights() }, "args.w is a Weights, not plain data"],
    [{ n: 10n }, "args.n is a BigInt, not plain data"],
    [{ s: Symbol("s") }, "args.s is a symbol, not plain data"],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => checkPlain(value, "args"), { message: `${message} ${PLAIN}` });
  }
  const cycle = { partial: { input: [] } };
  cycle.partial.input.push(cycle.partial);
  assert.throws(() => checkPlain(cycle, "args"), {
    message: `args.partial.input[0] contains itself, so it is not plain data ${PLAIN}`,
  });
});

test("encode keeps NaN and ±Infinity for Python to name, and text that looks like them stays text", () => {
  assert.equal(
    encode({ a: NaN, b: [Infinity, -Infinity, 1.5], c: "NaN", d: "\u0000bpx-nonfinite:NaN!" }),
    '{"a":NaN,"b":[Infinity,-Infinity,1.5],"c":"NaN","d":"\\u0000bpx-nonfinite:NaN!"}',
  );
  assert.deepEqual(JSON.parse(encode({ x: [1, "two", null, true] })), { x: [1, "two", null, true] });
});
