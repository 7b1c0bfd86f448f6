// The explorer as a notebook widget (anywidget's module: `export default {render}`). The
// kernel's Python (backprop_explorer/widget.py) keeps the Session; this module draws each
// render it syncs (`_render`) with the page's own views, and sends clicks back through the
// same bridge operations the page uses (widget-host.js). Its words come from Python
// (`_words`) and, for the training panels, from the page's own markup: index.html's training
// and tables sections (bundled as text by build.py), drawn by the page's training-view.js.
import { renderDerivation, typesetInline } from "./derivation-view.js";
import { renderDiagram, showPath } from "./diagram.js";
import { element as make, svgElement } from "./dom.js";
import { createTrainingView } from "./training-view.js";
import { createWidgetHost } from "./widget-host.js";
import pageHtml from "../index.html";

// The index.html sections the widget shows beside its diagram and derivation.
const PAGE_PANELS = '[data-panel="training"], [data-panel="tables"]';
// What the widget leaves out of them: the page's file downloads (app.js's, not the kernel's).
const PAGE_ONLY = '[data-control="exports"]';
// The attributes that name other elements by id.
const ID_REFS = ["for", "aria-labelledby", "aria-describedby", "aria-controls"];

// A prefix for this widget's ids, new for every widget drawn on the page (anywidget may load
// the module once per widget, so the count is kept on the page's global object).
function newIdPrefix() {
  globalThis.bpxWidgetCount = (globalThis.bpxWidgetCount ?? 0) + 1;
  return `bpx-widget-${globalThis.bpxWidgetCount}-`;
}

// The page's training and tables sections, their ids (and the ids that refer to them, and
// radio groups' names) prefixed with `ids`, so that two widgets never share one.
function pagePanels(ids) {
  const parsed = new DOMParser().parseFromString(pageHtml, "text/html");
  const box = document.createDocumentFragment();
  for (const section of parsed.querySelectorAll(PAGE_PANELS)) box.append(document.importNode(section, true));
  for (const item of box.querySelectorAll(PAGE_ONLY)) item.remove();
  const renamed = new Set();
  for (const item of box.querySelectorAll("[id]")) {
    renamed.add(item.id);
    item.id = ids + item.id;
  }
  for (const name of ID_REFS) {
    for (const item of box.querySelectorAll(`[${name}]`)) {
      const refs = item.getAttribute(name).split(/\s+/);
      item.setAttribute(name, refs.map((ref) => (renamed.has(ref) ? ids + ref : ref)).join(" "));
    }
  }
  for (const radio of box.querySelectorAll("input[type=radio][name]")) radio.name = ids + radio.name;
  return box;
}

/** @param {{model: any, el: HTMLElement}} widget */
function render({ model, el }) {
  const host = createWidgetHost(model);
  const words = model.get("_words");
  const ids = newIdPrefix();
  const status = make("p", { class: "status", role: "alert", hidden: "" });
  const svg = svgElement("svg", { class: "widget-diagram", role: "group", "aria-label": words.diagram });
  const pick = make("p", { class: "pick" });
  const derivation = make("div", { class: "derivation", tabindex: "0", role: "region", "aria-label": words.derivation });
  const wrap = make("div", { class: "diagram-wrap" });
  wrap.append(svg);
  const diagramView = make("div", { class: "diagram-view" });
  diagramView.append(wrap, pick);
  const diagramPanel = make("section", { class: "panel", "aria-label": words.diagram });
  diagramPanel.append(diagramView);
  const derivationPanel = make("section", { class: "panel derivation-panel" });
  derivationPanel.append(derivation);
  const panels = make("div", { class: "widget-panels" });
  panels.append(diagramPanel, derivationPanel, pagePanels(ids));
  const root = make("div", { class: "bpx-widget embed" }); // "embed": no pinned phone layout
  root.append(status, panels);
  el.append(root);

  let drawing = Promise.resolve(); // renders one after another, in the order they came
  const fail = (err) => {
    status.textContent = err.message;
    status.hidden = false;
  };
  const call = (op, args) =>
    host.call(op, args).then(
      (reply) => {
        status.hidden = true;
        return reply.result;
      },
      (err) => {
        fail(err);
        throw err;
      },
    );

  // A field's text goes to Python as typed; a refusal marks the field and says why under its
  // form (and in the status line), as on the page.
  function edit(field, text, source) {
    for (const item of root.querySelectorAll("[aria-invalid=true]")) item.removeAttribute("aria-invalid");
    for (const slot of root.querySelectorAll("form .field-error")) slot.textContent = "";
    return call("edit", { field, text }).catch((err) => {
      if (!source?.matches("input, select")) return;
      source.setAttribute("aria-invalid", "true");
      const slot = source.closest("form")?.querySelector(".field-error");
      if (slot) slot.textContent = err.message;
    });
  }

  const training = createTrainingView({
    root,
    ids,
    diagram: svg,
    api: {
      step: (n) => call("step", { n }),
      resetWeights: () => call("resetWeights"),
      restoreSeed: () => call("restoreSeed"),
    },
    onEdit: edit,
    showError: (message) => fail(new Error(message)),
  });

  /** @param {import("./reply").Render} view */
  async function draw(view) {
    root.dataset.view = view.state.view;
    renderDiagram(svg, view.diagram, { onSelect: (selection) => call("select", { selection }).catch(() => {}) });
    pick.textContent = view.pick;
    training.render(view, typesetInline);
    if (view.derivation) {
      await renderDerivation(derivation, view.derivation, {
        onHoverTerm: (term) => showPath(svg, term),
        onPage: (page) => call("pathPage", { page }),
      });
    } else derivation.replaceChildren(make("p", { class: "hint" }, view.hint));
    root.dataset.rendered = String(Number(root.dataset.rendered || 0) + 1);
  }
  const redraw = () => {
    const view = model.get("_render");
    drawing = drawing.then(() => draw(view)).catch(fail);
  };
  model.on("change:_render", redraw);
  redraw();
  return () => {
    model.off("change:_render", redraw);
    host.close();
  };
}

export default { render };
