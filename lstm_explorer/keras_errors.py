"""The messages the installed Keras gives when an LSTM is misused, each tied to the `explain` page on it.

`lstm-explore explain "expected ndim=3, found ndim=2"` finds the entry whose Keras wording the pasted
text contains and shows that page, after a short section saying what the message means and how to fix
it. The wording is data: tests/test_keras_errors.py triggers every misuse against the installed Keras
and checks each fragment against the real exception text, so a Keras release that rewords a message
fails there rather than here. The meaning and the fix are messages (`keras_errors.<id>_meaning`,
`keras_errors.<id>_fix`) in the language files.

No Keras import: `explain` must stay instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lstm_explorer.language import say


@dataclass(frozen=True)
class KerasError:
    """One message Keras gives for a misused LSTM.

    `fragments` are pieces of Keras's own wording, any one of which identifies the message; the first
    is the one shown. A fragment too generic to mean an LSTM misuse on its own (a bare IndexError's
    'list index out of range') also needs one of `context` somewhere in the text, as the wrapper Keras
    puts around errors raised in a call ('Exception encountered when calling LSTM.call()') provides.
    """

    id: str
    fragments: tuple[str, ...]
    page: str
    context: tuple[str, ...] = ()

    @property
    def meaning(self) -> str:
        """What the message means, in the language being spoken."""
        return say(f"keras_errors.{self.id}_meaning")

    @property
    def fix(self) -> str:
        """How to fix it (a runnable lstm-explore command or the code change), in the language being spoken."""
        return say(f"keras_errors.{self.id}_fix")


# Checked in order; the first entry that matches wins, so an entry narrowed by `context` comes before
# a wider one with the same fragment.
KERAS_ERRORS: tuple[KerasError, ...] = (
    # A symbolic tensor (batch None) of rank 2 reaching an LSTM comes from the layer before it.
    KerasError(
        "stacked_without_sequences",
        ("expected ndim=3, found ndim=2",),
        "return_sequences",
        context=("Full shape received: (None,",),
    ),
    # Otherwise the message cannot tell a stacked LSTM from one sample fed without its batch axis.
    KerasError("input_2d", ("expected ndim=3, found ndim=2",), "return_sequences"),
    KerasError(
        "stateful_dynamic_batch",
        ("When using `stateful=True` in a RNN, the batch size must be static",),
        "stateful",
    ),
    KerasError(
        "stateful_batch_changed",
        ("If an RNN is stateful, the batch size of the input sequences must be the same",),
        "stateful",
    ),
    KerasError(
        "batch_input_shape",
        ("Unrecognized keyword arguments passed to LSTM: {'batch_input_shape'",),
        "stateful",
    ),
    KerasError(
        "initial_state_not_a_pair",
        ("list index out of range", "tuple index out of range"),
        "initial_state",
        context=("LSTM",),
    ),
    KerasError("state_width", ("Matrix size-incompatible",), "initial_state", context=("LSTM",)),
    KerasError("time_major", ("Unrecognized keyword arguments passed to LSTM: {'time_major'",), "time_major"),
    KerasError(
        "cudnn_unsupported",
        ("use_cudnn=True was specified, but cuDNN is not supported for this layer configuration",),
        "use_cudnn",
    ),
    KerasError("cudnn_value", ("Invalid valid received for argument `use_cudnn`",), "use_cudnn"),
    KerasError(
        "units_not_positive",
        ("Received an invalid value for argument `units`, expected a positive integer",),
        "units",
    ),
    KerasError(
        "units_not_a_number",
        (
            "'<=' not supported between instances of 'str' and 'int'",
            "'<=' not supported between instances of 'NoneType' and 'int'",
        ),
        "units",
        context=("units", "LSTM"),
    ),
    KerasError("unknown_activation", ("Could not interpret activation function identifier",), "activation"),
    KerasError("unknown_initializer", ("Could not interpret initializer identifier",), "kernel_initializer"),
    KerasError("unknown_regularizer", ("Could not interpret regularizer identifier",), "kernel_regularizer"),
    KerasError("unknown_constraint", ("Could not interpret constraint identifier",), "kernel_constraint"),
    KerasError("seed_not_int", ("Argument `seed` must be an integer",), "seed"),
    KerasError("unroll_unknown_length", ("Cannot unroll a RNN if the time dimension is undefined",), "unroll"),
    KerasError(
        "bidirectional_same_direction",
        ("Forward layer and backward layer should have different `go_backwards` value",),
        "bidirectional",
    ),
    KerasError("merge_mode_invalid", ("Invalid merge mode. Received:",), "merge_mode"),
    # A layer fed what a layer below returned as several tensors: Bidirectional's two halves…
    KerasError("two_tensors_into_one", ("expects 1 input(s), but it received 2 input tensors",), "merge_mode"),
    # …or an LSTM's output and states (three, or five from a Bidirectional one).
    KerasError(
        "states_into_next_layer",
        (
            "expects 1 input(s), but it received 3 input tensors",
            "expects 1 input(s), but it received 5 input tensors",
        ),
        "return_state",
    ),
    # A UserWarning, not an error: Keras 3 still builds the layer.
    KerasError("input_shape_argument", ("Do not pass an `input_shape`/`input_dim` argument to a layer",), "units"),
)

# A typed part of a message, rather than a pasted whole one, must be this long to name one entry.
MIN_PART_WORDS = 3
MIN_PART_CHARS = 16

_ANSI = re.compile(r"\x1b?\[[0-9;]*m")


def normalised(text: str) -> str:
    """`text` as messages are compared: without ANSI codes (or what is left of them once pasted) and
    backticks, in lower case, with every run of whitespace one space."""
    return " ".join(_ANSI.sub("", text).replace("`", "").casefold().split())


@dataclass(frozen=True)
class Match:
    """A known Keras error found in a user's text, and the fragment of Keras's words that found it."""

    error: KerasError
    fragment: str


def find(text: str) -> Match | None:
    """The known Keras error `text` is, or is a distinctive part of; None when it is neither.

    `text` may be the whole message as Keras prints it, wrapper, traceback and ANSI codes included
    (a fragment is inside it), or a part of one (it is inside a fragment that needs no context, and
    is at least MIN_PART_WORDS words and MIN_PART_CHARS characters long).
    """
    given = normalised(text)
    for error in KERAS_ERRORS:
        if error.context and not any(normalised(c) in given for c in error.context):
            continue
        for fragment in error.fragments:
            if normalised(fragment) in given:
                return Match(error, fragment)
    if len(given) < MIN_PART_CHARS or len(given.split()) < MIN_PART_WORDS:
        return None
    for error in KERAS_ERRORS:
        for fragment in error.fragments:
            if not error.context and given in normalised(fragment):
                return Match(error, fragment)
    return None
