"""Turn a configuration into runnable code: a Keras 3 script, and the nearest torch.nn.LSTM.

The Keras script repeats exactly what the engine does (seed, then the layer's arguments, then the
model, then a direct call), so it prints the numbers the tool shows. The PyTorch script carries the
Keras layer's weights, mapped onto PyTorch's layout by `torch_parameters`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np

from lstm_explorer.catalogue import ARGUMENTS, BY_NAME, SPEC_MODULES
from lstm_explorer.config import LSTMConfig
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


def torch_parameters(weights: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Keras's kernel, recurrent_kernel and bias in torch.nn.LSTM's layout (same gate order i, f, g, o).

    PyTorch multiplies by W·x, so the matrices are transposed; it keeps two biases that add up, so
    Keras's bias goes to bias_ih and bias_hh is zero.
    """
    units = weights["recurrent_kernel"].shape[0]
    parameters = {
        "weight_ih_l0": np.ascontiguousarray(weights["kernel"].T),
        "weight_hh_l0": np.ascontiguousarray(weights["recurrent_kernel"].T),
    }
    if "bias" in weights:
        parameters["bias_ih_l0"] = np.asarray(weights["bias"]).copy()
        parameters["bias_hh_l0"] = np.zeros(4 * units, dtype=np.asarray(weights["bias"]).dtype)
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
