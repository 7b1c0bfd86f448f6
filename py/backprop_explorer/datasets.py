"""The training data set: built-in sets, mini-batches, and a batch's mean loss and gradient.

A State without ``samples`` trains on its one pair (``input``, ``target``), as the seed's demo
does. With ``samples`` (a list of ``{input, target}``) each step takes the next batch of
``batchSize`` consecutive samples (all of them when ``batchSize`` is absent), in order, the
last batch of an epoch possibly smaller; its loss and gradient are the means of its samples'.
With ``shuffle`` on, each epoch takes the samples in an order of its own (``epoch_order``),
shuffled by Python's Mersenne Twister seeded from the State's ``seed`` and the epoch's number
(as ``init_params`` and Reset Weights draw theirs: numpy.random is 1.9 MB of WebAssembly the
site leaves out), so the same State and step count always give the same batches.
The derivation stays the derivation of one sample: the current ``input``/``target``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .names import field_label
from .network import Array, Backward, Params, backward, forward

__all__ = [
    "DATASETS",
    "LAST_SAMPLE",
    "NO_DATASET",
    "Batch",
    "batch_count",
    "batch_of",
    "dataset_options",
    "dataset_samples",
    "epoch_order",
    "order_words",
    "pairs_of",
    "set_loss",
]

NO_DATASET = "pair"  # the menu's entry for "no data set: the current pair alone"
NO_DATASET_LABEL = "The current input and target only"
# Why the last sample of a data set cannot be removed (the table's note and the message).
LAST_SAMPLE = (
    "a data set needs at least one sample; to train on the current input and target alone,"
    f" choose “{NO_DATASET_LABEL}” in the {field_label('samples')} menu"
)


@dataclass(frozen=True)
class DataSet:
    """A built-in data set: its name in the menu, its sizes and its samples."""

    label: str
    sizes: tuple[int, int]  # (inputs, outputs)
    samples: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]


def _logic(label: str, truth: Sequence[int]) -> DataSet:
    inputs = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
    return DataSet(
        label, (2, 1), tuple((x, (float(y),)) for x, y in zip(inputs, truth, strict=True))
    )


DATASETS: dict[str, DataSet] = {
    "xor": _logic("XOR (4 samples)", (0, 1, 1, 0)),
    "and": _logic("AND (4 samples)", (0, 0, 0, 1)),
    "or": _logic("OR (4 samples)", (0, 1, 1, 1)),
    "curve": DataSet(
        "The curve y = x² (5 points)",
        (1, 1),
        tuple(((x,), (x * x,)) for x in (-1.0, -0.5, 0.0, 0.5, 1.0)),
    ),
}


def dataset_options(layers: Sequence[int]) -> list[dict[str, str]]:
    """The data sets that fit a network's input and output sizes, for the menu."""
    fits = [
        {"name": name, "label": d.label}
        for name, d in DATASETS.items()
        if d.sizes == (layers[0], layers[-1])
    ]
    return [{"name": NO_DATASET, "label": NO_DATASET_LABEL}, *fits]


def dataset_samples(name: str) -> list[dict[str, list[float]]]:
    """A built-in set's samples as the State holds them."""
    return [{"input": list(x), "target": list(y)} for x, y in DATASETS[name].samples]


def pairs_of(state: dict[str, Any]) -> list[tuple[Array, Array]]:
    """The training pairs of a State: its samples, or its one input/target pair."""
    samples = state.get("samples") or [{"input": state["input"], "target": state["target"]}]
    return [
        (np.array(s["input"], dtype=float), np.array(s["target"], dtype=float)) for s in samples
    ]


def batch_count(state: dict[str, Any]) -> int:
    """How many batches make one epoch."""
    n = len(pairs_of(state))
    size: int = state.get("batchSize", n)
    return -(-n // size)


def epoch_order(state: dict[str, Any], epoch: int) -> list[int]:
    """The order (sample numbers from 0) in which epoch ``epoch`` (from 0) takes the samples:
    as listed, or with ``shuffle`` on a permutation drawn from the seed and the epoch."""
    n = len(pairs_of(state))
    if not state.get("shuffle"):
        return list(range(n))
    order = list(range(n))
    random.Random(f"shuffle:{state['seed']}:{epoch}").shuffle(order)
    return order


def order_words(state: dict[str, Any]) -> str:
    """How an epoch orders the samples, in words: "in order", or "shuffled each epoch (seed
    37)"."""
    return f"shuffled each epoch (seed {state['seed']})" if state.get("shuffle") else "in order"


@dataclass(frozen=True)
class Batch:
    """The batch a step takes: its sample numbers (from 0), loss and gradients (the means)."""

    indices: tuple[int, ...]
    loss: float
    dW: tuple[Array, ...]
    db: tuple[Array, ...]
    each: tuple[Backward, ...]  # each sample's backward pass


def _mean(
    params: Params, pairs: Sequence[tuple[Array, Array]], loss: str
) -> tuple[Backward, list[Backward]]:
    """The backward pass of each pair, and their mean: loss and gradients are the means."""
    passes = [backward(params, forward(params, x), y, loss) for x, y in pairs]
    if len(passes) == 1:
        return passes[0], passes  # the seed's one pair: exactly the single-sample numbers
    n = len(passes)
    first = passes[0]
    return replace(  # the per-sample parts (delta, sigma') are the first sample's
        first,
        dW=tuple(
            sum((p.dW[i] for p in passes), np.zeros_like(g)) / n for i, g in enumerate(first.dW)
        ),
        db=tuple(
            sum((p.db[i] for p in passes), np.zeros_like(g)) / n for i, g in enumerate(first.db)
        ),
        loss=sum(p.loss for p in passes) / n,
    ), passes


def batch_of(state: dict[str, Any], params: Params, step: int) -> Batch:
    """The batch of step ``step`` (from 1): consecutive samples of its epoch's order, epoch
    after epoch."""
    pairs = pairs_of(state)
    size = state.get("batchSize", len(pairs))
    epoch, number = divmod(step - 1, batch_count(state))
    indices = tuple(epoch_order(state, epoch)[number * size : (number + 1) * size])
    bwd, each = _mean(params, [pairs[i] for i in indices], state["loss"])
    return Batch(indices, float(bwd.loss), bwd.dW, bwd.db, tuple(each))


def set_loss(state: dict[str, Any], params: Params) -> float:
    """The whole set's loss: the mean of every sample's."""
    return float(_mean(params, pairs_of(state), state["loss"])[0].loss)
