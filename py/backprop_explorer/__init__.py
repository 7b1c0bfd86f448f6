"""Backprop Explorer: a network, its gradient paths and their derivation, in pure Python + numpy.

The same package runs in CPython (tests, build-time pre-rendering) and in Pyodide (the page).
"""

from .activations import ACTIVATIONS
from .derivation import derive
from .losses import LOSSES
from .network import Params, backward, forward, gradient_descent_step, init_params
from .paths import gradient_paths, path_count
from .session import Session
from .state import StateError, default_state, merge

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "Params",
    "Session",
    "StateError",
    "backward",
    "default_state",
    "derive",
    "forward",
    "gradient_descent_step",
    "gradient_paths",
    "init_params",
    "merge",
    "path_count",
]

__version__ = "0.1.0"
