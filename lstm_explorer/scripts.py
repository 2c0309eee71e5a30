"""Turn a configuration into runnable code: a Keras 3 script, and the nearest torch.nn.LSTM.

The Keras script repeats exactly what the engine does (seed, then the layer's arguments, then the
model, then a direct call), so it prints the numbers the tool shows. The PyTorch script carries the
Keras layer's weights, mapped onto PyTorch's layout by `torch_parameters`.

A model (Bidirectional, a stack, a Dense head) gets its own pair: `model_keras_script` writes the
layers in the order `network.build` makes them (the order the seeded initializers are drawn in), and
`model_torch_script` one multi-layer torch.nn.LSTM, after `torch_refusal` has ruled out what
PyTorch has no form for.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from lstm_explorer.architecture import Architecture
from lstm_explorer.catalogue import ARGUMENTS, BY_NAME, SPEC_MODULES
from lstm_explorer.config import LSTMConfig
from lstm_explorer.errors import UsageError
from lstm_explorer.inputs import counting_pattern
from lstm_explorer.language import say
from lstm_explorer.specs import Spec

MAX_LITERAL_VALUES = 20_000


def _python_value(argument_name: str, value: object) -> str:
    argument = BY_NAME[argument_name]
    if isinstance(value, Spec):
        parts = [repr(a) for a in value.args] + [f"{k}={v!r}" for k, v in value.kwargs]
        return f"keras.{SPEC_MODULES[argument.kind]}.{value.name}({', '.join(parts)})"
    return repr(value)


def layer_arguments(config: LSTMConfig) -> list[str]:
    """`name=value` for every argument that differs from Keras's default (units always, first)."""
    rendered = [str(config["units"])]
    for argument in ARGUMENTS:
        if argument.name in ("units", "time_major") or config.is_default(argument.name):
            continue
        rendered.append(f"{argument.name}={_python_value(argument.name, config[argument.name])}")
    return rendered


def input_expression(values: np.ndarray) -> str:
    """The input as code: the counting pattern by formula, anything else as literal numbers."""
    batch, timesteps, features = values.shape
    if np.array_equal(values, counting_pattern(batch, timesteps, features)):
        return f'np.arange(1, {values.size + 1}, dtype="float32").reshape({batch}, {timesteps}, {features})'
    if values.size > MAX_LITERAL_VALUES:
        return f'np.load("input.npy").astype("float32")  # {say("code.input_too_large", shape=values.shape)}'
    return f'np.array({json.dumps(values.astype(np.float64).tolist())}, dtype="float32")'


def _literal(array: np.ndarray) -> str:
    """An array as Python source, booleans as True/False."""
    if array.dtype == bool:
        return f"np.array({array.tolist()!r})"
    return f'np.array({json.dumps(array.astype(np.float64).tolist())}, dtype="float32")'


def keras_script(
    config: LSTMConfig,
    values: np.ndarray,
    random_seed: int,
    output_names: list[str],
    training: bool = False,
    mask: np.ndarray | None = None,
    mask_value: float | None = None,
    state: tuple[np.ndarray, np.ndarray] | None = None,
) -> str:
    """A complete Keras 3 script that builds this layer and prints what the tool prints, as JSON lines.

    A padding mask goes in as the tool passes it: a Masking layer in front for a mask value, else
    a second model input handed to the layer's call as `mask=`; initial states as two more inputs
    handed over as `initial_state=[h, c]`, with the values the run started from."""
    arguments = layer_arguments(config)
    call = "keras.layers.LSTM(" + ", ".join(arguments) + ")"
    given = ["x"]
    model_inputs = ["inputs"]
    extra_inputs: list[str] = []
    call_arguments: list[tuple[str, str]] = []
    sequence = "inputs"
    if mask is not None and mask_value is None:
        extra_inputs.append(f"mask = {_literal(mask)}")
        extra_inputs.append(f'mask_input = keras.Input(batch_shape={tuple(mask.shape)}, dtype="bool")')
        model_inputs.append("mask_input")
        given.append("mask")
        call_arguments.append(("mask=mask_input", say("code.keras_mask_comment")))
    elif mask_value is not None:
        extra_inputs.append(
            f"masked = keras.layers.Masking(mask_value={mask_value!r})(inputs)  # {say('code.keras_masking_comment')}"
        )
        sequence = "masked"
    if state is not None:
        for which, array in zip(("h", "c"), state):
            extra_inputs.append(f"initial_{which} = {_literal(array)}")
            extra_inputs.append(f"{which}_input = keras.Input(batch_shape={tuple(array.shape)})")
        model_inputs += ["h_input", "c_input"]
        given += ["initial_h", "initial_c"]
        call_arguments.append(("initial_state=[h_input, c_input]", say("code.keras_state_comment")))
    layer_call = f"layer({sequence})"
    if call_arguments:
        lines = "".join(f"    {code},  # {comment}\n" for code, comment in call_arguments)
        layer_call = f"layer(\n    {sequence},\n{lines})"
    inputs_list = model_inputs[0] if len(model_inputs) == 1 else "[" + ", ".join(model_inputs) + "]"
    fed = given[0] if len(given) == 1 else "[" + ", ".join(given) + "]"
    extra = "".join(line + "\n" for line in extra_inputs)
    return f'''"""{say("code.keras_docstring")}"""
import json

import numpy as np
import keras

keras.utils.set_random_seed({random_seed})  # {say("code.keras_seed_comment")}
x = {input_expression(values)}
layer = {call}
inputs = keras.Input(batch_shape={tuple(values.shape)})
{extra}model = keras.Model({inputs_list}, {layer_call})
outputs = model({fed}, training={training})  # {say("code.keras_call_comment")}
outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
for name, value in zip({output_names!r}, outputs):
    print(json.dumps({{"name": name, "shape": list(value.shape), "values": np.asarray(value).tolist()}}))
'''


def torch_parameters(weights: Mapping[str, np.ndarray], layer: int = 0, reverse: bool = False) -> dict[str, np.ndarray]:
    """Keras's kernel, recurrent_kernel and bias in torch.nn.LSTM's layout (same gate order i, f, g, o).

    PyTorch multiplies by W·x, so the matrices are transposed; it keeps two biases that add up, so
    Keras's bias goes to bias_ih and bias_hh is zero. `layer` (from 0) and `reverse` (the backward
    direction) give the names of that LSTM in a stack: weight_ih_l1_reverse and so on.
    """
    units = weights["recurrent_kernel"].shape[0]
    suffix = f"_l{layer}" + ("_reverse" if reverse else "")
    parameters = {
        f"weight_ih{suffix}": np.ascontiguousarray(weights["kernel"].T),
        f"weight_hh{suffix}": np.ascontiguousarray(weights["recurrent_kernel"].T),
    }
    if "bias" in weights:
        parameters[f"bias_ih{suffix}"] = np.asarray(weights["bias"]).copy()
        parameters[f"bias_hh{suffix}"] = np.zeros(4 * units, dtype=np.asarray(weights["bias"]).dtype)
    return parameters


def torch_gaps(config: LSTMConfig, pytorch_notes: Mapping[str, str]) -> list[tuple[str, str]]:
    """Arguments set away from Keras's default that torch.nn.LSTM has no switch for, with what to do."""
    return [
        (a.name, pytorch_notes.get(a.name, ""))
        for a in ARGUMENTS
        if not a.torch_switch
        and a.name in config.values
        and config[a.name] is not None
        and not config.is_default(a.name)
    ]


def torch_script(
    config: LSTMConfig, values: np.ndarray, weights: Mapping[str, np.ndarray], pytorch_notes: Mapping[str, str]
) -> str:
    """The nearest torch.nn.LSTM, carrying this Keras layer's weights, printing the same tensors."""
    units = config.units
    parameters = torch_parameters(weights)
    use_bias = "bias_ih_l0" in parameters
    copies = "\n".join(
        f"    lstm.{name}.copy_(torch.tensor({json.dumps(array.astype(np.float64).tolist())}))"
        for name, array in parameters.items()
    )
    gaps = torch_gaps(config, pytorch_notes)
    gap_lines = (
        "\n".join(f"# - {name}: {' '.join(note.split())}" for name, note in gaps) or f"# {say('code.torch_no_gaps')}"
    )
    flip = f"x = x.flip(1)  # {say('code.torch_flip_comment')}\n" if config["go_backwards"] else ""
    if config["return_sequences"]:
        first = '("sequence", out)'
    else:
        first = '("last_output", out[:, -1])'
    returned = f"[{first}" + (', ("final_h", h_n[-1]), ("final_c", c_n[-1])]' if config["return_state"] else "]")
    return f'''"""{say("code.torch_title")}

{say("code.torch_mapping")}

{say("code.torch_gaps_heading")}
"""
{gap_lines}
import json

import numpy as np
import torch

x = torch.tensor({input_expression(values)})
lstm = torch.nn.LSTM(input_size={values.shape[-1]}, hidden_size={units}, bias={use_bias}, batch_first=True)
with torch.no_grad():
{copies}
{flip}out, (h_n, c_n) = lstm(x)
for name, value in {returned}:
    print(json.dumps({{"name": name, "shape": list(value.shape), "values": value.detach().numpy().tolist()}}))
'''


def _layer_name(kind: str, layer: int, count: int) -> str:
    """`lstm`/`bidirectional` for one layer, `lstm_1`, `lstm_2`, … in a stack, as `network.build` names them."""
    return kind if count == 1 else f"{kind}_{layer}"


def _keras_layer(config: LSTMConfig, architecture: Architecture, layer: int, count: int) -> str:
    """One stack entry as code: `keras.layers.LSTM(…, name=…)`, wrapped in Bidirectional if asked."""
    lstm = "keras.layers.LSTM(" + ", ".join([*layer_arguments(config), f'name="{_layer_name("lstm", layer, count)}"'])
    lstm += ")"
    if not architecture.bidirectional:
        return lstm
    mode = architecture.keras_merge_mode
    merge = "" if mode == "concat" else f"    merge_mode={json.dumps(mode) if mode else None},\n"
    name = _layer_name("bidirectional", layer, count)
    return f'keras.layers.Bidirectional(\n    {lstm},\n{merge}    name="{name}",\n)'


def _keras_stack(config: LSTMConfig, architecture: Architecture, sequence: str, call: str) -> list[str]:
    """The lines that build and call each LSTM, bottom first; the top one's result is `returned`."""
    configs = architecture.layer_configs(config)
    count = len(configs)
    lines = []
    for layer, layer_config in enumerate(configs, start=1):
        name = _layer_name("bidirectional" if architecture.bidirectional else "lstm", layer, count)
        top = layer == count
        if count > 1:
            key = "keras_top_layer" if top else "keras_as_written" if architecture.as_written else "keras_lower_layer"
            lines.append(f"# {say(f'code_model.{key}', layer=layer, count=count)}")
        lines.append(f"{name} = {_keras_layer(layer_config, architecture, layer, count)}")
        several = bool(layer_config["return_state"]) or (
            architecture.bidirectional and architecture.merge_mode == "none"
        )
        if top:
            lines.append(f"returned = {name}({sequence}{call})")
        else:
            lines.append(f"sequence = {name}({sequence}{call})" + ("[0]" if several else ""))
            sequence = "sequence"
    return lines


def _keras_head(config: LSTMConfig, architecture: Architecture) -> list[str]:
    """The Dense head on the top LSTM's first output, or nothing: the lines ending in `model_outputs`."""
    if architecture.dense is None:
        return ["model_outputs = returned"]
    top = architecture.layer_configs(config)[-1]
    activation = "" if architecture.dense.activation is None else f', activation="{architecture.dense.activation}"'
    lines = [
        f"# {say('code_model.keras_dense_comment')}",
        f'dense = keras.layers.Dense({architecture.dense.units}{activation}, name="dense")',
    ]
    if top["return_state"]:
        lines.append("model_outputs = [dense(returned[0]), *returned[1:]]")
    else:
        lines.append("model_outputs = dense(returned)")
    return lines


def model_keras_script(
    config: LSTMConfig,
    architecture: Architecture,
    values: np.ndarray,
    random_seed: int,
    output_names: list[str],
    training: bool = False,
    mask: np.ndarray | None = None,
    mask_value: float | None = None,
) -> str:
    """A complete Keras 3 script that builds the model `network.build` builds, layer for layer and
    name for name, in the same order (the seeded initializers are drawn in it), and prints every
    output under the tool's name for it, as JSON lines.

    The mask goes in as the tool passes it: a Masking layer in front for a mask value, else a second
    input handed to every LSTM's call as `mask=`."""
    given, model_inputs, lines = "x", "inputs", []
    sequence, call = "inputs", ""
    if mask is not None and mask_value is None:
        lines.append(f"mask = {_literal(mask)}")
        lines.append(f'mask_input = keras.Input(batch_shape={tuple(mask.shape)}, dtype="bool", name="mask")')
        lines.append(f"# {say('code_model.keras_mask_comment')}")
        given, model_inputs, call = "[x, mask]", "[inputs, mask_input]", ", mask=mask_input"
    elif mask_value is not None:
        lines.append(
            f'masked = keras.layers.Masking(mask_value={mask_value!r}, name="masking")(inputs)'
            f"  # {say('code.keras_masking_comment')}"
        )
        sequence = "masked"
    lines += _keras_stack(config, architecture, sequence, call)
    lines += _keras_head(config, architecture)
    body = "".join(line + "\n" for line in lines)
    return f'''"""{say("code_model.keras_docstring", flags=" ".join(architecture.flags()))}"""
import json

import numpy as np
import keras

keras.utils.set_random_seed({random_seed})  # {say("code.keras_seed_comment")}
x = {input_expression(values)}
inputs = keras.Input(batch_shape={tuple(values.shape)}, name="input")
{body}model = keras.Model({model_inputs}, model_outputs)
outputs = model({given}, training={training})  # {say("code.keras_call_comment")}
outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
for name, value in zip({output_names!r}, outputs):
    print(json.dumps({{"name": name, "shape": list(value.shape), "values": np.asarray(value).tolist()}}))
'''


# Keras's activations that PyTorch has with the same defaults, as the call that applies one to `{}`.
TORCH_ACTIVATIONS = {
    "celu": "torch.nn.functional.celu({})",
    "elu": "torch.nn.functional.elu({})",
    "exponential": "torch.exp({})",
    "gelu": "torch.nn.functional.gelu({})",
    "hard_shrink": "torch.nn.functional.hardshrink({})",
    "hard_sigmoid": "torch.nn.functional.hardsigmoid({})",
    "hard_silu": "torch.nn.functional.hardswish({})",
    "hard_swish": "torch.nn.functional.hardswish({})",
    "hard_tanh": "torch.nn.functional.hardtanh({})",
    "leaky_relu": "torch.nn.functional.leaky_relu({}, 0.2)",  # Keras's negative_slope is 0.2, PyTorch's 0.01
    "log_sigmoid": "torch.nn.functional.logsigmoid({})",
    "log_softmax": "torch.log_softmax({}, dim=-1)",
    "mish": "torch.nn.functional.mish({})",
    "relu": "torch.relu({})",
    "relu6": "torch.nn.functional.relu6({})",
    "selu": "torch.selu({})",
    "sigmoid": "torch.sigmoid({})",
    "silu": "torch.nn.functional.silu({})",
    "soft_shrink": "torch.nn.functional.softshrink({})",
    "softmax": "torch.softmax({}, dim=-1)",
    "softplus": "torch.nn.functional.softplus({})",
    "softsign": "torch.nn.functional.softsign({})",
    "swish": "torch.nn.functional.silu({})",
    "tanh": "torch.tanh({})",
    "tanh_shrink": "torch.nn.functional.tanhshrink({})",
}


def torch_refusal(config: LSTMConfig, architecture: Architecture) -> None:
    """Raise UsageError for a model one torch.nn.LSTM (and a torch.nn.Linear) cannot be: checked
    before anything is built, each naming the flag and why."""
    units = architecture.units(config)
    if len(set(units)) > 1:
        layers = ",".join(str(n) for n in units)
        same = ",".join(str(units[0]) for _ in units)
        raise UsageError(say("code_model.torch_units_differ", layers=layers, same=same))
    if architecture.as_written:
        raise UsageError(say("code_model.torch_as_written"))
    if architecture.bidirectional and architecture.merge_mode != "concat":
        raise UsageError(say("code_model.torch_merge_mode", merge_mode=architecture.merge_mode))
    if len(units) > 1 and config["go_backwards"]:
        raise UsageError(say("code_model.torch_go_backwards_stack"))
    head = architecture.dense
    if head is not None and head.activation is not None and head.activation not in TORCH_ACTIVATIONS:
        raise UsageError(say("code_model.torch_dense_activation", dense=str(head), activation=head.activation))


def _tensor_copies(owner: str, parameters: Mapping[str, np.ndarray]) -> list[str]:
    return [
        f"    {owner}.{name}.copy_(torch.tensor({json.dumps(np.asarray(array).astype(np.float64).tolist())}))"
        for name, array in parameters.items()
    ]


def _torch_returned(config: LSTMConfig, architecture: Architecture, units: int) -> tuple[list[str], list[str]]:
    """The lines that pick Keras's outputs out of PyTorch's, and the expressions, in the tool's order.

    PyTorch's `out` holds both directions at every step in the input's time order, as Keras's merged
    sequence does; Keras's last output of the backward LSTM is the one it gives after reading the
    whole sequence backwards, which PyTorch puts at step 0, not at the last step."""
    top = architecture.layer_configs(config)[-1]
    lines = []
    if top["return_sequences"]:
        first = "out"
    elif architecture.bidirectional:
        lines.append(f"# {say('code_model.torch_backward_last')}")
        lines.append(f"last = torch.cat([out[:, -1, :{units}], out[:, 0, {units}:]], dim=-1)")
        first = "last"
    else:
        first = "out[:, -1]"
    if architecture.dense is not None:
        activation = TORCH_ACTIVATIONS.get(architecture.dense.activation or "", "{}")
        first = activation.format(f"dense({first})")
    returned = [first]
    if top["return_state"]:
        # h_n and c_n hold each layer's final state, the backward direction after the forward one.
        tops = ("-2", "-1") if architecture.bidirectional else ("-1",)
        returned += [f"{state}_n[{index}]" for index in tops for state in ("h", "c")]
    return lines, returned


def model_torch_script(
    config: LSTMConfig,
    architecture: Architecture,
    values: np.ndarray,
    lstm_weights: Mapping[tuple[int, str], Mapping[str, np.ndarray]],
    head_weights: Mapping[str, np.ndarray],
    output_names: list[str],
    pytorch_notes: Mapping[str, str],
) -> str:
    """One torch.nn.LSTM with num_layers and bidirectional as the Keras model has them, carrying its
    weights (`lstm_weights` by layer from 1 and direction), a torch.nn.Linear for the Dense head
    (`head_weights`: kernel and bias), printing the tool's outputs under the tool's names."""
    torch_refusal(config, architecture)
    units = architecture.units(config)
    parameters: dict[str, np.ndarray] = {}
    for (layer, direction), weights in sorted(
        lstm_weights.items(), key=lambda item: (item[0][0], item[0][1] != "forward")
    ):
        parameters |= torch_parameters(weights, layer - 1, reverse=direction == "backward")
    use_bias = any(name.startswith("bias_") for name in parameters)
    copies = _tensor_copies("lstm", parameters)
    bidirectional = ", bidirectional=True" if architecture.bidirectional else ""
    modules = [
        f"lstm = torch.nn.LSTM(input_size={values.shape[-1]}, hidden_size={units[0]}, num_layers={len(units)}, "
        f"bias={use_bias}, batch_first=True{bidirectional})"
    ]
    if architecture.dense is not None:
        width = units[0] * (2 if architecture.bidirectional else 1)
        head_bias = "bias" in head_weights
        modules.append(f"# {say('code_model.torch_dense_comment')}")
        modules.append(f"dense = torch.nn.Linear({width}, {architecture.dense.units}, bias={head_bias})")
        linear = {"weight": np.asarray(head_weights["kernel"]).T}
        linear |= {"bias": np.asarray(head_weights["bias"])} if head_bias else {}
        copies += _tensor_copies("dense", linear)
    gaps = torch_gaps(config, pytorch_notes)
    gap_lines = (
        "\n".join(f"# - {name}: {' '.join(note.split())}" for name, note in gaps) or f"# {say('code.torch_no_gaps')}"
    )
    flip = f"x = x.flip(1)  # {say('code.torch_flip_comment')}\n" if config["go_backwards"] else ""
    picks, returned = _torch_returned(config, architecture, units[0])
    pairs = ", ".join(f"({name!r}, {expression})" for name, expression in zip(output_names, returned, strict=True))
    body = "".join(line + "\n" for line in picks)
    newline = "\n"
    return f'''"""{say("code_model.torch_title", flags=" ".join(architecture.flags()))}

{say("code_model.torch_mapping")}

{say("code.torch_gaps_heading")}
"""
{gap_lines}
import json

import numpy as np
import torch

x = torch.tensor({input_expression(values)})
{newline.join(modules)}
with torch.no_grad():
{newline.join(copies)}
{flip}out, (h_n, c_n) = lstm(x)
{body}for name, value in [{pairs}]:
    print(json.dumps({{"name": name, "shape": list(value.shape), "values": value.detach().numpy().tolist()}}))
'''


def saved_model_script(path: Path, layer: str, values: np.ndarray, output_names: list[str]) -> str:
    """A Keras 3 script that loads the model file as the tool does and prints the chosen layer's
    outputs on the same input: the tool's numbers, from the file's own layers."""
    return f'''"""{say("code.saved_docstring", path=path.name, layer=layer)}"""
import json

import numpy as np
import keras

# {say("code.saved_safe_mode_comment")}
model = keras.saving.load_model({str(path)!r}, compile=False, safe_mode=True)
layer = model.get_layer({layer!r})
x = {input_expression(values)}
probe = keras.Model(model.inputs, layer.output)  # {say("code.saved_probe_comment")}
outputs = probe(x, training=False)
outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
for name, value in zip({output_names!r}, outputs):
    print(json.dumps({{"name": name, "shape": list(value.shape), "values": np.asarray(value).tolist()}}))
'''
