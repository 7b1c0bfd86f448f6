// The explorer as a notebook widget (anywidget's module: `export default {render}`). The
// kernel's Python (backprop_explorer/widget.py) keeps the Session; this module draws each
// render it syncs (`_render`) with the page's own views, and sends clicks back through the
// same bridge operations the page uses (widget-host.js). Its words come from Python
// (`_words`), as the page's do. build.py bundles it, MathJax first, into static/widget.js.
import { renderDerivation } from "./derivation-view.js";
import { renderDiagram, showPath } from "./diagram.js";
import { element as make, svgElement } from "./dom.js";
import { drawLossPlot } from "./loss-plot.js";
import { createWidgetHost } from "./widget-host.js";

/** @param {{model: any, el: HTMLElement}} widget */
function render({ model, el }) {
  const host = createWidgetHost(model);
  const words = model.get("_words");
  const status = make("p", { class: "status", role: "alert", hidden: "" });
  const svg = svgElement("svg", { class: "widget-diagram", role: "group", "aria-label": words.diagram });
  const pick = make("p", { class: "pick" });
  const derivation = make("div", { class: "derivation", tabindex: "0", role: "region", "aria-label": words.derivation });
  const summary = make("p", { class: "train-summary", "aria-live": "polite" });
  const notices = make("div", { class: "notices", role: "status" });
  const plot = svgElement("svg", { class: "widget-loss-plot", role: "img", "aria-label": words.lossPlot });
  const training = make("section", { class: "panel widget-training", "aria-label": words.training });
  training.append(summary, notices, plot);
  const wrap = make("div", { class: "diagram-wrap" });
  wrap.append(svg);
  const diagramView = make("div", { class: "diagram-view" });
  diagramView.append(wrap, pick);
  const diagramPanel = make("section", { class: "panel", "aria-label": words.diagram });
  diagramPanel.append(diagramView);
  const derivationPanel = make("section", { class: "panel derivation-panel" });
  derivationPanel.append(derivation);
  const panels = make("div", { class: "widget-panels" });
  panels.append(diagramPanel, derivationPanel, training);
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

  /** @param {import("./reply").Render} view */
  async function draw(view) {
    root.dataset.view = view.state.view;
    renderDiagram(svg, view.diagram, { onSelect: (selection) => call("select", { selection }).catch(() => {}) });
    pick.textContent = view.pick;
    const t = view.training;
    training.hidden = !t;
    if (t) {
      summary.textContent = t.summary;
      notices.replaceChildren(...t.notices.map((n) => make("p", { class: `notice ${n.kind}` }, n.text)));
      drawLossPlot(plot, t.lossPlot, "linear");
    }
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
