"""Keras's own words for each LSTM argument, read from the installed source without importing it.

Importing Keras costs seconds (it loads TensorFlow), and even `importlib.metadata` or `ast` over the
whole file would be noticeable in `explain`; the docstring and the version are plain text in
Keras's source, so they are cut out of it with string operations.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
from dataclasses import dataclass, field
from pathlib import Path

LSTM_SOURCE = Path("src", "layers", "rnn", "lstm.py")
VERSION_SOURCE = Path("src", "version.py")


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
        name, colon, rest = line.strip().partition(":")
        if indent == base_indent and colon and name.isidentifier():
            current = entries.setdefault(name, [])
            if rest.strip():
                current.append(rest.strip())
        elif current is not None:
            current.append(line.strip())
    return {name: " ".join(parts) for name, parts in entries.items()}


def class_docstring(source: str, class_name: str) -> str | None:
    """The triple-quoted docstring right after `class <name>(`, or None."""
    start = source.find(f"\nclass {class_name}(")
    if start < 0:
        return None
    body = source.find(":\n", start)
    opening = source.find('"""', body)
    if body < 0 or opening < 0 or source[body + 2 : opening].strip():
        return None
    closing = source.find('"""', opening + 3)
    return None if closing < 0 else source[opening + 3 : closing]


def _version(root: Path) -> str | None:
    try:
        text = (root / VERSION_SOURCE).read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("__version__"):
            return line.partition("=")[2].strip().strip("\"'")
    return None


@functools.cache
def read_keras_doc() -> KerasDoc:
    """The installed Keras's LSTM docstring, split per argument; never raises."""
    try:
        spec = importlib.util.find_spec("keras")
    except (ImportError, ValueError) as error:
        return KerasDoc(None, None, problem=f"cannot locate Keras: {error}")
    if spec is None or not spec.submodule_search_locations:
        return KerasDoc(None, None, problem="Keras is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    version = _version(root)
    path = root / LSTM_SOURCE
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return KerasDoc(version, None, problem=f"cannot read Keras's LSTM source: {error}")
    docstring = class_docstring(source, "LSTM")
    if docstring is None:
        return KerasDoc(version, str(path), problem="no LSTM docstring in Keras's LSTM source")
    return KerasDoc(version, str(path), parse_args_section(docstring))
