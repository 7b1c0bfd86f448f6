"""Every name and number style a person reads, decided once.

The diagram, the derivation, the training tables, the messages and the form controls all name
layers, neurons, weights and biases through these functions, so the same thing is called the
same way everywhere, and the page (JavaScript) never composes a name of its own.

A form field has one label, ``field_label``: the page shows it and every message about the
field starts with it ("Learning rate η: …"), while the API's error keeps the State path
("learningRate") as its ``field``.

A weight has one name in three spellings: ``weight_symbol`` for the eye (w⁽²⁾₁,₃, as the
derivation typesets it), ``weight_tex`` for the derivation itself, and ``weight_plain``
(w(2)1,3) for screen readers and for messages, which quote it as typed text.

Number styles, one function each:

* ``fixed``: a fixed number of decimals, never "-0.000" (values in the diagram and tables);
* ``sig`` / ``sig_tex``: significant digits, so equal floats read the same wherever they
  appear (the derivation's gradient-descent line; with ``zeros=True``, trailing zeros kept,
  the Weights and Weight-updates tables: one style, the same number of digits per entry);
* ``decimal_tex`` / ``decimal_text``: four decimals, exact integers kept, scientific notation
  when tiny or huge (the derivation's numbers, as TeX or as table text);
* ``small_tex``: two significant digits, for a relative error;
* ``loss_text``: the loss as the seed shows it, four decimals;
* ``field_text``: the text of a number in a form field (the shortest that reads back the
  same float, spelled as a browser spells it, so a field shows what a user would type).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal

from .optimizers import OPTIMIZERS

__all__ = [
    "BIAS_UNIT",
    "PICK",
    "PICK_ANOTHER",
    "bias_id",
    "bias_plain",
    "bias_symbol",
    "bias_unit_name",
    "connection_name",
    "count_text",
    "decimal_tex",
    "decimal_text",
    "factor_tex",
    "field_label",
    "field_text",
    "fixed",
    "layer_label",
    "layer_role",
    "layer_title",
    "loss_text",
    "neuron_id",
    "neuron_name",
    "parameter_letter",
    "pick_line",
    "route",
    "sig",
    "sig_tex",
    "small_tex",
    "vector_text",
    "weight_id",
    "weight_plain",
    "weight_symbol",
    "weight_tex",
]

Role = Literal["input", "hidden", "output"]

_SUPERSCRIPT = str.maketrans("-0123456789()", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


# -- layers and neurons --------------------------------------------------------------------
def layer_role(layers: Sequence[int], l: int) -> Role:
    """Whether layer l is the input, a hidden layer or the output."""
    return "input" if l == 0 else "output" if l == len(layers) - 1 else "hidden"


def _numbered(layers: Sequence[int]) -> bool:
    """Hidden layers carry their number only when there are several of them."""
    return len(layers) > 3


def layer_title(layers: Sequence[int], l: int) -> str:
    """A layer's title: "Input", "Hidden" (one hidden layer) or "Hidden 2" (several), "Output"."""
    role = layer_role(layers, l)
    if role == "hidden" and _numbered(layers):
        return f"Hidden {l}"
    return role.capitalize()


def layer_label(layers: Sequence[int], l: int) -> str:
    """A layer by its index in the maths and its role: "layer 1 (hidden)", "layer 2 (output)"."""
    return f"layer {l} ({layer_role(layers, l)})"


def neuron_name(layers: Sequence[int], l: int, j: int, *, short: bool = False) -> str:
    """Neuron j of layer l: "input 1", "hidden neuron 3" (one hidden layer) or "hidden layer 2
    neuron 3" (several), "output 1"; ``short`` for the tables: I1, H3 or H2.3, Output (O1, O2
    with several outputs)."""
    role = layer_role(layers, l)
    if short:
        if role == "output":
            return "Output" if layers[l] == 1 else f"O{j}"
        if role == "hidden" and _numbered(layers):
            return f"H{l}.{j}"
        return f"{role[0].upper()}{j}"
    if role == "hidden":
        return f"hidden layer {l} neuron {j}" if _numbered(layers) else f"hidden neuron {j}"
    return f"{role} {j}"


def neuron_id(l: int, j: int) -> str:
    """The key of a neuron in the diagram model and the page: "1-3"."""
    return f"{l}-{j}"


# -- weights and biases --------------------------------------------------------------------
def weight_id(l: int, j: int, k: int) -> str:
    """The key of w(l)j,k in the diagram model, the tables and the page: "1-2-3"."""
    return f"{l}-{j}-{k}"


def bias_id(l: int, j: int) -> str:
    """The key of b(l)j in the tables and the page: "1-2-0", the weight from the constant-1
    unit, as its connection in the diagram."""
    return weight_id(l, j, 0)


def weight_plain(l: int, j: int, k: int) -> str:
    """w(l)j,k as plain text, for screen readers and messages: "w(2)1,3"; the weight from the
    constant-1 unit (k = 0) is the bias: "b(2)1"."""
    return bias_plain(l, j) if k == 0 else f"w({l}){j},{k}"


def bias_plain(l: int, j: int) -> str:
    """b(l)j as plain text: "b(1)2"."""
    return f"b({l}){j}"


def _symbol(letter: str, l: int, *indices: int) -> str:
    sub = ",".join(str(i).translate(_SUBSCRIPT) for i in indices)
    return f"{letter}{f'({l})'.translate(_SUPERSCRIPT)}{sub}"


def weight_symbol(l: int, j: int, k: int) -> str:
    """w(l)j,k as the maths writes it, in Unicode: "w⁽²⁾₁,₃"; "b⁽²⁾₁" for k = 0, the bias."""
    return bias_symbol(l, j) if k == 0 else _symbol("w", l, j, k)


def bias_symbol(l: int, j: int) -> str:
    """b(l)j as the maths writes it, in Unicode: "b⁽¹⁾₂"."""
    return _symbol("b", l, j)


def weight_tex(l: int | str, j: int | str, k: int | str) -> str:
    """w^(l)_{j,k} in TeX; the indices may be summation letters ("m") or a dot; b^(l)_j for
    k = 0, the bias (the weight from the constant-1 unit)."""
    if str(k) == "0":
        return rf"b^{{({l})}}_{{{j}}}"
    return rf"w^{{({l})}}_{{{j},{k}}}"


def parameter_letter(k: int) -> str:
    """The letter of the parameter (l, j, k): "b" for the bias (k = 0), else "w"."""
    return "b" if k == 0 else "w"


BIAS_UNIT = "+1"  # the label of a layer's bias unit, the constant 1 a bias multiplies


def bias_unit_name(layers: Sequence[int], l: int) -> str:
    """The accessible name of layer l's bias unit: "bias unit of the input layer, constant 1"."""
    return f"bias unit of the {layer_title(layers, l).lower()} layer, constant 1"


def route(layers: Sequence[int], l: int, j: int, k: int) -> str:
    """The neurons a weight joins, short: "I1 → H2" ("+1 → H2" for a bias)."""
    source = BIAS_UNIT if k == 0 else neuron_name(layers, l - 1, k, short=True)
    return f"{source} → {neuron_name(layers, l, j, short=True)}"


def connection_name(layers: Sequence[int], l: int, j: int, k: int, w: float) -> str:
    """The accessible name of the connection carrying w(l)j,k:
    "weight w(2)1,3 from hidden neuron 3 to output 1, value 0.505"."""
    target = neuron_name(layers, l, j)
    if k == 0:
        return f"bias {bias_plain(l, j)} into {target}, value {fixed(w, 3)}"
    source = neuron_name(layers, l - 1, k)
    return f"weight {weight_plain(l, j, k)} from {source} to {target}, value {fixed(w, 3)}"


# -- numbers -------------------------------------------------------------------------------
# with no selection: in the derivation's place (bridge.HINT) and under the diagram
PICK = "Click any connection in the network to explore its gradient."
PICK_ANOTHER = "Click or tap another connection to derive its gradient."


def pick_line(weight: tuple[int, int, int] | None, gradient: float | None) -> str:
    """The line under the diagram: the selected weight's gradient and how to pick another
    ("w⁽¹⁾₁,₂ selected: ∂𝓛/∂w = 0.1234. Click or tap another connection …"), or, with no
    selection, how to pick one."""
    if weight is None or gradient is None:
        return PICK
    symbol, letter = weight_symbol(*weight), parameter_letter(weight[2])
    return (
        f"{symbol} selected: \u2202\U0001d4db/\u2202{letter} = {decimal_text(gradient)}."
        f" {PICK_ANOTHER}"
    )


def fixed(v: float, digits: int) -> str:
    """``digits`` decimals; a value that rounds to zero is "0.000", never "-0.000"."""
    text = f"{v:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def vector_text(values: Sequence[float]) -> str:
    """Outputs or targets, three decimals: "0.202", or "(0.202, -1.000)" for several."""
    parts = [fixed(v, 3) for v in values]
    return parts[0] if len(parts) == 1 else "(" + ", ".join(parts) + ")"


def sig(v: float, digits: int = 6, *, zeros: bool = False) -> str:
    """Significant digits, trailing zeros dropped: 0.251118, -0.006882, 1.5e-07, 0.399.
    ``zeros`` keeps them, so every entry of a table shows the same number of digits: 0.399000,
    0.251118, 1.50000e-07, 0.00000 (a whole number keeps no trailing dot: 1234)."""
    v = v + 0.0  # -0.0 reads as 0
    if not zeros:
        return f"{v:.{digits}g}"
    mantissa, e, exponent = f"{v:#.{digits}g}".partition("e")
    return mantissa.rstrip(".") + e + exponent


def _times_ten(mantissa: str, exponent: str) -> str:
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def sig_tex(v: float) -> str:
    """``sig`` for TeX: an exponent becomes \\times 10^{n}."""
    text = sig(v)
    return _times_ten(*text.split("e")) if "e" in text else text


def decimal_tex(v: float) -> str:
    """A number in the derivation: 4 decimals; exact integers as they are; scientific notation
    (in TeX) when tiny or huge."""
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e5:
        return str(int(v))  # 1, not 1.0000: exact values stay exact
    if 1e-3 <= abs(v) < 1e5:
        return f"{v:.4f}"
    return _times_ten(*f"{v:.3e}".split("e"))


def decimal_text(v: float) -> str:
    """``decimal_tex`` as plain text for an HTML table: 3.742 × 10⁻⁴, and a true minus sign."""
    text = decimal_tex(v)
    if r"\times" in text:
        mant, exp = text.split(r" \times 10^{")
        text = f"{mant} \u00d7 10{exp.rstrip('}').translate(_SUPERSCRIPT)}"
    return text.replace("-", "\u2212", 1) if text.startswith("-") else text


def factor_tex(v: float, style: Callable[[float], str] = decimal_tex) -> str:
    """A number as a factor of a product, in ``style``: negatives in parentheses."""
    text = style(v)
    return f"({text})" if v < 0 else text


def small_tex(v: float) -> str:
    """A small error, to two significant digits: 3.1 \\times 10^{-9}."""
    if v == 0:
        return "0"
    return _times_ten(*f"{v:.1e}".split("e"))


def loss_text(v: float, sign: Literal["", "+"] = "") -> str:
    """4 decimals as the seed shows the loss; below 1e-4 two significant digits instead of 0.
    ``sign="+"`` writes a change: +0.0123, -1.5e-05."""
    if v == 0 or abs(v) >= 1e-4:
        return f"{v:{sign}.4f}"
    return f"{v:{sign}.1e}"


def field_text(v: float) -> str:
    """A State number as a form field shows it: the shortest text that reads back the same
    float, spelled as JavaScript's String(number) spells it ("1", "0.5", "1e-7")."""
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    mantissa, _, exponent = repr(abs(float(v))).partition("e")  # shortest round trip
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    # the value is 0.digits × 10^n
    n = len(whole) + int(exponent or 0) - (len(whole + fraction) - len(digits))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
        text = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text


def count_text(n: int, thing: str) -> str:
    """ "1 path", "3 paths"."""
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


# -- form fields -----------------------------------------------------------------------------
# A State path's words on the page; the paths with indices are handled by field_label.
# Presentation mode (large type and thick lines for a projector): its button and its words.
PRESENT_WORDS = {
    "label": "Presentation mode",
    "hint": "Large type and thick lines for a projector; press again or Esc to leave.",
    "invalid": "Presentation mode: write present=1 to open in it, or leave it out",
}

_FIELD_WORDS = {
    "input": "Inputs x",
    "target": "Targets y",
    "learningRate": "Learning rate η",
    "samples": "Data set",
    "sample": "Sample shown",
    "batchSize": "Batch size",
    "shuffle": "Shuffle the samples each epoch",
    "samples.add": "Add sample",
    "samples.remove": "Remove sample",
    "optimizer": "Optimizer",
    "optimizer.name": "Optimizer",
    "seed": "Seed",
    "layers": "Topology",
    "activations": "Activations",
    "bias": "Biases",
    "biases": "Bias values",
    "weights": "Weights",
    "loss": "Loss",
    "notation": "Notation",
    "view": "View",
    "selected": "Selected weight",
    "selected.layer": "Selected weight, its layer l",
    "selected.to": "Selected weight, its neuron j",
    "selected.from": "Selected weight, its neuron k",
    "n": "Number of steps",
    "preset": "Topology preset",
}
_SAMPLE = re.compile(r"samples\[(\d+)\](?:\.((?:input|target)(?:\[\d+\])?))?")
_INDEXED = re.compile(r"(input|target|layers|activations|weights|biases)((?:\[\d+\])+)")


def _sub(i: int) -> str:
    return str(i).translate(_SUBSCRIPT)


def field_label(field: str) -> str:
    """What the page calls the field at State path ``field``: "Learning rate η", "Input x₁"
    (input[0]), "Weight w(1)3,2" (weights[0][2][1]), "Bias b(2)1", "σ of layer 1"
    (activations[0]). A path the page has no field for (an API argument) is named as it is."""
    sample = _SAMPLE.fullmatch(field)
    if sample is not None:  # samples[2].input[0]: "Sample 3, input x₁"
        number, rest = int(sample.group(1)) + 1, sample.group(2)
        return f"Sample {number}" + (f", {field_label(rest).lower()}" if rest else "")
    match = _INDEXED.fullmatch(field)
    if field.startswith("optimizer.") and field not in _FIELD_WORDS:
        key = field.removeprefix("optimizer.")
        labels = {k: h.label for o in OPTIMIZERS.values() for k, h in o.hypers.items()}
        return f"Optimizer setting {labels[key]}" if key in labels else field
    if match is None:
        return _FIELD_WORDS.get(field, field)
    name = match.group(1)
    i = [int(n) for n in re.findall(r"\d+", match.group(2))]
    if name in ("input", "target") and len(i) == 1:
        return f"{name.capitalize()} {'x' if name == 'input' else 'y'}{_sub(i[0] + 1)}"
    if name == "layers" and len(i) == 1:
        return "Size of the input layer" if i[0] == 0 else f"Size of layer {i[0]}"
    if name == "activations" and len(i) == 1:
        return f"σ of layer {i[0] + 1}"
    if name == "weights" and 1 <= len(i) <= 3:
        l = i[0] + 1
        if len(i) == 3:
            return f"Weight {weight_plain(l, i[1] + 1, i[2] + 1)}"
        return f"Weights W({l})" if len(i) == 1 else f"Weights W({l}), row j={i[1] + 1}"
    if name == "biases" and 1 <= len(i) <= 2:
        l = i[0] + 1
        return f"Bias {bias_plain(l, i[1] + 1)}" if len(i) == 2 else f"Biases b({l})"
    return field
