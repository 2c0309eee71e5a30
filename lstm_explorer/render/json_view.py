"""The run as one JSON document, for scripts. Key names are a promise: scripts rely on them."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from lstm_explorer.architecture import Architecture
from lstm_explorer.catalogue import ARGUMENTS
from lstm_explorer.config import LSTMConfig
from lstm_explorer.engine import NamedArray, RunResult, SweepRow, gate_columns, sweep_note
from lstm_explorer.specs import Spec


def jsonable_value(value: object) -> object:
    """A configuration value as JSON: specs as their canonical text, everything else as is."""
    return str(value) if isinstance(value, Spec) else value


def config_document(config: LSTMConfig) -> dict[str, object]:
    return {a.name: jsonable_value(config[a.name]) for a in ARGUMENTS}


def finite(item: Any) -> Any:
    """The document with NaN and ±Inf (an exponential activation, a regularizer of one sample) as null.

    JSON has no spelling for them, and scripts must always get a document their parser accepts.
    """
    if isinstance(item, dict):
        return {key: finite(value) for key, value in item.items()}
    if isinstance(item, (list, tuple)):
        return [finite(value) for value in item]
    if isinstance(item, np.ndarray):
        return finite(item.tolist())
    if isinstance(item, (float, np.floating)):
        return float(item) if math.isfinite(item) else None
    if isinstance(item, np.integer):
        return int(item)
    if isinstance(item, np.bool_):
        return bool(item)
    return item


def json_text(document: dict[str, Any]) -> str:
    """One JSON document and a newline; valid JSON whatever numbers the run produced."""
    return json.dumps(finite(document), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _array(named: NamedArray) -> dict[str, object]:
    return {
        "name": named.name,
        "description": named.description,
        "shape": list(named.shape),
        "values": named.values.astype(np.float64).tolist(),
    }


def _mask_document(result: RunResult) -> dict[str, object]:
    """The padding mask the LSTM received, where it came from, and what the output is at each step."""
    data = result.input
    if data.mask is None:
        return {}
    document: dict[str, object] = {"mask": data.mask.tolist()}
    if result.mask_outcomes is not None:
        document["mask_outcomes"] = result.mask_outcomes.tolist()
    if data.lengths is not None:
        document |= {"lengths": list(data.lengths), "padding": data.padding}
    if data.mask_value is not None:
        document["mask_value"] = data.mask_value
    return document


def _initial_state_document(result: RunResult) -> dict[str, object]:
    """The h and c the call started from, when given: each with its shape, values and how it was given."""
    if result.initial_state is None:
        return {}
    sources = (result.input.initial_h, result.input.initial_c)
    return {
        "initial_state": {
            which: {
                "shape": list(values.shape),
                "values": values.astype(np.float64).tolist(),
                "source": None if source is None else source.describe(),
            }
            for which, values, source in zip(("h", "c"), result.initial_state, sources)
        }
    }


def _gates(units: int) -> dict[str, list[int]]:
    return {gate: [start, stop] for gate, _, start, stop in gate_columns(units)}


def _weights_document(result: RunResult) -> list[dict[str, object]]:
    """Every weight in the order of `model.get_weights()`; an LSTM's with its gates' column blocks."""
    if not result.parts:
        return [{**_array(w), "gate_columns": _gates(result.config.units)} for w in result.weights]
    units = {part.path: part.config.units for part in result.parts}
    document = []
    for weight in result.weights:
        owner = weight.name.split("/lstm_cell/")[0]
        document.append({**_array(weight), **({"gate_columns": _gates(units[owner])} if owner in units else {})})
    return document


def _layers_document(result: RunResult) -> list[dict[str, object]]:
    """Every layer after the input: name, type, shapes, parameters and how they are counted."""
    if not result.layers:
        return [
            {
                "name": result.layer_name,
                "type": "LSTM",
                "input_shape": list(result.input_shape),
                "output_shapes": [
                    {"name": o.name, "shape": list(shape)} for o, shape in zip(result.outputs, result.output_shapes)
                ],
                "param_count": result.param_count,
                "param_formula": result.param_formula.worked,
            }
        ]
    return [
        {
            "name": row.name,
            "type": row.type,
            "input_shape": list(row.input_shape),
            "output_shapes": [{"name": name, "shape": list(shape)} for name, shape in row.output_shapes],
            "param_count": row.param_count,
            "param_formula": None if row.formula is None else row.formula.worked,
        }
        for row in result.layers
    ]


def _model_document(result: RunResult) -> dict[str, object]:
    return model_document(result.architecture, result.config)


def model_document(model: Architecture, config: LSTMConfig) -> dict[str, object]:
    """The model around the LSTM: each layer's units, Bidirectional and its merge mode, the head."""
    return {
        "layers": list(model.units(config)),
        "bidirectional": model.bidirectional,
        "merge_mode": model.merge_mode if model.bidirectional else None,
        "dense": None if model.dense is None else {"units": model.dense.units, "activation": model.dense.activation},
        "as_written": model.as_written,
    }


def to_document(result: RunResult) -> dict[str, object]:
    return {
        "config": config_document(result.config),
        "explicit": [a.name for a in ARGUMENTS if a.name in result.config.explicit],
        "input": {
            "shape": list(result.input.values.shape),
            "source": result.input.source,
            "scale": result.input.scale,
            "values": result.input.values.astype(np.float64).tolist(),
            **_mask_document(result),
        },
        **_initial_state_document(result),
        "outputs": [_array(o) for o in result.outputs],
        "weights": _weights_document(result),
        "param_count": result.param_count,
        "param_formula": result.param_formula.worked,
        "layer": {
            "name": result.layer_name,
            "class": "LSTM",
            "input_shape": list(result.input_shape),
            "output_shapes": [list(s) for s in result.output_shapes],
        },
        "source": result.origin,
        "model": _model_document(result),
        "layers": _layers_document(result),
        "training": result.training,
        "random_seed": result.random_seed,
        "keras_version": result.keras_version,
        "tensorflow_version": result.tensorflow_version,
        "notes": result.notes,
        "effects": {effect.name: effect.data for effect in result.effects},
        "dropout_masks": [_array(mask) for mask in result.dropout_masks],
        "reference": None
        if result.reference is None
        else {
            "max_abs_diff": result.reference.max_abs_diff,
            "ok": result.reference.ok,
            "note": result.reference.note,
        },
    }


def dumps(result: RunResult) -> str:
    return json_text(to_document(result))


def trace_document(result: RunResult) -> list[dict[str, object]]:
    def plain(v: np.ndarray) -> list[float]:
        return [float(x) for x in v]

    return [
        {
            "t": s.t,
            "x": plain(s.x),
            "z": plain(s.z),
            "i": plain(s.i),
            "f": plain(s.f),
            "g": plain(s.g),
            "o": plain(s.o),
            "c": plain(s.c),
            "h": plain(s.h),
        }
        for s in result.trace
    ]


def vary_document(
    argument: str, rows: list[SweepRow], random_seed: int, shared: bool, training: bool = False
) -> dict[str, object]:
    return {
        "argument": argument,
        "random_seed": random_seed,
        "training": training,
        "same_initial_weights": shared,
        "note": sweep_note(argument, training),
        "rows": [
            {
                "value": row.value,
                "output_shapes": [list(s) for s in row.output_shapes],
                "param_count": row.param_count,
                "max_abs_diff_vs_first": row.max_abs_diff_vs_first,
                "cudnn_eligible": row.cudnn_eligible,
                "loss": row.loss,
                "shared_weights": row.shared_weights,
                "error": row.error,
                "outputs": [
                    [None if not math.isfinite(v) else v for v in o.astype(float).ravel().tolist()] for o in row.outputs
                ],
            }
            for row in rows
        ],
    }
