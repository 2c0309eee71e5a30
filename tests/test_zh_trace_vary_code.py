"""`trace`, `vary` and `code` in Chinese: every sentence translated, every number the same as in English.

Each case runs the same command with and without `--lang zh`. The Chinese output must hold its
distinctive sentences, no English prose in the parts these three views write (the header, the mask
section, the heatmap scales and the reference line belong to `run`'s view and are checked there),
and exactly the numbers of the English output. The generated scripts must stay the same code: the
same syntax tree once the docstring is set aside, printing the same numbers when Python runs them.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

import numpy as np
import pytest

from lstm_explorer import api
from lstm_explorer.language import speaking
from lstm_explorer.scripts import input_expression
from tests.test_vary_code import _run_script
from tests.test_zh import untranslated

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
# A heatmap's scale line (`scale 0.146 .,:;=+*#%@ 8.23 …`) is drawn by the heatmap, not by trace.
HEATMAP_RAMP = ".,:;=+*#%@"
# A compared-outputs table's column labels (`t  A0  A1  B0`): one letter per row of the sweep, not words.
COLUMN_LABELS = re.compile(r"^\s*(?:t\s+)?(?:[A-Z]\d+\s*)+$")


def _both(invoke, *args: str) -> tuple[str, str]:
    en = invoke(*args)
    zh = invoke(*args, "--lang", "zh")
    assert en.exit_code == 0, en.output
    assert zh.exit_code == 0, zh.output
    return en.stdout, zh.stdout


def _trace_part(out: str, title: str) -> str:
    """trace's own lines: from the equations panel on, less the heatmap scales and the reference line."""
    lines = out.splitlines()
    start = next(k for k, line in enumerate(lines) if title in line)
    return "\n".join(line for line in lines[start:-1] if HEATMAP_RAMP not in line)


@pytest.mark.parametrize(
    "args",
    [
        ["trace", "--units", "2"],
        ["trace", "--units", "3", "--unit", "1"],
        ["trace", "--units", "2", "--training", "--dropout", "0.3"],
    ],
    ids=["all-units", "one-unit", "training-masks"],
)
def test_trace_in_chinese(invoke, args):
    en, zh = _both(invoke, *args)
    en_part = _trace_part(en, "The LSTM step, with numbers")
    zh_part = _trace_part(zh, "LSTM 的一步，代入实际数值")
    assert untranslated(zh_part) == []
    assert "第一步：t = 0（样本 0，单元 " in zh_part and "σ = sigmoid，act = tanh。" in zh_part
    assert "    （输入门）" in zh_part and "    （候选值）" in zh_part
    for meaning in ("细胞状态", "输入门", "遗忘门", "候选值", "输出门", "隐藏状态"):
        assert f"（{meaning}）随时间的变化，样本 0（" in zh_part
    if "--unit" in args:
        assert "单元 1 的逐步计算（各列按处理顺序排列）" in zh_part and "单元 0 的逐步计算" not in zh_part
    else:
        assert "单元 0 的逐步计算" in zh_part and "单元 1 的逐步计算" in zh_part
    masked = "--training" in args
    assert ("训练模式下的前向计算：x 先乘以为这个样本抽取的输入丢弃掩码 m（见上方）。" in zh_part) is masked
    assert ("(x⊙m)·K_i" in zh_part) is masked
    assert NUMBER.findall(zh_part) == NUMBER.findall(en_part)


@pytest.mark.parametrize(
    "args",
    [
        ["vary", "units", "2", "3"],
        ["vary", "dropout", "0", "0.5"],
        ["vary", "dropout", "0", "0.5", "--training", "--return-sequences", "--timesteps", "3"],
        ["vary", "kernel_initializer", "zeros", "ones"],
    ],
    ids=["units", "dropout-inference", "dropout-training", "initializers"],
)
def test_vary_in_chinese(invoke, args):
    en, zh = _both(invoke, *args)
    assert untranslated("\n".join(line for line in zh.splitlines() if not COLUMN_LABELS.match(line))) == []
    mode = "训练模式" if "--training" in args else "推理模式"
    assert f"vary {args[1]}（随机种子 42，{mode}）" in zh
    for header in ("取值", "输出形状", "参数量", "max |Δ|", "（相对第一行）", "正则化", "损失", "cuDNN", "权重"):
        assert header in zh
    assert "符合条件" in zh
    if "--return-sequences" in args:
        assert "输出，样本 0 在每个时间步的 h：A = dropout 0；B = dropout 0.5" in zh
    else:
        assert f"输出，每个样本最后的 h：A = {args[1]} {args[2]}；B = {args[1]} {args[3]}" in zh
        assert "样本 0 " in zh
    flat = "".join(zh.split())
    if args[1] == "kernel_initializer":
        assert "kernel_initializer决定初始权重，所以每一行都只由随机种子初始化。" in flat
    else:
        assert "只有被改变的参数不同。标为“独立”的行形状不同" in flat
        assert "来源" in zh and ("独立" if args[1] == "units" else "共享") in zh
    # the dropout note's sentence is the notes' to word; vary labels it and must show it in Chinese
    noted = [line for line in zh.splitlines() if line.startswith("注意：")]
    assert bool(noted) is (args[1] == "dropout" and "--training" not in args)
    assert NUMBER.findall(zh) == NUMBER.findall(en)


def test_vary_refused_row_in_chinese(invoke):
    en, zh = _both(invoke, "vary", "use_cudnn")
    assert "被拒绝（见下）" in zh and "  否  " in zh
    assert NUMBER.findall(zh) == NUMBER.findall(en)


def _prose_and_code(script: str) -> tuple[str, str]:
    """The script's words (module docstring and comments) and its code (the syntax tree without them)."""
    tree = ast.parse(script)
    docstring = ast.get_docstring(tree, clean=False) or ""
    comments = [
        token.string
        for token in tokenize.generate_tokens(io.StringIO(script).readline)
        if token.type == tokenize.COMMENT
    ]
    if docstring:
        tree.body = tree.body[1:]
    return "\n".join([docstring, *comments]), ast.dump(tree)


def test_keras_script_in_chinese_is_the_same_code_and_prints_the_same_numbers(invoke):
    args = ["code", "--units", "2", "--return-sequences", "--return-state", "--training", "--dropout", "0.3"]
    en, zh = _both(invoke, *args)
    en_words, en_code = _prose_and_code(en)
    zh_words, zh_code = _prose_and_code(zh)
    assert zh_code == en_code
    assert untranslated(zh_words) == []
    assert "lstm-explore 所构建的 keras.layers.LSTM；把返回的每个张量打印为一行 JSON。" in zh_words
    assert "# 为权重设定随机种子（未给 seed= 时也决定丢弃掩码）" in zh_words
    assert "# 与本工具一样直接调用层；用 predict() 也可以" in zh_words
    printed = _run_script(zh)
    assert [line["name"] for line in printed] == ["sequence", "final_h", "final_c"]
    assert printed == _run_script(en)


@pytest.mark.parametrize(
    "flags",
    [[], ["--dropout", "0.2", "--activation", "relu", "--go-backwards", "--kernel-constraint", "non_neg"]],
    ids=["no-gaps", "gaps"],
)
def test_torch_script_in_chinese_is_the_same_code(invoke, flags):
    en, zh = _both(invoke, "code", "--framework", "torch", "--units", "2", *flags)
    en_words, en_code = _prose_and_code(en)
    zh_words, zh_code = _prose_and_code(zh)
    assert zh_code == en_code
    assert untranslated(zh_words) == []
    assert "与这个 Keras 层最接近的 torch.nn.LSTM，权重从 Keras 层复制过来。" in zh_words
    assert "对应关系：kernel → weight_ih_l0（转置）" in zh_words
    assert "你设置的参数里，torch.nn.LSTM 没有对应开关的那些，以及怎样才能做到同样的效果：" in zh_words
    if flags:
        for name in ("activation", "dropout", "go_backwards", "kernel_constraint"):
            assert f"# - {name}: " in zh
        assert "# go_backwards：PyTorch 按正向读取，所以先把时间顺序反转" in zh
        assert "# （无：" not in zh
    else:
        assert "# （无：你设置的每个参数都能直接对应）" in zh
    assert NUMBER.findall(zh_code) == NUMBER.findall(en_code)


def test_export_takes_the_pytorch_notes_of_the_language_spoken():
    from lstm_explorer.explanations import texts

    for lang in ("en", "zh"):
        script = api.export(framework="torch", units=2, dropout=0.2, lang=lang)
        note = " ".join(str(texts(lang)["dropout"]["pytorch"]).split())
        assert f"# - dropout: {note}" in script


def test_input_too_large_to_write_out_in_chinese():
    values = np.zeros((1, 20_001, 1), dtype=np.float32)
    with speaking("zh"):
        zh = input_expression(values)
    with speaking("en"):
        en = input_expression(values)
    assert en.endswith("# (1, 20001, 1): too large to write out here")
    assert zh == 'np.load("input.npy").astype("float32")  # (1, 20001, 1)：数据太大，无法在这里写出'
