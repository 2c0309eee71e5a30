"""`--from-code` on every command: the pasted call runs, names where it came from, and prints the
command line that builds the same layer, which gives the same numbers."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys

import numpy as np
import pytest

from tests.test_from_code import SEED

STACK = """
model = keras.Sequential([
    keras.Input(shape=(6, 3)),
    keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True), merge_mode="sum"),
    keras.layers.Bidirectional(keras.layers.LSTM(4), merge_mode="sum"),  # the top layer
    keras.layers.Dense(1, activation="sigmoid"),
])
"""


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("code") / "tutorial.py"
    path.write_text(SEED, encoding="utf-8")
    return path


def _outputs(document: dict) -> dict[str, np.ndarray]:
    return {o["name"]: np.asarray(o["values"]) for o in document["outputs"]}


@pytest.mark.parametrize("which", ["seed", "stack"])
def test_the_equivalent_command_gives_the_same_numbers(run_json, seed_file, which):
    source = str(seed_file) if which == "seed" else STACK
    document = run_json("--from-code", source)
    assert document["source"].startswith("code: ")
    same_as = next(note for note in document["notes"] if note.startswith("The same as: "))
    words = shlex.split(same_as.removeprefix("The same as: "))
    assert words[0] == "lstm-explore"
    again = run_json(*words[1:])
    assert again["source"] is None
    assert again["config"] == document["config"] and again["model"] == document["model"]
    for name, values in _outputs(document).items():
        np.testing.assert_array_equal(values, _outputs(again)[name])


def test_the_tutorial_call_is_the_tutorial_layer(run_json, seed_file, keras):
    """The seed's call, read from its file, builds what the tutorial's own code builds: the same
    model once the tool's weights are in it gives the same numbers on the tutorial's sample."""
    document = run_json("--from-code", str(seed_file))
    assert document["input"]["shape"] == [1, 10, 2]
    assert document["config"]["units"] == 3 and document["config"]["return_sequences"] is True
    assert document["config"]["implementation"] == 1
    namespace = {"tf": __import__("tensorflow"), "keras": keras}
    exec(SEED, namespace)
    model = namespace["model"]
    x = np.asarray(document["input"]["values"], dtype=np.float32)
    model.set_weights([np.asarray(w["values"], dtype=np.float32) for w in document["weights"]])
    np.testing.assert_allclose(_outputs(document)["sequence"], np.asarray(model(x)), rtol=1e-6, atol=1e-6)


def test_trace_vary_and_code_take_pasted_code(invoke, run_json, tmp_path):
    call = "LSTM(2, return_sequences=True, input_shape=(5, 3))"
    traced = invoke("trace", "--from-code", call, "--json")
    assert traced.exit_code == 0, traced.output
    steps = json.loads(traced.stdout)["steps"]
    assert len(steps) == 5 and len(steps[0]["x"]) == 3 and len(steps[0]["h"]) == 2
    swept = invoke("vary", "dropout", "0", "0.5", "--training", "--from-code", call, "--json")
    assert swept.exit_code == 0, swept.output
    assert [row["output_shapes"] for row in json.loads(swept.stdout)["rows"]] == [[[1, 5, 2]]] * 2
    script = invoke("code", "--from-code", STACK)
    assert script.exit_code == 0, script.output
    path = tmp_path / "script.py"
    path.write_text(script.stdout)
    printed = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=600, check=True)
    lines = {line["name"]: np.asarray(line["values"]) for line in map(json.loads, printed.stdout.splitlines())}
    document = run_json("--from-code", STACK)
    for name, values in _outputs(document).items():
        np.testing.assert_allclose(lines[name], values, rtol=1e-6, atol=1e-6)


def test_flags_given_override_the_code(run_json):
    document = run_json("--from-code", "LSTM(4, return_sequences=True)", "--units", "2", "--timesteps", "3")
    assert document["config"]["units"] == 2 and document["config"]["return_sequences"] is True
    assert document["outputs"][0]["shape"] == [1, 3, 2]


def test_reading_code_loads_no_tensorflow(seed_file):
    program = (
        "import sys; from lstm_explorer.from_code import read; read(sys.argv[1]); "
        "print('tensorflow' in sys.modules or 'keras' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", program, str(seed_file)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
