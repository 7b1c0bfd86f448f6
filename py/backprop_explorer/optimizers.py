"""Optimizers as ``torch.optim`` defines them, one pure function each.

Every rule takes one parameter array ``theta``, its gradient ``g``, the optimizer's state for
that array before the step (``slots``; empty before the first step), the step number ``t``
(1 for the first step) and the learning rate, and returns the new array and the new state. The
definitions are those of PyTorch's documentation (weight decay 0, not maximising): SGD with
momentum and dampening, its Nesterov form, RMSprop (not centred, no momentum, ε outside the
root) and Adam (bias-corrected, not AMSGrad). The defaults are PyTorch's, except that SGD's
momentum is 0.9 where PyTorch's is 0 (plain SGD is ``gd``).

``OPTIMIZERS`` names each optimizer's hyper-parameters with their defaults and allowed ranges;
``state.py`` checks a State's ``optimizer`` against it, and the page's words come from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "CARRIED_SLOTS",
    "OPTIMIZERS",
    "SLOT_NAMES",
    "Hyper",
    "Optimizer",
    "Slots",
    "step_all",
    "update",
]

Array = NDArray[np.float64]
Slots = dict[str, Array]


@dataclass(frozen=True)
class Hyper:
    """One hyper-parameter: its default and the interval it must lie in.

    ``low_open``/``high_open``: the interval excludes that end (β < 1, ε > 0)."""

    label: str
    default: float
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def span(self) -> str:
        """The allowed values in words: "a number from 0 to 1, less than 1"."""
        left = "greater than" if self.low_open else "at least"
        right = "less than" if self.high_open else "at most"
        return f"a number {left} {self.low:g} and {right} {self.high:g}"

    def allows(self, v: float) -> bool:
        above = v > self.low if self.low_open else v >= self.low
        below = v < self.high if self.high_open else v <= self.high
        return above and below


def _gd(theta: Array, g: Array, slots: Slots, t: int, lr: float, **_: float) -> tuple[Array, Slots]:
    # theta_t = theta_{t-1} - lr g_t
    return theta - lr * g, {}


def _sgd(
    theta: Array, g: Array, slots: Slots, t: int, lr: float, momentum: float, dampening: float
) -> tuple[Array, Slots]:
    # b_1 = g_1;  b_t = mu b_{t-1} + (1 - tau) g_t;  theta_t = theta_{t-1} - lr b_t
    b = g.copy() if t == 1 else momentum * slots["velocity"] + (1 - dampening) * g
    return theta - lr * b, {"velocity": b}


def _nesterov(
    theta: Array, g: Array, slots: Slots, t: int, lr: float, momentum: float
) -> tuple[Array, Slots]:
    # b as for momentum, dampening 0; the step looks ahead:
    # theta_t = theta_{t-1} - lr (g_t + mu b_t)
    b = g.copy() if t == 1 else momentum * slots["velocity"] + g
    return theta - lr * (g + momentum * b), {"velocity": b}


def _rmsprop(
    theta: Array, g: Array, slots: Slots, t: int, lr: float, alpha: float, eps: float
) -> tuple[Array, Slots]:
    # v_t = alpha v_{t-1} + (1 - alpha) g_t^2 (v_0 = 0)
    # theta_t = theta_{t-1} - lr g_t / (sqrt(v_t) + eps): eps outside the root
    v = alpha * slots.get("v", np.zeros_like(g)) + (1 - alpha) * g * g
    return theta - lr * g / (np.sqrt(v) + eps), {"v": v}


def _adam(
    theta: Array,
    g: Array,
    slots: Slots,
    t: int,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
) -> tuple[Array, Slots]:
    # m_t = b1 m_{t-1} + (1 - b1) g_t;  v_t = b2 v_{t-1} + (1 - b2) g_t^2  (m_0 = v_0 = 0)
    m = beta1 * slots.get("m", np.zeros_like(g)) + (1 - beta1) * g
    v = beta2 * slots.get("v", np.zeros_like(g)) + (1 - beta2) * g * g
    # bias correction: m^_t = m_t / (1 - b1^t);  v^_t = v_t / (1 - b2^t)
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    # theta_t = theta_{t-1} - lr m^_t / (sqrt(v^_t) + eps)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), {
        "m": m,
        "v": v,
        "mHat": m_hat,
        "vHat": v_hat,
    }


@dataclass(frozen=True)
class Optimizer:
    """An optimizer: its name on the page, its rule and its hyper-parameters."""

    label: str
    rule: Callable[..., tuple[Array, Slots]]
    hypers: Mapping[str, Hyper]


_MOMENTUM = Hyper("Momentum μ", 0.9, 0.0, 1.0, high_open=True)
_EPS = Hyper("ε", 1e-8, 0.0, 1.0, low_open=True)

OPTIMIZERS: dict[str, Optimizer] = {
    "gd": Optimizer("Gradient descent", _gd, {}),
    "momentum": Optimizer(
        "Momentum",
        _sgd,
        {"momentum": _MOMENTUM, "dampening": Hyper("Dampening τ", 0.0, 0.0, 1.0)},
    ),
    "nesterov": Optimizer("Nesterov momentum", _nesterov, {"momentum": _MOMENTUM}),
    "rmsprop": Optimizer(
        "RMSprop",
        _rmsprop,
        {"alpha": Hyper("Smoothing α", 0.99, 0.0, 1.0, high_open=True), "eps": _EPS},
    ),
    "adam": Optimizer(
        "Adam",
        _adam,
        {
            "beta1": Hyper("β₁", 0.9, 0.0, 1.0, high_open=True),
            "beta2": Hyper("β₂", 0.999, 0.0, 1.0, high_open=True),
            "eps": _EPS,
        },
    ),
}

# The state each optimizer keeps per parameter, in the order its table shows it; mHat and vHat
# are Adam's bias-corrected moments of the step, shown but not carried to the next step.
SLOT_NAMES: dict[str, tuple[str, ...]] = {
    "gd": (),
    "momentum": ("velocity",),
    "nesterov": ("velocity",),
    "rmsprop": ("v",),
    "adam": ("m", "v", "mHat", "vHat"),
}
# The state a rule reads back at the next step (the rest, m̂ and v̂, each step makes afresh).
CARRIED_SLOTS = ("velocity", "m", "v")


def update(
    config: Mapping[str, Any], lr: float, theta: Array, g: Array, slots: Slots, t: int
) -> tuple[Array, Slots]:
    """One step of the optimizer ``config`` (a State's ``optimizer``: its ``name`` and every
    hyper-parameter) for one parameter array: the new array and the state after the step."""
    optimizer = OPTIMIZERS[config["name"]]
    hypers = {key: float(config[key]) for key in optimizer.hypers}
    return optimizer.rule(theta, g, slots, t, lr, **hypers)


def step_all(
    config: Mapping[str, Any],
    lr: float,
    arrays: list[Array],
    grads: list[Array],
    slots: list[Slots] | None,
    t: int,
) -> tuple[list[Array], list[Slots]]:
    """``update`` for every parameter array of a network (``slots`` None: the first step)."""
    before = slots if slots is not None else [{} for _ in arrays]
    pairs = [update(config, lr, a, g, s, t) for a, g, s in zip(arrays, grads, before, strict=True)]
    return [a for a, _ in pairs], [s for _, s in pairs]
