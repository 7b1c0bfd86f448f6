"""The training panel's parts of a render, declared for ``reply_views.py``: the optimizer and
data set controls (training_form.py), the loss plot (loss_plot.py) and an update's cells
(updates.py)."""

from typing import Literal, TypedDict

__all__ = ["LossPlot", "TrainingForm", "UpdateCell"]


class Option(TypedDict):
    """An entry of a menu: the value sent back and what the menu shows."""

    name: str
    label: str


class SettingField(TypedDict):
    """An optimizer's hyper-parameter field and the values it allows, in words."""

    field: str
    label: str
    help: str


class OptimizerForm(TypedDict):
    """The optimizer menu and the chosen optimizer's settings."""

    field: str
    label: str
    options: list[Option]
    chosen: str
    settings: list[SettingField]


class SampleField(TypedDict):
    """A sample's input or target field."""

    field: str
    label: str


class SampleRow(TypedDict):
    """One sample of the data set: its fields (inputs, then targets), whether it is the pair
    the derivation shows, and the accessible name of its Derive button."""

    head: str
    fields: list[SampleField]
    shown: bool
    derive: str
    remove: str | None  # the accessible name of its Remove button; None: the last sample


class SwitchField(TypedDict):
    """A switch (a checkbox) and what it does, in words; the page sends "true" or "false"."""

    field: str
    label: str
    checked: bool
    help: str


class ActionField(TypedDict):
    """A button that edits a field: Add sample."""

    field: str
    label: str


class DatasetForm(TypedDict):
    """The data set menu, its samples as a table (Remove per row, Add sample below; ``limit``
    says why one of them is missing, else ""), the batch size and the shuffle switch (None:
    no data set)."""

    field: str
    label: str
    options: list[Option]
    chosen: str
    heads: list[str]
    rows: list[SampleRow]
    deriveWord: str
    shownWord: str
    sampleField: str
    batch: SettingField | None
    shuffle: SwitchField | None
    add: ActionField | None
    removeField: str
    removeWord: str
    limit: str


class TrainingForm(TypedDict):
    """The training panel's optimizer and data set controls."""

    optimizer: OptimizerForm
    dataset: DatasetForm


class UpdateCell(TypedDict):
    """A cell of the Weight-updates table, in the order of its heads: ``part`` names the value
    ("old", "gradient", "m.before", "vHat.after", "delta", "new")."""

    part: str
    text: str


class LossTick(TypedDict):
    """A tick of the loss axis: where it sits (a loss, or its log10) and its text."""

    at: float
    text: str


class LossAxis(TypedDict):
    """One scale of the loss axis: its ends, where a loss of 0 is drawn, ticks and title."""

    lo: float
    hi: float
    floor: float
    ticks: list[LossTick]
    title: str


class LossAxes(TypedDict):
    linear: LossAxis
    log: LossAxis


class LossSeries(TypedDict):
    """A line of the plot: the whole set's loss, or each step's batch loss."""

    kind: Literal["set", "batch"]
    label: str
    points: list[list[float]]


class PlotLabel(TypedDict):
    linear: str
    log: str


class LossPlot(TypedDict):
    """The loss plot: its lines, both scales of its loss axis, the step axis's title, the
    accessible name per scale, and whether a legend names the lines."""

    series: list[LossSeries]
    stepTicks: list[list[LossTick]]
    axes: LossAxes
    stepTitle: str
    label: PlotLabel
    legend: bool
