"""The views a render carries, declared for ``reply.py``: the form controls, the diagram, the
derivation and the training demo, each as its module builds it."""

from typing import Literal, NotRequired, TypedDict

from .reply_training import LossPlot, TrainingForm, UpdateCell

__all__ = ["Derivation", "Diagram", "Form", "PathPage", "Training"]

Numbers = list[float]
At = dict[str, list[float]]  # positions per layout name


# -- the form controls (form.py) -----------------------------------------------------------
class Field(TypedDict):
    """A text field: the State path it edits and its accessible label."""

    field: str
    label: str


class WeightField(Field):
    """A weight's field, with the id of its connection."""

    id: str


class VectorField(Field):
    """An input's or target's field, with the symbol its cell shows (x₁)."""

    symbol: str


class FormVector(TypedDict):
    """A row of fields: inputs x or targets y."""

    name: str
    title: str
    fields: list[VectorField]


class FormRow(TypedDict):
    """One destination neuron's weights (and bias) in W(l)."""

    head: str
    cells: list[WeightField]
    bias: Field | None


class FormMatrix(TypedDict):
    """W(l) as a table of fields."""

    layer: int
    caption: str
    heads: list[str]
    rows: list[FormRow]


class SelectedField(TypedDict):
    """The selected weight's field above its derivation."""

    field: str
    name: str
    id: str


class Form(TypedDict):
    """Labels and field texts of the controls; ``values`` maps a State path to its text."""

    topology: str
    layersText: str
    about: str
    activations: list[str]
    learningRateLabel: str
    vectors: list[FormVector]
    matrices: list[FormMatrix]
    training: TrainingForm
    values: dict[str, str]
    selected: SelectedField | None


# -- the diagram (diagram.py) --------------------------------------------------------------
Role = Literal["selected-weight", "destination", "path-neuron", "output", "path-edge"]


class Layout(TypedDict):
    """One way to lay the network out, and the narrowest box its text stays readable in."""

    name: Literal["across", "compact", "down"]
    width: float
    height: float
    minWidth: int
    titleAnchor: Literal["middle", "start"]


class Column(TypedDict):
    """A layer's title."""

    layer: int
    title: str
    size: int
    at: At


class Connections(TypedDict):
    """What a tap on a neuron lists: a title and the ids of its connections."""

    title: str
    edges: list[str]


class Node(TypedDict):
    """A neuron: where it is drawn, its value, its names and its highlight roles."""

    id: str
    layer: int
    index: int
    at: At
    r: float
    value: float
    label: str
    name: str
    kind: Literal["input", "hidden", "output", "bias"]
    roles: list[Role]
    connections: Connections


Edge = TypedDict(
    "Edge",
    {
        "id": str,
        "layer": int,
        "to": int,
        "from": int,
        "at": At,
        "weight": float,
        "name": str,
        "title": str,
        "stroke": float,
        "sign": Literal["negative", "positive"],
        "roles": list[Role],
    },
)


class Diagram(TypedDict):
    """The network as plain data (diagram.py)."""

    layouts: list[Layout]
    columns: list[Column]
    nodes: list[Node]
    edges: list[Edge]
    pathCount: int


# -- the derivation (derivation.py) --------------------------------------------------------
class PathRow(TypedDict):
    """One gradient path's factors, as text."""

    path: int
    label: str
    cells: list[str]
    product: str


class PathTable(TypedDict):
    """One row per gradient path: column heads in TeX, their colour kinds, the rows."""

    heads: list[str]
    kinds: list[Literal["inp", "act", "wt", "err"]]
    rows: list[PathRow]
    more: int
    moreText: str | None
    showAll: str | None


class Step(TypedDict):
    """A step of the derivation: its TeX (and, for the path table, the table as data)."""

    id: str
    label: str
    tex: str
    table: NotRequired[PathTable]
    pageOnly: NotRequired[bool]  # a hover aid the LaTeX export leaves out


class Term(TypedDict):
    """A gradient path: its [layer, neuron] pairs, its product, and the ids to light up."""

    path: list[list[int]]
    value: float
    neurons: list[str]
    edges: list[str]


class PathPage(TypedDict):
    """``pathPage``: a page of every gradient path of the selected weight, and its words."""

    page: int
    pages: int
    pathCount: int
    rows: list[PathRow]
    terms: list[Term]
    text: str
    previous: str | None
    next: str | None


class Derivation(TypedDict):
    """The selected weight's derivation."""

    steps: list[Step]
    summary: str
    gradient: float
    finiteDifference: float
    relativeError: float
    pathCount: int
    terms: list[Term]
    hoverHint: str  # what pointing at or tapping the maths lights up, in this notation


# -- the training demo (training.py) -------------------------------------------------------
class RowText(TypedDict):
    """A history row as shown."""

    step: str
    loss: str
    prediction: str
    target: str
    lossChange: str
    batch: str
    batchLoss: str


class HistoryRow(TypedDict):
    """One step of the training history."""

    step: int
    loss: float
    prediction: Numbers
    target: Numbers
    lossChange: float | None
    trend: Literal["down", "up"] | None
    text: RowText
    batch: list[int] | None
    batchLoss: float | None
    cells: list[str]


class UpdateText(TypedDict):
    """An update record's numbers as shown."""

    old: str
    gradient: str
    delta: str
    new: str


class SlotText(TypedDict):
    before: str
    after: str


class Slot(TypedDict):
    """One value of the optimizer's state for a parameter (velocity; m, v, mHat, vHat), before
    the step (0 before the first) and after it."""

    name: Literal["velocity", "v", "m", "mHat", "vHat"]
    before: float
    after: float
    text: SlotText


class Update(TypedDict):
    """What the last step did to one weight or bias (``delta``: -eta dL/dw for gradient
    descent, the change the optimizer made otherwise)."""

    id: str
    kind: Literal["weight", "bias"]
    name: str
    route: str
    old: float
    gradient: float
    delta: float
    new: float
    text: UpdateText
    slots: list[Slot]
    cells: list[UpdateCell]


class WeightCell(TypedDict):
    """A weight in the Weights table, or a bias (the last column, its id l-j-0, with biases on)."""

    id: str
    value: float
    text: str
    title: str


class WeightRow(TypedDict):
    """A destination neuron's row of the Weights table."""

    head: str
    cells: list[WeightCell]


class WeightBlock(TypedDict):
    """One layer's block of the Weights table (``heads`` ends with "Bias" when biases are on)."""

    layer: int
    title: str
    heads: list[str]
    rows: list[WeightRow]


class Notice(TypedDict):
    """A sentence for the training panel; ``kind`` "warn" is shown as a warning."""

    kind: Literal["warn", "info"]
    text: str


class LossFormula(TypedDict):
    """The loss the network is trained on."""

    tex: str
    label: str
    note: str


class TrainingHeads(TypedDict):
    """Column heads of the update and history tables."""

    updates: list[str]
    history: list[str]


class TrainingNotes(TypedDict):
    """The lines under the tables (empty when there is nothing to say)."""

    bias: str
    updates: str
    history: str


class Training(TypedDict):
    """The training demo's view (only in the training view)."""

    step: int
    rows: list[HistoryRow]
    total: int
    lossPlot: LossPlot
    lastUpdate: list[Update] | None
    learningRate: float | None
    loss: float
    prediction: Numbers
    weights: list[WeightBlock]
    notices: list[Notice]
    previousSeed: int | None
    restore: str | None
    lossFormula: LossFormula
    summary: str
    heads: TrainingHeads
    noUpdate: str | None
    notes: TrainingNotes


class EmbedLayout(TypedDict):
    """What an embed shows: its panels, the view they need, the control groups it keeps
    (``data-control`` names; the rest are hidden), and a notice for unknown names."""

    panels: list[str]
    view: Literal["explorer", "training"]
    controls: list[str]
    notice: str | None


class Presentation(TypedDict):
    """Presentation mode: whether the page opens in it (``present=1``), and its button's words."""

    on: bool
    label: str
    hint: str
