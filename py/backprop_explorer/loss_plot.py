"""The loss plot as plain data: its series, its loss axis (linear and log) and every word on it.

The page (web/js/loss-plot.js) draws the points and the step axis; the loss axis's ticks and
their texts come from here, so that every label is Python's and no two ticks read the same: a
tick's text has as many significant digits as it takes to tell it from its neighbours (1.5e6
beside 2e6, never 2e6 twice).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["PLOT_POINTS", "loss_plot", "nice_ticks", "plot_points", "tick_texts"]

PLOT_POINTS = 512  # most points sent for one series of the loss plot
LOG_TICKS = 7  # most labelled powers of ten on a log axis
STEP_TICKS = range(2, 13)  # the step axis's tick counts the page chooses from by its width
SET_LOSS = "Loss of the whole set"
BATCH_LOSS = "Loss of the step's batch"


def plot_points(
    history: Sequence[dict[str, Any]], limit: int = PLOT_POINTS, key: str = "loss"
) -> list[list[float]]:
    """[step, loss] pairs for the plot (``key``: the row's loss to plot; rows without it are
    left out): all of them, or per bucket its lowest and highest."""
    rows = [row for row in history if row.get(key) is not None]
    if len(rows) <= limit:
        return [[row["step"], row[key]] for row in rows]
    buckets = limit // 2
    size = len(rows) / buckets
    out: list[list[float]] = []
    for b in range(buckets):
        chunk = rows[int(b * size) : int((b + 1) * size)]
        lo = min(chunk, key=lambda r: r[key])
        hi = max(chunk, key=lambda r: r[key])
        for row in sorted({id(lo): lo, id(hi): hi}.values(), key=lambda r: r["step"]):
            out.append([row["step"], row[key]])
    last = rows[-1]
    if out[-1][0] != last["step"]:
        out.append([last["step"], last[key]])
    return out


def nice_ticks(lo: float, hi: float, count: int) -> list[float]:
    """About ``count`` round values covering [lo, hi], 1, 2 or 5 times a power of ten apart."""
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step)
    out = []
    i = first
    while i * step <= hi + step * 1e-9:
        out.append(float(f"{i * step:.12g}"))
        i += 1
    return out


def _exponent(value: float) -> bool:
    return value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3)


def _text(value: float, digits: int) -> str:
    """``value`` to ``digits`` significant digits: 1e-4 style when tiny or huge."""
    if value == 0:
        return "0"
    if _exponent(value):
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}"
    shown = repr(float(f"{value:.{digits}g}"))  # no exponent between 1e-3 and 1e5
    return shown.removesuffix(".0")


def tick_texts(values: Sequence[float]) -> list[str]:
    """Each tick's text with the fewest significant digits (at least 4 where that says more,
    as 1.235) that keep the texts of different values different."""
    for digits in range(1, 18):
        texts = [_text(v, digits if _exponent(v) else max(digits, 4)) for v in values]
        if len(set(texts)) == len(set(values)):
            return texts
    return [repr(v) for v in values]


def _axis(values: Sequence[float], log: bool) -> dict[str, Any]:
    """The loss axis: lo, hi, the floor a loss of 0 is drawn at, the ticks and the title."""
    positive = [v for v in values if v > 0]
    floor = min(positive) if positive else 1.0
    if log:
        logs = [math.log10(max(v, floor)) for v in values]
        low, high = math.floor(min(logs)), math.ceil(max(logs))
        high = high if high > low else low + 1
        lo, hi = float(low), float(high)
        powers = list(range(low, high + 1))
        thin = -(-len(powers) // LOG_TICKS) if len(powers) > LOG_TICKS else 1
        at = [float(p) for p in powers[::thin]]
        texts = tick_texts([10.0**p for p in at])
        title = "Loss (log scale)"
    else:
        lo, top = 0.0, max(values)
        hi = top if top > lo else lo + 1
        at = nice_ticks(lo, hi, 5)
        texts = tick_texts(at)
        title = "Loss"
    ticks = [{"at": a, "text": t} for a, t in zip(at, texts, strict=True)]
    return {"lo": lo, "hi": hi, "floor": floor, "ticks": ticks, "title": title}


def loss_plot(history: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The plot's series (the whole set's loss; with a data set also each step's batch loss),
    both loss axes, the step axis's ticks (whole steps; for 2, 3, … 12 labels: the page takes
    as many as fit) and title, and the accessible name per scale."""
    points = plot_points(history)
    batch = plot_points(history, key="batchLoss")
    series: list[dict[str, Any]] = [{"kind": "set", "label": SET_LOSS, "points": points}]
    if batch:
        series.append({"kind": "batch", "label": BATCH_LOSS, "points": batch})
    values = [p[1] for p in points + batch]
    first, last = points[0], points[-1]
    steps = "step 0 only" if len(points) == 1 else f"steps 0 to {int(last[0])}"
    axes = {"linear": _axis(values, False), "log": _axis(values, True)}
    label = {
        scale: f"Loss history: {steps}, loss from {tick_texts([first[1]])[0]} to "
        f"{tick_texts([last[1]])[0]}, {'logarithmic' if scale == 'log' else 'linear'} scale"
        for scale in axes
    }
    most = max(int(p[0]) for p in points)
    step_ticks = [
        [{"at": t, "text": str(int(t))} for t in nice_ticks(0, max(1, most), count) if t == int(t)]
        for count in STEP_TICKS
    ]
    return {
        "series": series,
        "stepTicks": step_ticks,
        "axes": axes,
        "stepTitle": "Step",
        "label": label,
        "legend": len(series) > 1,
    }
