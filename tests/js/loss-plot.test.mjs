// The loss plot's axes (web/js/loss-plot.js): round ticks, whole steps, powers of ten.
import assert from "node:assert/strict";
import { test } from "node:test";

import { label, lossAxes, niceTicks } from "../../web/js/loss-plot.js";

test("ticks are 1, 2 or 5 times a power of ten apart, without rounding noise", () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0, 0.3, 5), [0, 0.1, 0.2, 0.3]);
  assert.deepEqual(niceTicks(0, 1000, 3), [0, 500, 1000]);
  assert.deepEqual(niceTicks(3, 3, 5), [3]);
});

test("labels keep 4 significant digits and write tiny or huge values as powers of ten", () => {
  assert.deepEqual(
    [0, 2, 1.23456, 0.001, 0.0001234, -0.0001234, 123456].map(label),
    ["0", "2", "1.235", "0.001", "1e-4", "-1e-4", "1e5"],
  );
});

test("a linear axis runs from 0 to the largest loss; the steps are whole numbers", () => {
  const axes = lossAxes(
    [
      [0, 2],
      [10, 0.5],
    ],
    false,
    420,
  );
  assert.deepEqual([axes.maxStep, axes.lo, axes.hi], [10, 0, 2]);
  assert.deepEqual(axes.xTicks, [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(
    axes.yTicks.map((t) => t.text),
    ["0", "0.5", "1", "1.5", "2"],
  );
  assert.equal(axes.value(0.5), 0.5);
  // three steps in a wide plot: no half steps
  assert.deepEqual(
    lossAxes(
      [
        [0, 1],
        [3, 1],
      ],
      false,
      420,
    ).xTicks,
    [0, 1, 2, 3],
  );
});

test("a log axis spans whole powers of ten, labels at most 7 of them, and puts 0 at the floor", () => {
  const points = [
    [0, 1e3],
    [5, 1e-12],
    [6, 0],
  ];
  const axes = lossAxes(points, true, 420);
  assert.deepEqual([axes.lo, axes.hi], [-12, 3]);
  assert.deepEqual(
    axes.yTicks.map((t) => [t.at, t.text]),
    [
      [-12, "1e-12"],
      [-9, "1e-9"],
      [-6, "1e-6"],
      [-3, "0.001"],
      [0, "1"],
      [3, "1000"],
    ],
  );
  assert.equal(axes.value(0), -12); // a loss of exactly 0 sits with the smallest positive one
  assert.equal(axes.value(1e3), 3);
  // one point: a decade of axis rather than none, and step 0 to 1
  const single = lossAxes([[0, 1]], true, 100);
  assert.deepEqual([single.lo, single.hi, single.maxStep], [0, 1, 1]);
  assert.deepEqual(
    single.yTicks.map((t) => t.text),
    ["1", "10"],
  );
});
