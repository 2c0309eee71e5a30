"""Everything `explain` says about one LSTM argument, assembled without importing TensorFlow.

Its pages cover the constructor's arguments (catalogue.ARGUMENTS) and, beside them, the layer's call
arguments and the two ways its mask is usually made (catalogue.RELATED); `vary` and the flags know
only the first.

The long texts live in `texts/<lang>.toml` as data; Keras's own words come from the installed Keras
(read as source) or, failing that, from the bundled copy in `texts/keras_doc.json`.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import asdict, dataclass

from lstm_explorer.catalogue import (
    ARGUMENTS,
    EXPLAINED,
    REQUIRED,
    VOCABULARY,
    Argument,
    Kind,
    Panel,
    Related,
    lookup,
    lookup_page,
)
from lstm_explorer.errors import UsageError, shorten
from lstm_explorer.keras_doc import KerasDoc, read_keras_doc
from lstm_explorer.language import LANGUAGES as LANGUAGES
from lstm_explorer.language import TEXTS_DIR, UnknownLanguage, checked, page, say, speaking
from lstm_explorer.language import texts as language_texts


@dataclass(frozen=True)
class KerasSays:
    """Keras's docstring text for one argument and where it came from."""

    text: str | None
    version: str | None
    source: str


@dataclass(frozen=True)
class Explanation:
    name: str
    lang: str
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
    # What the argument does to learning, and a fit / vary --fit command that shows it (see IN_TRAINING).
    in_training: str | None = None
    in_training_try: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def checked_language(lang: str) -> str:
    """`lang` normalised, or a UsageError naming the languages there are."""
    try:
        return checked(lang)
    except UnknownLanguage as error:
        raise UsageError(str(error)) from None


def texts(lang: str) -> dict[str, dict[str, object]]:
    """The language file, or a UsageError naming the languages there are."""
    return language_texts(checked_language(lang))


@functools.cache
def bundled_keras_doc() -> dict[str, object]:
    with open(os.path.join(TEXTS_DIR, "keras_doc.json"), encoding="utf-8") as handle:
        return json.load(handle)


def bundled_doc() -> KerasDoc:
    """The bundled copy as a KerasDoc: LSTM's `Args:` under "arguments", the other places under "sections"."""
    bundled = bundled_keras_doc()
    arguments, sections = bundled["arguments"], bundled.get("sections", {})
    assert isinstance(arguments, dict) and isinstance(sections, dict)
    return KerasDoc(str(bundled["version"]), None, {"LSTM": arguments, **sections})


def keras_says(argument: Argument | Related) -> KerasSays:
    """The installed Keras's words when readable, else the bundled copy, saying which it is."""
    doc = read_keras_doc()
    if doc.problem is None:
        return KerasSays(doc.says(argument.documented_in, argument.name), doc.version, "installed Keras")
    bundled = bundled_doc()
    return KerasSays(
        bundled.says(argument.documented_in, argument.name),
        bundled.version,
        f"bundled copy ({doc.problem})",
    )


def display_default(argument: Argument | Related, lang: str = "en") -> str:
    """The default as the overview and the Values line show it; Keras's own values stay code."""
    if isinstance(argument, Argument) and argument.keras_default is REQUIRED:
        with speaking(checked_language(lang)):
            return say("values.required_default", default=argument.default)
    return "None" if argument.default is None else repr(argument.default)


def kind_name(kind: Kind, lang: str = "en") -> str:
    """How a value is written, in the reader's language (the catalogue holds the English)."""
    return kind.value if lang == "en" else str(page(checked_language(lang), "kinds")[kind.name.lower()])


def panel_name(panel: Panel, lang: str = "en") -> str:
    """The `--help` panel an argument sits in, in the reader's language."""
    return panel.value if lang == "en" else str(page(checked_language(lang), "panels")[panel.name.lower()])


def summary(argument: Argument | Related, lang: str = "en") -> str:
    """The one-line meaning, from the language file (beside the argument's long explanation)."""
    with speaking(checked_language(lang)):
        return argument.summary


def overview(lang: str = "en") -> list[dict[str, str]]:
    """One row per page, in catalogue order (the constructor's arguments, then RELATED): what the
    overview table and its JSON show."""
    return [
        {
            "name": a.name,
            "default": display_default(a, lang),
            "summary": summary(a, lang),
            "panel": panel_name(a.panel, lang),
        }
        for a in EXPLAINED
    ]


def suggestions(name: str, limit: int = 5, pages: bool = False) -> list[str]:
    """Argument names a mistyped one may mean, most telling first.

    Names that contain it (`state`: `return_state`, `stateful`; `cudnn`: `use_cudnn`), then names
    that contain one of its words when few do (`forget_gate`: `unit_forget_bias`), then near spellings
    and the names built on them (`dropuot`: `dropout`, `recurrent_dropout`). Among the constructor's
    arguments, or among every page `explain` has when `pages` is true.
    """
    from lstm_explorer.specs import closest

    key = name.strip().lstrip("-").replace("-", "_").lower()
    names = [a.name for a in (EXPLAINED if pages else ARGUMENTS)]
    found: list[str] = []

    def add(more: list[str]) -> None:
        found.extend(n for n in more if n not in found)

    if len(key) >= 3:
        add([n for n in names if key in n])
    for word in (w for w in key.split("_") if len(w) >= 4 and w != key):
        having = [n for n in names if word in n]
        if len(having) <= 2:
            add(having)
    near = closest(key, names, n=2)
    add(near)
    add([n for n in names if any(close in n for close in near)])
    return found[:limit]


def resolve(name: str, command: str = "explain") -> Argument:
    """The constructor argument however it was spelled, or a UsageError suggesting the closest ones."""
    argument = lookup(name)
    if argument is not None:
        return argument
    raise _unknown(name, command, suggestions(name))


def resolve_page(name: str) -> Argument | Related:
    """What `explain` has a page on (an argument, a call argument, mask_value, padding), however
    spelled, or the page on a known Keras error message `name` is (or is a distinctive part of)."""
    page = lookup_page(name) or _error_page(name)
    if page is not None:
        return page
    raise _unknown(name, "explain", suggestions(name, pages=True), "values.unknown_page")


def _error_page(text: str) -> Argument | Related | None:
    from lstm_explorer.keras_errors import find

    found = find(text)
    return None if found is None else lookup_page(found.error.page)


@dataclass(frozen=True)
class ErrorExplanation:
    """A known Keras error found in the user's text: Keras's words (English, as Keras says them), what
    they mean and the fix (in the reader's language), and the page that explains the argument."""

    id: str
    keras_says: str
    meaning: str
    fix: str
    page: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def explain_error(text: str, lang: str = "en") -> ErrorExplanation | None:
    """The known Keras error `text` is (the whole message as Keras prints it, or a distinctive part of
    it), explained in `lang`; None when it is an argument's name or no known error."""
    if lookup_page(text) is not None:
        return None
    from lstm_explorer.keras_errors import find

    found = find(text)
    if found is None:
        return None
    with speaking(checked_language(lang)):
        error = found.error
        return ErrorExplanation(error.id, found.fragment, error.meaning, error.fix, error.page)


def _unknown(name: str, command: str, near_names: list[str], key: str = "values.unknown_argument") -> UsageError:
    near = [repr(n) for n in near_names]
    hint = say("values.no_suggestion")
    if near:
        options = near[0] if len(near) == 1 else say("values.or").join([say("values.comma").join(near[:-1]), near[-1]])
        hint = say("values.did_you_mean", options=options)
    return UsageError(say(key, command=command, name=repr(shorten(name)), hint=hint))


def _items(value: object) -> list[object]:
    assert isinstance(value, list), value
    return value


def explain(name: str, lang: str = "en") -> Explanation:
    argument = resolve_page(name)
    entry = page(checked_language(lang), argument.name)
    return Explanation(
        name=argument.name,
        lang=lang,
        flag=argument.flag,
        panel=panel_name(argument.panel, lang),
        default=display_default(argument, lang),
        kind=kind_name(argument.kind, lang),
        summary=summary(argument, lang),
        keras_says=keras_says(argument),
        equations=str(page(checked_language(lang), "equations")["text"]).strip(),
        what=str(entry["what"]),
        shapes=str(entry["shapes"]),
        values=str(entry["values"]),
        accepted_names=list(VOCABULARY.get(argument.kind, ())),
        pitfalls=[str(p) for p in _items(entry["pitfalls"])],
        pytorch=str(entry["pytorch"]),
        keras2to3=str(entry["keras2to3"]),
        try_it=str(entry["try"]),
        in_training=None if "training" not in entry else str(entry["training"]),
        in_training_try=None if "training_try" not in entry else str(entry["training_try"]),
    )
