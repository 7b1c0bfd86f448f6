"""The network diagram as plain data: positions, labels, values and highlight roles.

JavaScript turns this model into SVG and nothing else; every decision about what a node
shows or which element is on a gradient path is made here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .paths import path_count

__all__ = ["ROLES", "diagram_model"]

ROLES = ("selected-weight", "destination", "path-neuron", "output", "path-edge")

WIDTH = 720
LAYER_GAP_MIN = 90
NODE_GAP = 64
MARGIN_X = 70
TOP = 34  # below the layer titles
BOTTOM = 14
MIN_HEIGHT = 150
RADIUS = 22
MIN_STROKE = 1.0
MAX_STROKE = 7.0


def _layer_name(l: int, n_layers: int) -> str:
    return "Input" if l == 0 else "Output" if l == n_layers else f"Hidden {l}"


def diagram_model(
    layers: Sequence[int],
    weights: Sequence[Sequence[Sequence[float]]],
    activations: Sequence[Sequence[float]],
    selected: dict[str, int] | None,
) -> dict[str, Any]:
    """Lay out the network and mark the gradient paths of the selected weight.

    ``activations[l]`` are the values a^(l) shown in the nodes (a^(0) = x).
    """
    n_layers = len(layers) - 1
    tallest = max(layers)
    height = max(MIN_HEIGHT, TOP + 2 * RADIUS + (tallest - 1) * NODE_GAP + BOTTOM)
    middle = TOP + (height - TOP - BOTTOM) / 2
    gap = max(LAYER_GAP_MIN, (WIDTH - 2 * MARGIN_X) / n_layers)
    width = round(2 * MARGIN_X + gap * n_layers)
    pos: dict[tuple[int, int], tuple[float, float]] = {}
    for l, n in enumerate(layers):
        top = middle - (n - 1) * NODE_GAP / 2
        for j in range(1, n + 1):
            pos[(l, j)] = (round(MARGIN_X + l * gap, 2), round(top + (j - 1) * NODE_GAP, 2))

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

    max_w = max((abs(w) for W in weights for row in W for w in row), default=0.0) or 1.0
    nodes = []
    for l, n in enumerate(layers):
        for j in range(1, n + 1):
            x, y = pos[(l, j)]
            nodes.append(
                {
                    "id": f"{l}-{j}",
                    "layer": l,
                    "index": j,
                    "x": x,
                    "y": y,
                    "r": RADIUS,
                    "value": float(activations[l][j - 1]),
                    "label": f"{activations[l][j - 1]:.2f}",
                    "kind": "input" if l == 0 else "output" if l == n_layers else "hidden",
                    "roles": node_roles.get((l, j), []),
                }
            )
    edges = []
    for l in range(1, n_layers + 1):
        for j in range(1, layers[l] + 1):
            for k in range(1, layers[l - 1] + 1):
                w = float(weights[l - 1][j - 1][k - 1])
                x1, y1 = pos[(l - 1, k)]
                x2, y2 = pos[(l, j)]
                edges.append(
                    {
                        "id": f"{l}-{j}-{k}",
                        "layer": l,
                        "to": j,
                        "from": k,
                        "x1": x1 + RADIUS,
                        "y1": y1,
                        "x2": x2 - RADIUS,
                        "y2": y2,
                        "weight": w,
                        "stroke": round(MIN_STROKE + (MAX_STROKE - MIN_STROKE) * abs(w) / max_w, 3),
                        "sign": "negative" if w < 0 else "positive",
                        "roles": edge_roles.get((l, j, k), []),
                    }
                )
    columns = [
        {"layer": l, "x": pos[(l, 1)][0], "title": _layer_name(l, n_layers), "size": layers[l]}
        for l in range(n_layers + 1)
    ]
    return {
        "width": width,
        "height": height,
        "columns": columns,
        "nodes": nodes,
        "edges": edges,
        "pathCount": path_count(layers, selected["layer"]) if selected else 0,
    }
