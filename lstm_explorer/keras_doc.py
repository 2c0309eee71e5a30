"""Keras's own words for each LSTM argument, read from the installed source without importing it.

Most come from the `Args:` section of LSTM's docstring; the call's arguments from its
`Call arguments:` section, and what explain covers beyond the LSTM from the docstrings that document
it (PLACES): the RNN base class (zero_output_for_mask), Masking (mask_value), pad_sequences (padding).

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
# The opening paragraphs of a docstring, for an object that documents its argument there (Masking).
OPENING = "opening"


@dataclass(frozen=True)
class Place:
    """One docstring section: `heading` of the docstring of the class or function `name` in `path`."""

    path: Path
    name: str
    heading: str = "Args:"
    function: bool = False


PLACES: dict[str, Place] = {
    "LSTM": Place(LSTM_SOURCE, "LSTM"),
    "LSTM.call": Place(LSTM_SOURCE, "LSTM", "Call arguments:"),
    "RNN": Place(Path("src", "layers", "rnn", "rnn.py"), "RNN"),
    "Masking": Place(Path("src", "layers", "core", "masking.py"), "Masking", OPENING),
    "pad_sequences": Place(Path("src", "utils", "sequence_utils.py"), "pad_sequences", function=True),
    # The model around the LSTM (catalogue.RELATED's model pages): merge_mode is an argument of
    # Bidirectional; the wrapper itself, the stack and the Dense head are named by no argument, so
    # their pages quote the opening of the class that makes them (Dense's says how it acts on 3-D input).
    "Bidirectional": Place(Path("src", "layers", "rnn", "bidirectional.py"), "Bidirectional"),
    "Bidirectional.opening": Place(Path("src", "layers", "rnn", "bidirectional.py"), "Bidirectional", OPENING),
    "Sequential": Place(Path("src", "models", "sequential.py"), "Sequential", OPENING),
    "Dense": Place(Path("src", "layers", "core", "dense.py"), "Dense", OPENING),
}


@dataclass(frozen=True)
class KerasDoc:
    """Docstring text per place and name, and where it was read from.

    `sections[place]` is {name: text}; for an OPENING place the one entry is keyed by the place's
    own name. `arguments` is LSTM's `Args:` section.
    """

    version: str | None
    source: str | None
    sections: dict[str, dict[str, str]] = field(default_factory=dict)
    problem: str | None = None

    @property
    def arguments(self) -> dict[str, str]:
        return self.sections.get("LSTM", {})

    def says(self, place: str, name: str) -> str | None:
        """What the docstring at `place` says about `name` (the opening text, for an OPENING place)."""
        section = self.sections.get(place, {})
        return section.get(PLACES[place].name if PLACES[place].heading == OPENING else name)


def parse_opening(docstring: str) -> str:
    """The docstring's text before its first section heading (`Example:`), lines joined with spaces."""
    lines = inspect.cleandoc(docstring).splitlines()
    kept: list[str] = []
    for line in lines:
        if line.endswith(":") and not line.startswith(" ") and " " not in line.strip():
            break
        if line.strip():
            kept.append(line.strip())
    return " ".join(kept)


def parse_args_section(docstring: str, heading: str = "Args:") -> dict[str, str]:
    """Split the `Args:` (or another `heading`'s) section of a Google-style docstring into {name: text}.

    Continuation lines are joined with single spaces, the way the text reads in Keras's docs.
    """
    lines = inspect.cleandoc(docstring).splitlines()
    try:
        start = lines.index(heading) + 1
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


def class_docstring(source: str, class_name: str, function: bool = False) -> str | None:
    """The triple-quoted docstring right after `class <name>(` (or `def <name>(`), or None."""
    start = source.find(f"\n{'def' if function else 'class'} {class_name}(")
    if start < 0:
        return None
    body = source.find(":\n", source.find(")", start) if function else start)
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
    sections: dict[str, dict[str, str]] = {}
    for key, place in PLACES.items():
        path = root / place.path
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return KerasDoc(version, None, problem=f"cannot read Keras's {place.name} source: {error}")
        docstring = class_docstring(source, place.name, place.function)
        if docstring is None:
            return KerasDoc(version, str(path), problem=f"no {place.name} docstring in Keras's source")
        if place.heading == OPENING:
            sections[key] = {place.name: parse_opening(docstring)}
        else:
            sections[key] = parse_args_section(docstring, place.heading)
    return KerasDoc(version, str(root / LSTM_SOURCE), sections)
