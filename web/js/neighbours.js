// Typesetting ahead of a click: after a selection is drawn, Python is asked for the derivation
// steps of the connections a student is likely to pick next (derivationOf, which changes no
// State) and they are typeset in idle time into derivation-view.js's cache, so the next click
// is answered with clones of finished formulas instead of waiting for MathJax.

const AHEAD = 8; // neighbours prepared after each selection

// The connections after `selected`, likeliest first: into the same neuron, then the rest of
// its layer, then the nearer layers; within each, those after it in the diagram's order first.
export function neighbours(edges, selected) {
  if (!selected) return [];
  const at = edges.findIndex((e) => e.layer === selected.layer && e.to === selected.to && e.from === selected.from);
  const rank = (e) => (e.layer !== selected.layer ? 2 + Math.abs(e.layer - selected.layer) : e.to === selected.to ? 0 : 1);
  return edges
    .map((edge, i) => ({ edge, rank: rank(edge), after: (i - at + edges.length) % edges.length }))
    .filter(({ after }) => after !== 0)
    .sort((a, b) => a.rank - b.rank || a.after - b.after)
    .slice(0, AHEAD)
    .map(({ edge }) => ({ layer: edge.layer, to: edge.to, from: edge.from }));
}

const idle = () =>
  new Promise((resolve) => (window.requestIdleCallback ? requestIdleCallback(resolve, { timeout: 500 }) : setTimeout(resolve, 16)));

// Prepare the neighbours of `view`'s selection while `wanted()` holds (no newer request, Python
// up): ask `derive(selection)` for each one's steps and `typesetAhead(steps, wanted)` them, one
// at a time in idle time. Resolves with how many were prepared; rejects with the first error.
export async function prepareNeighbours(view, { derive, typesetAhead, wanted }) {
  let done = 0;
  for (const selection of neighbours(view.diagram.edges, view.state.selected)) {
    await idle();
    if (!wanted()) break;
    const { steps } = await derive(selection);
    if (!wanted() || !(await typesetAhead(steps, wanted))) break;
    done += 1;
  }
  return done;
}
