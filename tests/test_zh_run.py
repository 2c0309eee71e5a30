"""The run view, its pictures and the engine's sentences in Chinese: the same numbers as in English,
no English prose left, and every template of [messages.run] and [messages.notes] shown at least once.

The demonstrations' own sentences (effects.py) are checked elsewhere; here the results are rendered
without them. What stays English on purpose: Keras's docstrings (in a panel labelled as Keras's
English text), Keras's and Python's own error messages, and the PNG's words (see render/plot.py).
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import sys

import numpy as np
import pytest
from rich.console import Console

import lstm_explorer
from lstm_explorer import engine, language
from lstm_explorer.effects import Effect
from lstm_explorer.language import messages, speaking
from lstm_explorer.render import rich_view
from lstm_explorer.render.heatmap import heatmap
from tests.test_zh import untranslated

SECTIONS = ("run.", "notes.")
# Every number as written: signs, decimals and exponents included.
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?")
WIDE = dict(units=2, dropout=0.5, seed=1, return_sequences=True, return_state=True, go_backwards=True)

# (language, key) of every template said while this module's tests ran, and the tests that ran.
SHOWN: set[tuple[str, str]] = set()
RAN: set[str] = set()


@pytest.fixture(scope="module", autouse=True)
def _record_templates():
    """Note each template `say` looks up, and in which language (say reads language.template).

    Module-scoped, so that it is in place before the module's runs are computed.
    """
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


def _run(lang: str, **arguments):
    """A run's result computed while speaking `lang`, without the demonstrations' sentences."""
    result = lstm_explorer.run(lang=lang, effects=False, **arguments).result
    return dataclasses.replace(result, effects=[])


def _rendered(result, lang: str, show_all: bool = True, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, no_color=True)
    with speaking(lang):
        rich_view.render(result, console, show_all=show_all)
    return console.file.getvalue()


def _english_left(page: str) -> list[str]:
    """untranslated() line by line: a table's code values (tanh, True, none) and column labels (t,
    x0, h0) would otherwise run together across its rows into something that looks like a sentence."""
    return [run for line in page.splitlines() for run in untranslated(line)]


def _flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def _without_keras_words(page: str) -> str:
    """The page minus the panel quoting Keras's docstrings (kept in English and labelled so)."""
    lines = page.splitlines()
    start = next(k for k, line in enumerate(lines) if "原文 (英文)" in line)
    end = next(k for k in range(start, len(lines)) if lines[k].startswith("╰"))
    return "\n".join(lines[:start] + lines[end + 1 :])


@pytest.fixture(scope="module")
def wide_runs():
    """One training run with most things on (masks, three returned tensors, go_backwards), per language."""
    return {lang: _run(lang, training=True, batch=5, **WIDE) for lang in ("en", "zh")}


def test_the_wide_run_has_the_same_numbers_in_both_languages(wide_runs):
    english, chinese = (_rendered(wide_runs[lang], lang) for lang in ("en", "zh"))
    assert NUMBER.findall(chinese) == NUMBER.findall(english)
    assert "What Keras" in english and "原文 (英文)" not in english


def test_the_wide_run_speaks_chinese(wide_runs):
    page = _rendered(wide_runs["zh"], "zh")
    flat = _flat(page)
    for sentence in (
        "随机种子 42 · 训练模式",
        "注意：go_backwards：返回的序列按时间倒序排列",
        "配置",
        "Keras 默认值",
        "（必填）",
        "● 与 Keras 默认值不同（units 没有默认值：使用教程中的 3）",
        "模型概要",
        "输入形状",
        "参数量 = 4 × (units × (input_dim + units) + units)\n       = 4 × (2 × (2 + 2) + 2) = 40",
        "每个门各占 K (2, 8), R (2, 8), b (8,) 中的一段列：i 0–1",
        "权重：kernel (2, 8), recurrent_kernel (2, 8), bias (8,)，转置显示（每列一行）",
        "c̃1（第 5 列）",
        "门：i 输入门，f 遗忘门，c̃ 候选值，o 输出门。",
        "输入：生成的计数序列",
        "sequence (5, 10, 2) — 每个时间步的 h，样本 0",
        "… 还有 2 个样本（全部见 --json）",
        "final_h (5, 2) — 最终隐藏状态 h",
        "final_c (5, 2) — 最终细胞状态 c",
        "Keras 为这次调用抽取的丢弃掩码（每个时间步用同一个掩码）",
        "input_mask (5, 2) — 用于每个门，与 x_t 相乘",
        "样本 4",
        "h 随时间的变化，样本 0（训练模式的前向计算，已应用丢弃掩码；按处理顺序）",
        "色标",
        "（时间从左向右）",
        "NumPy 参考实现：max |Δ| = ",
        "Keras 3.15.1 原文 (英文)：你所设参数的说明" if "3.15.1" in page else "原文 (英文)：你所设参数的说明",
    ):
        assert sentence in page or " ".join(sentence.split()) in flat, sentence
    assert _english_left(_without_keras_words(page)) == []
    # Keras's words are quoted as they are, in English.
    assert "units: Positive integer, dimensionality of the output space." in flat


def test_the_arguments_line_and_the_inference_pass():
    result = _run("zh", dropout=0.2, implementation=1, batch=4)
    page = _rendered(result, "zh", show_all=False)
    flat = _flat(page)
    assert "推理模式" in page.splitlines()[1]
    assert "参数 units=3（教程中的值；Keras 没有默认值）" in flat
    assert "；其余参数均为 Keras 默认值（--all 列出全部）" in flat
    assert "注意：丢弃只在训练模式下起作用；这是一次推理调用，所以它什么也没改变（加上 --training）。" in flat
    assert "last_output (4, 3) — 最后一个时间步之后的 h" in page
    assert "h 随时间的变化，样本 0（推理模式的前向计算；按处理顺序）" in page
    console = Console(file=io.StringIO(), width=100, color_system=None)
    with speaking("zh"):
        console.print(rich_view.input_tables(result, 100))
    assert "… 还有 1 个样本（全部见 --json）" in console.file.getvalue()
    # implementation has no line in Keras 3's docstring: the tool's own summary stands in, in Chinese.
    assert "（Keras 3 的文档字符串中没有它）" in flat
    assert _english_left(_without_keras_words(page)) == []
    english = _rendered(_run("en", dropout=0.2, implementation=1, batch=4), "en", show_all=False)
    assert NUMBER.findall(page) == NUMBER.findall(english)


def test_four_masks_and_the_plain_training_pass():
    masked = _run("zh", units=2, dropout=0.5, seed=1, implementation=1, use_cudnn=False, training=True, batch=2)
    assert [m.description for m in masked.dropout_masks] == [
        f"用于门 {symbol}，与 x_t 相乘" for symbol in ("i", "f", "c̃", "o")
    ]
    plain = _run("zh", units=2, training=True)
    with speaking("zh"):
        assert plain.pass_name == "训练模式的前向计算"
        assert masked.pass_name == "训练模式的前向计算，已应用丢弃掩码"


def test_a_parameter_count_keras_disagrees_with_is_flagged_in_chinese(wide_runs):
    result = dataclasses.replace(wide_runs["zh"], param_count=41)
    with speaking("zh"):
        text = rich_view.param_lines(result).plain
    assert "Keras 数出的是 41，而不是 40！" in text


def test_a_reference_mismatch_is_shown_in_chinese(monkeypatch, wide_runs):
    """A mismatch under sparsemax carries the note on Keras's sparsemax, both in Chinese."""
    monkeypatch.setattr(engine, "compare", lambda got, expected: (0.25, False))
    result = _run("zh", activation="sparsemax", units=2)
    assert (
        result.reference.note
        == "Keras 在 TensorFlow 上的 sparsemax 不符合 sparsemax 的定义（它的各行之和不一定为 1）。"
    )
    console = Console(file=io.StringIO(), width=100, color_system=None)
    with speaking("zh"):
        console.print(rich_view.reference_line(result))
    flat = _flat(console.file.getvalue())
    assert "✗ NumPy 参考实现不一致" in flat
    assert "Keras 的输出与 NumPy 参考实现不一致：max |Δ| = 0.25（容差：atol 1e-5 + rtol 1e-5）。" in flat
    assert untranslated(flat) == []


def test_the_checks_panel_and_a_comparison_legend():
    arrays = [("推理模式", np.zeros((3, 2))), ("训练模式", np.ones((3, 2)))]
    effect = Effect("saturation", "门的饱和", ["饱和。"], arrays)
    result = dataclasses.replace(_run("zh", units=2), effects=[effect])
    console = Console(file=io.StringIO(), width=100, color_system=None)
    with speaking("zh"):
        console.print(rich_view.effects_section(result, 100))
    page = console.file.getvalue()
    assert "╭─ 每次调用都会运行的检查 " in page
    assert "A = 推理模式；B = 训练模式" in page


def test_heatmap_notes_in_chinese():
    matrix = np.sin(np.linspace(0, 20, 40 * 500)).reshape(40, 500)
    console = Console(width=80, no_color=True, color_system=None, record=True)
    with speaking("zh"):
        console.print(heatmap("标题", matrix, "h", console))
    legend = _flat("\n".join(console.export_text().splitlines()[-2:]))
    assert legend.endswith("（时间从左向右；每格是 7 个时间步的平均值；只画出 40 个单元中的前 32 个）")
    assert "色标" in legend and untranslated(legend) == []


def test_the_command_line_speaks_chinese_on_screen_and_in_json(invoke):
    args = ["--units", "2", "--dropout", "0.5", "--go-backwards", "--return-sequences"]
    screen = invoke("--lang", "zh", *args)
    assert screen.exit_code == 0, screen.output
    flat = _flat(screen.stdout)
    assert "注意：丢弃只在训练模式下起作用" in flat and "sequence (1, 10, 2) — 每个时间步的 h" in flat
    assert "NumPy 参考实现：max |Δ| =" in flat and "Keras 3" in flat and "原文 (英文)" in flat
    document = json.loads(invoke("--lang", "zh", *args, "--json").stdout)
    assert document["notes"] == [
        "丢弃只在训练模式下起作用；这是一次推理调用，所以它什么也没改变（加上 --training）。",
        "go_backwards：返回的序列按时间倒序排列：第 0 行是读完最后一个时间步后的 h，而这个时间步是最先读入的。",
    ]
    assert document["outputs"][0]["description"] == "每个时间步的 h"
    english = json.loads(invoke("--lang", "en", *args, "--json").stdout)
    assert document["outputs"][0]["values"] == english["outputs"][0]["values"]


def test_a_dropout_sweep_at_inference_says_why_in_chinese(run_json):
    document = run_json("--lang", "zh", "vary", "recurrent_dropout", "0", "0.5")
    assert document["note"] == (
        "recurrent_dropout 只在训练模式下起作用，而这次扫描以推理模式调用每一层：每一行都相同。"
        "加上 --training 才能看到丢弃掩码的作用。"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--use-cudnn", "true", "--recurrent-dropout", "0.5"], "--use-cudnn true 需要 recurrent_dropout "),
        (["--use-cudnn", "true"], "--use-cudnn true 需要带 cuDNN 的 GPU，而 TensorFlow 在这里看不到 GPU"),
        (
            ["--implementation", "1", "--dropout", "0.5", "--training"],
            "在训练模式下，--implementation 1 与 --dropout 同用且 --use-cudnn 为 auto 时，Keras 3 内部会崩溃",
        ),
        (
            ["--kernel-constraint", "max_norm(max_value='big')"],
            "--kernel-constraint max_norm(max_value='big')：max_value 必须是数字，得到的是 'big'",
        ),
        # Python's and Keras's own words after the colon stay as they are.
        (["--kernel-regularizer", "l2(1, 2, 3)"], "--kernel-regularizer l2(1, 2, 3)：too many positional arguments"),
        (["--kernel-regularizer", "l2(-1)"], "--kernel-regularizer l2(-1)："),
    ],
    ids=["cudnn-lacking", "cudnn-gpu", "implementation-1", "number", "python", "keras"],
)
def test_refusals_in_chinese(invoke, args, message):
    if "cuDNN 的 GPU" in message:
        import tensorflow as tf

        if tf.config.list_physical_devices("GPU"):
            pytest.skip("a GPU is visible: --use-cudnn true is accepted here")
    result = invoke("--lang", "zh", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    if "Keras 3 内部" in message or "需要" in message:
        assert untranslated(result.stderr.replace("Error:", "")) == []


def _keras_failing(monkeypatch, where: str):
    """Keras raising, with its banner, when the layer is built (`where` = "build") or called."""
    keras, tf = engine._import_keras()

    def explode(*args, **kwargs):
        raise ValueError("\x1b[1mException encountered when calling LSTM.call().\n\nboom\x1b[0m")

    class Keras:
        def __getattr__(self, name):
            return getattr(keras, name)

    class Layers:
        def __getattr__(self, name):
            return explode if name == "LSTM" else getattr(keras.layers, name)

    class Model:
        def __init__(self, *args, **kwargs):
            pass

        __call__ = explode
        inputs: list = []
        outputs: list = []

    proxy = Keras()
    if where == "build":
        proxy.layers = Layers()
    else:
        proxy.Model = Model
    monkeypatch.setattr(engine, "_import_keras", lambda: (proxy, tf))


@pytest.mark.parametrize(
    ("where", "status", "message"),
    [("build", 2, "Keras 拒绝了这个配置：boom"), ("call", 1, "LSTM 调用失败：boom")],
)
def test_keras_failures_in_chinese(invoke, monkeypatch, where, status, message):
    _keras_failing(monkeypatch, where)
    result = invoke("--lang", "zh")
    assert result.exit_code == status, result.output
    assert result.stderr.rstrip().endswith(message)


def test_the_png_keeps_its_words_in_english_while_the_command_speaks_chinese(wide_runs):
    """No installed font has Chinese glyphs, so the picture says in English what the screen says in Chinese."""
    pytest.importorskip("matplotlib")
    from lstm_explorer.render.plot import _figure

    with speaking("zh"):
        figure = _figure(wide_runs["zh"])
    titles = [axis.get_title() for axis in figure.axes[:6]]
    assert titles == [
        "h (hidden state)",
        "c (cell state)",
        "i (input gate)",
        "f (forget gate)",
        "c̃ (candidate)",
        "o (output gate)",
    ]
    assert figure.axes[0].get_xlabel() == "timestep (processing order)" and figure.axes[0].get_ylabel() == "unit"
    assert figure._suptitle.get_text() == (
        "keras.layers.LSTM(units=2) on input (5, 10, 2), sample 0, random seed 42, training pass, dropout masks applied"
    )


def test_plot_without_matplotlib_is_refused_in_chinese(monkeypatch, tmp_path):
    from lstm_explorer.errors import RunFailure
    from lstm_explorer.render import plot

    monkeypatch.setattr(plot.importlib.util, "find_spec", lambda name: None)
    with speaking("zh"), pytest.raises(RunFailure) as refused:
        plot.check_target(str(tmp_path / "x.png"), force=False)
    assert str(refused.value) == "--plot 需要 matplotlib，但它没有安装：pip install 'lstm-explore[plot]'"


@pytest.mark.parametrize(
    "arguments",
    [
        dict(lengths="10,4", batch=2, initial_h=0.5),
        dict(batch=2, mask_value=0.0, initial_c="random_normal(stddev=0.5)"),
        dict(mask=np.array([[True] * 10, [False] * 10]), batch=2),
    ],
    ids=["lengths and h", "masking and c", "a mask with an empty sample"],
)
def test_masks_and_initial_states_in_chinese(arguments):
    english, chinese = (
        _rendered(_run(lang, units=2, return_sequences=True, **arguments), lang) for lang in ("en", "zh")
    )
    assert NUMBER.findall(chinese) == NUMBER.findall(english)
    page = _without_keras_words(chinese)
    assert _english_left(page) == []
    assert "LSTM 收到的填充掩码" in page
    if "mask" in arguments:
        notes = _run("zh", units=2, **arguments).notes
        assert any(note.startswith("样本 1 没有任何真实的时间步") for note in notes)
    else:
        assert "调用开始时的初始状态" in page


def test_a_long_output_says_where_the_rest_is_in_chinese():
    english, chinese = (
        _rendered(_run(lang, units=2, timesteps=30, return_sequences=True), lang) for lang in ("en", "zh")
    )
    assert NUMBER.findall(chinese) == NUMBER.findall(english)
    assert "20 × 2 of (1, 30, 2) shown" not in english and "20 × 2 of (30, 2) shown" in english
    assert "已显示 20 × 2，共 (30, 2)（… 表示其余部分）" in chinese


def test_every_run_and_notes_template_was_shown():
    """Every template above was used: in Chinese, except the PNG's words, which are English on purpose."""
    others = {
        name
        for name, value in vars(sys.modules[__name__]).items()
        if name.startswith("test_") and callable(value) and name != "test_every_run_and_notes_template_was_shown"
    }
    if not others <= RAN:
        pytest.skip("needs the whole module to have run")
    picture = {"run.plot_needs_matplotlib"}
    keys = {key for key in messages("en") if key.startswith(SECTIONS)}
    wanted = {("en" if key.startswith("run.plot_") and key not in picture else "zh", key) for key in keys}
    assert wanted - SHOWN == set()
