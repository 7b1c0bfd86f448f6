"""The training-step demo's record: loss history, the last step's weight updates, notices.

A ``Run`` belongs to one starting network: it starts at step 0 with the loss of the current
weights, gains one history row per gradient-descent step, and remembers the old weight, the
gradient, the update and the new weight of every parameter in the last step. Everything here
is plain data for the page's tables and loss plot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .loss_plot import loss_plot
from .losses import LOSSES
from .names import (
    bias_plain,
    decimal_text,
    field_text,
    fixed,
    layer_title,
    loss_text,
    neuron_name,
    route,
    sig,
    vector_text,
    weight_id,
    weight_plain,
    weight_symbol,
)
from .network import Backward, Forward, Params
from .optimizers import Slots
from .state import MAX_ABS_VALUE
from .updates import optimizer_words, update_heads

__all__ = [
    "BIAS_HEAD",
    "MAX_HISTORY",
    "TABLE_ROWS",
    "Run",
    "blow_up",
    "dead_relu_notices",
    "training_view",
    "weight_table",
]

MAX_HISTORY = 50_000  # rows kept; beyond it the older rows are thinned, the newest kept whole
KEEP_RECENT = 1_000  # rows never thinned
TABLE_ROWS = 100  # newest history rows sent for the table
JUMP = 10.0  # a step that multiplies the loss by more than this is called diverging
HISTORY_HEADS = ("Step", "Loss", "Prediction", "Target", "ΔLoss")
# With a data set: each step's batch (its samples, numbered from 1) and loss, and the loss of
# the whole set after the step (the loss the plot and the ΔLoss follow).
BATCH_HEADS = ("Step", "Batch", "Batch loss", "Loss, whole set", "Prediction", "Target", "ΔLoss")
BATCH_PARTS = ("batch", "batchLoss", "loss", "prediction", "target", "lossChange")
PARTS = ("loss", "prediction", "target", "lossChange")
NO_UPDATE = "Click “Step Optimization” to see the weight updates."
# The Restore button: it brings back exactly the weights (and biases) shown before Reset.
RESTORE = "Restore the weights from before Reset"


def blow_up(
    layers: Sequence[int], params: Params, loss: float, step: int, eta: float, start: float
) -> str | None:
    """None if the network after step ``step`` is sound; else what blew up, in plain words:
    a parameter (or the loss) that is no longer a finite number, or a parameter beyond ±1e6.
    ``start``: the loss before that step, the run's loss now."""
    culprit = None
    arrays = [("w", l, W) for l, W in enumerate(params.weights, 1)]
    arrays += [("b", l, b) for l, b in enumerate(params.biases or (), 1)]
    for kind, l, values in arrays:
        bad = np.flatnonzero(~np.isfinite(values) | (np.abs(values) > MAX_ABS_VALUE))
        if bad.size:
            at = np.unravel_index(bad[0], values.shape)
            idx = [int(i) + 1 for i in at]
            kind_word = "weight" if kind == "w" else "bias"
            name = weight_plain(l, *idx) if kind == "w" else bias_plain(l, *idx)
            value = float(values[at])
            culprit = (
                f"would take {kind_word} {name} to {decimal_text(value)}, beyond the ±10⁶ a"
                f" {kind_word} may hold"
                if math.isfinite(value)
                else f"would make {kind_word} {name} no longer a finite number"
            )
            break
    if culprit is None and not math.isfinite(loss):
        culprit = "would make the loss no longer a finite number"
    if culprit is None:
        return None
    return (
        f"Training stopped before step {step}: it {culprit}. The steps taken stay on screen"
        f" (the loss is now {loss_text(start)}). The learning rate η = {field_text(eta)} is too"
        " high for this network: lower it, or press Reset Weights."
    )


BIAS_HEAD = "Bias"  # the Weights table's last column when the network has biases


def weight_table(
    layers: Sequence[int], weights: Sequence[Any], biases: Sequence[Any] | None = None
) -> list[dict[str, Any]]:
    """The Weights table, one block per layer: column per source neuron, row per destination;
    with ``biases``, a last column "Bias": b(l)j as the weight from the bias unit (k = 0), its
    cell's id its connection's in the diagram (``bias_id``), so it links like a weight's."""
    blocks = []
    for l in range(1, len(layers)):
        sources = list(range(1, layers[l - 1] + 1)) + ([0] if biases is not None else [])

        blocks.append(
            {
                "layer": l,
                "title": f"{layer_title(layers, l - 1)} → {layer_title(layers, l)}",
                "heads": [
                    BIAS_HEAD if k == 0 else f"From {neuron_name(layers, l - 1, k, short=True)}"
                    for k in sources
                ],
                "rows": [
                    {
                        "head": f"→ {neuron_name(layers, l, j, short=True)}",
                        "cells": [
                            {
                                "id": weight_id(l, j, k),
                                "value": _value(weights, biases, l, j, k),
                                "text": sig(_value(weights, biases, l, j, k), zeros=True),
                                "title": f"{weight_symbol(l, j, k)} ({route(layers, l, j, k)})",
                            }
                            for k in sources
                        ],
                    }
                    for j in range(1, layers[l] + 1)
                ],
            }
        )
    return blocks


def _value(weights: Sequence[Any], biases: Sequence[Any] | None, l: int, j: int, k: int) -> float:
    """w(l)j,k, or b(l)j for k = 0."""
    return float(
        biases[l - 1][j - 1] if biases is not None and k == 0 else weights[l - 1][j - 1][k - 1]
    )


def dead_relu_notices(
    layers: Sequence[int], params: Params, fwd: Forward, bwd: Backward
) -> list[dict[str, str]]:
    """A sentence for every ReLU neuron that passes no gradient back for this input."""
    notes = []
    for l in range(1, len(layers)):
        if params.activations[l - 1] != "relu":
            continue
        for j in range(1, layers[l] + 1):
            z = float(fwd.z[l - 1][j - 1])
            if z <= 0:
                name = neuron_name(layers, l, j, short=True)
                text = (
                    f"{name} is a dead ReLU for this input: z = {fixed(z, 4)} ≤ 0, so σ′(z) = 0 "
                    f"and no gradient flows back through it; the weights into {name} do not change."
                )
                notes.append({"kind": "info", "text": text})
    return notes


@dataclass
class Run:
    """The history of one training run and the record of its last step."""

    history: list[dict[str, Any]] = field(default_factory=list)
    last_update: list[dict[str, Any]] | None = None
    learning_rate: float | None = None  # of the last step
    # The optimizer's state after the last step, one entry per parameter array (the weights
    # of each layer, then the biases): velocity, or m and v. None before the first step.
    slots: list[Slots] | None = None
    # Why the last step() stopped before the steps asked for (blow_up's sentence), else None.
    stopped: str | None = None

    @property
    def step(self) -> int:
        return self.history[-1]["step"] if self.history else 0

    def start(self, loss: float, prediction: Sequence[float], target: Sequence[float]) -> None:
        """Begin again at step 0 with the current network."""
        self.history = [_row(0, loss, prediction, target)]
        self.last_update = None
        self.learning_rate = None
        self.slots = None
        self.stopped = None

    def record(
        self,
        loss: float,
        prediction: Sequence[float],
        target: Sequence[float],
        update: list[dict[str, Any]],
        learning_rate: float,
        batch: tuple[Sequence[int], float] | None = None,
    ) -> None:
        """Append the row of the step just taken and keep its weight updates (``batch``: the
        numbers, from 0, of the samples the step took and their mean loss before the step,
        or None without a data set)."""
        self.history.append(_row(self.step + 1, loss, prediction, target, batch))
        self.last_update = update
        self.learning_rate = learning_rate
        if len(self.history) > MAX_HISTORY:
            old, recent = self.history[:-KEEP_RECENT], self.history[-KEEP_RECENT:]
            self.history = old[::2] + recent

    def notices(self) -> list[dict[str, str]]:
        """Plain words about the loss: why the last run of steps stopped, or a jump that means the
        learning rate is too high (one notice, however often Step was pressed)."""
        if self.stopped is not None:
            return [{"kind": "warn", "text": self.stopped}]
        if len(self.history) < 2:
            return []
        before, after = self.history[-2]["loss"], self.history[-1]["loss"]
        if after > JUMP * before and after - before > 1e-12:
            text = (
                f"The loss jumped from {sig(before, 4)} to {sig(after, 4)} in one step: the "
                "learning rate is too high and training is diverging. Lower it, or reset the "
                "weights."
            )
            return [{"kind": "warn", "text": text}]
        return []

    def view(self, batched: bool = False) -> dict[str, Any]:
        """What the page shows: step count, newest rows (``batched``: with their batch's
        columns), plot points and the last update."""
        rows = self.history[-TABLE_ROWS:]
        first = len(self.history) - len(rows)
        shown = []
        for i, row in enumerate(rows):
            prev = self.history[first + i - 1] if first + i > 0 else None
            change = None if prev is None else row["loss"] - prev["loss"]
            trend = None if change is None else "down" if change <= 0 else "up"
            text = _row_text(row, change)
            parts = BATCH_PARTS if batched else PARTS
            shown.append(
                {**row, "lossChange": change, "trend": trend, "text": text,
                 "cells": [text[p] for p in parts]}
            )  # fmt: skip
        return {
            "step": self.step,
            "rows": shown,
            "total": len(self.history),
            "lossPlot": loss_plot(self.history),
            "lastUpdate": self.last_update,
            "learningRate": self.learning_rate,
        }


def _row_text(row: dict[str, Any], change: float | None) -> dict[str, str]:
    """The history row as the seed shows it: 4 decimals for the loss, 3 for the outputs."""
    return {
        "step": str(row["step"]),
        "loss": loss_text(row["loss"]),
        "prediction": vector_text(row["prediction"]),
        "target": vector_text(row["target"]),
        "lossChange": "—" if change is None else loss_text(change, "+"),
        "batch": "—" if row["batch"] is None else ", ".join(str(i) for i in row["batch"]),
        "batchLoss": "—" if row["batchLoss"] is None else loss_text(row["batchLoss"]),
    }


def _row(
    step: int,
    loss: float,
    prediction: Sequence[float],
    target: Sequence[float],
    batch: tuple[Sequence[int], float] | None = None,
) -> dict[str, Any]:
    return {
        "step": step,
        "loss": float(loss),
        "prediction": [float(p) for p in prediction],
        "target": [float(t) for t in target],
        "batch": None if batch is None else [i + 1 for i in batch[0]],
        "batchLoss": None if batch is None else float(batch[1]),
    }


def training_view(
    run: Run,
    state: dict[str, Any],
    passes: tuple[Params, Forward, Backward],
    previous_seed: int | None,
) -> dict[str, Any]:
    """The training demo's view: tables, history, plot, notices, and every sentence around them."""
    params, fwd, bwd = passes
    batched = "samples" in state
    view = run.view(batched)
    newest = view["rows"][-1]["text"]
    loss = LOSSES[state["loss"]]
    shown, total = len(view["rows"]), view["total"]
    updated = run.last_update is not None
    return {
        **view,
        "loss": bwd.loss,
        "prediction": fwd.output.tolist(),
        "weights": weight_table(state["layers"], state["weights"], state.get("biases")),
        "notices": run.notices() + dead_relu_notices(state["layers"], params, fwd, bwd),
        "previousSeed": previous_seed,
        "restore": None if previous_seed is None else RESTORE,
        "lossFormula": {"tex": loss.tex, "label": loss.label, "note": loss.note},
        "summary": f"Step {view['step']} · loss {newest['loss']} · prediction "
        f"{newest['prediction']} · target {newest['target']}",
        "heads": {
            "updates": update_heads(state["optimizer"], batched),
            "history": list(BATCH_HEADS if batched else HISTORY_HEADS),
        },
        "noUpdate": None if updated else NO_UPDATE,
        "notes": {
            "bias": "" if state["bias"] else "This network has no biases.",
            "updates": f"Step {view['step']} used {optimizer_words(state['optimizer'])},"
            f" η = {field_text(run.learning_rate)}."
            if updated and run.learning_rate is not None
            else "",
            "history": f"The last {shown} of {total} rows; the plot shows the whole run."
            if total > shown
            else "",
        },
    }
