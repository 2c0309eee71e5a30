"""The LSTM in a model and a layer from a model file, in Chinese: the same numbers as in English, no
English prose left, every refusal in Chinese, and every template of [messages.model] and
[messages.saved] and [messages.from_code_view] shown at least once."""

from __future__ import annotations

import dataclasses
import io
import re
import sys

import pytest
from rich.console import Console

import lstm_explorer
from lstm_explorer import language
from lstm_explorer.language import messages, speaking
from lstm_explorer.render import rich_view, trace_view
from tests.test_zh import untranslated
from tests.test_zh_run import NUMBER, _english_left, _without_keras_words

# A table's column labels (t, h0 h1 h2, A0 A1 B0 B1) run together like words; they are not prose.
LABELS = re.compile(r"(?:t|[A-Za-z]{1,2}\d+)(?: (?:t|[A-Za-z]{1,2}\d+))*")
SHOWN: set[tuple[str, str]] = set()
RAN: set[str] = set()


@pytest.fixture(scope="module", autouse=True)
def _record_templates():
    real = language.template

    def recording(lang: str, key: str) -> str | None:
        SHOWN.add((lang, key))
        return real(lang, key)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(language, "template", recording)
        yield


@pytest.fixture(autouse=True)
def _record_test(request):
    yield
    RAN.add(request.node.originalname)


def _page(lang: str, draw, **arguments) -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None, no_color=True)
    with speaking(lang):
        draw(console, **arguments)
    return console.file.getvalue()


def _run_page(console, trace: bool = False, show_all: bool = True, effects: bool = True, **arguments) -> None:
    """The page of a run or a trace; without the demonstrations' panels, whose sentences put numbers
    in another order in Chinese, when `effects` is False."""
    if trace:
        result = lstm_explorer.trace(lang=language.current(), **arguments).result
        trace_view.render_trace(result, [0], console)
        return
    result = lstm_explorer.run(lang=language.current(), **arguments).result
    rich_view.render(result if effects else dataclasses.replace(result, effects=[]), console, show_all=show_all)


MODELS = [
    dict(bidirectional=True, return_sequences=True, return_state=True, lengths="10,6", batch=2),
    dict(bidirectional=True, merge_mode="none", return_state=True, return_sequences=True, show_all=False),
    dict(bidirectional=True, merge_mode="none"),
    dict(bidirectional=True, merge_mode="sum", layers="3,2", dense="2:relu", return_sequences=True),
    dict(layers="4,2", dense="1", training=True, dropout=0.2),
    dict(layers="4,2", dense="1", show_all=False),
    dict(layers="3,2", bidirectional=True, trace=True, layer=2, direction="backward"),
]


@pytest.mark.parametrize("arguments", MODELS, ids=[str(m) for m in MODELS])
def test_a_model_run_reads_in_chinese_with_the_same_numbers(arguments):
    english, chinese = (_page(lang, _run_page, effects=False, **arguments) for lang in ("en", "zh"))
    assert NUMBER.findall(chinese) == NUMBER.findall(english)
    chinese = _page("zh", _run_page, **arguments)
    page = chinese if "原文 (英文)" not in chinese else _without_keras_words(chinese)
    assert [run for run in _english_left(page) if not LABELS.fullmatch(run)] == []


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--layers", "3,x"], 2, "--layers '3,x'：请按从下到上的顺序给出每个 LSTM 层的 units"),
        (["--layers", ",".join(["2"] * 17)], 2, "最多构建 16 层"),
        (["--layers", "3,2", "--units", "4"], 2, "--layers 与 --units 都在设定 units"),
        (["--dense", "0"], 2, "--dense '0'：请给出输出头的 units"),
        (["--merge-mode", "x", "--bidirectional"], 2, "--merge-mode 'x'：请从"),
        (["--merge-mode", "sum"], 2, "--merge-mode sum 需要 --bidirectional"),
        (["--as-written"], 2, "--as-written 需要两层或更多层的堆叠"),
        (["--bidirectional", "--merge-mode", "none", "--layers", "2,2"], 2, "堆叠中请用"),
        (["--bidirectional", "--merge-mode", "none", "--dense", "1"], 2, "加输出头时请用"),
        (["--bidirectional", "--go-backwards"], 2, "请去掉 --go-backwards"),
        (["--bidirectional", "--initial-h", "0.5"], 2, "只用于单个普通 LSTM 层"),
        (["trace", "--layer", "2"], 2, "--layer 2：模型共有 1 个 LSTM 层"),
        (["trace", "--bidirectional", "--direction", "x"], 2, "请选择 forward 或 backward"),
        (["trace", "--direction", "backward"], 2, "普通 LSTM 只有一个方向"),
        (["--layers", "4,2", "--as-written"], 1, "Keras 拒绝了照原样写的堆叠"),
    ],
)
def test_model_refusals_in_chinese(invoke, args, status, message):
    result = invoke("--lang", "zh", *args)
    assert result.exit_code == status, result.output
    assert message in result.stderr
    if status == 2:
        assert untranslated(result.stderr.replace("Error:", "").replace("错误：", "")) == []


@pytest.fixture(scope="module")
def files(keras, tmp_path_factory):
    """A model with two LSTMs behind a Dense layer, one with none, one with a Lambda, one not a model."""
    folder = tmp_path_factory.mktemp("zh_models")
    layers = keras.layers
    keras.utils.set_random_seed(1)
    made = {
        "two": keras.Sequential(
            [keras.Input((10, 2)), layers.Dense(3, name="front"), layers.LSTM(3, return_sequences=True), layers.LSTM(2)]
        ),
        "none": keras.Sequential([keras.Input((10, 2)), layers.Dense(1)]),
        "lambda": keras.Sequential([keras.Input((10, 2)), layers.Lambda(lambda t: t + 1), layers.LSTM(2)]),
        "flat": keras.Sequential([keras.Input((4,)), layers.Dense(1)]),
        "conv": keras.Sequential([keras.Input((10, 2)), layers.Conv1D(3, 3), layers.LSTM(2)]),
        "inner_mask": keras.Sequential([keras.Input((10, 2)), layers.Dense(2), layers.Masking(), layers.LSTM(2)]),
    }
    paths = {}
    for name, model in made.items():
        paths[name] = folder / f"{name}.keras"
        model.save(paths[name])
    paths["text"] = folder / "text.keras"
    paths["text"].write_text("not a model")
    paths["txt"] = folder / "model.txt"
    paths["txt"].write_text("not a model")
    return paths


def test_a_layer_from_a_file_reads_in_chinese(files):
    english, chinese = (_page(lang, _run_page, effects=False, model=files["two"], layer="2") for lang in ("en", "zh"))
    assert NUMBER.findall(chinese) == NUMBER.findall(english)
    page = _without_keras_words(_page("zh", _run_page, model=files["two"], layer="1"))
    assert [run for run in _english_left(page) if not LABELS.fullmatch(run)] == []
    assert "层来自 " in page and "经过模型中" in page


def test_pasted_code_reads_in_chinese():
    call = "keras.layers.LSTM(4, return_sequences=True, input_shape=(5, 2))"
    english, chinese = (_page(lang, _run_page, effects=False, from_code=call) for lang in ("en", "zh"))
    assert NUMBER.findall(chinese) == NUMBER.findall(english)
    assert "层来自 代码：keras.layers.LSTM(4" in chinese and "等同于：lstm-explore --units 4" in chinese


def test_vary_from_a_file_reads_in_chinese(invoke, files):
    result = invoke("--lang", "zh", "vary", "units", "3", "4", "--model", str(files["two"]), "--layer", "1")
    assert result.exit_code == 0, result.output
    assert "层来自 " in result.stdout and "训练所得" in result.stdout and "训练好的权重出发" in result.stdout


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--from-code", "LSTM(3)", "--model", "{two}"], 2, "--from-code 与 --model 都在给出层"),
        (["--model", "{missing}"], 2, "没有这个文件"),
        (["--model", "{inner_mask}"], 2, "模型在输入以外的位置生成填充掩码"),
        (["--model", "{two}", "--units", "5"], 2, "会改变训练好的权重的形状"),
        (["--model", "{folder}"], 2, "是一个目录"),
        (["--model", "{txt}"], 2, "保存的 Keras 模型以"),
        (["--model", "{two}"], 2, "模型有 2 个 LSTM 层"),
        (["--model", "{two}", "--layer", "x"], 2, "模型中没有这个 LSTM 层"),
        (["--model", "{none}"], 2, "模型中没有 LSTM 层"),
        (["--model", "{flat}"], 2, "本工具只提供一个形状为"),
        (["--model", "{lambda}"], 1, "Keras 在安全模式下拒绝加载它"),
        (["--model", "{text}"], 1, "Keras 无法把它作为模型加载"),
        (["--model", "{two}", "--layer", "1", "--features", "3"], 2, "不符合"),
        (["--model", "{conv}", "--mask", "{mask}"], 2, "填充掩码的形状是"),
        (["vary", "units", "--layer", "2"], 2, "vary --layer 用于选择 --model 文件中的 LSTM 层"),
        (["code", "--model", "{two}", "--layer", "1", "--units", "4"], 2, "code --model 按文件中保存的样子写出该层"),
    ],
)
def test_model_file_refusals_in_chinese(invoke, files, tmp_path, args, status, message):
    import numpy as np

    np.save(tmp_path / "mask.npy", np.ones((1, 10), dtype=bool))
    places = {**{k: str(v) for k, v in files.items()}, "missing": str(tmp_path / "gone.keras")}
    places |= {"folder": str(tmp_path), "mask": str(tmp_path / "mask.npy")}
    result = invoke("--lang", "zh", *[a.format(**places) if a.startswith("{") else a for a in args])
    assert result.exit_code == status, result.output
    assert message in result.stderr


def test_every_model_template_was_shown():
    others = {
        name
        for name, value in vars(sys.modules[__name__]).items()
        if name.startswith("test_") and callable(value) and name != "test_every_model_template_was_shown"
    }
    if not others <= RAN:
        pytest.skip("needs the whole module to have run")
    wanted = {("zh", key) for key in messages("en") if key.startswith(("model.", "saved.", "from_code_view."))}
    assert wanted - SHOWN == set()
