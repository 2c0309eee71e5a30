"""--from-code's reader: Keras code people paste, read into the tool's arguments without running it.

The translation is checked against Keras itself: the test runs the user's snippet with real Keras,
copies the tool's weights into the model it built, and compares the outputs.
"""

from __future__ import annotations

import inspect
import shlex
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import lstm_explorer
from lstm_explorer import api, from_code
from lstm_explorer.api import model_configuration
from lstm_explorer.errors import UsageError
from lstm_explorer.from_code import RUN_KEYWORDS, read
from lstm_explorer.language import speaking

# The seed tutorial's call, in Python's own casing, with its Chinese comments and its line breaks
# (the lost break before `model.add` put back by hand: see SCRAPED for the page as scraped).
SEED = textwrap.dedent(
    """\
    # -*- coding: utf-8 -*-
    import tensorflow as tf
    import numpy as np

    # 這裡建立乙個簡單的模型演示 lstm 層的特性
    model = tf.keras.models.Sequential(

    )
    model.add(tf.keras.layers.LSTM(

    # 這裡的input_shape是兩個元素的,第乙個代表每個輸入的樣本序列長度,第二個元素代表
    input_shape =(10

    ,2),

    # unit 決定了一層裡面 lstm 單元的數量。
    units =3,

    activation =

    "tanh"

    ,# recurrent activation是作用於 c 的計算,要模擬原文的話需要設定為sigmoid

    recurrent_activation =

    "sigmoid"

    ,use_bias =

    True

    ,kernel_initializer =

    "glorot_uniform"

    ,recurrent_initializer =

    "orthogonal"

    ,bias_initializer =

    "zeros"

    ,unit_forget_bias =

    True

    ,# 核心權重歸一化的方法,預設為 none

    kernel_regularizer =

    None

    ,recurrent_regularizer =

    None

    ,bias_regularizer =

    None

    ,activity_regularizer =

    None

    ,kernel_constraint =

    None

    ,recurrent_constraint =

    None

    ,bias_constraint =

    None

    ,dropout =

    0.0,

    recurrent_dropout =

    0.0,

    # 實現方式。1會將運算分解為若干小矩陣的乘法加法運算,2則相反。
    implementation =1,

    # return_sequences 是否返回全部輸出的序列。
    return_sequences =

    True

    ,return_state =

    False

    ,go_backwards =

    False

    ,stateful =

    False

    ,# 是否展開。預設為false。

    unroll =

    False))

    # 列印除錯資訊
    model.summary(

    )
    """
)
SEED_ARGUMENTS = {
    "units": 3,
    "activation": "tanh",
    "recurrent_activation": "sigmoid",
    "use_bias": True,
    "kernel_initializer": "glorot_uniform",
    "recurrent_initializer": "orthogonal",
    "bias_initializer": "zeros",
    "unit_forget_bias": True,
    **dict.fromkeys(
        (
            "kernel_regularizer",
            "recurrent_regularizer",
            "bias_regularizer",
            "activity_regularizer",
            "kernel_constraint",
            "recurrent_constraint",
            "bias_constraint",
        )
    ),
    "dropout": 0.0,
    "recurrent_dropout": 0.0,
    "return_sequences": True,
    "return_state": False,
    "go_backwards": False,
    "stateful": False,
    "unroll": False,
    "implementation": 1,
}

# The same page as its scraper left it: lowercase names and constants, `)model.add(` on one line.
SCRAPED = textwrap.dedent(
    """\
    model = tf.keras.models.sequential(

    )model.add(tf.keras.layers.lstm(

    # 這裡是作為sequential模型的第一層所以指定input_shape引數,後面加的層不需要這個
    input_shape =(10

    ,2),

    units =3,

    # 是否增加乙個偏置向量。模擬原文的話設定為 true。
    use_bias =

    true

    ,kernel_regularizer =

    none

    ,implementation =1,

    return_sequences =

    true

    ,go_backwards =

    false

    ,unroll =

    false))

    model.summary(

    )# 輸入批次,包含所有樣本,這裡就乙個樣本
    print

    (model)
    """
)

# (id, code, arguments, sizes): what people paste, and what it amounts to.
SNIPPETS = [
    ("keyword_units", "LSTM(units=64)", {"units": 64}, {}),
    (
        "positional_and_keras2_shape",
        "keras.layers.LSTM(64, return_sequences=True, dropout=0.2, input_shape=(10, 2))",
        {"units": 64, "dropout": 0.2, "return_sequences": True},
        {"timesteps": 10, "features": 2},
    ),
    (
        "positional_arguments",
        'tf.keras.layers.LSTM(4, "relu", "hard_sigmoid", True, go_backwards=True, input_shape=(5, 2))',
        {
            "units": 4,
            "activation": "relu",
            "recurrent_activation": "hard_sigmoid",
            "use_bias": True,
            "go_backwards": True,
        },
        {"timesteps": 5, "features": 2},
    ),
    (
        "keras_objects",
        textwrap.dedent(
            """\
            from tensorflow import keras
            from tensorflow.keras import layers, regularizers

            layer = layers.LSTM(
                32,  # the hidden size
                activation=tf.nn.relu,
                recurrent_activation=keras.activations.hard_sigmoid,
                kernel_initializer=keras.initializers.GlorotUniform(seed=1),
                recurrent_initializer=tf.keras.initializers.Orthogonal(gain=0.5, seed=2),
                bias_initializer=keras.initializers.RandomUniform(-0.05, 0.05),
                kernel_regularizer=regularizers.l2(0.01),
                recurrent_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.001),
                kernel_constraint=tf.keras.constraints.MaxNorm(2),
                bias_constraint="non_neg",
            )
            """
        ),
        {
            "units": 32,
            "activation": "relu",
            "recurrent_activation": "hard_sigmoid",
            "kernel_initializer": "GlorotUniform(seed=1)",
            "recurrent_initializer": "Orthogonal(gain=0.5, seed=2)",
            "bias_initializer": "RandomUniform(-0.05, 0.05)",
            "kernel_regularizer": "l2(0.01)",
            "recurrent_regularizer": "L1L2(l1=0.01, l2=0.001)",
            "kernel_constraint": "MaxNorm(2)",
            "bias_constraint": "non_neg",
        },
        {},
    ),
    (
        "keras2_arguments",
        "LSTM(3, batch_input_shape=(2, 5, 7), time_major=False, implementation=2, name='encoder', dtype='float32', "
        "trainable=False, stateful=True, seed=None)",
        {"units": 3, "stateful": True, "implementation": 2},
        {"batch": 2, "timesteps": 5, "features": 7},
    ),
    (
        "input_dim_and_length",
        "LSTM(16, input_dim=3, input_length=12, recurrent_dropout=0.1, seed=7, use_cudnn=False)",
        {"units": 16, "recurrent_dropout": 0.1, "seed": 7, "use_cudnn": False},
        {"timesteps": 12, "features": 3},
    ),
    (
        "bidirectional_sum",
        'layers.Bidirectional(layers.LSTM(8, return_sequences=True), merge_mode="sum", input_shape=(6, 4))',
        {"units": 8, "return_sequences": True, "bidirectional": True, "merge_mode": "sum"},
        {"timesteps": 6, "features": 4},
    ),
    (
        "bidirectional_none",
        "Bidirectional(LSTM(5, return_state=True), None)",
        {"units": 5, "return_state": True, "bidirectional": True, "merge_mode": "none"},
        {},
    ),
    (
        "sequential_list_with_dense",
        textwrap.dedent(
            """\
            model = keras.Sequential([
                keras.Input(shape=(7, 3)),
                layers.LSTM(8, return_sequences=True),   # lower layer: hands on the sequence
                layers.LSTM(4),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(loss="binary_crossentropy", optimizer="adam")
            """
        ),
        {"layers": "8,4", "dense": "1:sigmoid"},
        {"timesteps": 7, "features": 3},
    ),
    (
        "sequential_stack_shares_arguments",
        textwrap.dedent(
            """\
            model = tf.keras.models.Sequential([
                tf.keras.Input(batch_shape=(2, 6, 4)),
                tf.keras.layers.LSTM(8, return_sequences=True, activation=tf.nn.relu, dropout=0.1),
                tf.keras.layers.LSTM(4, activation="relu", dropout=0.1, return_sequences=True),
                tf.keras.layers.Dense(2),
            ])
            """
        ),
        {"activation": "relu", "dropout": 0.1, "return_sequences": True, "layers": "8,4", "dense": "2"},
        {"batch": 2, "timesteps": 6, "features": 4},
    ),
    (
        "model_add_with_masking",
        textwrap.dedent(
            """\
            from keras.models import Sequential
            from keras.layers import LSTM, Masking, Dense

            model = Sequential()
            model.add(Masking(mask_value=0., input_shape=(6, 3)))
            model.add(LSTM(4,
                           return_sequences=True))
            """
        ),
        {"units": 4, "return_sequences": True, "mask_value": 0.0},
        {"timesteps": 6, "features": 3},
    ),
    (
        "negative_mask_value",
        "Sequential([Input((9, 2)), Masking(-1), LSTM(3)])",
        {"units": 3, "mask_value": -1.0},
        {"timesteps": 9, "features": 2},
    ),
    (
        "stack_as_written",
        "Sequential([LSTM(8, input_shape=(10, 2)), LSTM(4)])",
        {"layers": "8,4", "as_written": True},
        {"timesteps": 10, "features": 2},
    ),
    (
        "bidirectional_stack",
        textwrap.dedent(
            """\
            model = Sequential()
            model.add(Bidirectional(LSTM(4, return_sequences=True), input_shape=(5, 3)))
            model.add(Bidirectional(LSTM(3)))
            model.add(Dense(2, activation=None))
            """
        ),
        {"layers": "4,3", "bidirectional": True, "dense": "2"},
        {"timesteps": 5, "features": 3},
    ),
    (
        "functional",
        textwrap.dedent(
            """\
            def build():
                inputs = keras.Input(shape=(8, 2), batch_size=3)
                x = layers.LSTM(6, return_sequences=True, unit_forget_bias=False)(inputs)
                x = layers.LSTM(5, unit_forget_bias=False)(x)
                outputs = layers.Dense(1, activation="tanh")(x)
                return keras.Model(inputs, outputs)

            model = build()
            """
        ),
        {"unit_forget_bias": False, "layers": "6,5", "dense": "1:tanh"},
        {"batch": 3, "timesteps": 8, "features": 2},
    ),
    ("seed", SEED, SEED_ARGUMENTS, {"timesteps": 10, "features": 2}),
    (
        "seed_as_scraped",
        SCRAPED,
        {
            "units": 3,
            "use_bias": True,
            "kernel_regularizer": None,
            "return_sequences": True,
            "go_backwards": False,
            "unroll": False,
            "implementation": 1,
        },
        {"timesteps": 10, "features": 2},
    ),
]
IDS = [snippet[0] for snippet in SNIPPETS]
BY_ID = {snippet[0]: snippet for snippet in SNIPPETS}


def lstm_and_model(arguments: dict) -> dict:
    """The arguments model_configuration takes: api.run's own keywords (mask_value) set apart."""
    return {name: value for name, value in arguments.items() if name not in RUN_KEYWORDS}


@pytest.mark.parametrize(("code", "arguments", "sizes"), [s[1:] for s in SNIPPETS], ids=IDS)
def test_real_snippets_read_to_the_tools_arguments(code, arguments, sizes):
    found = read(code)
    assert found.arguments == arguments
    assert found.sizes == sizes
    model_configuration(lstm_and_model(found.arguments))  # the tool accepts them
    assert found.text and found.text in code


def test_the_seed_reads_as_the_tutorial_meant():
    found = read(SEED)
    config, architecture = model_configuration(found.arguments)
    assert (config.units, config["return_sequences"], config["implementation"]) == (3, True, 1)
    assert found.sizes == {"timesteps": 10, "features": 2}
    assert architecture.single
    assert found.translations == [
        "input_shape=(10, 2) → --timesteps 10 --features 2 (Keras 3 takes the input's sizes from keras.Input; "
        "on a layer it only warns)"
    ]
    assert found.text.startswith("model = tf.keras.models.Sequential(") and found.text.endswith("False))")


def test_the_scraped_page_is_read_with_notes_on_what_was_repaired():
    found = read(SCRAPED)
    assert found.translations[:2] == [
        "Read the lowercase sequential, lstm, true, none, false as Sequential, LSTM, True, None, False: "
        "the page's scraper lowercased Python's names",
        "Line 3: a statement began right after ')', a line break lost when the page was copied; "
        "read as a new statement",
    ]


def test_a_python_file_is_read(tmp_path):
    path = tmp_path / "tutorial.py"
    path.write_text(SEED, encoding="utf-8")
    assert read(str(path)).arguments == SEED_ARGUMENTS


def test_positional_arguments_follow_keras_signature(keras):
    parameters = list(inspect.signature(keras.layers.LSTM.__init__).parameters)
    assert list(from_code.POSITIONAL) == parameters[1:-1]


def test_reading_never_imports_tensorflow():
    code = (
        "import sys\nfrom lstm_explorer.from_code import read\n"
        f"read({SNIPPETS[3][1]!r}).command()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "[]", result.stderr[-2000:]


# End to end: the user's own code, run by Keras, against the tool's run of what was read.
SHAPES_RUN = ["seed", "bidirectional_sum", "sequential_stack_shares_arguments", "model_add_with_masking"]
SHAPES_RUN += ["functional", "bidirectional_stack", "positional_arguments", "negative_mask_value"]


def _users_model(keras, tf, code: str, shape: tuple[int, ...]):
    """The model the snippet builds (a bare layer is put on an input of `shape`), run by Keras itself."""
    namespace = {"keras": keras, "tf": tf, "layers": keras.layers, **vars(keras.layers), **vars(keras.models)}
    if "model" not in code:
        namespace["model"] = keras.Sequential([keras.Input(batch_shape=shape), eval(code, namespace)])
    else:
        exec(code, namespace)
    return namespace["model"]


@pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`")  # the Keras 2 code people paste
@pytest.mark.parametrize("snippet", SHAPES_RUN)
def test_the_translation_computes_what_the_code_computes(keras, snippet):
    import tensorflow as tf

    _, code, _, _ = BY_ID[snippet]
    found = read(code)
    shape = tuple(found.sizes.get(name, 2) for name in ("batch", "timesteps", "features"))
    x = np.random.default_rng(0).normal(size=shape).astype(np.float32)
    if "mask_value" in found.arguments:
        x[:, -2:, :] = found.arguments["mask_value"]  # padded steps the Masking layer hides
    model = _users_model(keras, tf, code, shape)
    model(x)  # built on the input, as the tool's model is
    run = lstm_explorer.run(input=x, **found.arguments)
    model.set_weights([w.values for w in run.weights])
    np.testing.assert_allclose(np.asarray(model(x)), run.outputs[0].values, atol=1e-6)


# Refusals: one line each, naming --from-code and what to do.
REFUSED = [
    ("__import__('os').system('x')", "found no Keras layer call"),
    (
        "LSTM(3, kernel_initializer=__import__('os').system('x'))",
        "kernel_initializer=__import__('os').system('x') is not a literal",
    ),
    ("LSTM(units=n)", "line 1: units=n is not a literal; write the value itself"),
    ("LSTM(3, activation=lambda x: x)", "activation=lambda x: x is not a literal"),
    ("LSTM(3, dropout=f'{rate}')", "dropout=f'{rate}' is not a literal"),
    ("LSTM(3, dropout=0.1 * 2)", "dropout=0.1 * 2 is not a literal"),
    ("LSTM(3, activation=np.tanh)", "activation=np.tanh is not a literal"),
    ("print(1)", "found no Keras layer call; paste an LSTM(…) call"),
    ("x = 3", "found no Keras layer call"),
    ("", "found no Keras layer call"),
    ("LSTM(3, foo=1)", "line 1: LSTM has no argument 'foo'."),
    ("LSTM(3, return_sequence=True)", "has no argument 'return_sequence'; did you mean 'return_sequences'"),
    (
        "LSTM(3, time_major=True)",
        "time_major=True has no Keras 3 equivalent; transpose the input to (batch, time, features)",
    ),
    (
        "Bidirectional(LSTM(3), backward_layer=LSTM(3, go_backwards=True))",
        "Bidirectional(backward_layer=…) can't be read",
    ),
    ("Bidirectional(GRU(3))", "Bidirectional wraps GRU; the tool wraps only an LSTM"),
    ("model = Sequential(\n  [LSTM(3,\n", "line 2 is not valid Python"),
    (
        "model = Sequential()\nmodel.add(Embedding(1000, 64))\nmodel.add(LSTM(3))",
        "line 2: the tool doesn't build Embedding",
    ),
    ("Sequential([LSTM(3), Dropout(0.2)])", "the tool doesn't build Dropout"),
    ("Sequential([Dense(2), LSTM(3)])", "LSTM can't come here"),
    (
        "LSTM(3, input_shape=(None, 2))",
        "input_shape=(None, 2) leaves the timesteps open (None); the tool needs a length: write one, e.g. (10, 2)",
    ),
    (
        "keras.Input(shape=(10, 2))\nLSTM(3, input_shape=(12, 2))",
        "line 2: input_shape=(12, 2) gives --timesteps 12 where an earlier line gave 10",
    ),
    ("LSTM(3, input_shape=(10,))", "input_shape=(10,) must be (timesteps, features)"),
    ("LSTM(return_sequences=True)", "this LSTM has no units"),
    ("LSTM(*sizes)", "*args and **kwargs can't be read"),
    (
        "Sequential([LSTM(8), LSTM(4, return_sequences=True)])",
        "LSTM layer 1 of 2 has return_sequences=False but the top layer has True",
    ),
    (
        "Sequential([LSTM(8, return_sequences=True, return_state=True), LSTM(4)])",
        "LSTM layer 1 of 2 has return_state=True",
    ),
    (
        "Sequential([LSTM(8, return_sequences=True, dropout=0.1), LSTM(4)])",
        "LSTM layer 2 has dropout=0.0 where layer 1 has 0.1",
    ),
    (
        "Sequential([Bidirectional(LSTM(8, return_sequences=True)), LSTM(4)])",
        "Bidirectional wraps some LSTM layers and not others",
    ),
    (
        "Sequential([Bidirectional(LSTM(8, return_sequences=True), 'sum'), Bidirectional(LSTM(4))])",
        "merge_mode concat differs",
    ),
    (
        "Sequential([LSTM(3), Dense(1, use_bias=False)])",
        "Dense(use_bias=…) can't be read: the tool's Dense head takes units and activation only",
    ),
    ("Sequential([LSTM(3)])\nSequential([LSTM(4)])", "line 2: a second model"),
    ("Sequential([LSTM(3), my_layer])", "my_layer is not a layer call"),
    ("Masking(mask_value='x')\nLSTM(3)", "Masking(mask_value='x') must be a number"),
    ("missing_tutorial.py", "no such file missing_tutorial.py"),
]


@pytest.mark.parametrize(("code", "fragment"), REFUSED)
def test_bad_code_is_refused_in_one_line(code, fragment):
    with pytest.raises(UsageError) as refused:
        read(code)
    message = str(refused.value)
    assert message.startswith("--from-code")
    assert "\n" not in message
    assert fragment in message


def test_refusals_speak_chinese():
    with speaking("zh"), pytest.raises(UsageError, match=r"^--from-code：第 1 行：units=n 不是字面量"):
        read("LSTM(units=n)")


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes(b"LSTM(3)  # caf\xe9\n")
    with pytest.raises(UsageError, match=r"^--from-code: can't read .*latin\.py as UTF-8 text"):
        read(str(path))


# The command line read back by the tool's own CLI gives the same configuration.
RUN_OPTIONS = frozenset(inspect.signature(api.run).parameters) - {"arguments"}


@pytest.mark.parametrize("snippet", IDS)
def test_the_command_round_trips_through_the_cli(invoke, monkeypatch, snippet):
    found = read(BY_ID[snippet][1])
    captured: dict = {}

    def capture(**kwargs):
        captured.update(kwargs)
        raise UsageError("captured")

    monkeypatch.setattr(api, "run", capture)
    words = shlex.split(found.command())
    assert words[0] == "lstm-explore"
    result = invoke(*words[1:])
    assert "captured" in result.output, result.output
    arguments = {name: value for name, value in captured.items() if name not in RUN_OPTIONS}
    options = {name: value for name, value in captured.items() if name not in arguments}
    assert model_configuration(arguments) == model_configuration(lstm_and_model(found.arguments))
    assert {
        name: options[name] for name in ("batch", "timesteps", "features") if options[name] is not None
    } == found.sizes
    assert options["mask_value"] == found.arguments.get("mask_value")


def test_the_command_writes_flags_as_the_tool_takes_them():
    assert read("LSTM(4, use_bias=False, return_sequences=True)").command() == (
        "lstm-explore --units 4 --no-use-bias --return-sequences"
    )
    assert read("Sequential([Masking(-1.5, input_shape=(3, 2)), LSTM(2, kernel_regularizer=l2(0.1))])").command() == (
        "lstm-explore --units 2 --kernel-regularizer 'l2(0.1)' --timesteps 3 --features 2 --mask-value=-1.5"
    )
