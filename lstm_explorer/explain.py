"""Everything `explain` says about one LSTM argument, assembled without importing TensorFlow.

The long texts live in `texts/<lang>.toml` as data; Keras's own words come from the installed Keras
(read as source) or, failing that, from the bundled copy in `texts/keras_doc.json`.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from dataclasses import asdict, dataclass

from lstm_explorer.catalogue import ARGUMENTS, REQUIRED, VOCABULARY, Argument, lookup
from lstm_explorer.errors import UsageError, shorten
from lstm_explorer.keras_doc import read_keras_doc

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

LANGUAGES = ("en", "zh")
TEXTS_DIR = os.path.join(os.path.dirname(__file__), "texts")


@dataclass(frozen=True)
class KerasSays:
    """Keras's docstring text for one argument and where it came from."""

    text: str | None
    version: str | None
    source: str


@dataclass(frozen=True)
class Explanation:
    name: str
    flag: str
    panel: str
    default: str
    kind: str
    summary: str
    keras_says: KerasSays
    equations: str
    what: str
    shapes: str
    values: str
    accepted_names: list[str]
    pitfalls: list[str]
    pytorch: str
    keras2to3: str
    try_it: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@functools.cache
def texts(lang: str) -> dict[str, dict[str, object]]:
    if lang not in LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    with open(os.path.join(TEXTS_DIR, f"{lang}.toml"), "rb") as handle:
        return tomllib.load(handle)


@functools.cache
def bundled_keras_doc() -> dict[str, object]:
    with open(os.path.join(TEXTS_DIR, "keras_doc.json"), encoding="utf-8") as handle:
        return json.load(handle)


def keras_says(argument: Argument) -> KerasSays:
    """The installed Keras's words when readable, else the bundled copy, saying which it is."""
    doc = read_keras_doc()
    if doc.problem is None:
        return KerasSays(doc.arguments.get(argument.name), doc.version, "installed Keras")
    bundled = bundled_keras_doc()
    arguments = bundled["arguments"]
    assert isinstance(arguments, dict)
    return KerasSays(
        arguments.get(argument.name),
        str(bundled["version"]),
        f"bundled copy ({doc.problem})",
    )


def display_default(argument: Argument) -> str:
    if argument.keras_default is REQUIRED:
        return "required (the tool uses 3)"
    return "None" if argument.default is None else repr(argument.default)


def resolve(name: str, command: str = "explain") -> Argument:
    """The argument however it was spelled, or a UsageError suggesting the closest ones."""
    argument = lookup(name)
    if argument is not None:
        return argument
    from lstm_explorer.specs import closest

    key = name.strip().lstrip("-").replace("-", "_").lower()
    names = [a.name for a in ARGUMENTS]
    near = closest(key, names, n=2)
    near += [n for n in names if n not in near and any(found in n for found in near)]
    hint = f"; did you mean {', '.join(repr(n) for n in near[:3])}?" if near else ""
    raise UsageError(f"{command}: unknown argument {shorten(name)!r}{hint} Run 'lstm-explore explain' for the list")


def explain(name: str, lang: str = "en") -> Explanation:
    argument = resolve(name)
    table = texts(lang)
    entry = table[argument.name]
    return Explanation(
        name=argument.name,
        flag=argument.flag,
        panel=argument.panel.value,
        default=display_default(argument),
        kind=argument.kind.value,
        summary=argument.summary,
        keras_says=keras_says(argument),
        equations=str(table["equations"]["text"]).strip(),
        what=str(entry["what"]),
        shapes=str(entry["shapes"]),
        values=str(entry["values"]),
        accepted_names=list(VOCABULARY.get(argument.kind, ())),
        pitfalls=[str(p) for p in entry["pitfalls"]],  # type: ignore[union-attr]
        pytorch=str(entry["pytorch"]),
        keras2to3=str(entry["keras2to3"]),
        try_it=str(entry["try"]),
    )
