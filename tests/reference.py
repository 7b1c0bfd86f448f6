"""Independent references for the network's gradients, sharing no code with backprop_explorer.

1. ``autodiff_gradients``: a micrograd-style scalar reverse-mode autodiff. Every scalar is a
   ``Value`` that remembers its parents and local derivatives; nothing knows the BP equations.
2. ``mp_finite_difference``: a central difference computed with 60-digit mpmath arithmetic and
   h = 1e-25, so its truncation and rounding errors are far below 1e-12 (away from ReLU kinks).
"""

from __future__ import annotations

import math
import random

import mpmath

LEAKY = 0.01


class Value:
    """A scalar and the gradient of the final output with respect to it."""

    def __init__(self, data: float, parents: tuple = ()) -> None:
        self.data = float(data)
        self.grad = 0.0
        self._parents = parents  # (Value, local derivative) pairs

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, ((self, other.data), (other, self.data)))

    def __sub__(self, other: Value | float) -> Value:
        return self + other * -1.0

    def apply(self, name: str) -> Value:
        z = self.data
        if name == "linear":
            return Value(z, ((self, 1.0),))
        if name == "relu":
            return Value(max(z, 0.0), ((self, 1.0 if z > 0 else 0.0),))
        if name == "leaky_relu":
            return Value(z if z > 0 else LEAKY * z, ((self, 1.0 if z > 0 else LEAKY),))
        if name == "tanh":
            t = math.tanh(z)
            return Value(t, ((self, 1.0 - t * t),))
        if name == "sigmoid":
            s = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
            return Value(s, ((self, s * (1.0 - s)),))
        raise ValueError(name)

    def backward(self) -> None:
        order, seen = [], set()

        def visit(v: Value) -> None:
            if id(v) not in seen:
                seen.add(id(v))
                for parent, _ in v._parents:
                    visit(parent)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            for parent, local in v._parents:
                parent.grad += local * v.grad


def autodiff_gradients(state: dict) -> dict:
    """Loss, output and dL/dw, dL/db of a State, by scalar autodiff."""
    W = [[[Value(w) for w in row] for row in layer] for layer in state["weights"]]
    B = [[Value(b) for b in layer] for layer in state["biases"]] if state["bias"] else None
    a = [Value(x) for x in state["input"]]
    for l, layer in enumerate(W):
        z = []
        for j, row in enumerate(layer):
            s = Value(0.0)
            for k, w in enumerate(row):
                s = s + w * a[k]
            if B is not None:
                s = s + B[l][j]
            z.append(s)
        a = [zj.apply(state["activations"][l]) for zj in z]
    sq = Value(0.0)
    for aj, yj in zip(a, state["target"], strict=True):
        d = aj - yj
        sq = sq + d * d
    loss = sq * (0.5 if state["loss"] == "half_sse" else 1.0 / len(a))
    loss.backward()
    return {
        "loss": loss.data,
        "output": [v.data for v in a],
        "weights": [[[w.grad for w in row] for row in layer] for layer in W],
        "biases": [[b.grad for b in layer] for layer in B] if B is not None else [],
    }


def _mp_act(name: str, z):
    if name == "linear":
        return z
    if name == "relu":
        return z if z > 0 else mpmath.mpf(0)
    if name == "leaky_relu":
        return z if z > 0 else LEAKY * z
    if name == "tanh":
        return mpmath.tanh(z)
    if name == "sigmoid":
        return 1 / (1 + mpmath.exp(-z))
    raise ValueError(name)


def _mp_loss(state: dict, weights, biases):
    a = [mpmath.mpf(x) for x in state["input"]]
    for l, layer in enumerate(weights):
        z = [sum((w * ak for w, ak in zip(row, a, strict=True)), mpmath.mpf(0)) for row in layer]
        if biases is not None:
            z = [zj + bj for zj, bj in zip(z, biases[l], strict=True)]
        a = [_mp_act(state["activations"][l], zj) for zj in z]
    sq = sum(
        ((aj - mpmath.mpf(yj)) ** 2 for aj, yj in zip(a, state["target"], strict=True)),
        mpmath.mpf(0),
    )
    return sq / 2 if state["loss"] == "half_sse" else sq / len(a)


def mp_finite_difference(state: dict, l: int, j: int, k: int) -> float:
    """dL/dw^(l)_{j,k} (1-based) by a 60-digit central difference."""
    with mpmath.workdps(60):
        h = mpmath.mpf("1e-25")
        weights = [[[mpmath.mpf(w) for w in row] for row in layer] for layer in state["weights"]]
        biases = None
        if state["bias"]:
            biases = [[mpmath.mpf(b) for b in layer] for layer in state["biases"]]
        w0 = weights[l - 1][j - 1][k - 1]
        weights[l - 1][j - 1][k - 1] = w0 + h
        up = _mp_loss(state, weights, biases)
        weights[l - 1][j - 1][k - 1] = w0 - h
        down = _mp_loss(state, weights, biases)
        return float((up - down) / (2 * h))


def rel_close(a: float, b: float, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    """|a - b| <= rel * max(|a|, |b|) + abs_."""
    return abs(a - b) <= rel * max(abs(a), abs(b)) + abs_


def without_check(latex: list[str]) -> list[str]:
    """The derivation's LaTeX minus the finite-difference check, whose last digits depend on
    the order numpy sums in (Pyodide and CPython may differ there and only there)."""
    kept = [tex for tex in latex if "relative error against backprop" not in tex]
    assert len(kept) == len(latex) - 1, "the derivation must have exactly one check step"
    return kept


def independent_steps(state: dict, k: int) -> list[dict]:
    """k steps of w <- w - eta dL/dw (and b) with the scalar autodiff above."""
    s = {**state, "weights": [[list(r) for r in W] for W in state["weights"]]}
    out = []
    for _ in range(k):
        g = autodiff_gradients(s)
        eta = s["learningRate"]
        s["weights"] = [
            [
                [w - eta * gw for w, gw in zip(row, grow, strict=True)]
                for row, grow in zip(W, G, strict=True)
            ]
            for W, G in zip(s["weights"], g["weights"], strict=True)
        ]
        if s["bias"]:
            s["biases"] = [
                [b - eta * gb for b, gb in zip(bl, gl, strict=True)]
                for bl, gl in zip(s["biases"], g["biases"], strict=True)
            ]
        after = autodiff_gradients(s)
        out.append({"weights": s["weights"], "loss": after["loss"], "output": after["output"]})
    return out


def batch_gradients(state: dict, samples: list[dict]) -> dict:
    """A mini-batch's loss and dL/dw, dL/db by the scalar autodiff: the means over its samples
    (each sample's input and target put in place of the State's)."""
    each = [autodiff_gradients({**state, **sample}) for sample in samples]
    n = len(each)

    def mean(parts: list) -> list:
        if isinstance(parts[0], list):
            return [mean(list(p)) for p in zip(*parts, strict=True)]
        return sum(parts) / n

    return {
        "loss": sum(g["loss"] for g in each) / n,
        "weights": mean([g["weights"] for g in each]),
        "biases": mean([g["biases"] for g in each]) if state["bias"] else [],
    }


def with_biases(partial: dict) -> dict:
    """``partial`` with biases on and non-zero: b^(l)_j = (-1)^j 0.1 l + 0.05 j."""
    return {
        **partial,
        "bias": True,
        "biases": [
            [round((-1) ** j * 0.1 * l + 0.05 * j, 2) for j in range(1, n + 1)]
            for l, n in enumerate(partial["layers"][1:], start=1)
        ],
    }


def stated_batches(seed: int, n: int, size: int, steps: int) -> list[list[int]]:
    """The batches (sample numbers from 1) as the issue states them: epoch e takes the samples
    in the order Python's random.Random seeded with the text "shuffle:{seed}:{e}" shuffles
    them into, in consecutive batches of ``size``, the last one possibly smaller."""
    out: list[list[int]] = []
    epoch = 0
    while len(out) < steps:
        perm = list(range(1, n + 1))
        random.Random(f"shuffle:{seed}:{epoch}").shuffle(perm)
        out += [perm[i : i + size] for i in range(0, n, size)]
        epoch += 1
    return out[:steps]
