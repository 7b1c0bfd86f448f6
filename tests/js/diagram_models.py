"""The diagram models the node tests (tests/js/diagram.test.mjs) choose layouts on, as JSON.

    .venv/bin/python tests/js/diagram_models.py > models.json

Written at test time by the same Python the page runs, so the JS is tested against the layouts
Python makes now: every preset, without and with biases, and a network too wide for a phone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "py"))

from backprop_explorer import Session
from backprop_explorer.diagram import LABEL_PX, MIN_TEXT_PX
from backprop_explorer.presets import PRESETS

WIDE = [4, 10, 10, 2]


def main() -> None:
    models = {
        "presets": {
            name: Session({"layers": list(p.layers)}).diagram() for name, p in PRESETS.items()
        },
        # with biases on: a "+1" bias unit per layer and its connections (issue 16)
        "biased": {
            name: Session({"layers": list(p.layers), "bias": True}).diagram()
            for name, p in PRESETS.items()
        },
        "wide": Session({"layers": WIDE}).diagram(),
        "LABEL_PX": LABEL_PX,
        "MIN_TEXT_PX": MIN_TEXT_PX,
    }
    json.dump(models, sys.stdout)


if __name__ == "__main__":
    main()
