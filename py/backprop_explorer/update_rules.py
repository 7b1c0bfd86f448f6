"""The derivation's last step for an optimizer other than gradient descent: its rule typeset
with the selected weight's numbers (the gradient, the optimizer's state before the step, the
step number t), one relation per line, each ending in the value the next step will compute.

Gradient descent's own line is built in derivation.py; this module covers the optimizers with
a state (optimizers.py) and gradient descent on a mini-batch (whose gradient is the mean of
its samples', written out term by term), and computes every number through
``optimizers.update`` so that what is typeset is what a Step does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from . import symbols as sym
from .names import factor_tex, parameter_letter, sig_tex
from .optimizers import OPTIMIZERS, update

__all__ = ["batch_rows_step", "optimizer_step"]

_G = r"\err{g}"  # dL/dw of the selected weight, named once in the first line


def _n(v: float) -> str:
    return factor_tex(v, sig_tex)


def batch_rows_step(
    weight: tuple[int, int, int],
    rows: Sequence[tuple[int, Sequence[float], Sequence[float], float]],
) -> dict[str, str]:
    """The step dict of a mini-batch of more than one sample: one row per sample, its number
    (from 1), input, target and dL/dw of weight (l, j, k) on that sample alone, as the
    backward pass above computes it for the pair shown; the next step (``optimizer_step``)
    takes their mean. ``rows``: (number, input, target, dL/dw) per sample of the batch."""
    target = sym.w(weight[0], str(weight[1]), str(weight[2]))  # b^(l)_j for a bias (k = 0)
    head = (
        rf"i & \inp{{\mathbf{{x}}_i}} & \mathbf{{y}}_i"
        rf" & \err{{\frac{{\partial\mathcal{{L}}_i}}{{\partial {target}}}}}"
    )
    body = [
        rf"{i} & ({', '.join(sig_tex(v) for v in x)}) & ({', '.join(sig_tex(v) for v in y)})"
        rf" & \err{{{sig_tex(g)}}}"
        for i, x, y, g in rows
    ]
    members = ", ".join(str(i) for i, *_ in rows)
    return {
        "id": "batch-rows",
        "label": f"The gradient on each sample of the batch (samples {members})",
        "tex": r"\begin{array}{r|c|c|r}"
        + head
        + r" \\ \hline "
        + r" \\ ".join(body)
        + r"\end{array}",
    }


def optimizer_step(
    config: Mapping[str, Any],
    lr: float,
    weight: tuple[int, int, int],
    w: float,
    g: float,
    before: Mapping[str, float],
    t: int,
    batch: Sequence[tuple[int, float]] | None = None,
) -> dict[str, str]:
    """The step dict ({id, label, tex}) of the next update of weight (l, j, k) = ``w`` with
    gradient ``g`` by optimizer ``config``; ``before``: its state (velocity; m, v) so far;
    ``batch``: (sample number from 1, that sample's dL/dw) of each sample of a mini-batch,
    whose mean ``g`` is, or None when the step takes the one pair."""
    name = config["name"]
    slots = {key: np.array([value]) for key, value in before.items()}
    new, after = update(config, lr, np.array([w]), np.array([g]), slots, t)
    wt = sym.w(weight[0], str(weight[1]), str(weight[2]))
    letter = parameter_letter(weight[2])  # "b" for a bias (k = 0)
    grad = rf"\err{{\frac{{\partial\mathcal{{L}}}}{{\partial {letter}}}}}"
    if batch is None:
        lines = [rf"{_G} &= {grad} = \err{{{sig_tex(g)}}}"]
    else:  # the batch's mean, one term per sample: the samples are numbered from 1
        members = ", ".join(str(i) for i, _ in batch)
        terms = " + ".join(_n(v) for _, v in batch)
        mean = rf"\frac{{1}}{{{len(batch)}}}\sum_{{i \in \{{{members}\}}}}"
        lines = [
            rf"{_G} &= {mean} \err{{\frac{{\partial\mathcal{{L}}_i}}{{\partial {letter}}}}}"
            rf" = \frac{{{terms}}}{{{len(batch)}}} = \err{{{sig_tex(g)}}}"
        ]
    a = {key: float(value[0]) for key, value in after.items()}
    h = {key: float(config[key]) for key in OPTIMIZERS[name].hypers}
    eta = sig_tex(lr)
    if name in ("momentum", "nesterov"):
        b0, b1 = before.get("velocity", 0.0), a["velocity"]
        if t == 1:  # the first step's velocity is the gradient itself
            lines.append(rf"b &\leftarrow {_G} = {sig_tex(b1)}")
        elif name == "momentum":
            tau = 1 - h["dampening"]
            lines.append(
                rf"b &\leftarrow \mu b + (1 - \tau)\,{_G} = {sig_tex(h['momentum'])} \times"
                rf" {_n(b0)} + {sig_tex(tau)} \times {_n(g)} = {sig_tex(b1)}"
            )
        else:
            lines.append(
                rf"b &\leftarrow \mu b + {_G} = {sig_tex(h['momentum'])} \times {_n(b0)}"
                rf" + {_n(g)} = {sig_tex(b1)}"
            )
        if name == "momentum":
            step, numbers = r"\eta\,b", rf"{eta} \times {_n(b1)}"
        else:
            step = rf"\eta\,({_G} + \mu b)"
            numbers = rf"{eta} \times ({sig_tex(g)} + {sig_tex(h['momentum'])} \times {_n(b1)})"
    elif name == "rmsprop":
        lines.append(
            rf"v &\leftarrow \alpha v + (1 - \alpha)\,{_G}^2 = {sig_tex(h['alpha'])} \times"
            rf" {_n(before.get('v', 0.0))} + {sig_tex(1 - h['alpha'])} \times {_n(g)}^2"
            rf" = {sig_tex(a['v'])}"
        )
        step = rf"\eta\,\frac{{{_G}}}{{\sqrt{{v}} + \varepsilon}}"
        numbers = (
            rf"{eta} \times \frac{{{sig_tex(g)}}}"
            rf"{{\sqrt{{{sig_tex(a['v'])}}} + {sig_tex(h['eps'])}}}"
        )
    elif name == "adam":
        b1, b2 = h["beta1"], h["beta2"]
        lines += [
            rf"m &\leftarrow \beta_1 m + (1 - \beta_1)\,{_G} = {sig_tex(b1)} \times"
            rf" {_n(before.get('m', 0.0))} + {sig_tex(1 - b1)} \times {_n(g)} = {sig_tex(a['m'])}",
            rf"v &\leftarrow \beta_2 v + (1 - \beta_2)\,{_G}^2 = {sig_tex(b2)} \times"
            rf" {_n(before.get('v', 0.0))} + {sig_tex(1 - b2)} \times {_n(g)}^2"
            rf" = {sig_tex(a['v'])}",
            rf"\hat m &= \frac{{m}}{{1 - \beta_1^{{t}}}} = \frac{{{sig_tex(a['m'])}}}"
            rf"{{1 - {sig_tex(b1)}^{{{t}}}}} = {sig_tex(a['mHat'])}",
            rf"\hat v &= \frac{{v}}{{1 - \beta_2^{{t}}}} = \frac{{{sig_tex(a['v'])}}}"
            rf"{{1 - {sig_tex(b2)}^{{{t}}}}} = {sig_tex(a['vHat'])}",
        ]
        step = r"\eta\,\frac{\hat m}{\sqrt{\hat v} + \varepsilon}"
        numbers = (
            rf"{eta} \times \frac{{{sig_tex(a['mHat'])}}}"
            rf"{{\sqrt{{{sig_tex(a['vHat'])}}} + {sig_tex(h['eps'])}}}"
        )
    else:  # gradient descent on a mini-batch: its step is eta times the batch's mean
        step, numbers = rf"\eta\,{_G}", rf"{eta} \times {_n(g)}"
    lines.append(
        rf"{wt} &\leftarrow {wt} - {step} = \wt{{{sig_tex(w)}}} - {numbers}"
        rf" = \wt{{{sig_tex(float(new[0]))}}}"
    )
    return {
        "id": "numbers-update",
        "label": f"Next step of {OPTIMIZERS[name].label} (step {t})",
        "tex": r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}",
    }
