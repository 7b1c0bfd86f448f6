"""The form controls of a State as the page shows them: every label, caption and field text.

The page (web/js/controls.js, training-view.js) builds its fields from this model and sends
what a user types back by each field's ``field``, the State path that ``fields.py`` parses
("input[0]", "weights[0][1][2]", "biases[1][0]", "learningRate").
"""

from __future__ import annotations

from typing import Any

from .names import (
    field_label,
    field_text,
    layer_label,
    layer_role,
    weight_id,
    weight_symbol,
)
from .presets import PRESETS
from .training_form import training_form

__all__ = ["form_model"]

# The two vectors of the form, by State field.
VECTORS = ("input", "target")


def _matrix(state: dict[str, Any], l: int, values: dict[str, str]) -> dict[str, Any]:
    """W(l) as a table: one row per destination neuron j, one column per source neuron k, and
    the biases b(l) in a last column when the network has them."""
    layers = state["layers"]
    rows = []
    for j in range(1, layers[l] + 1):
        cells = []
        for k in range(1, layers[l - 1] + 1):
            field = f"weights[{l - 1}][{j - 1}][{k - 1}]"
            values[field] = field_text(state["weights"][l - 1][j - 1][k - 1])
            cells.append({"field": field, "label": field_label(field), "id": weight_id(l, j, k)})
        bias = None
        if state["bias"]:
            field = f"biases[{l - 1}][{j - 1}]"
            values[field] = field_text(state["biases"][l - 1][j - 1])
            bias = {"field": field, "label": field_label(field)}
        rows.append({"head": f"j={j}", "cells": cells, "bias": bias})
    heads = ["j \\ k", *(f"k={k}" for k in range(1, layers[l - 1] + 1))]
    if state["bias"]:
        heads.append(f"b({l})")
    return {
        "layer": l,
        "caption": f"W({l}): {layers[l]} × {layers[l - 1]}, into {layer_label(layers, l)}",
        "heads": heads,
        "rows": rows,
    }


def form_model(state: dict[str, Any], preset: str | None) -> dict[str, Any]:
    """Labels and field texts of the topology, settings and numbers of ``state``; ``preset``
    is the name of the preset whose layers it has (or None)."""
    layers = state["layers"]
    values: dict[str, str] = {"learningRate": field_text(state["learningRate"])}
    vectors = []
    for name in VECTORS:
        fields = []
        for i, value in enumerate(state[name]):
            field = f"{name}[{i}]"
            values[field] = field_text(value)
            label = field_label(field)  # "Input x₁": the cell shows its symbol, x₁
            fields.append({"field": field, "label": label, "symbol": label.split()[-1]})
        vectors.append({"name": name, "title": field_label(name), "fields": fields})
    matrices = [_matrix(state, l, values) for l in range(1, len(layers))]
    topology = " → ".join(str(n) for n in layers)
    if preset is not None:
        about = f"{PRESETS[preset].label}: {PRESETS[preset].about}."
    else:
        about = f"Custom topology: {topology}."
    selected = None
    if state["selected"] is not None:
        l, j, k = (state["selected"][key] for key in ("layer", "to", "from"))
        selected = {
            "field": f"weights[{l - 1}][{j - 1}][{k - 1}]",
            "name": weight_symbol(l, j, k),
            "id": weight_id(l, j, k),
        }
    return {
        "topology": topology,
        "layersText": ",".join(str(n) for n in layers),
        "about": about,
        "activations": [
            f"{field_label(f'activations[{l - 1}]')} ({layer_role(layers, l)})"
            for l in range(1, len(layers))
        ],
        "learningRateLabel": field_label("learningRate"),
        "vectors": vectors,
        "matrices": matrices,
        "training": training_form(state, values),
        "values": values,
        "selected": selected,
    }
