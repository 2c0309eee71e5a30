"""Every argument of `keras.layers.LSTM`, described once.

Flags, validation, the configuration table and `explain` all read this module, so an argument is
added or changed here and nowhere else. It must stay importable without TensorFlow: the names Keras
accepts are listed as data, and the test suite holds them against the installed Keras.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from lstm_explorer.language import say


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
    # The values of what explain covers beside the constructor (RELATED): not flags generated here.
    MASK = "boolean mask, batch × timesteps"
    STATES = "list [h, c], each batch × units"
    NUMBER = "number"
    PADDING = "pre or post"
    MERGE_MODE = "concat, sum, mul, ave or none"
    LAYERS = "units per LSTM layer, e.g. 8,4"
    DENSE = "units, or units:activation"


class Panel(str, Enum):
    """The `--help` panels, in the order they are shown."""

    SHAPE = "Shape and outputs"
    ACTIVATIONS = "Activations"
    INITIALIZERS = "Initializers"
    REGULARIZERS = "Regularizers"
    CONSTRAINTS = "Constraints"
    DROPOUT = "Dropout"
    STATE = "State and execution"
    CALL = "Call arguments"
    MODEL = "The layer in a model"
    TRAINING = "Training"
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
    "glu": "values.reason_glu",
    "threshold": "values.reason_threshold",
}

# What --random-seed (keras.utils.set_random_seed) is when not given: the same command, the same numbers.
DEFAULT_RANDOM_SEED = 42
# The tutorial's sample is 1 × 10 × 2; --batch, --timesteps and --features default to these sizes.
TUTORIAL_BATCH, TUTORIAL_TIMESTEPS, TUTORIAL_FEATURES = 1, 10, 2

# The kinds of value whose flag help says how one is written (the texts' help.example.<kind>), and
# what a `vary` sweep of each kind looks like.
EXAMPLE_KINDS = frozenset({Kind.ACTIVATION, Kind.INITIALIZER, Kind.REGULARIZER, Kind.CONSTRAINT})
VARY_EXAMPLES: dict[Kind, str] = {Kind.POSITIVE_INT: "1 2 4 8", Kind.RATE: "0 0.25 0.5", Kind.SEED: "1 2 3"}
VARY_SPEC_EXAMPLE = "'l2(0.01)' 'l2(0.1)'"

# Names the command line takes only as a call with arguments: written bare (or called empty) they
# would silently do nothing, where Keras's own string lookup fails. Each maps to the messages saying
# what the call needs and why.
_CONSTANT = ("values.reason_constant_needs", "values.reason_constant")
_L1_L2 = ("values.reason_l1_l2_needs", "values.reason_l1_l2")
NEEDS_ARGUMENTS: dict[str, tuple[str, str]] = {
    "constant": _CONSTANT,
    "Constant": _CONSTANT,
    "l1_l2": _L1_L2,
    "L1L2": _L1_L2,
    "l1l2": (_L1_L2[0], "values.reason_l1l2_string"),
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
    keras_default: object = None
    removed_in_keras3: bool = False
    kwargs_only: bool = False
    # The weight an initializer, regularizer or constraint acts on (a name in WEIGHTS).
    weight: str | None = None
    # Whether torch.nn.LSTM has a switch for it; `code --framework torch` lists the others.
    torch_switch: bool = False
    # What `vary` tries when given no values (booleans try both); numbers and specs need the user's.
    vary_values: tuple[str, ...] = ()
    # The live demonstration of what it does, if any: a name in effects.DEMONSTRATIONS, or
    # "constraint" (the constraints set are shown together, on one training step).
    demonstration: str | None = None
    # Whose docstring documents it (a place in keras_doc.PLACES): LSTM's own, or the RNN base class's
    # for the arguments LSTM takes through **kwargs.
    documented_in: str = "LSTM"

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def flags(self) -> tuple[str, ...]:
        return (self.flag,)

    @property
    def summary(self) -> str:
        """The one-line meaning, in the language being spoken (the texts' `summary` messages)."""
        return say(f"summary.{self.name}")

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


# Every initializer, regularizer and constraint is demonstrated the same way as the others of its kind.
_DEMONSTRATION_OF_KIND = {
    Kind.INITIALIZER: "initializer",
    Kind.REGULARIZER: "regularizer",
    Kind.CONSTRAINT: "constraint",
}


def _arg(name: str, kind: Kind, default: object, panel: Panel, **extra: object) -> Argument:
    extra.setdefault("keras_default", default)
    extra.setdefault("demonstration", _DEMONSTRATION_OF_KIND.get(kind))
    return Argument(name, kind, default, panel, **extra)  # type: ignore[arg-type]


ARGUMENTS: tuple[Argument, ...] = (
    _arg(
        "units",
        Kind.POSITIVE_INT,
        3,
        Panel.SHAPE,
        keras_default=REQUIRED,
        torch_switch=True,
    ),
    _arg(
        "activation",
        Kind.ACTIVATION,
        "tanh",
        Panel.ACTIVATIONS,
        vary_values=("tanh", "relu", "sigmoid", "softsign", "linear"),
    ),
    _arg(
        "recurrent_activation",
        Kind.ACTIVATION,
        "sigmoid",
        Panel.ACTIVATIONS,
        vary_values=("sigmoid", "hard_sigmoid", "tanh", "linear"),
    ),
    _arg(
        "use_bias",
        Kind.BOOL,
        True,
        Panel.SHAPE,
        torch_switch=True,
    ),
    _arg(
        "kernel_initializer",
        Kind.INITIALIZER,
        "glorot_uniform",
        Panel.INITIALIZERS,
        weight="kernel",
    ),
    _arg(
        "recurrent_initializer",
        Kind.INITIALIZER,
        "orthogonal",
        Panel.INITIALIZERS,
        weight="recurrent_kernel",
    ),
    _arg(
        "bias_initializer",
        Kind.INITIALIZER,
        "zeros",
        Panel.INITIALIZERS,
        weight="bias",
    ),
    _arg(
        "unit_forget_bias",
        Kind.BOOL,
        True,
        Panel.INITIALIZERS,
        demonstration="unit_forget_bias",
    ),
    _arg(
        "kernel_regularizer",
        Kind.REGULARIZER,
        None,
        Panel.REGULARIZERS,
        weight="kernel",
    ),
    _arg(
        "recurrent_regularizer",
        Kind.REGULARIZER,
        None,
        Panel.REGULARIZERS,
        weight="recurrent_kernel",
    ),
    _arg(
        "bias_regularizer",
        Kind.REGULARIZER,
        None,
        Panel.REGULARIZERS,
        weight="bias",
    ),
    _arg(
        "activity_regularizer",
        Kind.REGULARIZER,
        None,
        Panel.REGULARIZERS,
    ),
    _arg(
        "kernel_constraint",
        Kind.CONSTRAINT,
        None,
        Panel.CONSTRAINTS,
        weight="kernel",
    ),
    _arg(
        "recurrent_constraint",
        Kind.CONSTRAINT,
        None,
        Panel.CONSTRAINTS,
        weight="recurrent_kernel",
    ),
    _arg(
        "bias_constraint",
        Kind.CONSTRAINT,
        None,
        Panel.CONSTRAINTS,
        weight="bias",
    ),
    _arg("dropout", Kind.RATE, 0.0, Panel.DROPOUT, demonstration="dropout"),
    _arg("recurrent_dropout", Kind.RATE, 0.0, Panel.DROPOUT, demonstration="dropout"),
    _arg("seed", Kind.SEED, None, Panel.DROPOUT),
    _arg(
        "return_sequences",
        Kind.BOOL,
        False,
        Panel.SHAPE,
        demonstration="return_sequences",
        torch_switch=True,
    ),
    _arg(
        "return_state",
        Kind.BOOL,
        False,
        Panel.SHAPE,
        demonstration="return_state",
        torch_switch=True,
    ),
    _arg("go_backwards", Kind.BOOL, False, Panel.STATE, demonstration="go_backwards"),
    _arg("stateful", Kind.BOOL, False, Panel.STATE, demonstration="stateful"),
    _arg(
        "unroll",
        Kind.BOOL,
        False,
        Panel.STATE,
        demonstration="unroll",
    ),
    _arg(
        "use_cudnn",
        Kind.CUDNN,
        "auto",
        Panel.STATE,
        vary_values=("auto", "false", "true"),
    ),
    _arg(
        "implementation",
        Kind.IMPLEMENTATION,
        None,
        Panel.STATE,
        kwargs_only=True,
        vary_values=("1", "2"),
    ),
    _arg(
        "zero_output_for_mask",
        Kind.BOOL,
        False,
        Panel.SHAPE,
        kwargs_only=True,
        documented_in="RNN",
    ),
    _arg(
        "time_major",
        Kind.TIME_MAJOR,
        None,
        Panel.STATE,
        removed_in_keras3=True,
        torch_switch=True,
    ),
)

BY_NAME: dict[str, Argument] = {argument.name: argument for argument in ARGUMENTS}


@dataclass(frozen=True)
class Related:
    """Something `explain` covers that is not a constructor argument: an argument of the layer's call,
    or of the Masking layer or pad_sequences that make its mask.

    No flag is generated from it; `flags` names the flags the tool has for it. `default` is Keras's
    own (LSTM.call's, Masking's, pad_sequences's), as code; `documented_in` names the docstring
    (a place in keras_doc.PLACES) that explain quotes.
    """

    name: str
    kind: Kind
    default: object
    panel: Panel
    flags: tuple[str, ...]
    documented_in: str

    @property
    def flag(self) -> str:
        return " / ".join(self.flags)

    @property
    def summary(self) -> str:
        return say(f"summary.{self.name}")


# The arguments that act on learning rather than (only) on one forward pass: their explain pages
# have an "In training" section with a fit / vary --fit command.
IN_TRAINING = (
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "unit_forget_bias",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "seed",
    "stateful",
)

RELATED: tuple[Related, ...] = (
    Related("mask", Kind.MASK, None, Panel.CALL, ("--mask", "--lengths"), "LSTM.call"),
    Related("initial_state", Kind.STATES, None, Panel.CALL, ("--initial-h", "--initial-c"), "LSTM.call"),
    Related("training", Kind.BOOL, False, Panel.CALL, ("--training",), "LSTM.call"),
    Related("mask_value", Kind.NUMBER, 0.0, Panel.IO, ("--mask-value",), "Masking"),
    Related("padding", Kind.PADDING, "pre", Panel.IO, ("--padding",), "pad_sequences"),
    Related("bidirectional", Kind.BOOL, False, Panel.MODEL, ("--bidirectional",), "Bidirectional.opening"),
    Related("merge_mode", Kind.MERGE_MODE, "concat", Panel.MODEL, ("--merge-mode",), "Bidirectional"),
    Related("layers", Kind.LAYERS, None, Panel.MODEL, ("--layers", "--as-written"), "Sequential"),
    Related("dense", Kind.DENSE, None, Panel.MODEL, ("--dense",), "Dense"),
)

# Every page `explain` has, in the overview's order: the constructor's arguments, then the rest.
EXPLAINED: tuple[Argument | Related, ...] = (*ARGUMENTS, *RELATED)
EXPLAINED_BY_NAME: dict[str, Argument | Related] = {item.name: item for item in EXPLAINED}


@dataclass(frozen=True)
class Gate:
    """One of the four column blocks of K, R and b, in Keras's order.

    `key` is its name in JSON documents (gate_columns, per-gate statistics); `symbol` is how every
    view writes it, so the candidate is c̃ on screen and never confused with the cell state c.
    """

    key: str
    symbol: str

    @property
    def meaning(self) -> str:
        """What the block is, in the language being spoken ("input gate", "输入门")."""
        return say(f"lstm.gate_{self.key}")


GATES: tuple[Gate, ...] = (Gate("i", "i"), Gate("f", "f"), Gate("c", "c̃"), Gate("o", "o"))
GATE_SYMBOLS: dict[str, str] = {gate.key: gate.symbol for gate in GATES}


@dataclass(frozen=True)
class Weight:
    """One of the layer's weights, as Keras names it, with its symbol in the equations."""

    name: str
    symbol: str

    @property
    def meaning(self) -> str:
        """What it connects, in the language being spoken."""
        return say(f"lstm.weight_{self.name}")


WEIGHTS: tuple[Weight, ...] = (Weight("kernel", "K"), Weight("recurrent_kernel", "R"), Weight("bias", "b"))
WEIGHT_BY_NAME: dict[str, Weight] = {weight.name: weight for weight in WEIGHTS}


def lookup(name: str) -> Argument | None:
    """Find an argument however the user spelled it: `return_sequences`, `return-sequences`, `--return-sequences`."""
    return BY_NAME.get(_key(name))


def lookup_page(name: str) -> Argument | Related | None:
    """Like `lookup`, for everything `explain` has a page on (`mask`, `initial-state` too)."""
    return EXPLAINED_BY_NAME.get(_key(name))


def _key(name: str) -> str:
    return name.strip().lstrip("-").replace("-", "_").lower()
