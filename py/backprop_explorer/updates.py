"""The Weight-updates table: what the last step did to each weight and bias.

One record per parameter: its old value, the gradient the step used (a mini-batch's mean),
the optimizer's state before and after the step (velocity b; m and v, and Adam's m̂ and v̂ of
the step), the change and the new value; ``cells`` lists the texts in the order of the heads
``update_heads`` gives, so the page lays the row out without knowing the optimizer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .names import bias_id, bias_symbol, neuron_name, route, sig, weight_id, weight_symbol
from .network import Array, Params
from .optimizers import CARRIED_SLOTS, OPTIMIZERS, SLOT_NAMES, Slots

__all__ = ["SLOT_WORDS", "optimizer_words", "update_heads", "update_records"]

UPDATE_HEADS = ("Weight", "old w", "∂𝓛/∂w", "Δw = −η ∂𝓛/∂w", "new w")
BATCH_GRADIENT = "∂𝓛/∂w, batch mean"
# The optimizer's state as the derivation's update rule writes it (b for the velocity).
SLOT_WORDS = {"velocity": "b", "m": "m", "v": "v", "mHat": "m̂", "vHat": "v̂"}


def _slot_parts(name: str) -> list[tuple[str, str]]:
    """(part, head) of each state column of optimizer ``name``."""
    out = []
    for slot in SLOT_NAMES[name]:
        word = SLOT_WORDS[slot]
        # carried state has a value before and after; m̂ and v̂ only the step's
        if slot in CARRIED_SLOTS:
            out += [(f"{slot}.before", f"{word} before"), (f"{slot}.after", f"{word} after")]
        else:
            out.append((f"{slot}.after", word))
    return out


def update_heads(optimizer: dict[str, Any], batched: bool = False) -> list[str]:
    """The Weight-updates table's heads: the optimizer's state before and after between the
    gradient and the change, which is −η ∂𝓛/∂w only for gradient descent."""
    name = optimizer["name"]
    gradient = BATCH_GRADIENT if batched else UPDATE_HEADS[2]
    change = UPDATE_HEADS[3] if name == "gd" else f"Δw by {OPTIMIZERS[name].label}"
    slots = [head for _, head in _slot_parts(name)]
    return [*UPDATE_HEADS[:2], gradient, *slots, change, UPDATE_HEADS[4]]


def optimizer_words(optimizer: dict[str, Any]) -> str:
    """ "gradient descent", "Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-08)"."""
    chosen = OPTIMIZERS[optimizer["name"]]
    if not chosen.hypers:
        return chosen.label.lower()
    settings = ", ".join(
        f"{h.label.split()[-1]} = {sig(optimizer[k])}" for k, h in chosen.hypers.items()
    )
    return f"{chosen.label} ({settings})"


def _texts(record: dict[str, Any], name: str) -> dict[str, Any]:
    record["text"] = {
        key: sig(record[key], zeros=True) for key in ("old", "gradient", "delta", "new")
    }
    slots = {s["name"]: s["text"] for s in record["slots"]}
    cells = [{"part": "old", "text": record["text"]["old"]}]
    cells.append({"part": "gradient", "text": record["text"]["gradient"]})
    for part, _ in _slot_parts(name):
        slot, when = part.split(".")
        cells.append({"part": part, "text": slots[slot][when]})
    cells += [{"part": p, "text": record["text"][p]} for p in ("delta", "new")]
    record["cells"] = cells
    return record


def _slot_records(
    name: str, before: Slots | None, after: Slots, at: tuple[int, ...]
) -> list[dict[str, Any]]:
    """The optimizer's state of one parameter before and after the step (0 before the first)."""
    out = []
    for slot in SLOT_NAMES[name]:
        old = float(before[slot][at]) if before is not None and slot in before else 0.0
        new = float(after[slot][at])
        out.append(
            {"name": slot, "before": old, "after": new, "text": {
                "before": sig(old, zeros=True), "after": sig(new, zeros=True)}}
        )  # fmt: skip
    return out


def update_records(
    layers: Sequence[int],
    old: Params,
    grads: tuple[Sequence[Array], Sequence[Array]],
    new: Params,
    learning_rate: float,
    optimizer: tuple[dict[str, Any], list[Slots] | None, list[Slots]],
) -> list[dict[str, Any]]:
    """One record per parameter of a step: old value, dL/dw (``grads``: the step's gradients
    of the weights and of the biases), the change, the new value and the optimizer's state
    before and after (``optimizer``: its config and the slots of every parameter array before
    and after the step)."""
    config, before, after = optimizer
    name = config["name"]
    n = len(layers) - 1
    out = []

    def record(kind: str, index: int, at: tuple[int, ...], **words: str) -> dict[str, Any]:
        arrays = (old.weights, grads[0], new.weights) if kind == "weight" else (
            old.biases or (), grads[1], new.biases or ())  # fmt: skip
        was, g, now = (float(x[index - (n if kind == "bias" else 0)][at]) for x in arrays)
        # gradient descent's change is -eta g itself; another optimizer's is what it did
        delta = -learning_rate * g if name == "gd" else now - was
        slots = _slot_records(name, None if before is None else before[index], after[index], at)
        return _texts(
            {**words, "kind": kind, "old": was, "gradient": g, "delta": delta, "new": now,
             "slots": slots}, name
        )  # fmt: skip

    for l in range(1, len(layers)):
        for j in range(1, layers[l] + 1):
            for k in range(1, layers[l - 1] + 1):
                out.append(
                    record("weight", l - 1, (j - 1, k - 1), id=weight_id(l, j, k),
                           name=weight_symbol(l, j, k), route=route(layers, l, j, k))
                )  # fmt: skip
        if old.biases is not None and new.biases is not None:
            for j in range(1, layers[l] + 1):
                out.append(
                    record("bias", n + l - 1, (j - 1,), id=bias_id(l, j), name=bias_symbol(l, j),
                           route=f"bias of {neuron_name(layers, l, j, short=True)}")
                )  # fmt: skip
    return out
