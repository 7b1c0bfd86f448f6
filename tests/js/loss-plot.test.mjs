// The loss plot's step axis (web/js/loss-plot.js): it takes as many of Python's step ticks as
// its width fits. The ticks themselves and their texts are Python's (tests/unit/test_loss_plot.py).
import assert from "node:assert/strict";
import { test } from "node:test";

import { stepTicks } from "../../web/js/loss-plot.js";

const tick = (at) => ({ at, text: String(at) });
// Python's stepTicks for 2, 3, 4 and 5 labels
const plot = { stepTicks: [[0, 20].map(tick), [0, 10, 20].map(tick), [0, 10, 20, 30].map(tick), [0, 5, 10].map(tick)] };

test("one label per 70 px of axis, at least 2, at most as many as Python gave", () => {
  assert.deepEqual(
    stepTicks(plot, 100).map((t) => t.text),
    ["0", "20"],
  );
  assert.deepEqual(
    stepTicks(plot, 210).map((t) => t.text),
    ["0", "10", "20"],
  );
  assert.deepEqual(
    stepTicks(plot, 280).map((t) => t.at),
    [0, 10, 20, 30],
  );
  assert.deepEqual(
    stepTicks(plot, 5000).map((t) => t.at),
    [0, 5, 10],
  );
});
