// The training panel's optimizer and data set controls: the optimizer menu and its settings,
// the data set menu, its samples as a table of fields with a Derive and a Remove button each,
// Add sample under it (or Python's words on why not), the batch size and the shuffle switch.
// Built from Python's form model (py/backprop_explorer/training_form.py: every
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

// A checkbox; its change sends "true" or "false" (not by `data-field`: the form's change
// listener would send the checkbox's value, which is not its state).
function toggle({ field, label, checked, help }, onEdit, ids) {
  const input = make("input", { type: "checkbox", "data-switch": field, "data-key": field });
  input.checked = checked;
  const id = `${ids}help-${field.replace(/\W+/g, "-")}`;
  input.setAttribute("aria-describedby", id);
  input.addEventListener("change", () => onEdit(field, String(input.checked), input));
  const box = make("label", { class: "setup-switch" });
  box.append(input, make("span", { class: "setup-label" }, label), make("span", { class: "help", id }, help));
  return box;
}

function button(text, name, key, action) {
  const b = make("button", { type: "button", "data-key": key, ...(name ? { "aria-label": name } : {}) }, text);
  b.addEventListener("click", () => action(b));
  return b;
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
      const derive = (b) => onEdit(dataset.sampleField, row.head, b);
      last.appendChild(button(dataset.deriveWord, row.derive, `derive-${row.head}`, derive));
    }
    if (row.remove !== null) {
      const remove = (b) => onEdit(dataset.removeField, row.head, b);
      last.append(" ", button(dataset.removeWord, row.remove, `remove-${row.head}`, remove));
    }
  }
  return table;
}

// The rows' edits under the table: Add sample, or why a button is missing.
function rowEdits(dataset, onEdit) {
  const box = make("div", { class: "sample-edits" });
  if (dataset.add) box.appendChild(button(dataset.add.label, null, "add", (b) => onEdit(dataset.add.field, "", b)));
  if (dataset.limit) box.appendChild(make("p", { class: "help" }, dataset.limit));
  return box;
}

// After a rebuild, the keyboard stays where it was: on the same control, or, when its row was
// removed, on the Remove button now in its place (or the last one).
function refocus(root, key) {
  if (!key) return;
  let target = root.querySelector(`[data-key="${CSS.escape(key)}"]`);
  if (!target && key.startsWith("remove-")) {
    const removes = root.querySelectorAll("[data-key^='remove-']");
    target = removes[removes.length - 1] ?? root.querySelector("[data-key='add']");
  }
  target?.focus();
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
  if (dataset.shuffle) parts.push(toggle(dataset.shuffle, onEdit, ids));
  if (dataset.rows.length) parts.push(samplesTable(dataset, onEdit), rowEdits(dataset, onEdit));
  const focused = root.contains(document.activeElement) ? document.activeElement.dataset.key : null;
  root.replaceChildren(...parts);
  refocus(root, focused);
}
