"""Read a pasted Keras layer call (or a small Sequential model) into the tool's keyword arguments.

People arrive with code, not flags: a tutorial's `model.add(LSTM(64, input_shape=(10, 2)))`. The
code is parsed with `ast` and only literals are taken from it; nothing in it is ever executed or
imported, so `__import__('os').system(…)` is a value that is not a literal, nothing more. Keras
objects the tool writes as spec text (`keras.initializers.GlorotUniform(seed=1)`,
`regularizers.l2(0.01)`, `tf.nn.relu`) are written back as that text; Keras 2 arguments become what
Keras 3 and the tool say instead (`input_shape=(10, 2)` → `--timesteps 10 --features 2`), each
translation noted. Values are checked later by the tool, as the same flags would be: this module
only reads. TensorFlow is never imported here.

Also read: pages whose scraper lowercased `True`/`False`/`None`/`LSTM`/`Sequential`, or lost the line
break after a `)` (the seed tutorial's `)model.add(`), each repair noted.
"""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lstm_explorer.architecture import DEFAULT_MERGE_MODE
from lstm_explorer.catalogue import ARGUMENTS, BY_NAME, Kind
from lstm_explorer.errors import UsageError, shorten
from lstm_explorer.language import say
from lstm_explorer.specs import closest

SIZES = ("batch", "timesteps", "features")
# The keyword of api.run (not an LSTM argument or a model keyword) that a Masking layer becomes.
RUN_KEYWORDS = ("mask_value",)
# LSTM's positional parameters in Keras 3's order (tests hold this against inspect.signature).
POSITIONAL = tuple(a.name for a in ARGUMENTS if a.is_keras3_argument)
# Path components a Keras name may be reached through: tf.keras.layers.LSTM, keras.initializers.X, layers.LSTM.
KERAS_PATH = frozenset(
    {"tf", "tensorflow", "keras", "tf_keras", "compat", "v1", "v2", "layers", "models"}
    | {"initializers", "regularizers", "constraints", "activations"}
)
LAYERS = ("Input", "InputLayer", "Masking", "LSTM", "Bidirectional", "Dense")
# What a scraper lowercased and is still read, case-insensitively: these two names only.
LOWERCASE_CALLS = {"lstm": "LSTM", "sequential": "Sequential"}
LOWERCASE_CONSTANTS: dict[str, object] = {"true": True, "false": False, "none": None}
# TensorFlow functions that are the Keras activation of the same name.
TF_ACTIVATIONS = frozenset(
    {"relu", "relu6", "elu", "selu", "sigmoid", "tanh", "softplus", "softsign", "swish", "silu", "gelu"}
    | {"leaky_relu", "softmax", "log_softmax", "log_sigmoid"}
)
# Keras 2 arguments of any layer that give the input's sizes, and the sizes each fills.
SIZE_ARGUMENTS = ("input_shape", "batch_input_shape", "input_dim", "input_length", "batch_size")
IGNORED = {"name": "from_code.t_name", "dtype": "from_code.t_dtype", "trainable": "from_code.t_trainable"}
PHASES = {"Input": 0, "InputLayer": 0, "Masking": 1, "LSTM": 2, "Bidirectional": 2, "Dense": 3}


@dataclass(frozen=True)
class FromCode:
    """A Keras layer call read from code: the library's keyword arguments and input sizes it amounts to."""

    text: str
    arguments: dict[str, object]
    sizes: dict[str, int]
    translations: list[str]

    def command(self) -> str:
        """The equivalent `lstm-explore …` command line, every argument the code gave written out."""
        words = ["lstm-explore"]
        for argument in ARGUMENTS:
            if argument.name in self.arguments:
                words += _flag(argument.flag, argument.kind, self.arguments[argument.name])
        for size in SIZES:
            if size in self.sizes:
                words += [f"--{size}", str(self.sizes[size])]
        for name in (*RUN_KEYWORDS, "layers", "as_written", "bidirectional", "merge_mode", "dense"):
            if name in self.arguments:
                kind = Kind.BOOL if name in ("as_written", "bidirectional") else Kind.NUMBER
                words += _flag("--" + name.replace("_", "-"), kind, self.arguments[name])
        return " ".join(shlex.quote(word) for word in words)


def _flag(flag: str, kind: Kind, value: object) -> list[str]:
    if kind is Kind.BOOL:
        return [flag if value else f"--no-{flag[2:]}"]
    if value is None:
        text = "none"
    elif isinstance(value, bool):
        text = str(value).lower()
    else:
        text = repr(value) if isinstance(value, float) else str(value)
    return [f"{flag}={text}"] if text.startswith("-") else [flag, text]


@dataclass
class _Layer:
    """One layer read from the code: its class, where it was, and what it amounts to."""

    kind: str
    line: int
    arguments: dict[str, object] = field(default_factory=dict)
    merge_mode: object = None
    dense: str | None = None
    mask_value: float | None = None


def read(source: str) -> FromCode:
    """The layer or model in `source` (the code itself, or a path to a `.py` file) as the tool's arguments."""
    return _Reader(_code(source)).read()


def _code(source: str) -> str:
    text = source.strip()
    if "\n" not in text and text.endswith(".py"):
        path = Path(text).expanduser()
        if not path.is_file():
            raise UsageError(say("from_code.missing_file", path=shorten(text)))
        try:
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else str(error)
            raise UsageError(
                say("from_code.unreadable_file", path=shorten(text), reason=shorten(str(reason)))
            ) from None
    return source


# A line that starts with `)` and goes straight on with a name: a scraper moved the line break.
_LOST_BREAK = re.compile(r"^([ \t]*\))(?=[ \t]*(?!(?:if|else|for|in|and|or|not|is|async|lambda)\b)[A-Za-z_])", re.M)


def _parse(code: str) -> tuple[ast.Module, list[int]]:
    """The module, and the lines where a lost line break was put back (as `;`, so lines keep their numbers)."""
    try:
        return ast.parse(code), []
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        first = error
    repaired = _LOST_BREAK.sub(r"\1;", code)
    if repaired != code:
        try:
            lines = [code.count("\n", 0, m.start()) + 1 for m in _LOST_BREAK.finditer(code)]
            return ast.parse(repaired), lines
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            pass
    line = getattr(first, "lineno", None) or 1
    reason = getattr(first, "msg", None) or type(first).__name__
    raise UsageError(say("from_code.syntax", line=line, reason=shorten(str(reason))))


def _dotted(node: ast.expr) -> list[str] | None:
    """`tf.keras.layers.LSTM` as its names, or None for anything but names and attributes."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else [*inner, node.attr]
    return None


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements in order, into function bodies and `with` blocks (where tutorials build models)."""
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.With, ast.AsyncWith)):
            yield from _statements(statement.body)
        else:
            yield statement


class _Reader:
    """One reading of one piece of code: the layers found, the sizes, and the notes on the way."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.module, repaired = _parse(code)
        self.notes = [say("from_code.t_line_break", line=line) for line in repaired]
        self.lowercase: dict[str, str] = {}
        self.sizes: dict[str, tuple[int, str]] = {}
        self.layers: list[_Layer] = []
        self.models: set[str] = set()
        self.model_count = 0
        self.used_lines: list[tuple[int, int]] = []
        self.assigned = {
            n.id for n in ast.walk(self.module) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }

    def read(self) -> FromCode:
        for statement in _statements(self.module.body):
            value = getattr(statement, "value", None)
            if isinstance(statement, (ast.Expr, ast.Assign, ast.AnnAssign, ast.Return)) and isinstance(value, ast.Call):
                if self._statement(statement, value):
                    self.used_lines.append((statement.lineno, statement.end_lineno or statement.lineno))
        if not any(layer.kind in ("LSTM", "Bidirectional") for layer in self.layers):
            raise UsageError(say("from_code.nothing"))
        arguments = self._assemble()
        if self.lowercase:
            separator = say("inputs.list_separator")
            words, fixed = separator.join(self.lowercase), separator.join(self.lowercase.values())
            self.notes.insert(0, say("from_code.t_lowercase", words=words, fixed=fixed))
        sizes = {name: self.sizes[name][0] for name in SIZES if name in self.sizes}
        return FromCode(self._text(), arguments, sizes, list(dict.fromkeys(self.notes)))

    def _text(self) -> str:
        first = min(start for start, _ in self.used_lines)
        last = max(end for _, end in self.used_lines)
        return "\n".join(self.code.splitlines()[first - 1 : last]).strip()

    # Finding the layers.

    def _callee(self, func: ast.expr) -> str | None:
        """The Keras class a call makes (`LSTM`, `Sequential`, …), or None when it is not a Keras one."""
        path = _dotted(func)
        if path is None or not all(part in KERAS_PATH for part in path[:-1]):
            return None
        name = path[-1]
        if name in (*LAYERS, "Sequential", "Model"):
            return name
        canonical = LOWERCASE_CALLS.get(name.lower())
        if canonical is not None and (len(path) > 1 or name not in self.assigned):
            self.lowercase[name] = canonical
            return canonical
        return None

    def _statement(self, statement: ast.stmt, call: ast.Call) -> bool:
        """Read one statement's call; whether it was part of the model."""
        callee = self._callee(call.func)
        if callee == "Sequential":
            self._sequential(statement, call)
            return True
        if callee in LAYERS:
            self.layers.append(self._layer(call))
            return True
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "add" and len(call.args) == 1:
            owner, added = _dotted(func.value), call.args[0]
            added_keras = isinstance(added, ast.Call) and (self._callee(added.func) or _in_layers(added.func))
            if (owner is not None and ".".join(owner) in self.models) or added_keras:
                self.layers.append(self._element(added))
                return True
        if isinstance(func, ast.Call) and (self._callee(func.func) in LAYERS or _in_layers(func.func)):
            self.layers.append(self._layer(func))  # the functional form: LSTM(8)(inputs)
            return True
        if _in_layers(call.func):
            raise UsageError(say("from_code.unsupported_layer", line=call.lineno, layer=_path_text(call.func)))
        return False

    def _sequential(self, statement: ast.stmt, call: ast.Call) -> None:
        self.model_count += 1
        if self.model_count > 1:
            raise UsageError(say("from_code.two_models", line=call.lineno))
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = _dotted(statement.targets[0])
            if target is not None:
                self.models.add(".".join(target))
        self._refuse_starred(call)
        given = call.args[:1] + [k.value for k in call.keywords if k.arg == "layers"]
        for keyword in call.keywords:
            if keyword.arg in IGNORED:
                self._ignored(keyword.arg, keyword.value)
        if not given or (isinstance(given[0], ast.Constant) and given[0].value is None):
            return
        if not isinstance(given[0], (ast.List, ast.Tuple)):
            raise UsageError(say("from_code.not_literal", line=call.lineno, argument="layers", code=_code_of(given[0])))
        self.layers.extend(self._element(element) for element in given[0].elts)

    def _element(self, node: ast.expr) -> _Layer:
        """A layer inside a Sequential or a model.add(…): one the tool builds, or a refusal naming it."""
        if not isinstance(node, ast.Call):
            raise UsageError(say("from_code.layer_not_a_call", line=node.lineno, code=_code_of(node)))
        if self._callee(node.func) not in LAYERS:
            raise UsageError(say("from_code.unsupported_layer", line=node.lineno, layer=_path_text(node.func)))
        return self._layer(node)

    def _layer(self, call: ast.Call) -> _Layer:
        callee = self._callee(call.func)
        if callee not in LAYERS:
            raise UsageError(say("from_code.unsupported_layer", line=call.lineno, layer=_path_text(call.func)))
        self._refuse_starred(call)
        read = {
            "LSTM": self._lstm,
            "Bidirectional": self._bidirectional,
            "Dense": self._dense,
            "Masking": self._masking,
        }.get(callee, self._input)
        return read(call, callee)

    def _refuse_starred(self, call: ast.Call) -> None:
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            raise UsageError(say("from_code.starred", line=call.lineno, code=_code_of(call)))

    # Reading each layer's arguments.

    def _given(self, call: ast.Call, layer: str, positional: tuple[str, ...]) -> dict[str, ast.expr]:
        """The call's arguments by name, positional ones named by the class's signature."""
        if len(call.args) > len(positional):
            raise UsageError(
                say(
                    "from_code.too_many_positional",
                    line=call.lineno,
                    layer=layer,
                    count=len(positional),
                    given=len(call.args),
                )
            )
        given = dict(zip(positional, call.args))
        for keyword in call.keywords:
            assert keyword.arg is not None
            if keyword.arg in given:
                raise UsageError(say("from_code.repeated", line=call.lineno, layer=layer, argument=keyword.arg))
            given[keyword.arg] = keyword.value
        return given

    def _common(self, layer: str, name: str, node: ast.expr, known: tuple[str, ...]) -> None:
        """An argument every layer may take (the Keras 2 sizes, name, dtype, trainable), else a refusal."""
        if name in SIZE_ARGUMENTS:
            self._size(name, node)
        elif name in IGNORED:
            self._ignored(name, node)
        else:
            self._unknown(layer, name, node, known)

    def _lstm(self, call: ast.Call, layer: str = "LSTM") -> _Layer:
        arguments: dict[str, object] = {}
        for name, node in self._given(call, layer, POSITIONAL).items():
            argument = BY_NAME.get(name)
            if name == "time_major":
                if self._literal(node, name) not in (False, None):
                    raise UsageError(say("from_code.time_major", line=node.lineno))
                self.notes.append(say("from_code.t_time_major"))
            elif argument is not None:
                value = self._value(node, name, argument.kind)
                if value is not None or argument.kind not in (Kind.SEED, Kind.IMPLEMENTATION):
                    arguments[name] = value
            else:
                self._common("LSTM", name, node, tuple(BY_NAME))
        if "units" not in arguments:
            raise UsageError(say("from_code.no_units", line=call.lineno))
        return _Layer("LSTM", call.lineno, arguments)

    def _bidirectional(self, call: ast.Call, layer: str) -> _Layer:
        given = self._given(call, layer, ("layer", "merge_mode", "weights", "backward_layer"))
        for name in ("weights", "backward_layer"):
            if name in given:
                why = say("from_code.why_weights" if name == "weights" else "from_code.why_backward_layer")
                raise UsageError(
                    say("from_code.unsupported_argument", line=call.lineno, layer=layer, argument=name, why=why)
                )
        inner = given.pop("layer", None)
        if not isinstance(inner, ast.Call) or self._callee(inner.func) != "LSTM":
            shown = _path_text(inner.func) if isinstance(inner, ast.Call) else _code_of(inner or call)
            raise UsageError(say("from_code.bidirectional_inner", line=call.lineno, inner=shown))
        self._refuse_starred(inner)
        wrapped = self._lstm(inner)
        mode = self._literal(given["merge_mode"], "merge_mode") if "merge_mode" in given else None
        if "merge_mode" in given and mode is None:
            self.notes.append(say("from_code.t_merge_none"))
            mode = "none"
        given.pop("merge_mode", None)
        for name, node in given.items():
            self._common(layer, name, node, ("layer", "merge_mode", "weights", "backward_layer"))
        return _Layer("Bidirectional", call.lineno, wrapped.arguments, merge_mode=mode)

    def _dense(self, call: ast.Call, layer: str) -> _Layer:
        given = self._given(call, layer, ("units", "activation"))
        units = self._literal(given.pop("units"), "units") if "units" in given else None
        activation = (
            self._value(given.pop("activation"), "activation", Kind.ACTIVATION) if "activation" in given else None
        )
        for name, node in given.items():
            if name in SIZE_ARGUMENTS or name in IGNORED:
                self._common(layer, name, node, ())
            else:
                why = say("from_code.why_dense")
                raise UsageError(
                    say("from_code.unsupported_argument", line=call.lineno, layer=layer, argument=name, why=why)
                )
        head = str(units) if activation in (None, "linear") else f"{units}:{activation}"
        return _Layer("Dense", call.lineno, dense=head)

    def _masking(self, call: ast.Call, layer: str) -> _Layer:
        given = self._given(call, layer, ("mask_value",))
        value = self._literal(given.pop("mask_value"), "mask_value") if "mask_value" in given else 0.0
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UsageError(say("from_code.mask_value", line=call.lineno, value=shorten(repr(value))))
        for name, node in given.items():
            self._common(layer, name, node, ("mask_value",))
        return _Layer("Masking", call.lineno, mask_value=float(value))

    def _input(self, call: ast.Call, layer: str) -> _Layer:
        """keras.Input / InputLayer: `shape` (Keras 2's input_shape) and batch_size, or batch_shape."""
        given = self._given(call, layer, ("shape", "batch_size"))
        for name, node in given.items():
            if name in ("shape", "batch_shape", "batch_size"):
                kin = {"shape": "input_shape", "batch_shape": "batch_input_shape"}.get(name, name)
                self._size(kin, node, shown=name)
            elif name in SIZE_ARGUMENTS or name in IGNORED:
                self._common(layer, name, node, ())
            elif name in ("sparse", "ragged", "tensor", "input_tensor", "optional"):
                why = say("from_code.why_input")
                raise UsageError(
                    say("from_code.unsupported_argument", line=call.lineno, layer=layer, argument=name, why=why)
                )
            else:
                self._unknown(layer, name, node, ("shape", "batch_size", "batch_shape", "name", "dtype"))
        return _Layer(layer, call.lineno)

    def _ignored(self, name: str, node: ast.expr) -> None:
        self.notes.append(say(IGNORED[name], value=_code_of(node)))

    def _unknown(self, layer: str, name: str, node: ast.expr, known: tuple[str, ...]) -> None:
        from lstm_explorer.explanations import suggestions

        names = [n for n in known if n != "time_major"] + list(SIZE_ARGUMENTS) + list(IGNORED)
        near = suggestions(name) if layer == "LSTM" else []
        near += [n for n in closest(name, names) if n not in near]
        hint = say("values.no_suggestion")
        if near:
            hint = say("values.did_you_mean", options=say("values.or").join(repr(n) for n in near[:3]))
        raise UsageError(
            say("from_code.unknown_argument", line=node.lineno, layer=layer, name=repr(shorten(name)), hint=hint)
        )

    # The input's sizes.

    def _size(self, name: str, node: ast.expr, shown: str | None = None) -> None:
        """input_shape and its kin: the sizes they fix, each checked against any given before."""
        value = self._literal(node, shown or name)
        label = shown or name
        if name in ("input_dim", "input_length", "batch_size"):
            if value is None:
                return
            which = {"input_dim": "features", "input_length": "timesteps", "batch_size": "batch"}[name]
            self._sizes(label, node, {which: value}, say("from_code.shape_one"), note=shown is None)
            return
        expected = say("from_code.shape_two" if name == "input_shape" else "from_code.shape_three")
        entries = list(value) if isinstance(value, (tuple, list)) else [value]
        if len(entries) != (2 if name == "input_shape" else 3) or entries[-1] is None:
            raise UsageError(
                say("from_code.bad_shape", line=node.lineno, argument=label, value=_code_of(node), expected=expected)
            )
        if entries[-2] is None:
            example = tuple(10 if entry is None and k == len(entries) - 2 else entry for k, entry in enumerate(entries))
            raise UsageError(
                say("from_code.open_timesteps", line=node.lineno, argument=label, value=_code_of(node), example=example)
            )
        found = dict(zip(SIZES[-len(entries) :], entries))
        self._sizes(label, node, {k: v for k, v in found.items() if v is not None}, expected, note=shown is None)

    def _sizes(self, label: str, node: ast.expr, found: dict[str, object], expected: str, note: bool) -> None:
        for size, number in found.items():
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise UsageError(
                    say(
                        "from_code.bad_shape", line=node.lineno, argument=label, value=_code_of(node), expected=expected
                    )
                )
            earlier = self.sizes.get(size)
            if earlier is not None and earlier[0] != number:
                raise UsageError(
                    say(
                        "from_code.sizes_differ",
                        line=node.lineno,
                        argument=label,
                        value=_code_of(node),
                        flag=f"--{size}",
                        size=number,
                        earlier=earlier[0],
                    )
                )
            self.sizes[size] = (number, label)
        if note:
            flags = " ".join(f"--{size} {number}" for size, number in found.items())
            self.notes.append(say("from_code.t_size", argument=label, value=_code_of(node), flags=flags))

    # Values.

    def _literal(self, node: ast.expr, argument: str) -> object:
        """A number, string, True/False/None (or its scraped lowercase), or a tuple or list of them."""
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool, type(None))):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            number = node.operand.value if isinstance(node.operand, ast.Constant) else None
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                return -number if isinstance(node.op, ast.USub) else number
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [self._literal(element, argument) for element in node.elts]
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Name) and node.id.lower() in LOWERCASE_CONSTANTS and node.id not in self.assigned:
            self.lowercase[node.id] = repr(LOWERCASE_CONSTANTS[node.id.lower()])
            return LOWERCASE_CONSTANTS[node.id.lower()]
        raise UsageError(say("from_code.not_literal", line=node.lineno, argument=argument, code=_code_of(node)))

    def _value(self, node: ast.expr, argument: str, kind: Kind) -> object:
        """A literal, or the Keras object the tool writes as text: a spec call, an activation function."""
        if kind in (Kind.INITIALIZER, Kind.REGULARIZER, Kind.CONSTRAINT) and isinstance(node, ast.Call):
            path = _dotted(node.func)
            if path is not None and all(part in KERAS_PATH for part in path[:-1]):
                self._refuse_starred(node)
                parts = [repr(self._literal(a, argument)) for a in node.args]
                parts += [f"{k.arg}={self._literal(k.value, argument)!r}" for k in node.keywords]
                return f"{path[-1]}({', '.join(parts)})" if parts else path[-1]
        if kind is Kind.ACTIVATION and isinstance(node, ast.Attribute):
            path = _dotted(node)
            if path is not None and _activation_path(path):
                return path[-1]
        return self._literal(node, argument)

    # The model the layers make.

    def _assemble(self) -> dict[str, object]:
        phase = -1
        for layer in self.layers:
            now = PHASES[layer.kind]
            if now < phase or (now == phase and now != 2):
                raise UsageError(say("from_code.order", line=layer.line, layer=layer.kind))
            phase = now
        lstms = [layer for layer in self.layers if layer.kind in ("LSTM", "Bidirectional")]
        wrapped = {layer.kind == "Bidirectional" for layer in lstms}
        if len(wrapped) > 1:
            raise UsageError(say("from_code.mixed_bidirectional", line=lstms[-1].line))
        modes = [DEFAULT_MERGE_MODE if layer.merge_mode is None else layer.merge_mode for layer in lstms]
        for layer, mode in zip(lstms[1:], modes[1:]):
            if mode != modes[0]:
                raise UsageError(say("from_code.merge_modes_differ", line=layer.line, mode=mode, first=modes[0]))
        arguments = _shared(lstms)
        if lstms[0].kind == "Bidirectional":
            arguments["bidirectional"] = True
            if any(layer.merge_mode is not None for layer in lstms):
                arguments["merge_mode"] = modes[0]
        for layer in self.layers:
            if layer.mask_value is not None:
                arguments["mask_value"] = layer.mask_value
            if layer.dense is not None:
                arguments["dense"] = layer.dense
        return arguments


def _shared(lstms: list[_Layer]) -> dict[str, object]:
    """One layer's arguments, or a stack's: what every layer shares, its units as `layers`, and
    whether the lower layers are written without return_sequences (`as_written`)."""
    top, count = lstms[-1], len(lstms)
    own = ("units", "return_sequences", "return_state")
    for k, layer in enumerate(lstms[:-1], start=1):
        if layer.arguments.get("return_state") is True:
            raise UsageError(say("from_code.lower_return_state", line=layer.line, layer=k, count=count))
    first = lstms[0].arguments
    for k, layer in enumerate(lstms[1:], start=2):
        for name in sorted(set(first) | set(layer.arguments)):
            if name in own or _effective(first, name) == _effective(layer.arguments, name):
                continue
            value, earlier = _effective(layer.arguments, name), _effective(first, name)
            raise UsageError(
                say(
                    "from_code.layer_differs",
                    line=layer.line,
                    layer=k,
                    argument=name,
                    value=repr(value),
                    first=repr(earlier),
                )
            )
    merged: dict[str, object] = {}
    for layer in lstms:
        merged.update({n: v for n, v in layer.arguments.items() if n not in own})
    merged.update({n: v for n, v in top.arguments.items() if n in own})
    if count == 1:
        return _ordered(merged)
    del merged["units"]
    top_sequences = _effective(top.arguments, "return_sequences")
    lower = [_effective(layer.arguments, "return_sequences") for layer in lstms[:-1]]
    as_written = not all(value is True for value in lower)
    if as_written:
        for k, value in enumerate(lower, start=1):
            if value != top_sequences:
                line = lstms[k - 1].line
                raise UsageError(
                    say("from_code.lower_sequences", line=line, layer=k, count=count, value=value, top=top_sequences)
                )
    merged["layers"] = ",".join(str(layer.arguments["units"]) for layer in lstms)
    if as_written:
        merged["as_written"] = True
    return _ordered(merged)


def _effective(arguments: dict[str, object], name: str) -> object:
    return arguments[name] if name in arguments else BY_NAME[name].keras_default


def _ordered(arguments: dict[str, object]) -> dict[str, object]:
    """The LSTM's arguments in Keras's order, then the model keywords."""
    names = [a.name for a in ARGUMENTS] + ["layers", "as_written"]
    return {name: arguments[name] for name in names if name in arguments}


def _activation_path(path: list[str]) -> bool:
    """`keras.activations.relu`, `activations.relu`, or a TensorFlow function that is the Keras one."""
    if len(path) >= 2 and path[-2] == "activations" and all(part in KERAS_PATH for part in path[:-1]):
        return True
    return path[0] in ("tf", "tensorflow") and path[1:-1] in ([], ["nn"], ["math"]) and path[-1] in TF_ACTIVATIONS


def _in_layers(func: ast.expr) -> bool:
    """A call reached through a `layers` module (`keras.layers.Embedding`): a layer, Keras's or not."""
    path = _dotted(func)
    return path is not None and "layers" in path[:-1] and all(part in KERAS_PATH for part in path[:-1])


def _path_text(func: ast.expr) -> str:
    path = _dotted(func)
    return shorten(".".join(path) if path else _code_of(func))


def _code_of(node: ast.expr) -> str:
    """The code of a value as the message quotes it: one line, shortened."""
    return shorten(" ".join(ast.unparse(node).split()))
