"""The bridge's reply, declared once: what ``bridge.handle`` returns and the page relies on.

Every reply is ``OkReply`` or ``ErrorReply``. ``OkReply.result`` is the operation's result
(``RESULTS`` names its type per operation) and ``render`` is everything the page draws
(``Render``; the views it carries are declared in ``reply_views.py``), or null for a query.
tests/unit/test_reply.py checks every operation's reply for every preset against these types,
and that web/js/reply.d.ts, the page's view of them, is the text tests/reply_schema.py
generates from them.
"""

from typing import Any, Literal, NotRequired, TypedDict

from .reply_views import (
    Derivation,
    Diagram,
    EmbedLayout,
    Form,
    PathPage,
    Presentation,
    Step,
    Training,
)

__all__ = ["RESULTS", "ErrorReply", "OkReply", "Render"]

Numbers = list[float]
Matrix = list[list[float]]


# -- the State -----------------------------------------------------------------------------
Selection = TypedDict("Selection", {"layer": int, "to": int, "from": int})


class Optimizer(TypedDict):
    """The optimizer's name and its hyper-parameters (optimizers.OPTIMIZERS: Adam has beta1,
    beta2 and eps; gradient descent none)."""

    name: Literal["gd", "momentum", "nesterov", "rmsprop", "adam"]
    momentum: NotRequired[float]
    dampening: NotRequired[float]
    alpha: NotRequired[float]
    beta1: NotRequired[float]
    beta2: NotRequired[float]
    eps: NotRequired[float]


class State(TypedDict):
    """Everything the page shows, as plain data (docs/ARCHITECTURE.md, "State schema")."""

    layers: list[int]
    activations: list[str]
    loss: Literal["half_sse", "mse"]
    bias: bool
    weights: list[Matrix]
    biases: NotRequired[list[Numbers]]
    input: Numbers
    target: Numbers
    learningRate: float
    optimizer: Optimizer
    seed: int
    view: Literal["explorer", "training"]
    selected: Selection | None
    notation: Literal["explicit", "einstein", "vector"]


# -- a reply -------------------------------------------------------------------------------
class Render(TypedDict):
    """Everything the page draws after an operation that may change what is on screen."""

    state: State
    link: str
    preset: str | None
    form: Form
    diagram: Diagram
    derivation: Derivation | None
    hint: str | None
    pick: str  # the line under the diagram: the selected weight's gradient, how to pick another
    training: Training | None


class PresetOption(TypedDict):
    """A topology button."""

    name: str
    label: str
    layers: list[int]
    about: str


class MenuOption(TypedDict):
    """An activation or a loss in the page's menus."""

    name: str
    label: str
    tex: str


class Limits(TypedDict):
    """The limits the page tells the user."""

    maxLayers: int
    maxNeurons: int
    maxSteps: int


class Options(TypedDict):
    """What the page's controls offer."""

    presets: list[PresetOption]
    activations: list[MenuOption]
    losses: list[MenuOption]
    limits: Limits


class InitResult(TypedDict):
    """``init``: the options; one notice for everything the address asked for that could not
    be done (a bad link, unknown panels or controls, a bad ``select``/``notation``/``present``);
    for an embed (an ``init`` given ``panels``) the panels and controls to show; and
    presentation mode."""

    options: Options
    notice: str | None
    embed: EmbedLayout | None
    present: Presentation


class Gradients(TypedDict):
    """``gradients``: the loss, the output and every dL/dw and dL/db."""

    loss: float
    output: Numbers
    weights: list[Matrix]
    biases: list[Numbers]


class SelectResult(TypedDict):
    """``select``: the selected weight's paths, gradient and derivation steps in TeX."""

    paths: list[list[list[int]]]
    pathCount: int
    gradient: float | None
    finiteDifference: float | None
    relativeError: float | None
    latex: list[str]


class DerivationSteps(TypedDict):
    """``derivationOf``: the steps a selection's derivation would show (State unchanged)."""

    steps: list[Step]


class StepResult(TypedDict):
    """``step``: how many of the requested steps were taken and, when the run stopped early,
    why (the sentence the training view shows), with the State after them."""

    taken: int
    requested: int
    stopped: str | None
    state: State


class LinkResult(TypedDict):
    """``openLink``: a notice when the link was bad."""

    notice: str | None


class ExportResult(TypedDict):
    """``export``: a file for the user."""

    filename: str
    mime: str
    text: str


class Diagnostics(TypedDict):
    """``diagnostics``: live-object figures for bench/soak.py."""

    gcObjects: int
    collected: int
    garbage: int
    jsProxies: int
    historyRows: int
    types: dict[str, int]


class HostOp(TypedDict):
    """``hostOp``: the operation, when a host page may call it."""

    op: str


RESULTS: dict[str, Any] = {
    "init": InitResult,
    "getState": State,
    "setState": State,
    "gradients": Gradients,
    "pathPage": PathPage,
    "derivationOf": DerivationSteps,
    "step": StepResult,
    "select": SelectResult,
    "edit": State,
    "preset": State,
    "resetWeights": State,
    "restoreSeed": State,
    "openLink": LinkResult,
    "export": ExportResult,
    "diagnostics": Diagnostics,
    "hostOp": HostOp,
}


class OkReply(TypedDict):
    """An operation that worked: its result and, unless it was a query, the render."""

    ok: Literal[True]
    result: Any
    render: Render | None


class ReplyError(TypedDict):
    """What went wrong: the State path of the field at fault (or null), what the page calls
    that field (``label``, which the message starts with) and the message."""

    field: str | None
    message: str
    label: NotRequired[str]
    problem: NotRequired[str]
    traceback: NotRequired[str]


class ErrorReply(TypedDict):
    """An operation that was refused (bad input) or failed (an internal error)."""

    ok: Literal[False]
    error: ReplyError
