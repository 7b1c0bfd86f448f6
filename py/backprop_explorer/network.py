"""The network core: forward pass, backward pass by BP1-BP3, one gradient-descent step.

Everything here is a pure function of plain numpy arrays; nothing is mutated.
Layer l runs from 1 to L; ``weights[l - 1]`` is W^(l), shape (n_l, n_{l-1}), and
``weights[l - 1][j - 1, k - 1]`` is w^(l)_{j,k}, from neuron k of layer l-1 to neuron j of layer l.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .activations import get_activation
from .losses import get_loss

__all__ = [
    "Backward",
    "Forward",
    "Params",
    "backward",
    "forward",
    "gradient_descent_step",
    "init_params",
]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Params:
    """Weights W^(1..L), biases b^(1..L) (None when the network has no biases), activations."""

    weights: tuple[Array, ...]
    biases: tuple[Array, ...] | None
    activations: tuple[str, ...]

    @property
    def layers(self) -> list[int]:
        """Layer sizes [n_0, ..., n_L]."""
        return [self.weights[0].shape[1]] + [w.shape[0] for w in self.weights]


@dataclass(frozen=True)
class Forward:
    """Result of a forward pass: z^(l) for l = 1..L and a^(l) for l = 0..L (a^(0) = x)."""

    z: tuple[Array, ...]  # z[l - 1] = z^(l)
    a: tuple[Array, ...]  # a[l] = a^(l)

    @property
    def output(self) -> Array:
        return self.a[-1]


@dataclass(frozen=True)
class Backward:
    """Result of a backward pass: the loss, error signals and parameter gradients."""

    loss: float
    delta: tuple[Array, ...]  # delta[l - 1] = delta^(l) = dL/dz^(l)
    sigma_prime: tuple[Array, ...]  # sigma_prime[l - 1] = sigma'(z^(l))
    dloss_da: Array  # nabla_a L at the output
    dW: tuple[Array, ...]  # dW[l - 1][j - 1, k - 1] = dL/dw^(l)_{j,k}
    db: tuple[Array, ...]  # db[l - 1] = dL/db^(l)


def forward(params: Params, x: Array) -> Forward:
    """Propagate the input x through the network."""
    a = [np.asarray(x, dtype=float)]
    z = []
    for l, W in enumerate(params.weights):
        zl = W @ a[-1]  # z^(l) = W^(l) a^(l-1) (+ b^(l))
        if params.biases is not None:
            zl = zl + params.biases[l]
        z.append(zl)
        a.append(get_activation(params.activations[l]).f(zl))  # a^(l) = sigma(z^(l))
    return Forward(tuple(z), tuple(a))


def backward(params: Params, fwd: Forward, y: Array, loss: str) -> Backward:
    """Back-propagate the error of the target y through the forward pass ``fwd``."""
    y = np.asarray(y, dtype=float)
    lossf = get_loss(loss)
    n_layers = len(params.weights)
    sp = [get_activation(params.activations[l]).df(fwd.z[l]) for l in range(n_layers)]
    dloss_da = lossf.grad(fwd.output, y)
    delta: list[Array] = [np.empty(0)] * n_layers
    delta[-1] = dloss_da * sp[-1]  # BP1: delta^(L) = nabla_a L (.) sigma'(z^(L))
    for l in range(n_layers - 2, -1, -1):
        # BP2: delta^(l) = (W^(l+1))^T delta^(l+1) (.) sigma'(z^(l))
        delta[l] = (params.weights[l + 1].T @ delta[l + 1]) * sp[l]
    # BP3: dL/dw^(l)_{j,k} = a^(l-1)_k delta^(l)_j;  dL/db^(l)_j = delta^(l)_j
    dW = tuple(np.outer(delta[l], fwd.a[l]) for l in range(n_layers))
    db = tuple(d.copy() for d in delta)
    return Backward(
        loss=lossf.value(fwd.output, y),
        delta=tuple(delta),
        sigma_prime=tuple(sp),
        dloss_da=dloss_da,
        dW=dW,
        db=db,
    )


def gradient_descent_step(params: Params, bwd: Backward, learning_rate: float) -> Params:
    """One step w <- w - eta dL/dw, every parameter updated from the same pre-step gradients."""
    weights = tuple(W - learning_rate * g for W, g in zip(params.weights, bwd.dW, strict=True))
    biases = None
    if params.biases is not None:
        biases = tuple(b - learning_rate * g for b, g in zip(params.biases, bwd.db, strict=True))
    return Params(weights, biases, params.activations)


def init_params(layers: Sequence[int], activations: Sequence[str], seed: int, bias: bool) -> Params:
    """Seeded Glorot-uniform weights and zero biases, identical in CPython and Pyodide.

    Uses Python's Mersenne Twister (stable across versions and platforms), not numpy's
    generators, whose streams may change between numpy releases.
    """
    rng = random.Random(seed)
    weights = []
    for n_in, n_out in itertools.pairwise(layers):
        limit = math.sqrt(6.0 / (n_in + n_out))  # Glorot & Bengio (2010)
        rows = [[round(rng.uniform(-limit, limit), 3) for _ in range(n_in)] for _ in range(n_out)]
        weights.append(np.array(rows, dtype=float))
    biases = tuple(np.zeros(n) for n in layers[1:]) if bias else None
    return Params(tuple(weights), biases, tuple(activations))
