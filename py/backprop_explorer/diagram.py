"""The network diagram as plain data: positions, labels, names, values and highlight roles.

JavaScript turns this model into SVG and nothing else; every decision about what a node
shows, what a screen reader hears or which element is on a gradient path is made here.

The model carries up to three layouts of the same network, in the page's order of preference,
each with the smallest width (CSS px) at which its smallest text is still ``MIN_TEXT_PX`` high:

* ``across``: layers from left to right, spread over ``WIDTH`` (a desktop panel);
* ``compact``: the same at the narrowest layer gap (a phone, when the layers are few);
* ``down``: layers from top to bottom, neurons side by side (a phone: it is tall, not wide).

The page draws the first layout that fits its box and, when none fits, the narrowest, in a box
that scrolls sideways. Positions are given per layout (``at``); everything else is shared.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .names import (
    BIAS_UNIT,
    bias_unit_name,
    connection_name,
    fixed,
    layer_role,
    layer_title,
    neuron_id,
    neuron_name,
    weight_id,
    weight_symbol,
)
from .paths import path_count

__all__ = ["ROLES", "diagram_model"]

ROLES = ("selected-weight", "destination", "path-neuron", "output", "path-edge")

RADIUS = 22
BIAS_RADIUS = 15  # a bias unit "+1" is smaller than a neuron
MIN_STROKE = 1.0
MAX_STROKE = 7.0
# Text sizes in diagram units: web/style.css draws the neuron values at 12 px and the layer
# titles at 13 px, so a layout drawn at scale s shows its values at 12 s CSS px.
LABEL_PX = 12
MIN_TEXT_PX = 11

# across / compact: columns of neurons
WIDTH = 560
MARGIN_X = 50
LAYER_GAP_MIN = 100
NODE_GAP = 64
TOP = 34  # below the layer titles
BOTTOM = 14
MIN_HEIGHT = 150

# down: rows of neurons under each other, the layer titles in a column on the left
TITLE_COLUMN = 84
ROW_GAP = 110
NEURON_GAP = 68
EDGE_X = 10
EDGE_Y = 12

# With biases, each layer but the output has a bias unit "+1" (neuron 0): drawn before the
# layer's first neuron (above the columns, left of the rows) by BIAS_OFFSET, BIAS_ALONG of the
# way to the next layer, so that its connections fan out on their own side of the weights'. The
# layers are further apart, so that every connection keeps a spot where a finger's tap (12 CSS
# px either side) meets no other: on a phone (tests/js/diagram.test.mjs) the 2-layer presets'
# columns are then too wide and they run down, as Deep does.
BIAS_OFFSET = 60
BIAS_ALONG = 0.3
BIAS_LAYER_GAP = 140
BIAS_ROW_GAP = 140


def _min_width(width: float) -> int:
    return math.ceil(width * MIN_TEXT_PX / LABEL_PX)


def _columns_layout(layers: Sequence[int], gap: float, bias: bool) -> dict[str, Any]:
    """Layers as columns, `gap` apart: positions of neurons and titles; with ``bias`` each
    layer's bias unit (neuron 0) above the columns, ``BIAS_ALONG`` of the way to the next."""
    n_layers = len(layers) - 1
    lift = BIAS_OFFSET if bias else 0  # the bias units' room above the neurons
    tallest = max(layers)
    height = max(MIN_HEIGHT, TOP + lift + 2 * RADIUS + (tallest - 1) * NODE_GAP + BOTTOM)
    middle = TOP + lift + (height - TOP - lift - BOTTOM) / 2
    neurons: dict[tuple[int, int], tuple[float, float]] = {}
    for l, n in enumerate(layers):
        top = middle - (n - 1) * NODE_GAP / 2
        for j in range(1, n + 1):
            neurons[(l, j)] = (round(MARGIN_X + l * gap, 2), round(top + (j - 1) * NODE_GAP, 2))
    if bias:
        for l in range(n_layers):
            first = min(neurons[(l, 1)][1], neurons[(l + 1, 1)][1])
            at = (MARGIN_X + (l + BIAS_ALONG) * gap, first - BIAS_OFFSET)
            neurons[(l, 0)] = (round(at[0], 2), round(at[1], 2))
    width = round(2 * MARGIN_X + gap * n_layers)
    return {
        "width": width,
        "height": height,
        "neurons": neurons,
        "titles": [(neurons[(l, 1)][0], 18) for l in range(n_layers + 1)],
        "titleAnchor": "middle",
        # a connection leaves the right of its source and enters the left of its target
        "ends": ((RADIUS, 0), (-RADIUS, 0)),
    }


def _rows_layout(layers: Sequence[int], bias: bool) -> dict[str, Any]:
    """Layers as rows from top to bottom: a tall, narrow drawing for phones; with ``bias`` each
    layer's bias unit (neuron 0) left of the rows, ``BIAS_ALONG`` of the way to the next."""
    n_layers = len(layers) - 1
    gap = BIAS_ROW_GAP if bias else ROW_GAP
    widest = max(layers)
    span = (widest - 1) * NEURON_GAP
    centre = TITLE_COLUMN + RADIUS + span / 2
    neurons: dict[tuple[int, int], tuple[float, float]] = {}
    for l, n in enumerate(layers):
        y = EDGE_Y + RADIUS + l * gap
        for j in range(1, n + 1):
            neurons[(l, j)] = (round(centre + (j - (n + 1) / 2) * NEURON_GAP, 2), y)
    if bias:
        for l in range(n_layers):
            first = min(neurons[(l, 1)][0], neurons[(l + 1, 1)][0])
            at = (first - BIAS_OFFSET, EDGE_Y + RADIUS + (l + BIAS_ALONG) * gap)
            neurons[(l, 0)] = (round(at[0], 2), round(at[1], 2))
    return {
        "width": round(TITLE_COLUMN + 2 * RADIUS + span + EDGE_X),
        "height": 2 * (EDGE_Y + RADIUS) + n_layers * gap,
        "neurons": neurons,
        "titles": [(EDGE_X / 2, EDGE_Y + RADIUS + l * gap + 5) for l in range(n_layers + 1)],
        "titleAnchor": "start",
        # a connection leaves the bottom of its source and enters the top of its target
        "ends": ((0, RADIUS), (0, -RADIUS)),
    }


def _layouts(layers: Sequence[int], bias: bool) -> dict[str, dict[str, Any]]:
    n_layers = len(layers) - 1
    spread = max(LAYER_GAP_MIN, (WIDTH - 2 * MARGIN_X) / n_layers)
    layouts = {"across": _columns_layout(layers, spread, bias)}
    least = BIAS_LAYER_GAP if bias else LAYER_GAP_MIN
    if spread > least:
        layouts["compact"] = _columns_layout(layers, least, bias)
    layouts["down"] = _rows_layout(layers, bias)
    return layouts


def _bias_units(layers: Sequence[int], layouts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The bias unit "+1" of each layer but the output: the constant 1 each bias multiplies."""
    units = []
    for l in range(len(layers) - 1):
        units.append(
            {
                "id": neuron_id(l, 0),
                "layer": l,
                "index": 0,
                "at": {name: list(lay["neurons"][(l, 0)]) for name, lay in layouts.items()},
                "r": BIAS_RADIUS,
                "value": 1.0,
                "label": BIAS_UNIT,
                "name": bias_unit_name(layers, l),
                "kind": "bias",
                "roles": [],
                "connections": {
                    "title": f"Connections of the {bias_unit_name(layers, l)}",
                    "edges": [weight_id(l + 1, m, 0) for m in range(1, layers[l + 1] + 1)],
                },
            }
        )
    return units


def diagram_model(
    layers: Sequence[int],
    weights: Sequence[Sequence[Sequence[float]]],
    activations: Sequence[Sequence[float]],
    selected: dict[str, int] | None,
    biases: Sequence[Sequence[float]] | None = None,
) -> dict[str, Any]:
    """Lay out the network and mark the gradient paths of the selected weight.

    ``activations[l]`` are the values a^(l) shown in the nodes (a^(0) = x). With ``biases``
    (biases on) each layer but the output gets a bias unit "+1", node ``l-0``, whose
    connection to neuron j of layer l + 1 is the bias b^(l+1)_j, edge ``l+1-j-0``.
    """
    n_layers = len(layers) - 1
    layouts = _layouts(layers, biases is not None)
    first = 0 if biases is not None else 1  # the first source of a connection: 0 is the bias

    node_roles: dict[tuple[int, int], list[str]] = {}
    edge_roles: dict[tuple[int, int, int], list[str]] = {}
    if selected is not None:
        sl, sj, sk = selected["layer"], selected["to"], selected["from"]
        edge_roles[(sl, sj, sk)] = ["selected-weight"]
        node_roles[(sl, sj)] = ["destination"]
        # Every neuron of every later layer lies on some path: paths are all combinations.
        for l in range(sl + 1, n_layers + 1):
            for j in range(1, layers[l] + 1):
                node_roles[(l, j)] = ["path-neuron" if l < n_layers else "output"]
                prev = [sj] if l == sl + 1 else range(1, layers[l - 1] + 1)
                for k in prev:
                    edge_roles[(l, j, k)] = ["path-edge"]
        if sl == n_layers:
            node_roles[(sl, sj)] = ["destination", "output"]

    values = [abs(w) for W in weights for row in W for w in row]
    values += [abs(b) for bs in biases or () for b in bs]
    max_w = max(values, default=0.0) or 1.0
    nodes = []
    for l, n in enumerate(layers):
        for j in range(1, n + 1):
            label = fixed(activations[l][j - 1], 2)
            # the connections a tap on the neuron lists: those arriving, then those leaving
            arriving = [weight_id(l, j, k) for k in range(first, layers[l - 1] + 1)] if l else []
            leaving = (
                [weight_id(l + 1, m, j) for m in range(1, layers[l + 1] + 1)]
                if l < n_layers
                else []
            )
            nodes.append(
                {
                    "id": neuron_id(l, j),
                    "layer": l,
                    "index": j,
                    "at": {name: list(lay["neurons"][(l, j)]) for name, lay in layouts.items()},
                    "r": RADIUS,
                    "value": float(activations[l][j - 1]),
                    "label": label,
                    "name": f"{neuron_name(layers, l, j)}, value {label}",
                    "kind": layer_role(layers, l),
                    "roles": node_roles.get((l, j), []),
                    "connections": {
                        "title": f"Connections of {neuron_name(layers, l, j)}",
                        "edges": arriving + leaving,
                    },
                }
            )
    if biases is not None:
        nodes += _bias_units(layers, layouts)
    edges = []
    for l in range(1, n_layers + 1):
        for j in range(1, layers[l] + 1):
            for k in range(first, layers[l - 1] + 1):
                w = float(
                    biases[l - 1][j - 1] if biases and k == 0 else weights[l - 1][j - 1][k - 1]
                )
                at = {}
                for name, lay in layouts.items():
                    (x1, y1), (x2, y2) = lay["neurons"][(l - 1, k)], lay["neurons"][(l, j)]
                    (dx1, dy1), (dx2, dy2) = lay["ends"]
                    if k == 0:  # a bias unit is smaller
                        dx1, dy1 = dx1 * BIAS_RADIUS / RADIUS, dy1 * BIAS_RADIUS / RADIUS
                    at[name] = [x1 + dx1, y1 + dy1, x2 + dx2, y2 + dy2]
                edges.append(
                    {
                        "id": weight_id(l, j, k),
                        "layer": l,
                        "to": j,
                        "from": k,
                        "at": at,
                        "weight": w,
                        "name": connection_name(layers, l, j, k, w),
                        "title": f"{weight_symbol(l, j, k)} = {fixed(w, 3)}",
                        "stroke": round(MIN_STROKE + (MAX_STROKE - MIN_STROKE) * abs(w) / max_w, 3),
                        "sign": "negative" if w < 0 else "positive",
                        "roles": edge_roles.get((l, j, k), []),
                    }
                )
    columns = [
        {
            "layer": l,
            "title": layer_title(layers, l),
            "size": layers[l],
            "at": {name: list(lay["titles"][l]) for name, lay in layouts.items()},
        }
        for l in range(n_layers + 1)
    ]
    return {
        "layouts": [
            {
                "name": name,
                "width": lay["width"],
                "height": lay["height"],
                "minWidth": _min_width(lay["width"]),
                "titleAnchor": lay["titleAnchor"],
            }
            for name, lay in layouts.items()
        ],
        "columns": columns,
        "nodes": nodes,
        "edges": edges,
        "pathCount": path_count(layers, selected["layer"]) if selected else 0,
    }
