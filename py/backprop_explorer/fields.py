"""What a user types into a field, turned into a State change or a message that says what is wrong.

The page sends the raw text of a field (``edit("input[0]", "1,5")``); Python parses it, so
every form field and the API answer bad input with the same words. Field names are the State
paths the validation in ``state.py`` reports: ``input[0]``, ``target[1]``, ``weights[0][1][2]``
(W(1), row 2, column 3), ``biases[0][1]``, ``learningRate``, ``seed``, ``layers``.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

from .datasets import LAST_SAMPLE, NO_DATASET, dataset_options, dataset_samples
from .names import field_label
from .state import (
    LEARNING_RATE_SPAN,
    MAX_LAYERS,
    MAX_NEURONS,
    MAX_SAMPLES,
    SEED_SPAN,
    StateError,
    quote_text,
    show_value,
)

__all__ = ["edit_partial", "parse_layers", "parse_number"]

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_PATH = re.compile(r"(input|target|weights|biases)((?:\[\d+\])+)")
_SAMPLE = re.compile(r"samples\[(\d+)\]\.(input|target)\[(\d+)\]")


NO_SAMPLES = f"there is no data set: choose one in the {field_label('samples')} menu first"


def _quote(text: str) -> str:
    """What the user typed, in quotes, shortened to 24 characters."""
    return quote_text(text, 24)


# What kind of number a field holds, for its messages: (an example to type, the range that a
# too-large number is told to use). Callers pass their own; the limits come from state.py.
NUMBER = ("a number, like 0.5", "a number between -1e6 and 1e6")
LEARNING_RATE = ("a number, like 0.01", LEARNING_RATE_SPAN)
SEED = ("a whole number, like 37", SEED_SPAN)


def parse_number(field: str, text: Any, kind: tuple[str, str] = NUMBER) -> float:
    """A decimal number typed by a user ("0.25", "-1e-3"); StateError names what is wrong.
    ``kind`` is (an example to type, the range to use), for the messages."""
    example, span = kind

    def bad(problem: str) -> StateError:
        return StateError(field, problem)

    if not isinstance(text, str):
        raise bad(f"must be text typed into the field, got {show_value(text)}")
    t = text.strip().replace("\u2212", "-")  # a typographic minus is still a minus
    if not t:
        raise bad(f"is empty: type {example}")
    low = t.lower().lstrip("+-")
    if low in {"nan", "inf", "infinity"}:
        raise bad(f"must be a finite number, got {_quote(t)}")
    if re.fullmatch(r"[+-]?\d+,\d+", t):
        dotted = t.replace(",", ".")
        raise bad(f"{_quote(t)} is not a number: write decimals with a dot: {dotted}")
    if not _NUMBER.fullmatch(t):
        raise bad(f"{_quote(t)} is not a number")
    value = float(t)
    if not math.isfinite(value):
        raise bad(f"{_quote(t)} is too large: use {span}")
    return value + 0.0  # -0 becomes 0


def parse_layers(text: Any) -> list[int]:
    """Layer sizes typed as "4,3,3,2" (commas, spaces or arrows between them)."""
    field = "layers"
    example = "like 4,3,3,2"
    if not isinstance(text, str):
        raise StateError(field, f"must be text typed into the field, got {show_value(text)}")
    t = text.strip().replace("\u2192", ",").replace("->", ",")
    if not t:
        raise StateError(field, f"is empty: type the layer sizes, input first, {example}")
    parts = [p.strip() for p in t.split(",")] if "," in t else t.split()
    if any(not p for p in parts):
        raise StateError(
            field, f"{_quote(text.strip())} has an empty entry: separate sizes by commas, {example}"
        )
    sizes = []
    for i, p in enumerate(parts):
        if not re.fullmatch(r"[0-9]+", p):  # ASCII digits: "²" and "٣" are not sizes
            raise StateError(
                field,
                f"{_quote(p)} is not a whole number of neurons: each layer has 1 to {MAX_NEURONS}",
            )
        n = int(p)
        if not 1 <= n <= MAX_NEURONS:
            name = "the input layer" if i == 0 else f"layer {i}"
            raise StateError(
                field, f"{name} has {n} neurons: each layer can have 1 to {MAX_NEURONS} neurons"
            )
        sizes.append(n)
    if len(sizes) < 2:
        raise StateError(field, f"needs an input and an output layer at least, {example}")
    if len(sizes) > MAX_LAYERS:
        raise StateError(
            field,
            f"has {len(sizes)} layers: at most {MAX_LAYERS} layers (input and output included)",
        )
    return sizes


def edit_partial(state: dict[str, Any], field: Any, text: Any) -> dict[str, Any]:
    """The State change for ``text`` typed into ``field``; merge() validates the rest."""
    if not isinstance(field, str):
        raise StateError("field", f"must name a State field, got {show_value(field)}")
    if field == "layers":
        return {"layers": parse_layers(text)}
    if field == "learningRate":
        return {"learningRate": parse_number(field, text, kind=LEARNING_RATE)}
    if field == "seed":
        value = parse_number(field, text, kind=SEED)
        if not value.is_integer():
            raise StateError(field, f"must be a whole number, got {_quote(str(text).strip())}")
        return {"seed": int(value)}
    if field in ("samples", "sample", "batchSize", "shuffle") or field.startswith(
        ("samples", "optimizer.")
    ):
        return _training_partial(state, field, text)
    match = _PATH.fullmatch(field)
    if not match:
        raise StateError(field, "is not a field that can be edited")
    name = match.group(1)
    index = [int(i) for i in re.findall(r"\d+", match.group(2))]
    if name == "biases" and not state["bias"]:
        raise StateError(field, "biases are switched off: turn them on first")
    value = parse_number(field, text)
    current: Any = copy.deepcopy(state.get(name))
    depth = {"input": 1, "target": 1, "weights": 3, "biases": 2}[name]
    node = current
    try:
        if len(index) != depth:
            raise IndexError
        for i in index[:-1]:
            node = node[i]
        node[index[-1]] = value  # raises IndexError when out of range
    except (IndexError, TypeError):
        raise StateError(field, "does not exist in this network") from None
    return {name: current}


def _training_partial(state: dict[str, Any], field: str, text: Any) -> dict[str, Any]:
    """The training panel's fields: the data set menu (a built-in set's name, or "pair" for
    none), a sample's value, Add sample and Remove, the batch size, the shuffle switch
    ("true" or "false"), the optimizer menu and its settings."""
    if field == "samples":
        names = [o["name"] for o in dataset_options(state["layers"])]
        if text not in names:
            quoted = ", ".join(f'"{n}"' for n in names)
            raise StateError(field, f"must be one of {quoted}, got {show_value(text)}")
        return {"samples": None if text == NO_DATASET else dataset_samples(text)}
    if field == "sample":  # the sample whose derivation the page shows: its number, from 1
        count = len(state.get("samples", ()))
        if not count:
            raise StateError(field, NO_SAMPLES)
        value = parse_number(field, text, kind=("a sample's number, like 1", "a sample's number"))
        if not value.is_integer() or not 1 <= value <= count:
            raise StateError(
                field, f"must be a sample's number, 1 to {count}, got {_quote(str(text))}"
            )
        chosen = state["samples"][int(value) - 1]
        return {"input": chosen["input"], "target": chosen["target"]}
    if field in ("samples.add", "samples.remove"):
        return _add_or_remove(state, field, text)
    if field == "shuffle":
        if text not in ("true", "false"):
            raise StateError(field, f'must be "true" or "false", got {show_value(text)}')
        return {"shuffle": text == "true"}
    if field == "batchSize":
        value = parse_number(field, text, kind=("a whole number, like 2", "a whole number"))
        if not value.is_integer():
            raise StateError(field, f"must be a whole number, got {_quote(str(text).strip())}")
        return {"batchSize": int(value)}
    if field == "optimizer.name":
        return {"optimizer": {"name": text}}
    if field.startswith("optimizer."):
        key = field.removeprefix("optimizer.")
        if key not in state["optimizer"]:
            raise StateError(field, "is not a setting of the chosen optimizer")
        return {"optimizer": {**state["optimizer"], key: parse_number(field, text)}}
    match = _SAMPLE.fullmatch(field)
    if match is None or "samples" not in state:
        raise StateError(field, "does not exist in this data set")
    i, part, k = int(match.group(1)), match.group(2), int(match.group(3))
    samples = copy.deepcopy(state["samples"])
    if i >= len(samples) or k >= len(samples[i][part]):
        raise StateError(field, "does not exist in this data set")
    samples[i][part][k] = parse_number(field, text)
    return {"samples": samples}


def _add_or_remove(state: dict[str, Any], field: str, text: Any) -> dict[str, Any]:
    """Add sample (a copy of the pair the derivation shows, to edit) or remove sample number
    ``text`` (from 1); the data set keeps 1 to MAX_SAMPLES samples."""
    samples = copy.deepcopy(state.get("samples", []))
    if not samples:
        raise StateError(field, NO_SAMPLES)
    if field == "samples.add":
        if len(samples) >= MAX_SAMPLES:
            raise StateError(
                field, f"a data set holds at most {MAX_SAMPLES} samples: remove one first"
            )
        return {"samples": [*samples, {"input": state["input"], "target": state["target"]}]}
    value = parse_number(field, text, kind=("a sample's number, like 1", "a sample's number"))
    if not value.is_integer() or not 1 <= value <= len(samples):
        raise StateError(
            field, f"must be a sample's number, 1 to {len(samples)}, got {_quote(str(text))}"
        )
    if len(samples) == 1:
        raise StateError(field, f"not the last one: {LAST_SAMPLE}")
    del samples[int(value) - 1]
    return {"samples": samples}
