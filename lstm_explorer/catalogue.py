"""Every argument of `keras.layers.LSTM`, described once.

Flags, validation, the configuration table and `explain` all read this module, so an argument is
added or changed here and nowhere else. It must stay importable without TensorFlow: the names Keras
accepts are listed as data, and the test suite holds them against the installed Keras.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """How a value is written on the command line and checked before Keras sees it."""

    POSITIVE_INT = "positive integer"
    BOOL = "boolean"
    RATE = "number between 0 and 1"
    SEED = "non-negative integer"
    ACTIVATION = "activation name"
    INITIALIZER = "initializer spec"
    REGULARIZER = "regularizer spec"
    CONSTRAINT = "constraint spec"
    CUDNN = "auto, true or false"
    IMPLEMENTATION = "1 or 2"
    TIME_MAJOR = "boolean (removed in Keras 3)"


class Panel(str, Enum):
    """The `--help` panels, in the order they are shown."""

    SHAPE = "Shape and outputs"
    ACTIVATIONS = "Activations"
    INITIALIZERS = "Initializers"
    REGULARIZERS = "Regularizers"
    CONSTRAINTS = "Constraints"
    DROPOUT = "Dropout"
    STATE = "State and execution"
    IO = "Input and output"


class _Required:
    """Keras's marker for an argument without a default (only `units`)."""

    def __repr__(self) -> str:
        return "required"


REQUIRED = _Required()

# Activation names Keras resolves by string. `glu` and `threshold` exist but fail inside an LSTM
# cell (glu halves the last axis, threshold needs extra arguments), so they are refused up front.
ACTIVATIONS: tuple[str, ...] = (
    "celu",
    "elu",
    "exponential",
    "gelu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
)
UNUSABLE_ACTIVATIONS: dict[str, str] = {
    "glu": "glu halves the last axis, so the LSTM cell's shapes no longer fit",
    "threshold": "threshold needs its own threshold and default_value arguments",
}

# What --random-seed (keras.utils.set_random_seed) is when not given: the same command, the same numbers.
DEFAULT_RANDOM_SEED = 42
# The tutorial's sample is 1 × 10 × 2; --batch, --timesteps and --features default to these sizes.
TUTORIAL_BATCH, TUTORIAL_TIMESTEPS, TUTORIAL_FEATURES = 1, 10, 2

# What each kind of value looks like on the command line (the flags' help) and in a `vary` sweep.
SPEC_EXAMPLES: dict[Kind, str] = {
    Kind.ACTIVATION: "a name such as relu, or none",
    Kind.INITIALIZER: "a name or a call: glorot_uniform, constant(0.5), random_normal(stddev=0.05)",
    Kind.REGULARIZER: "a name or a call: l2(0.001), l1_l2(l1=0.01, l2=0.01), or none",
    Kind.CONSTRAINT: "a name or a call: max_norm(2.0), non_neg, or none",
}
VARY_EXAMPLES: dict[Kind, str] = {Kind.POSITIVE_INT: "1 2 4 8", Kind.RATE: "0 0.25 0.5", Kind.SEED: "1 2 3"}
VARY_SPEC_EXAMPLE = "'l2(0.01)' 'l2(0.1)'"

# Names the command line takes only as a call with arguments: written bare (or called empty) they
# would silently do nothing, where Keras's own string lookup fails.
_CONSTANT = (
    "its value, e.g. constant(0.5)",
    "Keras's own string 'constant' fails (initializers.get raises "
    "KeyError: 'value') and Constant() without a value fills zeros",
)
_L1_L2 = (
    "its factors, e.g. l1_l2(l1=0.01, l2=0.01)",
    "without them both are 0 in Keras 3, a penalty of nothing, and Keras refuses the string 'l1_l2'",
)
_L1L2_STRING = (_L1_L2[0], "Keras reads the string 'l1l2' as both factors 0, a penalty of nothing")
NEEDS_ARGUMENTS: dict[str, tuple[str, str]] = {
    "constant": _CONSTANT,
    "Constant": _CONSTANT,
    "l1_l2": _L1_L2,
    "L1L2": _L1_L2,
    "l1l2": _L1L2_STRING,
}

# The public classes of keras.initializers / regularizers / constraints, in both spellings.
INITIALIZERS: tuple[str, ...] = (
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "IdentityInitializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "OrthogonalInitializer",
    "RandomNormal",
    "RandomUniform",
    "STFT",
    "STFTInitializer",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "constant",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "stft",
    "truncated_normal",
    "variance_scaling",
    "zeros",
)
REGULARIZERS: tuple[str, ...] = (
    "L1",
    "L1L2",
    "L2",
    "OrthogonalRegularizer",
    "l1",
    "l1_l2",
    "l2",
    "orthogonal_regularizer",
)
CONSTRAINTS: tuple[str, ...] = (
    "MaxNorm",
    "MinMaxNorm",
    "NonNeg",
    "UnitNorm",
    "max_norm",
    "min_max_norm",
    "non_neg",
    "unit_norm",
)

VOCABULARY: dict[Kind, tuple[str, ...]] = {
    Kind.ACTIVATION: ACTIVATIONS,
    Kind.INITIALIZER: INITIALIZERS,
    Kind.REGULARIZER: REGULARIZERS,
    Kind.CONSTRAINT: CONSTRAINTS,
}

# The Keras module each spec kind's names live in (resolved by the engine, never here).
SPEC_MODULES: dict[Kind, str] = {
    Kind.INITIALIZER: "initializers",
    Kind.REGULARIZER: "regularizers",
    Kind.CONSTRAINT: "constraints",
}


@dataclass(frozen=True)
class Argument:
    """One LSTM constructor argument.

    `default` is what the tool uses when the flag is absent; it equals Keras's own default except
    for `units`, which Keras requires and the tool fills with the tutorial's 3 (`keras_default`
    says so).
    """

    name: str
    kind: Kind
    default: object
    panel: Panel
    summary: str
    keras_default: object = None
    removed_in_keras3: bool = False
    kwargs_only: bool = False
    # The weight an initializer, regularizer or constraint acts on (a name in WEIGHTS).
    weight: str | None = None
    # Whether torch.nn.LSTM has a switch for it; `code --framework torch` lists the others.
    torch_switch: bool = False
    # What `vary` tries when given no values (booleans try both); numbers and specs need the user's.
    vary_values: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def is_keras3_argument(self) -> bool:
        """Whether `keras.layers.LSTM.__init__` names it (the Keras 2 leftovers are not)."""
        return not (self.removed_in_keras3 or self.kwargs_only)

    @property
    def vary_defaults(self) -> tuple[str, ...]:
        return ("false", "true") if self.kind is Kind.BOOL else self.vary_values

    @property
    def shares_weights_in_vary(self) -> bool:
        """Whether `vary` may start every row from the first row's weights: not when the argument
        itself decides the initial weights (an initializer, or unit_forget_bias)."""
        return self.kind is not Kind.INITIALIZER and self.name != "unit_forget_bias"


def _arg(name: str, kind: Kind, default: object, panel: Panel, summary: str, **extra: object) -> Argument:
    extra.setdefault("keras_default", default)
    return Argument(name, kind, default, panel, summary, **extra)  # type: ignore[arg-type]


ARGUMENTS: tuple[Argument, ...] = (
    _arg(
        "units",
        Kind.POSITIVE_INT,
        3,
        Panel.SHAPE,
        "Size of the hidden state h and cell state c (not the number of timesteps).",
        keras_default=REQUIRED,
        torch_switch=True,
    ),
    _arg(
        "activation",
        Kind.ACTIVATION,
        "tanh",
        Panel.ACTIVATIONS,
        "Squashes the candidate c̃ and the cell state on its way to h; 'none' means linear.",
        vary_values=("tanh", "relu", "sigmoid", "softsign", "linear"),
    ),
    _arg(
        "recurrent_activation",
        Kind.ACTIVATION,
        "sigmoid",
        Panel.ACTIVATIONS,
        "The gates' activation: input i, forget f and output o.",
        vary_values=("sigmoid", "hard_sigmoid", "tanh", "linear"),
    ),
    _arg(
        "use_bias",
        Kind.BOOL,
        True,
        Panel.SHAPE,
        "Add a bias vector b to every gate (4 × units parameters).",
        torch_switch=True,
    ),
    _arg(
        "kernel_initializer",
        Kind.INITIALIZER,
        "glorot_uniform",
        Panel.INITIALIZERS,
        "Initial values of the input kernel K (input_dim × 4·units).",
        weight="kernel",
    ),
    _arg(
        "recurrent_initializer",
        Kind.INITIALIZER,
        "orthogonal",
        Panel.INITIALIZERS,
        "Initial values of the recurrent kernel R (units × 4·units).",
        weight="recurrent_kernel",
    ),
    _arg(
        "bias_initializer",
        Kind.INITIALIZER,
        "zeros",
        Panel.INITIALIZERS,
        "Initial values of the bias b (4·units).",
        weight="bias",
    ),
    _arg(
        "unit_forget_bias",
        Kind.BOOL,
        True,
        Panel.INITIALIZERS,
        "Start the forget gate's bias at 1, whatever the bias initializer gives.",
    ),
    _arg(
        "kernel_regularizer",
        Kind.REGULARIZER,
        None,
        Panel.REGULARIZERS,
        "Penalty on K added to the training loss.",
        weight="kernel",
    ),
    _arg(
        "recurrent_regularizer",
        Kind.REGULARIZER,
        None,
        Panel.REGULARIZERS,
        "Penalty on R added to the training loss.",
        weight="recurrent_kernel",
    ),
    _arg(
        "bias_regularizer",
        Kind.REGULARIZER,
        None,
        Panel.REGULARIZERS,
        "Penalty on b added to the training loss.",
        weight="bias",
    ),
    _arg(
        "activity_regularizer",
        Kind.REGULARIZER,
        None,
        Panel.REGULARIZERS,
        "Penalty on the layer's output, divided by the batch size.",
    ),
    _arg(
        "kernel_constraint",
        Kind.CONSTRAINT,
        None,
        Panel.CONSTRAINTS,
        "Projection applied to K after each optimizer step.",
        weight="kernel",
    ),
    _arg(
        "recurrent_constraint",
        Kind.CONSTRAINT,
        None,
        Panel.CONSTRAINTS,
        "Projection applied to R after each optimizer step.",
        weight="recurrent_kernel",
    ),
    _arg(
        "bias_constraint",
        Kind.CONSTRAINT,
        None,
        Panel.CONSTRAINTS,
        "Projection applied to b after each optimizer step.",
        weight="bias",
    ),
    _arg("dropout", Kind.RATE, 0.0, Panel.DROPOUT, "Fraction of the input x_t dropped in training mode only."),
    _arg(
        "recurrent_dropout", Kind.RATE, 0.0, Panel.DROPOUT, "Fraction of the previous h dropped in training mode only."
    ),
    _arg("seed", Kind.SEED, None, Panel.DROPOUT, "Seed of the dropout masks (the weights use --random-seed)."),
    _arg(
        "return_sequences",
        Kind.BOOL,
        False,
        Panel.SHAPE,
        "Return h for every timestep instead of only the last one.",
        torch_switch=True,
    ),
    _arg(
        "return_state",
        Kind.BOOL,
        False,
        Panel.SHAPE,
        "Also return the final h and c: (output, h, c).",
        torch_switch=True,
    ),
    _arg("go_backwards", Kind.BOOL, False, Panel.STATE, "Read the sequence from the last timestep to the first."),
    _arg("stateful", Kind.BOOL, False, Panel.STATE, "Carry the final h and c of each sample into the next call."),
    _arg(
        "unroll",
        Kind.BOOL,
        False,
        Panel.STATE,
        "Unroll the time loop into a straight graph instead of a symbolic loop.",
    ),
    _arg(
        "use_cudnn",
        Kind.CUDNN,
        "auto",
        Panel.STATE,
        "Use the cuDNN kernel on a GPU: auto (when eligible), true (or fail), false.",
        vary_values=("auto", "false", "true"),
    ),
    _arg(
        "implementation",
        Kind.IMPLEMENTATION,
        None,
        Panel.STATE,
        "Keras 2's kernel choice (1 or 2), not in Keras 3's signature but still read: 1 draws a dropout mask per gate.",
        kwargs_only=True,
        vary_values=("1", "2"),
    ),
    _arg(
        "time_major",
        Kind.TIME_MAJOR,
        None,
        Panel.STATE,
        "Keras 2's (timesteps, batch, features) layout; removed in Keras 3.",
        removed_in_keras3=True,
        torch_switch=True,
    ),
)

BY_NAME: dict[str, Argument] = {argument.name: argument for argument in ARGUMENTS}


@dataclass(frozen=True)
class Gate:
    """One of the four column blocks of K, R and b, in Keras's order.

    `key` is its name in JSON documents (gate_columns, per-gate statistics); `symbol` is how every
    view writes it, so the candidate is c̃ on screen and never confused with the cell state c.
    """

    key: str
    symbol: str
    meaning: str


GATES: tuple[Gate, ...] = (
    Gate("i", "i", "input gate"),
    Gate("f", "f", "forget gate"),
    Gate("c", "c̃", "candidate"),
    Gate("o", "o", "output gate"),
)
GATE_SYMBOLS: dict[str, str] = {gate.key: gate.symbol for gate in GATES}


@dataclass(frozen=True)
class Weight:
    """One of the layer's weights, as Keras names it, with its symbol in the equations."""

    name: str
    symbol: str
    meaning: str


WEIGHTS: tuple[Weight, ...] = (
    Weight("kernel", "K", "K: input x_t → the four gates"),
    Weight("recurrent_kernel", "R", "R: previous h → the four gates"),
    Weight("bias", "b", "b: one bias per gate and unit"),
)
WEIGHT_BY_NAME: dict[str, Weight] = {weight.name: weight for weight in WEIGHTS}


def lookup(name: str) -> Argument | None:
    """Find an argument however the user spelled it: `return_sequences`, `return-sequences`, `--return-sequences`."""
    return BY_NAME.get(name.strip().lstrip("-").replace("-", "_").lower())
