"""The named topologies of the explorer (the seed's Basic, Classic, Special, Deep) and the demo.

A preset is a starting point, not a mode: applying one sets the layer sizes, the activations,
inputs and targets, draws fresh weights from the State's seed and clears the selection.
Afterwards every field can still be changed; ``match_preset`` names the preset whose layer
sizes the State has, so the page can show which topology is active.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["PRESETS", "Preset", "match_preset", "preset_partial"]

# Values given to new inputs and targets: varied, non-zero, easy to multiply by hand.
DEFAULT_INPUTS = (1.0, 0.5, -1.0, 0.25, 0.75, -0.5, 1.5, -0.25, 2.0, 0.1)
DEFAULT_TARGETS = (2.0, -1.0, 0.5, 1.0, -0.5, 1.5, 0.25, -2.0, 0.75, -0.25)


@dataclass(frozen=True)
class Preset:
    """A named network: its layer sizes (input first), activations and a one-line purpose."""

    name: str
    label: str
    layers: tuple[int, ...]
    hidden: str  # activation of every hidden layer
    output: str  # activation of the output layer
    about: str

    def activations(self) -> list[str]:
        return [self.hidden] * (len(self.layers) - 2) + [self.output]


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "basic",
            "Basic",
            (1, 1, 1),
            "sigmoid",
            "linear",
            "the smallest network with a hidden layer: one path, the chain rule and nothing else",
        ),
        Preset(
            "classic",
            "Classic",
            (3, 2, 1),
            "sigmoid",
            "linear",
            "the notation guide's [3,2,1] network, L = 2",
        ),
        Preset(
            "special",
            "Special",
            (2, 3, 2),
            "sigmoid",
            "linear",
            "two outputs: the errors of both flow back and add up",
        ),
        Preset(
            "deep",
            "Deep",
            (2, 3, 3, 3, 1),
            "sigmoid",
            "linear",
            "three hidden layers: the paths multiply, and every sigmoid' shrinks them",
        ),
        Preset(
            "demo",
            "2-3-1 demo",
            (2, 3, 1),
            "relu",
            "linear",
            "the training-step demo's network: ReLU hidden layer, linear output",
        ),
    )
}


def preset_partial(name: str) -> dict[str, Any]:
    """The State fields a preset sets (weights are then drawn from the State's seed)."""
    p = PRESETS[name]
    return {
        "layers": list(p.layers),
        "activations": p.activations(),
        "input": list(DEFAULT_INPUTS[: p.layers[0]]),
        "target": list(DEFAULT_TARGETS[: p.layers[-1]]),
        "selected": None,
    }


def match_preset(layers: list[int]) -> str | None:
    """The name of the preset with exactly these layer sizes, or None for a custom topology."""
    for p in PRESETS.values():
        if list(p.layers) == list(layers):
            return p.name
    return None
