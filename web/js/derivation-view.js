// Typesets the derivation computed in Python (backprop_explorer/derivation.py) with MathJax.
// index.html loads mathjax/mathjax.js (a classic deferred script) before the app module,
// so MathJax.startup exists by the time this module runs.
function mathReady() {
  if (!window.MathJax?.startup?.promise) {
    return Promise.reject(new Error("MathJax did not load (mathjax/mathjax.js missing)"));
  }
  return window.MathJax.startup.promise;
}

// Render the steps into `container`; onHoverTerm(n | null) fires when explicit-sum term n
// (one gradient path) is hovered or focused.
export async function renderDerivation(container, derivation, { onHoverTerm }) {
  await mathReady();
  const MathJax = window.MathJax;
  const width = container.clientWidth || 600;
  const list = document.createElement("ol");
  list.className = "steps";
  for (const step of derivation.steps) {
    const item = document.createElement("li");
    item.className = "step";
    item.dataset.step = step.id;
    const label = document.createElement("span");
    label.className = "step-label";
    label.textContent = step.label;
    const math = document.createElement("div");
    math.className = step.wide ? "math wide" : "math";
    // containerWidth lets MathJax break long display equations into lines (displayOverflow).
    // Steps marked wide (tables) keep their layout and scroll sideways instead.
    const options = { display: true, containerWidth: step.wide ? 1e6 : Math.max(240, width - 16) };
    math.appendChild(await MathJax.tex2svgPromise(step.tex, options));
    const error = math.querySelector("[data-mjx-error]");
    if (error) throw new Error(`could not typeset ${step.label}: ${error.getAttribute("data-mjx-error")}`);
    item.append(label, math);
    list.appendChild(item);
  }
  container.replaceChildren(list);
  // tex2svgPromise does not touch the document: add (or refresh) MathJax's own CSS, which
  // also hides the assistive MathML that screen readers read.
  installStylesheet(MathJax);
  // \class also marks the hidden assistive MathML copy: only the SVG one is hoverable.
  // Glyphs alone leave gaps a pointer falls through, so each term gets a transparent box.
  const terms = [...container.querySelectorAll("svg [class*='bpx-path-']")];
  for (const term of terms) {
    const n = Number(/bpx-path-(\d+)/.exec(term.getAttribute("class"))[1]);
    const box = term.getBBox();
    const pad = 60; // MathJax SVG units are 1/1000 em
    const rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    for (const [key, value] of Object.entries({
      x: box.x - pad, y: box.y - pad, width: box.width + 2 * pad, height: box.height + 2 * pad,
    })) rect.setAttribute(key, String(value));
    rect.setAttribute("class", "bpx-hit");
    term.insertBefore(rect, term.firstChild);
    const light = (on) => {
      for (const t of terms) if (t.classList.contains(`bpx-path-${n}`)) t.classList.toggle("lit", on);
      onHoverTerm(on ? n : null);
    };
    term.addEventListener("mouseenter", () => light(true));
    term.addEventListener("mouseleave", () => light(false));
  }
}

// Typeset every [data-tex] element under `root` in place (the notation guide). The element's
// text is a plain-text fallback, replaced by the typeset formula once MathJax is ready.
export async function typesetInline(root) {
  await mathReady();
  const MathJax = window.MathJax;
  for (const node of root.querySelectorAll("[data-tex]")) {
    const tex = node.dataset.tex;
    const math = await MathJax.tex2svgPromise(tex, { display: false });
    const error = math.querySelector("[data-mjx-error]");
    if (error) throw new Error(`${tex}: ${error.getAttribute("data-mjx-error")}`);
    node.replaceChildren(math);
    node.classList.add("typeset");
  }
  installStylesheet(MathJax);
}

function installStylesheet(MathJax) {
  const sheet = MathJax.svgStylesheet();
  const old = document.getElementById(sheet.id);
  if (old) old.replaceWith(sheet);
  else document.head.appendChild(sheet);
}
