"""A Session holds the current State and answers every operation of the app API.

It is plain Python: the bridge feeds it decoded JSON and sends back what it returns.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np

from .datasets import Batch, batch_of, set_loss
from .derivation import PAGE_SIZE, derive, path_page
from .diagram import diagram_model
from .exports import history_csv, latex_document
from .fields import edit_partial, parse_number
from .links import encode_state, open_link
from .names import pick_line
from .network import Array, Backward, Forward, Params, backward, forward
from .optimizers import CARRIED_SLOTS, Slots, step_all
from .paths import gradient_paths, path_count
from .presets import PRESETS, preset_partial
from .state import MAX_SEED, StateError, default_state, merge, opening_selection, show_value
from .training import Run, blow_up, training_view
from .update_rules import batch_rows_step, optimizer_step
from .updates import update_records

__all__ = ["MAX_PATHS", "MAX_STEPS", "Session", "next_seed", "params_of"]

MAX_PATHS = 4096  # paths returned by select(); pathCount always gives the full number
MAX_STEPS = 10_000  # steps in one step(n) call
STEPS = ("a number of steps, like 10", f"a whole number from 1 to {MAX_STEPS}")  # "Run n" field


def params_of(state: dict[str, Any]) -> Params:
    """The network parameters of a State as numpy arrays."""
    weights = tuple(np.array(W, dtype=float) for W in state["weights"])
    biases = None
    if state["bias"]:
        biases = tuple(np.array(b, dtype=float) for b in state["biases"])
    return Params(weights, biases, tuple(state["activations"]))


# A training run starts again when one of these changes: it is then another network, or
# another optimizer (whose state, like velocity or Adam's m and v, starts again from zero).
# So does the data set (its samples, batch size and order): another problem to train on.
RUN_FIELDS: tuple[str, ...] = ("layers", "activations", "loss", "bias", "weights", "biases")
RUN_FIELDS += ("seed", "optimizer", "samples", "batchSize", "shuffle")


def _arrays(params: Params) -> list[Array]:
    """The parameter arrays an optimizer steps: each layer's weights, then its biases."""
    return [*params.weights, *(params.biases or ())]


def _params(like: Params, arrays: list[Array]) -> Params:
    n = len(like.weights)
    biases = tuple(arrays[n:]) if like.biases is not None else None
    return Params(tuple(arrays[:n]), biases, like.activations)


def next_seed(seed: int) -> int:
    """The seed Reset Weights moves to: new weights, yet the same sequence on every machine."""
    return random.Random(f"reset:{seed}").randint(0, MAX_SEED)


class Session:
    """The app's state machine: one State, changed only through validated operations."""

    def __init__(self, initial: dict[str, Any] | None = None) -> None:
        self.state = default_state()
        if initial:
            self.state = merge(self.state, initial)
        # The seed, weights and biases on screen before the last Reset Weights, for Restore.
        self.before_reset: dict[str, Any] | None = None
        self._derived: tuple[dict[str, Any], dict[str, Any]] | None = None  # (State, derivation)
        self.run = Run()
        self._restart_run()

    def _passes(self) -> tuple[Params, Forward, Backward]:
        """The current network's parameters, forward pass and backward pass."""
        s = self.state
        params = params_of(s)
        fwd = forward(params, np.array(s["input"], dtype=float))
        return params, fwd, backward(params, fwd, np.array(s["target"], dtype=float), s["loss"])

    def _restart_run(self) -> None:
        params, fwd, _ = self._passes()
        self.run.start(set_loss(self.state, params), fwd.output.tolist(), self.state["target"])

    def _commit(self, new: dict[str, Any]) -> None:
        """Adopt a validated State; a different network, or one not yet trained, starts a run.
        Weights of another shape cannot be restored any more."""
        old, self.state = self.state, new
        if old["layers"] != new["layers"] or old["bias"] != new["bias"]:
            self.before_reset = None
        if self.run.step == 0 or any(old.get(f) != new.get(f) for f in RUN_FIELDS):
            self._restart_run()

    # -- queries -----------------------------------------------------------------
    def get_state(self) -> dict[str, Any]:
        """A copy of the whole State."""
        return merge(self.state, {})

    def gradients(self) -> dict[str, Any]:
        """Loss, output and every dL/dw (and dL/db) for the current State."""
        _, fwd, bwd = self._passes()
        return {
            "loss": bwd.loss,
            "output": fwd.output.tolist(),
            "weights": [g.tolist() for g in bwd.dW],
            "biases": [g.tolist() for g in bwd.db] if self.state["bias"] else [],
        }

    def diagram(self) -> dict[str, Any]:
        """The diagram model of the current State."""
        s = self.state
        params = params_of(s)
        fwd = forward(params, np.array(s["input"], dtype=float))
        activations = [a.tolist() for a in fwd.a]
        return diagram_model(s["layers"], s["weights"], activations, s["selected"], s.get("biases"))

    def derivation(self) -> dict[str, Any] | None:
        """The derivation of the selected weight, or None when nothing is selected."""
        s = self.state
        if s["selected"] is None:
            return None
        if self._derived is not None and self._derived[0] is s:
            return self._derived[1]  # the same State object: select() and its render share it
        result = self._derive(s)
        self._derived = (s, result)
        return result

    def derivation_of(self, selection: Any) -> dict[str, Any]:
        """The steps of the derivation ``selection`` would show, the State unchanged: the page
        typesets the neighbours of the selection ahead, in idle time (``derivationOf``)."""
        s = merge(self.state, {"selected": selection})
        if s["selected"] is None:
            raise StateError("selected", "name a connection to derive: got none")
        return {"steps": self._derive(s)["steps"]}

    def _derive(self, s: dict[str, Any]) -> dict[str, Any]:
        """The derivation of State ``s``'s selection (this session's run: its optimizer's
        state so far)."""
        sel = s["selected"]
        # the last step is update_rules' for an optimizer with a state or a mini-batch
        own_step = s["optimizer"]["name"] != "gd" or "samples" in s
        result = derive(
            params_of(s),
            s["input"],
            s["target"],
            s["loss"],
            s["notation"],
            sel["layer"],
            sel["to"],
            sel["from"],
            learning_rate=None if own_step else s["learningRate"],
        )
        if own_step:
            result["steps"] += self._optimizer_steps(s, sel["layer"], sel["to"], sel["from"])
        return result

    def _optimizer_steps(self, s: dict[str, Any], l: int, j: int, k: int) -> list[dict[str, str]]:
        """The next step of the State's optimizer for weight (l, j, k) (the bias b^(l)_j when
        k = 0), with its state so far; on a batch of several samples, after the table of each
        sample's gradient (update_rules.batch_rows_step)."""
        bias = k == 0
        at: tuple[int, ...] = (j - 1,) if bias else (j - 1, k - 1)
        # the optimizer's arrays: each layer's weights, then each layer's biases (_arrays)
        array = len(s["layers"]) - 1 + l - 1 if bias else l - 1
        slots = self.run.slots[array] if self.run.slots is not None else {}
        before = {name: float(value[at]) for name, value in slots.items() if name in CARRIED_SLOTS}
        t = self.run.step + 1
        batch = batch_of(s, params_of(s), t)  # the batch the next step takes
        w = float(s["biases"][l - 1][j - 1] if bias else s["weights"][l - 1][j - 1][k - 1])
        g = float((batch.db if bias else batch.dW)[l - 1][at])
        each = None
        steps = []
        if "samples" in s:
            pairs = zip(batch.indices, batch.each, strict=True)
            each = [(i + 1, float((p.db if bias else p.dW)[l - 1][at])) for i, p in pairs]
            if len(each) > 1:
                rows = [(n, s["samples"][n - 1]["input"], s["samples"][n - 1]["target"], v)
                        for n, v in each]  # fmt: skip
                steps.append(batch_rows_step((l, j, k), rows))
        rule = optimizer_step(s["optimizer"], s["learningRate"], (l, j, k), w, g, before, t, each)
        return [*steps, rule]

    @staticmethod
    def _export_name(sel: dict[str, int]) -> str:
        """The LaTeX file's name part: "w2-1-3" for a weight, "b2-1" for a bias."""
        if sel["from"] == 0:
            return f"b{sel['layer']}-{sel['to']}"
        return f"w{sel['layer']}-{sel['to']}-{sel['from']}"

    def pick(self) -> str:
        """The line beside the diagram: the selected weight and its gradient, and how to pick
        another; or how to pick one."""
        derivation = self.derivation()
        sel = self.state["selected"]
        if derivation is None or sel is None:
            return pick_line(None, None)
        return pick_line((sel["layer"], sel["to"], sel["from"]), derivation["gradient"])

    def path_page(self, page: Any) -> dict[str, Any]:
        """Page ``page`` (from 1) of every gradient path of the selected weight."""
        s = self.state
        sel = s["selected"]
        if sel is None:
            raise StateError("selected", "select a connection first: the paths are its gradient's")
        l, j, k = sel["layer"], sel["to"], sel["from"]
        pages = -(-path_count(s["layers"], l) // PAGE_SIZE)
        if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= pages:
            raise StateError(
                "page", f"must be an integer between 1 and {pages}, got {show_value(page)}"
            )
        return path_page(params_of(s), s["input"], s["target"], s["loss"], l, j, k, page)

    # -- commands ----------------------------------------------------------------
    def set_state(self, partial: Any) -> dict[str, Any]:
        """Merge ``partial`` into the State; on error the State is unchanged."""
        self._commit(merge(self.state, partial))
        return self.get_state()

    def edit(self, field: Any, text: Any) -> dict[str, Any]:
        """Apply ``text`` typed into the form field ``field`` (fields.py); State kept on error."""
        self._commit(merge(self.state, edit_partial(self.state, field, text)))
        return self.get_state()

    def apply_preset(self, name: Any) -> dict[str, Any]:
        """Switch to a named topology (presets.py): new layers, fresh weights, and the new
        network's ``opening_selection`` selected."""
        if not isinstance(name, str) or name not in PRESETS:
            names = ", ".join(f'"{n}"' for n in PRESETS)
            raise StateError("preset", f"must be one of {names}, got {show_value(name)}")
        new = merge(self.state, preset_partial(name))
        self._commit(merge(new, {"selected": opening_selection(new)}))
        return self.get_state()

    def reset_weights(self) -> dict[str, Any]:
        """Reset Weights: new random weights from the next seed; restore_seed() goes back."""
        seed = self.state["seed"]
        kept: dict[str, Any] = {
            f: self.state[f] for f in ("seed", "weights", "biases") if f in self.state
        }
        self._commit(merge(self.state, {"seed": next_seed(seed)}))
        self.before_reset = kept
        return self.get_state()

    def restore_seed(self) -> dict[str, Any]:
        """Restore: exactly the seed, weights and biases on screen before the last Reset
        Weights (trained ones included); then there is nothing more to restore."""
        if self.before_reset is None:
            raise StateError(
                "seed",
                "there are no weights from before a Reset to restore: reset the weights first",
            )
        self._commit(merge(self.state, self.before_reset))
        self.before_reset = None
        return self.get_state()

    def select(self, selection: Any) -> dict[str, Any]:
        """Select w^(layer)_{to,from}; return its paths, gradient and rendered derivation."""
        self._commit(merge(self.state, {"selected": selection}))
        sel = self.state["selected"]
        if sel is None:
            return {
                "paths": [],
                "pathCount": 0,
                "gradient": None,
                "finiteDifference": None,
                "relativeError": None,
                "latex": [],
            }
        layers = self.state["layers"]
        paths = []
        for n, path in enumerate(gradient_paths(layers, sel["layer"], sel["to"])):
            if n >= MAX_PATHS:
                break
            paths.append(path)
        derivation = self.derivation()
        assert derivation is not None
        return {
            "paths": paths,
            "pathCount": path_count(layers, sel["layer"]),
            "gradient": derivation["gradient"],
            "finiteDifference": derivation["finiteDifference"],
            "relativeError": derivation["relativeError"],
            "latex": [step["tex"] for step in derivation["steps"]],
        }

    def step(self, n: Any = 1) -> dict[str, Any]:
        """Take up to n steps of the State's optimizer (gradient descent unless it names
        another): ``{taken, requested, stopped, state}``. A step that would make the loss or a
        parameter no longer finite, or a parameter larger than ±1e6, is not taken: the run
        stops before it, keeps the steps already taken, and ``stopped`` (else None) says in
        plain words what blew up; the training view shows that sentence once.

        With a data set (``samples``) each step takes the next mini-batch (datasets.py): the
        mean of its samples' gradients; the history keeps each step's batch and its loss, and
        the loss of the whole set after the step.

        ``n`` may also be the text of the page's "Run n steps" field.
        """
        if isinstance(n, str):
            value = parse_number("n", n, kind=STEPS)
            n = int(value) if value.is_integer() else value
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_STEPS:
            raise StateError(
                "n", f"must be an integer between 1 and {MAX_STEPS}, got {show_value(n)}"
            )
        s = self.state
        params = params_of(s)
        x = np.array(s["input"], dtype=float)
        eta, config = s["learningRate"], s["optimizer"]
        slots: list[Slots] | None = self.run.slots
        t0 = self.run.step
        loss = self.run.history[-1]["loss"]  # the whole set's loss before the next step
        taken: list[tuple[Params, Batch, list[Slots] | None, Params, list[Slots]]] = []
        stopped = None
        batch = batch_of(s, params, t0 + 1)
        for t in range(t0 + 1, t0 + n + 1):
            arrays, new_slots = step_all(
                config, eta, _arrays(params), [*batch.dW, *(batch.db if params.biases else ())],
                slots, t,
            )  # fmt: skip
            new = _params(params, arrays)
            next_batch = batch_of(s, new, t + 1)
            # the loss after the step: of the whole set, which for one pair is the next batch's
            new_loss = set_loss(s, new) if "samples" in s else next_batch.loss
            stopped = blow_up(s["layers"], new, new_loss, t, eta, loss)
            if stopped is not None:
                break
            taken.append((params, batch, slots, new, new_slots))
            shown = (batch.indices, batch.loss) if "samples" in s else None
            prediction = forward(new, x).output.tolist()
            self.run.record(new_loss, prediction, s["target"], [], eta, shown)
            params, batch, slots, loss = new, next_batch, new_slots, new_loss
        self.run.stopped = stopped
        if taken:
            old, old_batch, old_slots, params, slots = taken[-1]
            assert slots is not None
            self.run.last_update = update_records(
                s["layers"], old, (old_batch.dW, old_batch.db), params, eta,
                (config, old_slots, slots),
            )  # fmt: skip
            self.run.slots = slots
            partial: dict[str, Any] = {"weights": [W.tolist() for W in params.weights]}
            if params.biases is not None:
                partial["biases"] = [b.tolist() for b in params.biases]
            self.state = merge(s, partial)  # the run goes on: no _commit
        return {"taken": len(taken), "requested": n, "stopped": stopped, "state": self.get_state()}

    def open_link(self, text: Any, *, opening: bool = False) -> str | None:
        """Adopt the State a permalink carries and return None; on a bad link change nothing
        and return a notice (``opening``: the page opens with this link, so its notice says the
        default network is shown)."""
        state, notice = open_link(text, None if opening else self.state)
        if notice is not None:
            return notice
        self.before_reset = None
        self.state = state  # a link starts a new run, whatever it holds
        self._restart_run()
        return None

    def link(self) -> str:
        """The permalink text of the current State (see links.py)."""
        return encode_state(self.state)

    def export(self, kind: Any) -> dict[str, str]:
        """A file for the user: the derivation as LaTeX, or the training history as CSV."""
        if kind == "latex":
            derivation = self.derivation()
            if derivation is None:
                raise StateError("export", "select a connection first: the LaTeX is its derivation")
            sel = self.state["selected"]
            return {
                "filename": f"backprop-{self._export_name(sel)}.tex",
                "mime": "application/x-tex",
                "text": latex_document(self.state, derivation["steps"]),
            }
        if kind == "csv":
            return {
                "filename": "training-history.csv",
                "mime": "text/csv",
                "text": history_csv(self.run.history, self.state),
            }
        raise StateError("export", f'must be "latex" or "csv", got {show_value(kind)}')

    def training(self) -> dict[str, Any]:
        """The training demo's view: tables, history, plot, notices, what Restore brings back."""
        previous_seed = None if self.before_reset is None else self.before_reset["seed"]
        return training_view(self.run, self.state, self._passes(), previous_seed)
