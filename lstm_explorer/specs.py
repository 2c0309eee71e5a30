"""Parse `l2(0.001)`-style specs for initializers, regularizers and constraints, safely.

A spec is a Keras name, optionally called with literal arguments. It is parsed with `ast` and only
literals are evaluated, so a spec can never run code; the engine later maps the name onto Keras's
own class of that name and nothing else.
"""

from __future__ import annotations

import ast
import difflib
import math
from dataclasses import dataclass

from lstm_explorer.errors import UsageError, shorten
from lstm_explorer.language import say

MAX_SPEC_LENGTH = 200
MAX_INTEGER = 2**63 - 1
FLOAT32_MAX = 3.4028234663852886e38
_LITERAL_TYPES = (int, float, str, bool, type(None))


@dataclass(frozen=True)
class Spec:
    """A Keras object named on the command line: `name(*args, **kwargs)`."""

    name: str
    args: tuple[object, ...] = ()
    kwargs: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        if not self.args and not self.kwargs:
            return self.name
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"{self.name}({', '.join(parts)})"


def closest(word: str, choices: tuple[str, ...] | list[str], n: int = 3) -> list[str]:
    """The nearest valid names, compared case-insensitively so `GlorotUnifrom` finds `GlorotUniform`."""
    lowered = {choice.lower(): choice for choice in choices}
    matches = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[m] for m in matches]


def unknown_name_message(flag: str, what: str, name: str, choices: tuple[str, ...]) -> str:
    """One line naming the flag, the bad name, the nearest match and every valid name.

    `what` is the kind of name in the current language (`activation`, `初始化器`).
    """
    suggestion = closest(name, choices)
    hint = say("values.no_suggestion")
    if suggestion:
        hint = say("values.did_you_mean", options=say("values.or").join(repr(s) for s in suggestion))
    return say(
        "values.unknown_name", flag=flag, what=what, name=repr(shorten(name)), hint=hint, choices=", ".join(choices)
    )


def _quoted(text: str) -> str:
    """The user's spec as error messages quote it: shortened, in Python's quotes."""
    return repr(shorten(text))


def _literal(node: ast.expr, flag: str, text: str) -> object:
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise UsageError(say("values.spec_not_literal", flag=flag, text=_quoted(text))) from None
    items = value if isinstance(value, (tuple, list)) else (value,)
    if not all(isinstance(item, _LITERAL_TYPES) for item in items):
        raise UsageError(say("values.spec_not_literal", flag=flag, text=_quoted(text)))
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            continue
        if isinstance(item, int) and abs(item) > MAX_INTEGER:
            raise UsageError(
                say("values.spec_integer_too_large", flag=flag, number=shorten(str(item)), text=_quoted(text))
            )
        if isinstance(item, float) and not (math.isfinite(item) and abs(item) <= FLOAT32_MAX):
            raise UsageError(
                say("values.spec_float32_range", flag=flag, number=item, text=_quoted(text), limit=FLOAT32_MAX)
            )
    return value


def parse_spec(text: str, flag: str) -> Spec | None:
    """Turn a spec string into a `Spec`; `none` gives None. Raises UsageError naming `flag`."""
    source = text.strip()
    if not source:
        raise UsageError(say("values.spec_empty", flag=flag))
    if len(source) > MAX_SPEC_LENGTH:
        raise UsageError(say("values.spec_too_long", flag=flag, length=len(source), limit=MAX_SPEC_LENGTH))
    if source.lower() == "none":
        return None
    try:
        node = ast.parse(source, mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise UsageError(say("values.spec_unparsable", flag=flag, text=_quoted(text))) from None
    if isinstance(node, ast.Name):
        return Spec(node.id)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            raise UsageError(say("values.spec_starred", flag=flag, text=_quoted(text)))
        args = tuple(_literal(a, flag, text) for a in node.args)
        kwargs = tuple((k.arg, _literal(k.value, flag, text)) for k in node.keywords if k.arg)
        return Spec(node.func.id, args, kwargs)
    raise UsageError(say("values.spec_not_a_call", flag=flag, text=_quoted(text)))
