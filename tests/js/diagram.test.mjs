// web/js/diagram.js's pure functions, on the layouts Python makes now (tests/js/diagram_models.py
// writes the model of every preset, and of a network too wide for a phone, when this test runs).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import {
  chooseLayout, drawnWidths, edgesNear, neighbour, scrollTarget, segmentDistance, tapMeant,
} from "../../web/js/diagram.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PYTHON = process.env.BPX_PYTHON ?? join(ROOT, ".venv", "bin", "python");
assert.ok(existsSync(PYTHON), `${PYTHON} not found: run python3 tests/run.py once (it makes .venv) or set BPX_PYTHON`);
const MODELS = JSON.parse(
  execFileSync(PYTHON, [join(ROOT, "tests", "js", "diagram_models.py")], { encoding: "utf8", maxBuffer: 1 << 28 }),
);
const { LABEL_PX, MIN_TEXT_PX } = MODELS;
const PHONE_BOX = 318; // CSS px of the diagram's box in a 360 px wide window
const PINNED = 224; // CSS px: its height at most, pinned in a 360 x 740 phone (40 vh - 4.5 rem)

// The scale the page draws `layout` at in a box `box` CSS px wide (at most `height` high when
// pinned): #diagram is 100 % wide (style.css) between drawnWidths' bounds.
function scaleIn(layout, box, height = null) {
  const { minWidth, maxWidth } = drawnWidths(layout, height);
  return Math.min(Math.max(box, minWidth), maxWidth) / layout.width;
}

const byName = (layouts, name) => layouts.find((l) => l.name === name);

// Drawn in a 360 px window's box, `model` fits whole (no sideways scrolling) with text of at
// least 11 px, pinned in the phone's box, and every connection has a spot whose 24 px wide band
// meets no other connection: a tap there selects it without asking. The layout drawn.
function assertPhoneTappable(model) {
  const layout = chooseLayout(model.layouts, PHONE_BOX);
  assert.ok(layout.minWidth <= PHONE_BOX, `${layout.name}: minWidth ${layout.minWidth}`);
  const scale = scaleIn(layout, PHONE_BOX, PINNED);
  assert.ok(LABEL_PX * scale >= MIN_TEXT_PX, `text ${LABEL_PX * scale} px`);
  const at = layout.name;
  for (const edge of model.edges) {
    const [x1, y1, x2, y2] = edge.at[at];
    const others = model.edges.filter((other) => other !== edge);
    let best = null;
    for (let t = 2; t <= 18; t++) {
      const spot = { x: x1 + (t / 20) * (x2 - x1), y: y1 + (t / 20) * (y2 - y1) };
      const clearance = Math.min(...others.map((other) => segmentDistance(spot, other.at[at])));
      if (!best || clearance > best.clearance) best = { spot, clearance };
    }
    assert.ok(best.clearance * scale >= 12, `${at} ${edge.id}: ${best.clearance * scale} px`);
    assert.equal(tapMeant(edgesNear(model.edges, at, best.spot, scale))?.edge, edge, edge.id);
  }
  return layout;
}

for (const [name, model] of Object.entries(MODELS.presets)) {
  test(`${name} fits a phone and each connection has room for a finger`, () => {
    assertPhoneTappable(model);
  });
}

test("the deep network runs down on a phone and across on a desktop", () => {
  const { layouts } = MODELS.presets.deep;
  assert.equal(chooseLayout(layouts, PHONE_BOX).name, "down");
  assert.equal(chooseLayout(layouts, 568).name, "across"); // 200 % zoom of 1280 px
  assert.equal(chooseLayout(layouts, 462).name, "compact"); // 1024 px, two columns
  // ten neurons side by side do not fit a phone: the narrowest layout, in a box that scrolls
  const wide = MODELS.wide.layouts;
  assert.ok(wide.every((l) => l.minWidth > PHONE_BOX));
  assert.equal(chooseLayout(wide, PHONE_BOX).name, "compact");
});

test("a layout fits from its minWidth on, and is never drawn beyond 1.2 times its size", () => {
  const { layouts } = MODELS.presets.deep;
  const across = byName(layouts, "across");
  assert.equal(chooseLayout(layouts, across.minWidth).name, "across");
  assert.notEqual(chooseLayout(layouts, across.minWidth - 1).name, "across");
  assert.deepEqual(drawnWidths(across), { minWidth: across.minWidth, maxWidth: Math.round(across.width * 1.2) });
  assert.ok(Math.abs(scaleIn(across, 10000) - 1.2) < 0.01);
});

test("pinned on a phone, the readable layout is drawn as large as fits the box's height", () => {
  const demo = chooseLayout(MODELS.presets.demo.layouts, PHONE_BOX); // 2-3-1, the page's default
  assert.equal(demo.name, "compact");
  const { minWidth, maxWidth } = drawnWidths(demo, PINNED);
  assert.ok(maxWidth < PHONE_BOX, `drawn ${maxWidth} px wide`); // the height limits it
  assert.ok((maxWidth * demo.height) / demo.width <= PINNED, "the default network fits whole");
  assert.ok(LABEL_PX * (maxWidth / demo.width) >= MIN_TEXT_PX && minWidth === demo.minWidth);
  // Deep runs down the phone, taller than the box even at its smallest readable size: drawn
  // as wide as unpinned, and the box scrolls
  const down = chooseLayout(MODELS.presets.deep.layouts, PHONE_BOX);
  assert.equal(down.name, "down");
  assert.ok((down.minWidth * down.height) / down.width > PINNED);
  assert.deepEqual(drawnWidths(down, PINNED), drawnWidths(down));
  // a tall box: no larger than unpinned
  assert.deepEqual(drawnWidths(demo, 5000), drawnWidths(demo));
});

test("the box scrolls to what a link lights: not at all, centred, or from the anchor's end", () => {
  const view = { left: 0, top: 100, width: 300, height: 200 };
  const box = (left, top, right, bottom) => ({ left, top, right, bottom });
  // already in sight (a pixel of rounding allowed): no scrolling
  assert.equal(scrollTarget(box(10, 120, 200, 301), box(10, 120, 20, 130), view), null);
  // below, and small enough: centred on the axis where it is out of sight, the other kept
  assert.deepEqual(scrollTarget(box(10, 400, 200, 500), box(10, 400, 20, 410), view), { left: 0, top: 350 });
  // taller than the box: as much as fits, from the anchor's end (the top or the bottom)
  assert.deepEqual(scrollTarget(box(10, 40, 200, 500), box(10, 40, 20, 60), view), { left: 0, top: 40 });
  assert.deepEqual(scrollTarget(box(10, 40, 200, 500), box(10, 480, 20, 500), view), { left: 0, top: 300 });
  // both axes; never before the start
  assert.deepEqual(scrollTarget(box(500, 0, 900, 50), box(880, 0, 900, 50), view), { left: 600, top: 0 });
});

test("the arrow keys move within a layer and along the path (Classic, 3-2-1)", () => {
  const { edges } = MODELS.presets.classic;
  const id = (e) => e?.id ?? e;
  const edge = (key) => edges.find((e) => e.id === key);
  const move = (from, key) => id(neighbour(edges, edge(from), key));
  assert.deepEqual(
    edges.map((e) => e.id),
    ["1-1-1", "1-1-2", "1-1-3", "1-2-1", "1-2-2", "1-2-3", "2-1-1", "2-1-2"],
  );
  assert.equal(move("1-1-1", "ArrowDown"), "1-1-2");
  assert.equal(move("1-1-3", "ArrowDown"), "1-2-1"); // on to the next neuron of the layer
  assert.equal(move("1-1-1", "ArrowUp"), "1-1-1"); // the first stays
  assert.equal(move("2-1-2", "ArrowDown"), "2-1-2"); // the last stays
  assert.equal(move("1-2-2", "Home"), "1-1-1");
  assert.equal(move("1-1-2", "End"), "1-2-3");
  assert.equal(move("1-2-3", "ArrowRight"), "2-1-2"); // on from hidden neuron 2
  assert.equal(move("1-1-3", "ArrowRight"), "2-1-1"); // on from hidden neuron 1
  assert.equal(move("2-1-2", "ArrowLeft"), "1-2-1"); // back into hidden neuron 2
  assert.equal(move("2-1-1", "ArrowRight"), "2-1-1"); // no layer after the output
  assert.equal(move("1-1-1", "ArrowLeft"), "1-1-1"); // no layer before the input
  assert.equal(neighbour(edges, edge("1-1-1"), "a"), null);
});

test("a tap takes the clearly nearest connection, asks when two are close, and ignores far ones", () => {
  const line = (id, y) => ({ id, at: { across: [0, y, 100, y] } });
  const [a, b, c, d] = [line("a", 0), line("b", 3), line("c", 13), line("d", 60)];
  const edges = [a, b, c, d];
  // scale 2: one unit of the drawing is 2 CSS px; TAP_REACH is 12 CSS px, CLEAR_LEAD 8
  const near = edgesNear(edges, "across", { x: 50, y: 1 }, 2);
  assert.deepEqual(
    near.map((n) => [n.edge.id, n.d]),
    [
      ["a", 2],
      ["b", 4],
    ],
  );
  assert.deepEqual(tapMeant(near), { choices: [a, b] }); // 2 px apart: ask
  assert.deepEqual(tapMeant(edgesNear(edges, "across", { x: 50, y: 13 }, 1)), { edge: c }); // 0 vs 10 px
  assert.deepEqual(tapMeant(edgesNear(edges, "across", { x: 50, y: 9 }, 1)), { choices: [c, b, a] }); // 4, 6 and 9 px
  assert.deepEqual(tapMeant(edgesNear(edges, "across", { x: 50, y: 25 }, 1)), { edge: c }); // 12 px: in reach
  assert.equal(tapMeant(edgesNear(edges, "across", { x: 50, y: 25.5 }, 1)), null); // 12.5 px: out of reach
  const crowd = Array.from({ length: 12 }, (_, i) => line(`e${i}`, i * 0.1));
  assert.equal(edgesNear(crowd, "across", { x: 50, y: 0 }, 1).length, 8); // at most 8 to choose from
});

test("segmentDistance measures to the nearest point of the segment, ends included", () => {
  assert.equal(segmentDistance({ x: 5, y: 3 }, [0, 0, 10, 0]), 3);
  assert.equal(segmentDistance({ x: 13, y: 4 }, [0, 0, 10, 0]), 5);
  assert.equal(segmentDistance({ x: -3, y: -4 }, [0, 0, 10, 0]), 5);
  assert.equal(segmentDistance({ x: 3, y: 4 }, [0, 0, 0, 0]), 5); // a point-like segment
});

// With biases on, every preset still fits a phone with readable text, and each layer's bias unit
// lists its connections when tapped, the sure way to each bias where connections crowd.
for (const [name, model] of Object.entries(MODELS.biased)) {
  // the bias units' connections too: the layers then run down on a phone (diagram.py's BIAS_*)
  test(`${name} with biases fits a phone, each connection has room for a finger and its bias units list their connections`, () => {
    assert.equal(assertPhoneTappable(model).name, "down");
    const units = model.nodes.filter((n) => n.kind === "bias");
    const listed = units.flatMap((n) => n.connections.edges);
    assert.deepEqual(listed, model.edges.filter((e) => e.from === 0).map((e) => e.id));
  });
}

test("with biases the arrow keys reach each neuron's bias first (Classic, 3-2-1)", () => {
  const { edges } = MODELS.biased.classic;
  const edge = (key) => edges.find((e) => e.id === key);
  const move = (from, key) => neighbour(edges, edge(from), key)?.id;
  assert.deepEqual(
    edges.map((e) => e.id),
    ["1-1-0", "1-1-1", "1-1-2", "1-1-3", "1-2-0", "1-2-1", "1-2-2", "1-2-3", "2-1-0", "2-1-1", "2-1-2"],
  );
  assert.equal(move("1-1-3", "ArrowDown"), "1-2-0"); // the next neuron's bias
  assert.equal(move("1-2-0", "ArrowUp"), "1-1-3");
  assert.equal(move("1-2-2", "Home"), "1-1-0");
  assert.equal(move("1-2-0", "ArrowRight"), "2-1-2"); // on from hidden neuron 2
  assert.equal(move("2-1-0", "ArrowLeft"), "2-1-0"); // a bias unit has nothing arriving
});
