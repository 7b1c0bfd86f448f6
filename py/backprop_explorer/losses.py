"""Loss functions L(a, y) of the output activations a and the target y, and their gradients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["LOSSES", "Loss", "get_loss"]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Loss:
    """One loss: its state name, L(a, y), the gradient dL/da and its LaTeX formula."""

    name: str
    value: Callable[[Array, Array], float]
    grad: Callable[[Array, Array], Array]
    tex: str
    label: str  # name shown in the page's menus
    note: str  # said after the formula in the training demo


def _half_sse(a: Array, y: Array) -> float:
    return float(0.5 * np.sum((a - y) ** 2))  # 1/2 sum_j (a_j - y_j)^2


def _half_sse_grad(a: Array, y: Array) -> Array:
    return a - y  # dL/da_j = a_j - y_j


def _mse(a: Array, y: Array) -> float:
    return float(np.mean((a - y) ** 2))  # 1/n_L sum_j (a_j - y_j)^2


def _mse_grad(a: Array, y: Array) -> Array:
    return 2.0 * (a - y) / a.size  # dL/da_j = 2 (a_j - y_j) / n_L


LOSSES: dict[str, Loss] = {
    "half_sse": Loss(
        "half_sse",
        _half_sse,
        _half_sse_grad,
        r"\mathcal{L} = \tfrac{1}{2}\sum_{j=1}^{n_L} \bigl(a_j^{(L)} - y_j\bigr)^2",
        "½ Σ (a − y)²  (squared error)",
        "(often called MSE too; the ½ makes ∂𝓛/∂a = a − y)",
    ),
    "mse": Loss(
        "mse",
        _mse,
        _mse_grad,
        r"\mathcal{L} = \tfrac{1}{n_L}\sum_{j=1}^{n_L} \bigl(a_j^{(L)} - y_j\bigr)^2",
        "1/n Σ (a − y)²  (mean squared error)",
        "(the mean over the outputs)",
    ),
}


def get_loss(name: str) -> Loss:
    """Return the loss called ``name`` (one of ``LOSSES``)."""
    return LOSSES[name]
