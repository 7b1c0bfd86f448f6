// Clicks answered before Python is up. The build (tools/pyodide_build.py, in the site's own
// Pyodide) walked every view a click on the opening view can reach: a connection selected,
// a notation chosen, and again from each view reached. index.html carries them
// (#bpx-prerender-clicks, written by tools/sitebuild/prerender.py) as changes to the opening
// view. While Python starts, a request that the table names is answered from it at once; the
// request still goes to Python, whose answer is the same render.

// A request as one canonical text: keys sorted, no spaces, as Python's
// json.dumps(sort_keys=True, separators=(",", ":")) writes it for the same call.
export function requestKey(op, args) {
  const canonical = (value) => {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value && typeof value === "object") {
      const keys = Object.keys(value).sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
    }
    return JSON.stringify(value);
  };
  return canonical({ op, args });
}

// `base` changed by `change`: [value] replaces it; an object changes the keys it names (in
// an object) or the indices it names (in a list), each by its own change.
export function applyPatch(base, change) {
  if (Array.isArray(change)) return change[0];
  const out = Array.isArray(base) ? base.slice() : { ...base };
  for (const [key, part] of Object.entries(change)) out[key] = applyPatch(base[key], part);
  return out;
}

// The answers for one page. `opening` is the opening view's render (the pre-rendered init),
// the answer to request number `first` (init); `table` {actions, views, next} comes from the
// build, or is null when no click is to be answered. answer(op, args, number) gives the
// render of the view request `number` (after init) leads to, or null when the table does not
// know it; from then on (and after stop()) it answers nothing, since the State is no longer
// one the table holds. shown(number, view): whether Python's answer `view` to request `number` need
// not be drawn: it is the view drawn for that request, or an earlier request's, which would
// draw over the view of a later one.
export function createAhead(table, opening, first) {
  let at = table ? 0 : null; // index of the view on screen, or null once stopped
  const views = new Map([[0, opening]]);
  let answeredAt = first;
  let answered = opening;
  return {
    answer(op, args, number) {
      if (at === null || number === first) return null; // init's answer is the opening view
      const action = table.actions.indexOf(requestKey(op, args));
      if (action < 0) {
        at = null;
        return null;
      }
      at = table.next[at][action];
      if (!views.has(at)) views.set(at, applyPatch(opening, table.views[at]));
      answeredAt = number;
      answered = views.get(at);
      return answered;
    },
    shown(number, view) {
      if (number < answeredAt) return true;
      return number === answeredAt && JSON.stringify(view) === JSON.stringify(answered);
    },
    stop() {
      at = null;
    },
  };
}
