"""Activation functions sigma and their derivatives sigma', vectorised over numpy arrays.

Derivatives at the kinks follow PyTorch: ReLU'(0) = 0 and leaky ReLU'(0) = 0.01.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["ACTIVATIONS", "LEAKY_SLOPE", "Activation", "get_activation"]

LEAKY_SLOPE = 0.01

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Activation:
    """One activation: its state name, sigma, sigma' and how it is typeset."""

    name: str
    f: Callable[[Array], Array]
    df: Callable[[Array], Array]
    tex: str  # formula of sigma(z) in LaTeX, for the notation guide
    label: str  # name shown in the page's menus


def _linear(z: Array) -> Array:
    return np.array(z, dtype=float)  # sigma(z) = z


def _linear_d(z: Array) -> Array:
    return np.ones_like(z, dtype=float)  # sigma'(z) = 1


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)  # max(0, z)


def _relu_d(z: Array) -> Array:
    return (z > 0).astype(float)  # 1 if z > 0 else 0 (0 at z = 0, as PyTorch)


def _sigmoid(z: Array) -> Array:
    s: Array = np.exp(-np.logaddexp(0.0, -z))  # 1 / (1 + e^-z), without overflow
    return s


def _sigmoid_d(z: Array) -> Array:
    s = _sigmoid(z)
    return s * (1.0 - s)  # sigma (1 - sigma)


def _tanh(z: Array) -> Array:
    return np.tanh(z)


def _tanh_d(z: Array) -> Array:
    return 1.0 - np.tanh(z) ** 2  # 1 - tanh^2


def _leaky(z: Array) -> Array:
    return np.where(z > 0, z, LEAKY_SLOPE * z)  # z if z > 0 else 0.01 z


def _leaky_d(z: Array) -> Array:
    return np.where(z > 0, 1.0, LEAKY_SLOPE)  # 0.01 at z = 0, as PyTorch


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("linear", _linear, _linear_d, r"z", "linear"),
        Activation("relu", _relu, _relu_d, r"\max(0, z)", "ReLU"),
        Activation("sigmoid", _sigmoid, _sigmoid_d, r"\frac{1}{1 + e^{-z}}", "sigmoid"),
        Activation("tanh", _tanh, _tanh_d, r"\tanh z", "tanh"),
        Activation("leaky_relu", _leaky, _leaky_d, r"\max(0.01\,z,\; z)", "leaky ReLU"),
    )
}


def get_activation(name: str) -> Activation:
    """Return the activation called ``name`` (one of ``ACTIVATIONS``)."""
    return ACTIVATIONS[name]
