"""What `explain` claims about Keras, each claim tied to the check that shows it on the installed Keras.

Every pitfall, every Values paragraph and every Keras 2 → 3 paragraph of every page is covered by at
least one `Claim`: a `check` that runs against the installed Keras (or the tool) and fails when the
claim stops being true, or, where no check can run here (a GPU, Keras 2), a `source` it rests on.
`quote` is an exact piece of the English text the claim is about, so editing the text without
revisiting its check fails the suite too. Each `TRY` check runs a page's "Try it" command and shows
that its output differs from the default run in the way the page says.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from typer.testing import CliRunner

# "training": the "In training" paragraph, which only the IN_TRAINING pages have.
SECTIONS = ("pitfalls", "values", "keras2to3", "training")


def keras_module():
    """Keras, imported when a check first runs (collecting the claims stays cheap)."""
    import keras

    return keras


def seeded_layer(units: int, x, **kwargs):
    """An LSTM(units) built on x's shape, its weights fixed by `keras.utils.set_random_seed(0)` alone,
    so two layers differing only in `kwargs` start from the same weights."""
    keras = keras_module()
    keras.utils.set_random_seed(0)
    layer = keras.layers.LSTM(units, **kwargs)
    layer.build(x.shape)
    return layer


TERMINAL = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


@dataclass(frozen=True)
class Claim:
    """One claim of one page section; `item` is the pitfall's index (None for the paragraphs)."""

    argument: str
    section: str
    quote: str
    item: int | None = None
    check: Callable[[], None] | None = None
    # Where no check can run here: what the claim rests on. A path under keras/ (the installed
    # package) must contain `snippet`; any other source must say why it can't be checked here.
    source: str | None = None
    snippet: str | None = None


def tool(*args: str):
    """Run lstm-explore in-process, as a user would, and return typer's Result."""
    from lstm_explorer.cli import app

    return CliRunner().invoke(app, list(args), env=TERMINAL)


def tool_json(*args: str) -> dict:
    result = tool(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def try_json(argument: str) -> dict:
    """The JSON document of the page's own "Try it" command."""
    from lstm_explorer.explanations import texts

    words = shlex.split(str(texts("en")[argument]["try"]))
    assert words[0] == "lstm-explore"
    return tool_json(*words[1:])
