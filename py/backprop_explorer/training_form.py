"""The training panel's controls as the page shows them: the optimizer menu and its settings,
the data set menu, its samples as a table of fields, and the batch size.

Part of the form model (form.py): every label, option and field text comes from here; the
page (web/js/training-view.js) sends what a user picks or types back by each field's
``field`` (fields.py parses it: "optimizer.name", "optimizer.beta1", "samples",
"samples[2].input[0]", "batchSize", "sample").
"""

from __future__ import annotations

from typing import Any

from .datasets import (
    LAST_SAMPLE,
    NO_DATASET,
    batch_count,
    dataset_options,
    dataset_samples,
    order_words,
)
from .names import field_label, field_text
from .optimizers import OPTIMIZERS
from .state import MAX_SAMPLES

__all__ = ["training_form"]

OWN_SAMPLES = "own"
OWN_LABEL = "Your own samples"
DERIVE = "Derive"


def _optimizer(state: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    chosen = state["optimizer"]
    settings = []
    for key, hyper in OPTIMIZERS[chosen["name"]].hypers.items():
        field = f"optimizer.{key}"
        values[field] = field_text(chosen[key])
        settings.append({"field": field, "label": hyper.label, "help": hyper.span()})
    return {
        "field": "optimizer.name",
        "label": field_label("optimizer.name"),
        "options": [{"name": n, "label": o.label} for n, o in OPTIMIZERS.items()],
        "chosen": chosen["name"],
        "settings": settings,
    }


def _chosen_set(state: dict[str, Any], options: list[dict[str, str]]) -> str:
    if "samples" not in state:
        return NO_DATASET
    for option in options[1:]:
        if dataset_samples(option["name"]) == state["samples"]:
            return option["name"]
    return OWN_SAMPLES


def _dataset(state: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    layers = state["layers"]
    options = dataset_options(layers)
    chosen = _chosen_set(state, options)
    if chosen == OWN_SAMPLES:
        options = [*options, {"name": OWN_SAMPLES, "label": OWN_LABEL}]
    samples = state.get("samples", [])
    symbols = [field_label(f"input[{k}]").split()[-1] for k in range(layers[0])]
    symbols += [field_label(f"target[{k}]").split()[-1] for k in range(layers[-1])]
    rows = []
    for i, sample in enumerate(samples):
        fields = []
        for part in ("input", "target"):
            for k, value in enumerate(sample[part]):
                field = f"samples[{i}].{part}[{k}]"
                values[field] = field_text(value)
                fields.append({"field": field, "label": field_label(field)})
        shown = sample["input"] == state["input"] and sample["target"] == state["target"]
        rows.append(
            {
                "head": str(i + 1),
                "fields": fields,
                "shown": shown,
                "derive": f"{DERIVE} sample {i + 1}: show its derivation",
                "remove": f"Remove sample {i + 1}" if len(samples) > 1 else None,
            }
        )
    batch = shuffle = None
    if samples:
        size = state.get("batchSize", len(samples))
        values["batchSize"] = str(size)
        count = batch_count(state)
        per = "batch" if count == 1 else "batches"
        batch = {
            "field": "batchSize",
            "label": field_label("batchSize"),
            "help": f"{count} {per} per epoch, taken {order_words(state)}; 1 to {len(samples)}",
        }
        shuffle = {
            "field": "shuffle",
            "label": field_label("shuffle"),
            "checked": bool(state.get("shuffle")),
            "help": "Off: every epoch takes the samples as listed. On: each epoch a new order,"
            f" drawn from the seed ({state['seed']}), so a permalink repeats the run.",
        }
    if len(samples) == 1:
        limit = f"The last sample cannot be removed: {LAST_SAMPLE}."
    elif len(samples) >= MAX_SAMPLES:
        limit = f"A data set holds at most {MAX_SAMPLES} samples: remove one to add another."
    else:
        limit = ""
    return {
        "field": "samples",
        "label": field_label("samples"),
        "options": options,
        "chosen": chosen,
        "heads": ["Sample", *symbols, ""],
        "rows": rows,
        "deriveWord": DERIVE,
        "shownWord": "shown",
        "sampleField": "sample",
        "batch": batch,
        "shuffle": shuffle,
        "add": {"field": "samples.add", "label": field_label("samples.add")}
        if 0 < len(samples) < MAX_SAMPLES
        else None,
        "removeField": "samples.remove",
        "removeWord": "Remove",
        "limit": limit,
    }


def training_form(state: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The optimizer's and the data set's controls; their field texts go into ``values``."""
    return {"optimizer": _optimizer(state, values), "dataset": _dataset(state, values)}
