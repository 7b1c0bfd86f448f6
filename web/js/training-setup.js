// The training panel's optimizer and data set controls: the optimizer menu and its settings,
// the data set menu, its samples as a table of fields with a Derive button each, and the
// batch size. Built from Python's form model (py/backprop_explorer/training_form.py: every
// label, option, help line and field text); what a user picks or types goes back to Python
// as raw text by the `data-field` of its control (the `edit` operation), through the change
// listener of the form that holds them (training-view.js).
import { element as make } from "./dom.js";
import { numberField } from "./controls.js";

// A menu of Python's options, showing the chosen one.
function menu({ field, label, options, chosen }) {
  const select = make("select", { "data-field": field });
  for (const option of options) select.appendChild(make("option", { value: option.name }, option.label));
  select.value = chosen;
  const box = make("label", { class: "setup-menu" });
  box.append(make("span", { class: "setup-label" }, label), select);
  return box;
}

// A labelled number field with its allowed values in words under it (its help line's id
// after `ids`, the prefix of the ids in the container: see training-view.js).
function setting({ field, label, help }, ids) {
  const input = numberField({ field, label });
  const id = `${ids}help-${field.replace(/\W+/g, "-")}`;
  input.setAttribute("aria-describedby", id);
  const box = make("label", { class: "setup-setting" });
  box.append(make("span", { class: "setup-label" }, label), input, make("span", { class: "help", id }, help));
  return box;
}

function samplesTable(dataset, onEdit) {
  const table = make("table", { class: "samples-table" });
  const head = make("tr");
  for (const text of dataset.heads) head.appendChild(make("th", { scope: "col" }, text));
  table.appendChild(make("thead")).appendChild(head);
  const body = table.appendChild(make("tbody"));
  for (const row of dataset.rows) {
    const tr = body.appendChild(make("tr", row.shown ? { class: "shown" } : {}));
    tr.appendChild(make("th", { scope: "row" }, row.head));
    for (const field of row.fields) tr.appendChild(make("td")).appendChild(numberField(field));
    const last = tr.appendChild(make("td"));
    if (row.shown) last.appendChild(make("span", { class: "help" }, dataset.shownWord));
    else {
      const button = make("button", { type: "button", "aria-label": row.derive }, dataset.deriveWord);
      button.addEventListener("click", () => onEdit(dataset.sampleField, row.head, button));
      last.appendChild(button);
    }
  }
  return table;
}

// Rebuild the controls in `root` when Python's model of them changed (the field texts are
// synced by the caller, so typing in a field never rebuilds it).
/** @param {import("./reply").TrainingForm} model */
export function renderSetup(root, model, onEdit, ids = "") {
  const key = JSON.stringify(model);
  if (root.dataset.model === key) return;
  root.dataset.model = key;
  const { optimizer, dataset } = model;
  const parts = [menu(optimizer), ...optimizer.settings.map((s) => setting(s, ids)), menu(dataset)];
  if (dataset.batch) parts.push(setting(dataset.batch, ids));
  if (dataset.rows.length) parts.push(samplesTable(dataset, onEdit));
  root.replaceChildren(...parts);
}
