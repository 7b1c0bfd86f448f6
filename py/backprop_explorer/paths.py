"""Gradient paths: every route by which the error of an output neuron reaches a weight.

The gradient of w^(l)_{j,k} is a sum over paths (l, j) -> (l+1, m) -> ... -> (L, o): one term
per choice of a neuron in each later layer. A path is a list of [layer, neuron] pairs (1-based),
starting at the destination neuron j of layer l and ending at an output neuron.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence

__all__ = ["Path", "gradient_paths", "path_count", "path_edges"]

Path = list[list[int]]


def path_count(layers: Sequence[int], layer: int) -> int:
    """Number of gradient paths of any weight of ``layer``: n_{l+1} * ... * n_L."""
    return math.prod(layers[layer + 1 :])


def gradient_paths(layers: Sequence[int], layer: int, to: int) -> Iterator[Path]:
    """Yield every gradient path of w^(layer)_{to, k} (the same for every source k)."""
    later = [range(1, n + 1) for n in layers[layer + 1 :]]
    for choice in itertools.product(*later):
        yield [[layer, to]] + [[layer + 1 + i, m] for i, m in enumerate(choice)]


def path_edges(path: Path) -> list[tuple[int, int, int]]:
    """The connections (layer, to, from) a path runs along, after the selected weight."""
    return [(b[0], b[1], a[1]) for a, b in itertools.pairwise(path)]
