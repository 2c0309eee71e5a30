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
    """One line naming the flag, the bad name, the nearest match and every valid name."""
    suggestion = closest(name, choices)
    hint = f"; did you mean {' or '.join(repr(s) for s in suggestion)}?" if suggestion else ""
    return f"{flag}: unknown {what} {shorten(name)!r}{hint or '.'} Valid names: {', '.join(choices)}"


def _literal(node: ast.expr, flag: str, text: str) -> object:
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise UsageError(
            f"{flag}: arguments in {shorten(text)!r} must be literals (numbers, strings, True/False/None)"
        ) from None
    items = value if isinstance(value, (tuple, list)) else (value,)
    if not all(isinstance(item, _LITERAL_TYPES) for item in items):
        raise UsageError(f"{flag}: arguments in {shorten(text)!r} must be literals (numbers, strings, True/False/None)")
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            continue
        if isinstance(item, int) and abs(item) > MAX_INTEGER:
            raise UsageError(f"{flag}: {shorten(str(item))} in {shorten(text)!r} is too large for a 64-bit integer")
        if isinstance(item, float) and not (math.isfinite(item) and abs(item) <= FLOAT32_MAX):
            raise UsageError(
                f"{flag}: {item} in {shorten(text)!r} is out of float32 range (±{FLOAT32_MAX:.4g}); weights are float32"
            )
    return value


def parse_spec(text: str, flag: str) -> Spec | None:
    """Turn a spec string into a `Spec`; `none` gives None. Raises UsageError naming `flag`."""
    source = text.strip()
    if not source:
        raise UsageError(f"{flag} is empty: give a Keras name such as l2 or a call such as l2(0.001), or none")
    if len(source) > MAX_SPEC_LENGTH:
        raise UsageError(f"{flag} is {len(source)} characters long; a spec has at most {MAX_SPEC_LENGTH}")
    if source.lower() == "none":
        return None
    try:
        node = ast.parse(source, mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise UsageError(
            f"{flag}: cannot parse {shorten(text)!r}; write a name (l2) or a call with literal arguments (l2(0.001))"
        ) from None
    if isinstance(node, ast.Name):
        return Spec(node.id)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            raise UsageError(f"{flag}: *args and **kwargs are not allowed in {shorten(text)!r}")
        args = tuple(_literal(a, flag, text) for a in node.args)
        kwargs = tuple((k.arg, _literal(k.value, flag, text)) for k in node.keywords if k.arg)
        return Spec(node.func.id, args, kwargs)
    raise UsageError(
        f"{flag}: {shorten(text)!r} is not a name or a call; write e.g. l2, l2(0.001) or l1_l2(l1=0.01, l2=0.01)"
    )
