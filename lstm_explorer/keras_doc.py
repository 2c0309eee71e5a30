"""Keras's own words for each LSTM argument, read from the installed source without importing it.

Importing Keras costs seconds (it loads TensorFlow); the docstring is plain text in
`keras/src/layers/rnn/lstm.py`, so it is parsed from there with `ast`.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import importlib.util
import inspect
import re
from dataclasses import dataclass, field
from pathlib import Path

LSTM_SOURCE = Path("src", "layers", "rnn", "lstm.py")
_ARG_LINE = re.compile(r"^(\w+): ?(.*)$")


@dataclass(frozen=True)
class KerasDoc:
    """Per-argument docstring text and where it was read from."""

    version: str | None
    source: str | None
    arguments: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def parse_args_section(docstring: str) -> dict[str, str]:
    """Split the `Args:` section of a Google-style docstring into {name: text}.

    Continuation lines are joined with single spaces, the way the text reads in Keras's docs.
    """
    lines = inspect.cleandoc(docstring).splitlines()
    try:
        start = lines.index("Args:") + 1
    except ValueError:
        return {}
    entries: dict[str, list[str]] = {}
    current: list[str] | None = None
    base_indent: int | None = None
    for line in lines[start:]:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            break
        if base_indent is None:
            base_indent = indent
        match = _ARG_LINE.match(line.strip())
        if indent == base_indent and match:
            current = entries.setdefault(match.group(1), [])
            if match.group(2):
                current.append(match.group(2).strip())
        elif current is not None:
            current.append(line.strip())
    return {name: " ".join(parts) for name, parts in entries.items()}


@functools.cache
def read_keras_doc() -> KerasDoc:
    """The installed Keras's LSTM docstring, split per argument; never raises."""
    try:
        version = importlib.metadata.version("keras")
    except importlib.metadata.PackageNotFoundError:
        version = None
    try:
        spec = importlib.util.find_spec("keras")
        if spec is None or not spec.submodule_search_locations:
            return KerasDoc(version, None, problem="Keras is not installed")
        path = Path(next(iter(spec.submodule_search_locations))) / LSTM_SOURCE
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError) as error:
        return KerasDoc(version, None, problem=f"cannot read Keras's LSTM source: {error}")
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "LSTM":
            docstring = ast.get_docstring(node, clean=False) or ""
            return KerasDoc(version, str(path), parse_args_section(docstring))
    return KerasDoc(version, str(path), problem="no LSTM class in Keras's LSTM source")
