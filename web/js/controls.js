// The explorer's form controls: topology presets, custom layers, activations, bias, loss,
// and the editable inputs, targets, weights and biases. They show the form model Python sent
// with each render (py/backprop_explorer/form.py: every label, caption and field text) and
// hand raw text back to Python (the `edit` operation); no value is parsed, checked or named here.

import { element as make } from "./dom.js";

const $ = (selector) => document.querySelector(selector);

// A text field for one State value; `field` is the State path Python parses it for.
export function numberField({ field, label }) {
  return make("input", {
    type: "text",
    inputmode: "decimal",
    autocomplete: "off",
    spellcheck: "false",
    "data-field": field,
    "aria-label": label,
    size: 7,
  });
}

// One of the form's vectors (inputs x, targets y) as a labelled row of fields.
export function vectorRow({ title, fields }) {
  const wrap = make("div", { class: "vector", role: "group", "aria-label": title });
  const heading = make("span", { class: "vector-title" }, title);
  wrap.appendChild(heading);
  for (const entry of fields) {
    const cell = make("label", { class: "cell" });
    cell.append(make("span", { class: "sym" }, entry.symbol), numberField(entry));
    wrap.appendChild(cell);
  }
  return wrap;
}

// W(l) as a table: one row per destination neuron j, one column per source neuron k.
function weightTable(matrix) {
  const table = make("table", { class: "matrix", "data-layer": matrix.layer });
  table.appendChild(make("caption", {}, matrix.caption));
  const head = make("tr");
  for (const text of matrix.heads) head.appendChild(make("th", { scope: "col" }, text));
  table.appendChild(make("thead")).appendChild(head);
  const body = table.appendChild(make("tbody"));
  for (const row of matrix.rows) {
    const tr = make("tr");
    tr.appendChild(make("th", { scope: "row" }, row.head));
    for (const cell of row.cells) {
      const td = make("td", { "data-edit-weight": cell.id });
      td.appendChild(numberField(cell));
      tr.appendChild(td);
    }
    if (row.bias) {
      const td = make("td", { class: "bias" });
      td.appendChild(numberField(row.bias));
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  return table;
}

// Show each [data-field] text field under `root` with the text Python gave its State path.
export function syncFields(root, values) {
  for (const input of root.querySelectorAll("input[data-field]")) {
    const text = values[input.dataset.field];
    if (text === undefined) continue;
    // Leave a field alone while its user is typing something new into it.
    const typing = document.activeElement === input && input.value !== input.dataset.synced;
    if (!typing) input.value = text;
    input.dataset.synced = text;
  }
}

// The fields a form model asks for: a new set means rebuilding them.
function shapeKey(form) {
  return JSON.stringify([form.activations, form.vectors, form.matrices]);
}

export function createControls({ onPreset, onEdit, onSetState }) {
  let options = null;
  let builtShape = null;
  let lastState = null;

  // Field errors: the message sits next to the field; the field keeps what was typed.
  function clearFieldErrors() {
    for (const el of document.querySelectorAll("[aria-invalid=true]")) el.removeAttribute("aria-invalid");
    for (const el of document.querySelectorAll(".field-error")) el.textContent = "";
  }

  function showFieldError(field, message, source) {
    clearFieldErrors();
    const target = source || document.querySelector(`[data-field="${CSS.escape(field)}"]`);
    if (!target) return false;
    target.setAttribute("aria-invalid", "true");
    // The message goes right under the form, vector or matrix that holds the field.
    let slot = target.closest("form")?.querySelector(".field-error");
    if (!slot) {
      const box = target.closest(".vector, table");
      if (!box) return false;
      slot = box.nextElementSibling?.classList.contains("field-error") ? box.nextElementSibling : null;
      if (!slot) {
        slot = make("p", { class: "field-error", id: `error-${field.replace(/\W+/g, "-")}` });
        box.after(slot);
      }
    }
    slot.textContent = message;
    const described = new Set((target.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean));
    described.add(slot.id);
    target.setAttribute("aria-describedby", [...described].join(" "));
    return true;
  }

  function setOptions(opts) {
    options = opts;
    const presets = $("#presets");
    presets.replaceChildren();
    for (const p of opts.presets) {
      const button = make("button", { type: "button", "data-preset": p.name, "aria-pressed": "false" });
      button.append(make("span", { class: "preset-label" }, p.label));
      button.append(make("span", { class: "preset-layers" }, p.layers.join("-")));
      button.title = p.about;
      button.addEventListener("click", () => onPreset(p.name));
      presets.appendChild(button);
    }
    const loss = $("#loss-field");
    loss.replaceChildren(...opts.losses.map((f) => make("option", { value: f.name }, f.label)));
    $("#max-layers").textContent = opts.limits.maxLayers;
    $("#max-neurons").textContent = opts.limits.maxNeurons;
  }

  function buildActivations(state, labels) {
    const box = $("#activations");
    box.replaceChildren();
    labels.forEach((text, i) => {
      const label = make("label");
      label.append(make("span", {}, text));
      const select = make("select", { "data-activation": i });
      for (const a of options.activations) select.appendChild(make("option", { value: a.name }, a.label));
      select.value = state.activations[i];
      select.addEventListener("change", () => {
        const activations = [...lastState.activations];
        activations[i] = select.value;
        onSetState({ activations });
      });
      label.append(select);
      box.appendChild(label);
    });
  }

  function buildNumbers(form) {
    const numbers = $("#numbers");
    numbers.replaceChildren();
    const values = make("div", { class: "vectors" });
    for (const vector of form.vectors) values.append(vectorRow(vector));
    numbers.append(values);
    const matrices = make("div", { class: "matrices" });
    for (const matrix of form.matrices) matrices.appendChild(weightTable(matrix));
    numbers.append(matrices);
  }

  // Show `view` (State, matched preset, form model): rebuild what changed shape, refresh
  // every value.
  /** @param {import("./reply").Render} view */
  function sync(view) {
    const { state, form } = view;
    lastState = state;
    clearFieldErrors();
    for (const button of document.querySelectorAll("#presets [data-preset]")) {
      button.setAttribute("aria-pressed", String(button.dataset.preset === view.preset));
    }
    $("#preset-about").textContent = form.about;
    const layersField = $("#layers-field");
    if (document.activeElement !== layersField) layersField.value = form.layersText;
    if (!options) return;
    if (shapeKey(form) !== builtShape) {
      buildActivations(state, form.activations);
      buildNumbers(form);
      builtShape = shapeKey(form);
    }
    for (const select of document.querySelectorAll("[data-activation]")) {
      select.value = state.activations[Number(select.dataset.activation)];
    }
    $("#bias-field").checked = state.bias;
    $("#loss-field").value = state.loss;
    syncFields($("#numbers"), form.values);
    const sel = form.selected;
    for (const cell of document.querySelectorAll("[data-edit-weight]")) {
      cell.classList.toggle("selected", cell.dataset.editWeight === sel?.id);
    }
    $("#selected-editor").hidden = !sel;
    if (sel) {
      const input = $("#selected-field");
      input.dataset.field = sel.field;
      $("#selected-name").textContent = sel.name;
      if (document.activeElement !== input) input.value = form.values[sel.field];
    }
  }

  // Wiring: every text field sends its raw text on change (Enter, Tab or leaving it).
  $("#numbers").addEventListener("change", (event) => {
    const input = event.target.closest("[data-field]");
    if (input) onEdit(input.dataset.field, input.value, input);
  });
  $("#custom-topology").addEventListener("submit", (event) => {
    event.preventDefault();
    onEdit("layers", $("#layers-field").value, $("#layers-field"));
  });
  $("#selected-editor").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("#selected-field");
    onEdit(input.dataset.field, input.value, input);
  });
  $("#bias-field").addEventListener("change", (event) => onSetState({ bias: event.target.checked }));
  $("#loss-field").addEventListener("change", (event) => onSetState({ loss: event.target.value }));

  return { setOptions, sync, showFieldError, clearFieldErrors };
}
