// The bridge's reply as the page sees it. Generated from py/backprop_explorer/reply.py
// and reply_views.py by tests/reply_schema.py (python3 tests/reply_schema.py); do not
// edit by hand.

export interface Selection {
  layer: number;
  to: number;
  from: number;
}

/** The optimizer's name and its hyper-parameters (optimizers.OPTIMIZERS: Adam has beta1, beta2 and eps; gradient descent none). */
export interface Optimizer {
  name: "gd" | "momentum" | "nesterov" | "rmsprop" | "adam";
  momentum?: number;
  dampening?: number;
  alpha?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** Everything the page shows, as plain data (docs/ARCHITECTURE.md, "State schema"). */
export interface State {
  layers: number[];
  activations: string[];
  loss: "half_sse" | "mse";
  bias: boolean;
  weights: number[][][];
  biases?: number[][];
  input: number[];
  target: number[];
  learningRate: number;
  optimizer: Optimizer;
  seed: number;
  view: "explorer" | "training";
  selected: Selection | null;
  notation: "explicit" | "einstein" | "vector";
}

/** Everything the page draws after an operation that may change what is on screen. */
export interface Render {
  state: State;
  link: string;
  preset: string | null;
  form: Form;
  diagram: Diagram;
  derivation: Derivation | null;
  hint: string | null;
  pick: string;
  training: Training | null;
}

/** A topology button. */
export interface PresetOption {
  name: string;
  label: string;
  layers: number[];
  about: string;
}

/** An activation or a loss in the page's menus. */
export interface MenuOption {
  name: string;
  label: string;
  tex: string;
}

/** The limits the page tells the user. */
export interface Limits {
  maxLayers: number;
  maxNeurons: number;
  maxSteps: number;
}

/** What the page's controls offer. */
export interface Options {
  presets: PresetOption[];
  activations: MenuOption[];
  losses: MenuOption[];
  limits: Limits;
}

/** ``init``: the options; one notice for everything the address asked for that could not be done (a bad link, unknown panels or controls, a bad ``select``/``notation``/``present``); for an embed (an ``init`` given ``panels``) the panels and controls to show; and presentation mode. */
export interface InitResult {
  options: Options;
  notice: string | null;
  embed: EmbedLayout | null;
  present: Presentation;
}

/** ``gradients``: the loss, the output and every dL/dw and dL/db. */
export interface Gradients {
  loss: number;
  output: number[];
  weights: number[][][];
  biases: number[][];
}

/** ``select``: the selected weight's paths, gradient and derivation steps in TeX. */
export interface SelectResult {
  paths: number[][][];
  pathCount: number;
  gradient: number | null;
  finiteDifference: number | null;
  relativeError: number | null;
  latex: string[];
}

/** ``derivationOf``: the steps a selection's derivation would show (State unchanged). */
export interface DerivationSteps {
  steps: Step[];
}

/** ``step``: how many of the requested steps were taken and, when the run stopped early, why (the sentence the training view shows), with the State after them. */
export interface StepResult {
  taken: number;
  requested: number;
  stopped: string | null;
  state: State;
}

/** ``openLink``: a notice when the link was bad. */
export interface LinkResult {
  notice: string | null;
}

/** ``export``: a file for the user. */
export interface ExportResult {
  filename: string;
  mime: string;
  text: string;
}

/** ``diagnostics``: live-object figures for bench/soak.py. */
export interface Diagnostics {
  gcObjects: number;
  collected: number;
  garbage: number;
  jsProxies: number;
  historyRows: number;
  types: Record<string, number>;
}

/** ``hostOp``: the operation, when a host page may call it. */
export interface HostOp {
  op: string;
}

/** An operation that worked: its result and, unless it was a query, the render. */
export interface OkReply {
  ok: true;
  result: unknown;
  render: Render | null;
}

/** What went wrong: the State path of the field at fault (or null), what the page calls that field (``label``, which the message starts with) and the message. */
export interface ReplyError {
  field: string | null;
  message: string;
  label?: string;
  problem?: string;
  traceback?: string;
}

/** An operation that was refused (bad input) or failed (an internal error). */
export interface ErrorReply {
  ok: false;
  error: ReplyError;
}

/** A text field: the State path it edits and its accessible label. */
export interface Field {
  field: string;
  label: string;
}

/** A weight's field, with the id of its connection. */
export interface WeightField {
  field: string;
  label: string;
  id: string;
}

/** An input's or target's field, with the symbol its cell shows (x₁). */
export interface VectorField {
  field: string;
  label: string;
  symbol: string;
}

/** A row of fields: inputs x or targets y. */
export interface FormVector {
  name: string;
  title: string;
  fields: VectorField[];
}

/** One destination neuron's weights (and bias) in W(l). */
export interface FormRow {
  head: string;
  cells: WeightField[];
  bias: Field | null;
}

/** W(l) as a table of fields. */
export interface FormMatrix {
  layer: number;
  caption: string;
  heads: string[];
  rows: FormRow[];
}

/** The selected weight's field above its derivation. */
export interface SelectedField {
  field: string;
  name: string;
  id: string;
}

/** Labels and field texts of the controls; ``values`` maps a State path to its text. */
export interface Form {
  topology: string;
  layersText: string;
  about: string;
  activations: string[];
  learningRateLabel: string;
  vectors: FormVector[];
  matrices: FormMatrix[];
  training: TrainingForm;
  values: Record<string, string>;
  selected: SelectedField | null;
}

/** One way to lay the network out, and the narrowest box its text stays readable in. */
export interface Layout {
  name: "across" | "compact" | "down";
  width: number;
  height: number;
  minWidth: number;
  titleAnchor: "middle" | "start";
}

/** A layer's title. */
export interface Column {
  layer: number;
  title: string;
  size: number;
  at: Record<string, number[]>;
}

/** What a tap on a neuron lists: a title and the ids of its connections. */
export interface Connections {
  title: string;
  edges: string[];
}

/** A neuron: where it is drawn, its value, its names and its highlight roles. */
export interface Node {
  id: string;
  layer: number;
  index: number;
  at: Record<string, number[]>;
  r: number;
  value: number;
  label: string;
  name: string;
  kind: "input" | "hidden" | "output" | "bias";
  roles: ("selected-weight" | "destination" | "path-neuron" | "output" | "path-edge")[];
  connections: Connections;
}

export interface Edge {
  id: string;
  layer: number;
  to: number;
  from: number;
  at: Record<string, number[]>;
  weight: number;
  name: string;
  title: string;
  stroke: number;
  sign: "negative" | "positive";
  roles: ("selected-weight" | "destination" | "path-neuron" | "output" | "path-edge")[];
}

/** The network as plain data (diagram.py). */
export interface Diagram {
  layouts: Layout[];
  columns: Column[];
  nodes: Node[];
  edges: Edge[];
  pathCount: number;
}

/** One gradient path's factors, as text. */
export interface PathRow {
  path: number;
  label: string;
  cells: string[];
  product: string;
}

/** One row per gradient path: column heads in TeX, their colour kinds, the rows. */
export interface PathTable {
  heads: string[];
  kinds: ("inp" | "act" | "wt" | "err")[];
  rows: PathRow[];
  more: number;
  moreText: string | null;
  showAll: string | null;
}

/** A step of the derivation: its TeX (and, for the path table, the table as data). */
export interface Step {
  id: string;
  label: string;
  tex: string;
  table?: PathTable;
  pageOnly?: boolean;
}

/** A gradient path: its [layer, neuron] pairs, its product, and the ids to light up. */
export interface Term {
  path: number[][];
  value: number;
  neurons: string[];
  edges: string[];
}

/** ``pathPage``: a page of every gradient path of the selected weight, and its words. */
export interface PathPage {
  page: number;
  pages: number;
  pathCount: number;
  rows: PathRow[];
  terms: Term[];
  text: string;
  previous: string | null;
  next: string | null;
}

/** The selected weight's derivation. */
export interface Derivation {
  steps: Step[];
  summary: string;
  gradient: number;
  finiteDifference: number;
  relativeError: number;
  pathCount: number;
  terms: Term[];
  hoverHint: string;
}

/** A history row as shown. */
export interface RowText {
  step: string;
  loss: string;
  prediction: string;
  target: string;
  lossChange: string;
  batch: string;
  batchLoss: string;
}

/** One step of the training history. */
export interface HistoryRow {
  step: number;
  loss: number;
  prediction: number[];
  target: number[];
  lossChange: number | null;
  trend: "down" | "up" | null;
  text: RowText;
  batch: number[] | null;
  batchLoss: number | null;
  cells: string[];
}

/** An update record's numbers as shown. */
export interface UpdateText {
  old: string;
  gradient: string;
  delta: string;
  new: string;
}

export interface SlotText {
  before: string;
  after: string;
}

/** One value of the optimizer's state for a parameter (velocity; m, v, mHat, vHat), before the step (0 before the first) and after it. */
export interface Slot {
  name: "velocity" | "v" | "m" | "mHat" | "vHat";
  before: number;
  after: number;
  text: SlotText;
}

/** What the last step did to one weight or bias (``delta``: -eta dL/dw for gradient descent, the change the optimizer made otherwise). */
export interface Update {
  id: string;
  kind: "weight" | "bias";
  name: string;
  route: string;
  old: number;
  gradient: number;
  delta: number;
  new: number;
  text: UpdateText;
  slots: Slot[];
  cells: UpdateCell[];
}

/** A weight in the Weights table, or a bias (the last column, its id l-j-0, with biases on). */
export interface WeightCell {
  id: string;
  value: number;
  text: string;
  title: string;
}

/** A destination neuron's row of the Weights table. */
export interface WeightRow {
  head: string;
  cells: WeightCell[];
}

/** One layer's block of the Weights table (``heads`` ends with "Bias" when biases are on). */
export interface WeightBlock {
  layer: number;
  title: string;
  heads: string[];
  rows: WeightRow[];
}

/** A sentence for the training panel; ``kind`` "warn" is shown as a warning. */
export interface Notice {
  kind: "warn" | "info";
  text: string;
}

/** The loss the network is trained on. */
export interface LossFormula {
  tex: string;
  label: string;
  note: string;
}

/** Column heads of the update and history tables. */
export interface TrainingHeads {
  updates: string[];
  history: string[];
}

/** The lines under the tables (empty when there is nothing to say). */
export interface TrainingNotes {
  bias: string;
  updates: string;
  history: string;
}

/** The training demo's view (only in the training view). */
export interface Training {
  step: number;
  rows: HistoryRow[];
  total: number;
  lossPlot: LossPlot;
  lastUpdate: Update[] | null;
  learningRate: number | null;
  loss: number;
  prediction: number[];
  weights: WeightBlock[];
  notices: Notice[];
  previousSeed: number | null;
  restore: string | null;
  lossFormula: LossFormula;
  summary: string;
  heads: TrainingHeads;
  noUpdate: string | null;
  notes: TrainingNotes;
}

/** What an embed shows: its panels, the view they need, the control groups it keeps (``data-control`` names; the rest are hidden), and a notice for unknown names. */
export interface EmbedLayout {
  panels: string[];
  view: "explorer" | "training";
  controls: string[];
  notice: string | null;
}

/** Presentation mode: whether the page opens in it (``present=1``), and its button's words. */
export interface Presentation {
  on: boolean;
  label: string;
  hint: string;
}

/** An entry of a menu: the value sent back and what the menu shows. */
export interface Option {
  name: string;
  label: string;
}

/** An optimizer's hyper-parameter field and the values it allows, in words. */
export interface SettingField {
  field: string;
  label: string;
  help: string;
}

/** The optimizer menu and the chosen optimizer's settings. */
export interface OptimizerForm {
  field: string;
  label: string;
  options: Option[];
  chosen: string;
  settings: SettingField[];
}

/** A sample's input or target field. */
export interface SampleField {
  field: string;
  label: string;
}

/** One sample of the data set: its fields (inputs, then targets), whether it is the pair the derivation shows, and the accessible name of its Derive button. */
export interface SampleRow {
  head: string;
  fields: SampleField[];
  shown: boolean;
  derive: string;
  remove: string | null;
}

/** A switch (a checkbox) and what it does, in words; the page sends "true" or "false". */
export interface SwitchField {
  field: string;
  label: string;
  checked: boolean;
  help: string;
}

/** A button that edits a field: Add sample. */
export interface ActionField {
  field: string;
  label: string;
}

/** The data set menu, its samples as a table (Remove per row, Add sample below; ``limit`` says why one of them is missing, else ""), the batch size and the shuffle switch (None: no data set). */
export interface DatasetForm {
  field: string;
  label: string;
  options: Option[];
  chosen: string;
  heads: string[];
  rows: SampleRow[];
  deriveWord: string;
  shownWord: string;
  sampleField: string;
  batch: SettingField | null;
  shuffle: SwitchField | null;
  add: ActionField | null;
  removeField: string;
  removeWord: string;
  limit: string;
}

/** The training panel's optimizer and data set controls. */
export interface TrainingForm {
  optimizer: OptimizerForm;
  dataset: DatasetForm;
}

/** A cell of the Weight-updates table, in the order of its heads: ``part`` names the value ("old", "gradient", "m.before", "vHat.after", "delta", "new"). */
export interface UpdateCell {
  part: string;
  text: string;
}

/** A tick of the loss axis: where it sits (a loss, or its log10) and its text. */
export interface LossTick {
  at: number;
  text: string;
}

/** One scale of the loss axis: its ends, where a loss of 0 is drawn, ticks and title. */
export interface LossAxis {
  lo: number;
  hi: number;
  floor: number;
  ticks: LossTick[];
  title: string;
}

export interface LossAxes {
  linear: LossAxis;
  log: LossAxis;
}

/** A line of the plot: the whole set's loss, or each step's batch loss. */
export interface LossSeries {
  kind: "set" | "batch";
  label: string;
  points: number[][];
}

export interface PlotLabel {
  linear: string;
  log: string;
}

/** The loss plot: its lines, both scales of its loss axis, the step axis's title, the accessible name per scale, and whether a legend names the lines. */
export interface LossPlot {
  series: LossSeries[];
  stepTicks: LossTick[][];
  axes: LossAxes;
  stepTitle: string;
  label: PlotLabel;
  legend: boolean;
}

/** The result of each operation. */
export interface Results {
  init: InitResult;
  getState: State;
  setState: State;
  gradients: Gradients;
  pathPage: PathPage;
  derivationOf: DerivationSteps;
  step: StepResult;
  select: SelectResult;
  edit: State;
  preset: State;
  resetWeights: State;
  restoreSeed: State;
  openLink: LinkResult;
  export: ExportResult;
  diagnostics: Diagnostics;
  hostOp: HostOp;
}

export type Reply = OkReply | ErrorReply;
