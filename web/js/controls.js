// The explorer's form controls: topology presets, custom layers, activations, bias, loss,
// and the editable inputs, targets, weights and biases. They show the State Python sent and
// hand raw text back to Python (the `edit` operation); no value is parsed or checked here.

import { element as make } from "./dom.js";

const $ = (selector) => document.querySelector(selector);

// How a State number is shown in a field: the shortest text that reads back the same float.
export function formatValue(value) {
  return String(value);
}

function layerName(l, L) {
  return l === L ? `layer ${l} (output)` : `layer ${l} (hidden)`;
}

// A text field for one State value; `field` is the State path Python parses it for.
function numberField(field, label, value) {
  const input = make("input", {
    type: "text",
    inputmode: "decimal",
    autocomplete: "off",
    spellcheck: "false",
    "data-field": field,
    "aria-label": label,
    size: 7,
  });
  input.value = formatValue(value);
  input.dataset.synced = input.value;
  return input;
}

export function vectorRow(name, symbol, values, title) {
  const wrap = make("div", { class: "vector", role: "group", "aria-label": title });
  const heading = make("span", { class: "vector-title" }, title);
  wrap.appendChild(heading);
  values.forEach((value, i) => {
    const cell = make("label", { class: "cell" });
    cell.append(make("span", { class: "sym" }, `${symbol}${i + 1}`));
    cell.append(numberField(`${name}[${i}]`, `${symbol}${i + 1}`, value));
    wrap.appendChild(cell);
  });
  return wrap;
}

// W(l) as a table: one row per destination neuron j, one column per source neuron k.
function weightTable(state, l) {
  const W = state.weights[l - 1];
  const L = state.layers.length - 1;
  const table = make("table", { class: "matrix", "data-layer": l });
  const caption = make("caption");
  caption.textContent = `W(${l}): ${W.length} × ${W[0].length}, into ${layerName(l, L)}`;
  table.appendChild(caption);
  const head = make("tr");
  head.appendChild(make("th", { scope: "col" }, "j \\ k"));
  for (let k = 1; k <= W[0].length; k++) head.appendChild(make("th", { scope: "col" }, `k=${k}`));
  if (state.bias) head.appendChild(make("th", { scope: "col" }, `b(${l})`));
  table.appendChild(make("thead")).appendChild(head);
  const body = table.appendChild(make("tbody"));
  W.forEach((row, j0) => {
    const tr = make("tr");
    tr.appendChild(make("th", { scope: "row" }, `j=${j0 + 1}`));
    row.forEach((w, k0) => {
      const td = make("td", { "data-edit-weight": `${l}-${j0 + 1}-${k0 + 1}` });
      td.appendChild(numberField(`weights[${l - 1}][${j0}][${k0}]`, `w(${l})${j0 + 1},${k0 + 1}`, w));
      tr.appendChild(td);
    });
    if (state.bias) {
      const td = make("td", { class: "bias" });
      td.appendChild(numberField(`biases[${l - 1}][${j0}]`, `b(${l})${j0 + 1}`, state.biases[l - 1][j0]));
      tr.appendChild(td);
    }
    body.appendChild(tr);
  });
  return table;
}

// Show the State's value in every [data-field] text field under `root`.
export function syncFields(root, state) {
  for (const input of root.querySelectorAll("input[data-field]")) {
    const path = input.dataset.field.match(/\w+/g);
    let value = state[path[0]];
    for (const i of path.slice(1)) value = value?.[Number(i)];
    if (value === undefined) continue;
    const text = formatValue(value);
    // Leave a field alone while its user is typing something new into it.
    const typing = document.activeElement === input && input.value !== input.dataset.synced;
    if (!typing) input.value = text;
    input.dataset.synced = text;
  }
}

function shapeKey(state) {
  return JSON.stringify([state.layers, state.bias]);
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

  function showFieldError(field, problem, source) {
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
    slot.textContent = problem;
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

  function buildActivations(state) {
    const box = $("#activations");
    box.replaceChildren();
    const L = state.layers.length - 1;
    state.activations.forEach((name, i) => {
      const label = make("label");
      label.append(make("span", {}, `σ of ${layerName(i + 1, L)}`));
      const select = make("select", { "data-activation": i });
      for (const a of options.activations) select.appendChild(make("option", { value: a.name }, a.label));
      select.value = name;
      select.addEventListener("change", () => {
        const activations = [...lastState.activations];
        activations[i] = select.value;
        onSetState({ activations });
      });
      label.append(select);
      box.appendChild(label);
    });
  }

  function buildNumbers(state) {
    const numbers = $("#numbers");
    numbers.replaceChildren();
    const values = make("div", { class: "vectors" });
    values.append(vectorRow("input", "x", state.input, "Inputs x"));
    values.append(vectorRow("target", "y", state.target, "Targets y"));
    numbers.append(values);
    const matrices = make("div", { class: "matrices" });
    for (let l = 1; l < state.layers.length; l++) matrices.appendChild(weightTable(state, l));
    numbers.append(matrices);
  }

  // Show `view` (State + matched preset): rebuild what changed shape, refresh every value.
  function sync(view) {
    const { state } = view;
    lastState = state;
    clearFieldErrors();
    for (const button of document.querySelectorAll("#presets [data-preset]")) {
      button.setAttribute("aria-pressed", String(button.dataset.preset === view.preset));
    }
    const preset = options?.presets.find((p) => p.name === view.preset);
    $("#preset-about").textContent = preset
      ? `${preset.label}: ${preset.about}.`
      : `Custom topology: ${state.layers.join(" → ")}.`;
    const layersField = $("#layers-field");
    if (document.activeElement !== layersField) layersField.value = state.layers.join(",");
    if (!options) return;
    if (shapeKey(state) !== builtShape) {
      buildActivations(state);
      buildNumbers(state);
      builtShape = shapeKey(state);
    }
    for (const select of document.querySelectorAll("[data-activation]")) {
      select.value = state.activations[Number(select.dataset.activation)];
    }
    $("#bias-field").checked = state.bias;
    $("#loss-field").value = state.loss;
    syncFields($("#numbers"), state);
    for (const cell of document.querySelectorAll("[data-edit-weight]")) {
      const sel = state.selected;
      cell.classList.toggle("selected", !!sel && cell.dataset.editWeight === `${sel.layer}-${sel.to}-${sel.from}`);
    }
    const editor = $("#selected-editor");
    const sel = state.selected;
    editor.hidden = !sel;
    if (sel) {
      const field = `weights[${sel.layer - 1}][${sel.to - 1}][${sel.from - 1}]`;
      const input = $("#selected-field");
      input.dataset.field = field;
      $("#selected-name").textContent = `w(${sel.layer})${sel.to},${sel.from}`;
      if (document.activeElement !== input) input.value = formatValue(state.weights[sel.layer - 1][sel.to - 1][sel.from - 1]);
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
