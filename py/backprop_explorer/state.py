"""The State: everything the page shows, as plain JSON-like data, and its validation.

``merge(state, partial)`` is the only way a State changes: it validates every field of
``partial`` against the merged result and either returns a new, consistent State or raises
``StateError`` naming the field and the problem. The old State is never touched.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

import numpy as np

from .activations import ACTIVATIONS
from .losses import LOSSES
from .names import field_label
from .network import Params, backward, forward, init_params
from .optimizers import OPTIMIZERS
from .presets import DEFAULT_INPUTS, DEFAULT_TARGETS

__all__ = [
    "MAX_LAYERS",
    "MAX_NEURONS",
    "NOTATIONS",
    "VIEWS",
    "StateError",
    "default_state",
    "merge",
    "opening_selection",
]

MAX_LAYERS = 8  # entries of `layers`, input layer included
MAX_NEURONS = 10  # neurons per layer
MAX_ABS_VALUE = 1e6  # largest magnitude accepted for a weight, bias, input or target
MAX_SEED = 2**32 - 1
MAX_SAMPLES = 16  # samples a data set may hold
MAX_LEARNING_RATE = 1000  # largest η accepted (0 < η)
LEARNING_RATE_SPAN = f"a number greater than 0 and at most {MAX_LEARNING_RATE}"
SEED_SPAN = f"a whole number from 0 to {MAX_SEED}"
NOTATIONS = ("explicit", "einstein", "vector")
VIEWS = ("explorer", "training")
FIELDS = (
    "layers",
    "activations",
    "loss",
    "bias",
    "weights",
    "biases",
    "input",
    "target",
    "samples",
    "batchSize",
    "shuffle",
    "learningRate",
    "optimizer",
    "seed",
    "view",
    "selected",
    "notation",
)


class StateError(ValueError):
    """A State field failed validation.

    ``field`` is the State path ("input[0]", "weights[0][1][2]"), the key the page finds the
    form field by and the API's machine name; ``label`` is what the page calls the field
    (``names.field_label``: "Input x₁", "Weight w(1)2,3"); ``problem`` says what is wrong;
    ``str(err)`` is the whole user message, "Weight w(1)2,3: must be a finite number, got NaN".
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.label = field_label(field)
        self.problem = problem
        super().__init__(f"{self.label}: {problem}")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def quote_text(text: str, limit: int) -> str:
    """Text a user gave, in double quotes, cut to ``limit`` characters; control characters
    (a newline, a NUL) are shown escaped (\\n, \\u0000) so the message stays one line."""
    shown = text if len(text) <= limit else text[: limit - 3] + "..."
    escapes = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    shown = _CONTROL.sub(lambda m: escapes.get(m.group(), f"\\u{ord(m.group()):04x}"), shown)
    return f'"{shown}"'


def show_value(value: Any) -> str:
    """Show a rejected value the way a user typed it (JSON-ish, shortened)."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))  # 2000000, not 2000000.0: as the user typed it
        return repr(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quote_text(value, 40)
    if isinstance(value, (list, tuple)):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "an object"
    return repr(value)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _number(field: str, v: Any) -> float:
    if not _is_number(v) or not math.isfinite(v):
        raise StateError(field, f"must be a finite number, got {show_value(v)}")
    if abs(v) > MAX_ABS_VALUE:
        raise StateError(field, f"must be between -1e6 and 1e6, got {show_value(v)}")
    return float(v) + 0.0  # -0.0 becomes 0.0


def _integer(field: str, v: Any, lo: int, hi: int) -> int:
    ok = _is_number(v) and math.isfinite(v) and float(v).is_integer()
    if not ok or not lo <= v <= hi:
        raise StateError(field, f"must be an integer between {lo} and {hi}, got {show_value(v)}")
    return int(v)


def _choice(field: str, v: Any, options: tuple[str, ...] | list[str]) -> str:
    if not isinstance(v, str) or v not in options:
        names = ", ".join(f'"{o}"' for o in options)
        raise StateError(field, f"must be one of {names}, got {show_value(v)}")
    return v


def _list(field: str, v: Any, length: int, what: str) -> list[Any]:
    if not isinstance(v, list):
        raise StateError(field, f"must be a list of {length} {what}, got {show_value(v)}")
    if len(v) != length:
        entries = "1 entry" if length == 1 else f"{length} entries"
        raise StateError(field, f"must have {entries} ({what}), got {len(v)}")
    return v


def _vector(field: str, v: Any, length: int, what: str) -> list[float]:
    return [_number(f"{field}[{i}]", x) for i, x in enumerate(_list(field, v, length, what))]


def _check_layers(v: Any) -> list[int]:
    if not isinstance(v, list) or not 2 <= len(v) <= MAX_LAYERS:
        if isinstance(v, list):
            n = "1 entry" if len(v) == 1 else f"{len(v)} entries"
        else:
            n = show_value(v)
        raise StateError(
            "layers",
            f"must be a list of 2 to {MAX_LAYERS} layer sizes (input first), got {n}",
        )
    return [_integer(f"layers[{i}]", n, 1, MAX_NEURONS) for i, n in enumerate(v)]


def _check_matrix_list(field: str, v: Any, layers: list[int], symbol: str) -> list[Any]:
    """Validate weights (matrices) or biases (vectors) against the layer sizes."""
    n_layers = len(layers) - 1
    what = "matrices W(1)..W(L)" if symbol == "w" else "vectors b(1)..b(L)"
    out: list[Any] = []
    for l, entry in enumerate(_list(field, v, n_layers, what), start=1):
        rows = layers[l]
        if symbol == "b":
            vec = _list(f"{field}[{l - 1}]", entry, rows, f"biases of layer {l}")
            out.append([_number(f"{field}[{l - 1}][{j}]", x) for j, x in enumerate(vec)])
            continue
        matrix = _list(f"{field}[{l - 1}]", entry, rows, f"rows, one per neuron of layer {l}")
        cols = layers[l - 1]
        checked = []
        for j, row in enumerate(matrix):
            row = _list(
                f"{field}[{l - 1}][{j}]", row, cols, f"weights, one per neuron of layer {l - 1}"
            )
            checked.append([_number(f"{field}[{l - 1}][{j}][{k}]", x) for k, x in enumerate(row)])
        out.append(checked)
    return out


def _resize(values: list[float], n: int, defaults: tuple[float, ...]) -> list[float]:
    """Keep the first n values; new entries take the default values of their position."""
    return (list(values) + list(defaults[len(values) :]))[:n]


def opening_selection(state: dict[str, Any]) -> dict[str, int]:
    """The weight a network opens with selected (the default State, a preset): the first of
    layer 1, so that every path to the output is shown, whose gradient is not zero (a dead
    ReLU's weights would derive nothing but zeros); w(1)1,1 when every one is zero."""
    biases = tuple(np.array(b, dtype=float) for b in state["biases"]) if state["bias"] else None
    params = Params(
        tuple(np.array(W, dtype=float) for W in state["weights"]),
        biases,
        tuple(state["activations"]),
    )
    fwd = forward(params, np.array(state["input"], dtype=float))
    grad = backward(params, fwd, np.array(state["target"], dtype=float), state["loss"]).dW[0]
    for j, k in np.ndindex(grad.shape):
        if grad[j, k] != 0:
            return {"layer": 1, "to": int(j) + 1, "from": int(k) + 1}
    return {"layer": 1, "to": 1, "from": 1}


def default_state() -> dict[str, Any]:
    """The State the page opens with: the training-step demo's network (2-3-1, ReLU, linear),
    with its ``opening_selection`` selected."""
    state: dict[str, Any] = {
        "layers": [2, 3, 1],
        "activations": ["relu", "linear"],
        "loss": "half_sse",
        "bias": False,
        "input": [1.0, 0.5],
        "target": [2.0],
        "learningRate": 0.01,
        "optimizer": {"name": "gd"},
        "seed": 37,
        "view": "explorer",
        "selected": None,
        "notation": "explicit",
    }
    params = init_params(state["layers"], state["activations"], state["seed"], False)
    state["weights"] = [W.tolist() for W in params.weights]
    state["selected"] = opening_selection(state)
    return {f: state[f] for f in FIELDS if f in state}


def merge(state: dict[str, Any], partial: Any) -> dict[str, Any]:
    """Return ``state`` updated by ``partial``, validated as a whole; raise StateError if not."""
    if not isinstance(partial, dict):
        raise StateError("state", f"must be an object of State fields, got {show_value(partial)}")
    for key in partial:
        if key not in FIELDS:
            raise StateError(str(key), "is not a State field")
    old = state
    new = copy.deepcopy(state)

    layers = _check_layers(partial["layers"]) if "layers" in partial else list(old["layers"])
    shape_changed = layers != old["layers"]
    n_layers = len(layers) - 1
    new["layers"] = layers

    if "activations" in partial:
        acts = _list("activations", partial["activations"], n_layers, "activation names")
        new["activations"] = [
            _choice(f"activations[{i}]", a, list(ACTIVATIONS)) for i, a in enumerate(acts)
        ]
    elif len(old["activations"]) != n_layers:
        hidden = old["activations"][0] if len(old["activations"]) > 1 else "relu"
        new["activations"] = [hidden] * (n_layers - 1) + [old["activations"][-1]]

    if "loss" in partial:
        new["loss"] = _choice("loss", partial["loss"], list(LOSSES))
    if "bias" in partial:
        if not isinstance(partial["bias"], bool):
            raise StateError("bias", f"must be true or false, got {show_value(partial['bias'])}")
        new["bias"] = partial["bias"]
    if "seed" in partial:
        new["seed"] = _integer("seed", partial["seed"], 0, MAX_SEED)
    if "learningRate" in partial:
        lr = partial["learningRate"]
        if not _is_number(lr) or not math.isfinite(lr) or not 0 < lr <= MAX_LEARNING_RATE:
            raise StateError(
                "learningRate",
                f"must be {LEARNING_RATE_SPAN}, got {show_value(lr)}",
            )
        new["learningRate"] = float(lr)
    if "optimizer" in partial:
        new["optimizer"] = _check_optimizer(partial["optimizer"])
    if "view" in partial:
        new["view"] = _choice("view", partial["view"], VIEWS)
    if "notation" in partial:
        new["notation"] = _choice("notation", partial["notation"], NOTATIONS)

    if "input" in partial:
        new["input"] = _vector("input", partial["input"], layers[0], "input values")
    elif shape_changed:
        new["input"] = _resize(old["input"], layers[0], DEFAULT_INPUTS)
    if "target" in partial:
        new["target"] = _vector("target", partial["target"], layers[-1], "target values")
    elif shape_changed:
        new["target"] = _resize(old["target"], layers[-1], DEFAULT_TARGETS)

    _merge_samples(old, new, partial, shape_changed)

    if "weights" in partial:
        new["weights"] = _check_matrix_list("weights", partial["weights"], layers, "w")
    elif shape_changed or new["seed"] != old["seed"]:
        params = init_params(layers, new["activations"], new["seed"], False)
        new["weights"] = [W.tolist() for W in params.weights]

    if "biases" in partial:
        if not new["bias"]:
            raise StateError("biases", "can only be given when bias is true")
        new["biases"] = _check_matrix_list("biases", partial["biases"], layers, "b")
    elif new["bias"] and (shape_changed or "biases" not in old):
        new["biases"] = [[0.0] * n for n in layers[1:]]
    if not new["bias"]:
        new.pop("biases", None)

    if "selected" in partial:
        new["selected"] = _check_selected(partial["selected"], layers, new["bias"])
    elif (shape_changed or not new["bias"]) and old["selected"] is not None:
        try:
            new["selected"] = _check_selected(old["selected"], layers, new["bias"])
        except StateError:
            new["selected"] = None
    return {f: new[f] for f in FIELDS if f in new}


def _merge_samples(
    old: dict[str, Any], new: dict[str, Any], partial: dict[str, Any], shape_changed: bool
) -> None:
    """The data set (absent: the one input/target pair) and its batch size (absent: all)."""
    sizes = (new["layers"][0], new["layers"][-1])
    if "samples" in partial:
        v = partial["samples"]
        if v is None:
            new.pop("samples", None)
        elif not isinstance(v, list) or not 1 <= len(v) <= MAX_SAMPLES:
            got = f"{len(v)} samples" if isinstance(v, list) and v else show_value(v)
            raise StateError(
                "samples", f"must be null or a list of 1 to {MAX_SAMPLES} samples, got {got}"
            )
        else:
            new["samples"] = [_check_sample(f"samples[{i}]", s, sizes) for i, s in enumerate(v)]
    elif shape_changed and "samples" in old:
        new["samples"] = [
            {"input": _resize(s["input"], sizes[0], DEFAULT_INPUTS),
             "target": _resize(s["target"], sizes[1], DEFAULT_TARGETS)}
            for s in old["samples"]
        ]  # fmt: skip
    n = len(new.get("samples", ()))
    if "batchSize" in partial and partial["batchSize"] is not None:
        if not n:
            raise StateError("batchSize", "can only be given with samples: choose a data set first")
        new["batchSize"] = _integer("batchSize", partial["batchSize"], 1, n)
    elif "batchSize" in partial or new.get("batchSize", 0) > n:
        new.pop("batchSize", None)  # null, or a data set now smaller: every sample a batch
    shuffle = partial.get("shuffle", new.pop("shuffle", False) and n > 0)  # absent: off
    if not isinstance(shuffle, bool):
        raise StateError("shuffle", f"must be true or false, got {show_value(shuffle)}")
    if shuffle and not n:
        raise StateError("shuffle", "can only be switched on with samples: choose a data set")
    new.update({"shuffle": True} if shuffle else {})


def _check_sample(field: str, v: Any, sizes: tuple[int, int]) -> dict[str, list[float]]:
    if not isinstance(v, dict) or set(v) != {"input", "target"}:
        got = f"the keys {', '.join(map(show_value, v)) or 'none'}" if isinstance(v, dict) else ""
        raise StateError(
            field, f'must be an object {{"input", "target"}}, got {got or show_value(v)}'
        )
    return {
        "input": _vector(f"{field}.input", v["input"], sizes[0], "input values"),
        "target": _vector(f"{field}.target", v["target"], sizes[1], "target values"),
    }


def _check_optimizer(v: Any) -> dict[str, Any]:
    """``{"name": …}`` and that optimizer's hyper-parameters; one not given takes its default."""
    if not isinstance(v, dict) or "name" not in v:
        raise StateError("optimizer", f'must be an object {{"name", …}}, got {show_value(v)}')
    name = _choice("optimizer.name", v["name"], list(OPTIMIZERS))
    hypers = OPTIMIZERS[name].hypers
    for key in v:
        if key != "name" and key not in hypers:
            known = ", ".join(f'"{k}"' for k in hypers) or "none"
            label = OPTIMIZERS[name].label
            raise StateError(
                "optimizer", f"{show_value(key)} is not a setting of {label}; its settings: {known}"
            )
    out: dict[str, Any] = {"name": name}
    for key, hyper in hypers.items():
        value = v.get(key, hyper.default)
        if not _is_number(value) or not math.isfinite(value) or not hyper.allows(value):
            raise StateError(f"optimizer.{key}", f"must be {hyper.span()}, got {show_value(value)}")
        out[key] = float(value)
    return out


def _check_selected(v: Any, layers: list[int], bias: bool) -> dict[str, int] | None:
    """A selection {layer, to, from}: a weight, or with ``bias`` on, from 0: the bias, the
    weight from the constant-1 unit."""
    if v is None:
        return None
    if not isinstance(v, dict) or set(v) != {"layer", "to", "from"}:
        raise StateError(
            "selected", f'must be null or an object {{"layer", "to", "from"}}, got {show_value(v)}'
        )
    n_layers = len(layers) - 1
    layer = _integer("selected.layer", v["layer"], 1, n_layers)
    to = _integer("selected.to", v["to"], 1, layers[layer])
    if v["from"] == 0 and not isinstance(v["from"], bool) and not bias:
        raise StateError("selected.from", "can be 0 (the bias) only when bias is true")
    frm = _integer("selected.from", v["from"], 0 if bias else 1, layers[layer - 1])
    return {"layer": layer, "to": to, "from": frm}
