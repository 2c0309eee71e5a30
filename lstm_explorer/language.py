"""The language the tool speaks, and every sentence it says, read from `texts/<lang>.toml`.

A command speaks one language from start to end, like a process's locale: the command line (or an
API call's `lang=`) enters `speaking(lang)` once, and `say(key, ...)` anywhere below it, in the
computations' sentences, the views and the error messages, picks that language's template. Nothing
is passed down a dozen calls for it, and a sentence is written in exactly one place per language.

Light on purpose: `--help` and `explain` use it and must stay instant.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

LANGUAGES = ("en", "zh")
DEFAULT = "en"
TEXTS_DIR = os.path.join(os.path.dirname(__file__), "texts")
# Checked in this order, as gettext does: the first one set decides.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_active: contextvars.ContextVar[str] = contextvars.ContextVar("lstm_explore_language", default=DEFAULT)


class UnknownLanguage(ValueError):
    """A --lang value that is not one of LANGUAGES."""


def checked(lang: str) -> str:
    """`lang` normalised (` ZH ` → `zh`), or UnknownLanguage naming the allowed values (in the language
    being spoken: the locale's, when the command line asked for an unknown one)."""
    normal = lang.strip().lower()
    if normal not in LANGUAGES:
        raise UnknownLanguage(say("cli.unknown_language", allowed=", ".join(LANGUAGES), got=repr(lang)))
    return normal


# Each language file holds the explanations first and every `[messages.*]` table after them; the two
# halves are parsed apart, so that `--help` and an error message don't pay for parsing every page.
MESSAGES_START = "\n[messages."


@functools.cache
def _halves(lang: str) -> tuple[str, str]:
    """The language file's text before its first `[messages.*]` table, and from it on."""
    with open(os.path.join(TEXTS_DIR, f"{checked(lang)}.toml"), encoding="utf-8") as handle:
        text = handle.read()
    split = text.find(MESSAGES_START) + 1 or len(text)
    return text[:split], text[split:]


@functools.cache
def texts(lang: str) -> dict[str, dict[str, object]]:
    """explain's pages per argument, and the tables of kinds and panels."""
    return tomllib.loads(_halves(lang)[0])


@functools.cache
def page(lang: str, name: str) -> dict[str, object]:
    """One table of the pages half (an argument's page, `panels`, `kinds`, `equations`), parsed on
    its own: `explain` shows one page, and parsing all of them is a good part of its start-up."""
    table: dict[str, object] = tomllib.loads(_pages(lang)[name])[name]
    return table


@functools.cache
def _pages(lang: str) -> dict[str, str]:
    """The pages half of a language file cut at each table's header line, by table."""
    return _cut(_halves(lang)[0], r"(?m)^(?=\[\w+\]\s*$)", r"\[(\w+)\]")


@functools.cache
def _chunks(lang: str) -> dict[str, str]:
    """The messages half of a language file cut at each `[messages.<section>]` table, by section."""
    return _cut(_halves(lang)[1], r"(?m)^(?=\[messages\.)", r"\[messages\.(\w+)\]")


def _cut(text: str, before: str, header: str) -> dict[str, str]:
    """`text` split where `before` matches, each part filed under the name `header` finds at its start."""
    chunks: dict[str, str] = {}
    for part in re.split(before, text):
        match = re.match(header, part)
        if match is not None:
            chunks[match.group(1)] = chunks.get(match.group(1), "") + part
    return chunks


@functools.cache
def section(lang: str, name: str) -> dict[str, str]:
    """One `[messages.<name>]` table's templates under their dotted keys, parsed when first needed:
    a command that says a few things parses only the sections they are in."""
    flat: dict[str, str] = {}

    def walk(prefix: str, table: Mapping[str, object]) -> None:
        for key, value in table.items():
            if isinstance(value, Mapping):
                walk(f"{prefix}.{key}", value)
            else:
                flat[f"{prefix}.{key}"] = str(value)

    chunk = _chunks(lang).get(name)
    if chunk is not None:
        walk(name, tomllib.loads(chunk)["messages"][name])
    return flat


def template(lang: str, key: str) -> str | None:
    """The template of `key` in `lang`, or None when there is no such message."""
    return section(lang, key.split(".", 1)[0]).get(key)


@functools.cache
def messages(lang: str) -> dict[str, str]:
    """Every message template of one language under its dotted key (`values.units_positive`)."""
    return {key: text for name in _chunks(lang) for key, text in section(lang, name).items()}


def from_locale(environ: Mapping[str, str]) -> str:
    """zh when the locale asks for Chinese (`zh_CN.UTF-8`, `zh_TW`, `zh`), en otherwise."""
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else DEFAULT
    return DEFAULT


def from_command_line(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The last `--lang X` / `--lang=X` of the arguments (before a `--`), else the locale's language.

    Read from the raw arguments because `--help` and parsing errors are written before any command
    has parsed its flags. An unknown value raises UnknownLanguage.
    """
    chosen = None
    for position, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and position + 1 < len(argv):
            chosen = argv[position + 1]
        elif word.startswith("--lang="):
            chosen = word.split("=", 1)[1]
    return from_locale(environ) if chosen is None else checked(chosen)


def current() -> str:
    """The language being spoken now: en unless a command or API call said otherwise."""
    return _active.get()


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[str]:
    """Speak `lang` until the block ends, whatever happens inside it."""
    token = _active.set(checked(lang))
    try:
        yield _active.get()
    finally:
        _active.reset(token)


def say(key: str, **fields: object) -> str:
    """The sentence `key` in the current language, its `{fields}` filled in (a literal brace is doubled)."""
    found = template(current(), key)
    if found is None:
        raise KeyError(key)
    return found.format(**fields)
