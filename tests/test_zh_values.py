"""Bad argument values in Chinese: the same one-line refusal as in English, naming the same flag and value."""

from __future__ import annotations

import json
import re
import string
import subprocess
import sys

import pytest

from lstm_explorer import explanations as explaining
from lstm_explorer.catalogue import ARGUMENTS, BY_NAME, NEEDS_ARGUMENTS, UNUSABLE_ACTIVATIONS
from lstm_explorer.config import build_config
from lstm_explorer.errors import UsageError
from lstm_explorer.language import messages, say, speaking
from tests.test_zh import CJK, untranslated

NUMBER = re.compile(r"\d+(?:\.\d+)?")
PREFIX = re.compile(r"^(?:Error: |错误：)")
# Templates that are punctuation or a code word in every language, not prose.
NOT_PROSE_KEYS = {"values.or", "values.comma", "values.no_suggestion", "values.memory_part_json", "values.memory_file"}

# (arguments, the flag or command the message names, the user's value as the message quotes it,
# a phrase of the Chinese message). Every refusal of config.py, specs.py, limits.py and `resolve`
# that the command line can reach.
CASES = [
    (["--units", "0"], "--units", "0", "必须是不超过 2147483647 的正整数"),
    (["--dropout", "1.5"], "--dropout", "1.5", "Keras 会不声不响地把它截断"),
    (["--recurrent-dropout", "nan"], "--recurrent-dropout", "nan", "必须在 0 到 1 之间"),
    (["--seed", "-1"], "--seed", "-1", "之间的整数"),
    (["--use-cudnn", "maybe"], "--use-cudnn", "'maybe'", "必须是 auto、true 或 false"),
    (["--implementation", "3"], "--implementation", "3", "必须是 1 或 2"),
    (["--time-major"], "--time-major", "np.transpose(x, (1, 0, 2))", "在 Keras 3 中已删除"),
    (["--activation", "glu"], "--activation", "glu", "会把最后一维减半"),
    (["--recurrent-activation", "threshold"], "--recurrent-activation", "threshold", "不能在 LSTM 中使用"),
    (["--activation", "rleu"], "--activation", "'rleu'", "未知的激活函数 'rleu'；是不是想写 'relu'"),
    (["--activation", "x" * 5000], "--activation", "'" + "x" * 30 + "…", "未知的激活函数"),
    (["--kernel-regularizer", "zzzzz"], "--kernel-regularizer", "'zzzzz'", "未知的正则化器 'zzzzz'。可用的名称："),
    (["--kernel-initializer", "glorot_unifrom"], "--kernel-initializer", "'glorot_unifrom'", "未知的初始化器"),
    (["--recurrent-constraint", "nonneg"], "--recurrent-constraint", "'nonneg'", "是不是想写 'NonNeg' 或 'non_neg'？"),
    (["--kernel-initializer", "none"], "--kernel-initializer", "none", "每个权重都需要一个初始化器"),
    (["--kernel-initializer", "constant"], "--kernel-initializer", "constant", "需要给出它的值"),
    (["--kernel-regularizer", "l1_l2"], "--kernel-regularizer", "l1_l2", "等于没有惩罚；而且 Keras 拒绝字符串"),
    (["--kernel-regularizer", "l1l2"], "--kernel-regularizer", "l1l2", "读作两个系数都为 0"),
    (["--bias-regularizer", "orthogonal_regularizer"], "--bias-regularizer", "orthogonal_regularizer", "而偏置是向量"),
    (
        ["--activity-regularizer", "OrthogonalRegularizer", "--return-sequences"],
        "--activity-regularizer",
        "OrthogonalRegularizer",
        "请去掉两者之一",
    ),
    (["--kernel-regularizer", "l2(lambda: 1)"], "--kernel-regularizer", "'l2(lambda: 1)'", "必须是字面量"),
    (
        ["--kernel-initializer", "random_normal(seed=99999999999999999999999)"],
        "--kernel-initializer",
        "99999999999999999999999",
        "超出了 64 位整数的范围",
    ),
    (["--kernel-initializer", "constant(1e40)"], "--kernel-initializer", "1e+40", "超出了 float32 的范围"),
    (["--recurrent-initializer", ""], "--recurrent-initializer", "none", "为空"),
    (["--activity-regularizer", "l2" * 101], "--activity-regularizer", "202", "一个名称或调用最多 200 个字符"),
    (["--kernel-regularizer", "l2("], "--kernel-regularizer", "'l2('", "无法解析"),
    (["--kernel-regularizer", "l2(*[1])"], "--kernel-regularizer", "'l2(*[1])'", "不允许使用"),
    (
        ["--recurrent-regularizer", "l2(0.01) + l1(0.01)"],
        "--recurrent-regularizer",
        "+ l1(0.01)'",
        "既不是名称也不是调用",
    ),
    (["--max-memory", "abc"], "--max-memory", "'abc'", "这样的大小"),
    (["--max-memory", "10"], "--max-memory", "'10'", "必须至少为 1M"),
    (["--units", "3000", "--max-memory", "100M"], "--max-memory", "100.0 MiB", "如果内存确实空闲，也可以提高上限"),
    (["--units", "100000"], "--max-memory", "1.5 TiB", "权重 1.5 TiB"),
    (["vary", "use_bias", "maybe"], "vary use_bias", "'maybe'", "不是 true 或 false"),
    (["vary", "units", "1", "two"], "vary units", "'two'", "不是整数"),
    (["vary", "dropout", "0", "half"], "vary dropout", "'half'", "不是数字"),
    (["vary", "unitz", "1"], "vary", "'unitz'", "未知的参数 'unitz'；是不是想写 'units'？"),
    (["explain", "dropuot"], "explain", "'dropuot'", "是不是想写 'dropout' 或 'recurrent_dropout'？"),
    (["explain", "zzzzzzzz"], "explain", "'zzzzzzzz'", "未知的参数 'zzzzzzzz'。运行"),
]


def message(result) -> str:
    """The one line of a refusal, without its `Error:` prefix."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert PREFIX.match(lines[0]), lines[0]
    return PREFIX.sub("", lines[0])


def assert_same_refusal(en: str, zh: str, named: str, value: str) -> None:
    """zh says it in Chinese, with the same flag, value and numbers as en, and no English sentence."""
    assert zh != en
    assert CJK.search(zh), zh
    for text in (en, zh):
        assert named in text and value in text, (named, value, text)
    assert untranslated(zh.replace(value, " ")) == [], zh
    assert sorted(NUMBER.findall(zh)) == sorted(NUMBER.findall(en)), (en, zh)


@pytest.mark.parametrize(
    ("args", "named", "value", "phrase"), CASES, ids=[" ".join(c[0])[:60] or "empty" for c in CASES]
)
def test_refusal_in_chinese(invoke, args, named, value, phrase):
    en = message(invoke(*args))
    zh = message(invoke("--lang", "zh", *args))
    assert phrase in zh, zh
    assert_same_refusal(en, zh, named, value)


def test_file_too_big_to_read_in_chinese(invoke, tmp_path):
    path = tmp_path / "sparse.json"
    with path.open("wb") as handle:
        handle.truncate(2**30)
    args = ["--input", str(path), "--max-memory", "1G"]
    en, zh = message(invoke(*args)), message(invoke("--lang", "zh", *args))
    assert f"{path}（1.0 GiB）：除 TensorFlow 本身外还需要约 16.0 GiB" in zh
    assert_same_refusal(en, zh, "--max-memory", str(path))


@pytest.mark.parametrize(
    ("raw", "named", "value"),
    [
        ({"use_bias": 1}, "--use-bias", "1"),
        ({"dropout": "half"}, "--dropout", "'half'"),
        ({"seed": True}, "--seed", "True"),
        ({"bogus": 1, "other": 2}, "bogus", "other"),
    ],
)
def test_refusals_only_the_api_can_reach(raw, named, value):
    """Values the command line's own parsing already refuses, given through the library."""
    refusals = {}
    for lang in ("en", "zh"):
        with speaking(lang), pytest.raises(UsageError) as caught:
            build_config(raw)
        refusals[lang] = str(caught.value)
    assert_same_refusal(refusals["en"], refusals["zh"], named, value)


def test_notes_in_chinese():
    raw = {"implementation": 1, "time_major": False, "dropout": 1.0, "recurrent_dropout": 1.0}
    with speaking("en"):
        en = build_config(raw).notes()
    with speaking("zh"):
        zh = build_config(raw).notes()
    assert len(zh) == len(en) == 4
    for en_note, zh_note, flag in zip(
        en, zh, ["--implementation", "--no-time-major", "--dropout", "--recurrent-dropout"]
    ):
        assert_same_refusal(en_note, zh_note, flag, flag)
    assert "训练模式下 1 会为每个门各抽取一个单独的输入丢弃掩码" in zh[0]
    assert "完全没有循环丢弃" in zh[3]


def test_a_run_s_json_carries_the_chinese_note(invoke):
    en = json.loads(invoke("--implementation", "1", "--json").stdout)
    zh = json.loads(invoke("--lang", "zh", "--implementation", "1", "--json").stdout)
    assert en["notes"][0].startswith("--implementation 1 is not in Keras 3's signature")
    assert zh["notes"][0].startswith("--implementation 1 不在 Keras 3 的签名和 get_config() 中")
    assert zh["config"] == en["config"]


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_values_message_has_a_chinese_template_with_the_same_fields():
    en = {key: text for key, text in messages("en").items() if key.startswith("values.")}
    zh = {key: text for key, text in messages("zh").items() if key.startswith("values.")}
    assert set(zh) == set(en)
    for key, template in zh.items():
        assert fields(template) == fields(en[key]), key
        assert untranslated(template) == [], key
        assert CJK.search(template) or key in NOT_PROSE_KEYS, key


def test_the_catalogue_s_reasons_are_messages():
    """The reasons a refusal quotes from the catalogue are messages, so each has a Chinese one."""
    reasons = list(UNUSABLE_ACTIVATIONS.values()) + [key for pair in NEEDS_ARGUMENTS.values() for key in pair]
    for reason in reasons:
        with speaking("en"):
            assert not CJK.search(say(reason)), reason
        with speaking("zh"):
            assert CJK.search(say(reason)), reason


def test_summaries_follow_the_language():
    for argument in ARGUMENTS:
        with speaking("en"):
            assert argument.summary == messages("en")[f"summary.{argument.name}"]
            assert explaining.summary(argument, "zh") == messages("zh")[f"summary.{argument.name}"]
        with speaking("zh"):
            assert CJK.search(argument.summary), argument.name
            assert explaining.summary(argument, "en") == messages("en")[f"summary.{argument.name}"]
    with speaking("en"):
        assert BY_NAME["units"].summary == "Size of the hidden state h and cell state c (not the number of timesteps)."
        assert explaining.display_default(BY_NAME["units"], "zh") == "必填（本工具使用 3）"
    with speaking("zh"):
        assert explaining.display_default(BY_NAME["units"], "en") == "required (the tool uses 3)"


def test_the_catalogue_reads_no_texts_file_until_asked():
    code = (
        "from lstm_explorer import catalogue, language\n"
        "before = language.section.cache_info().currsize\n"
        "catalogue.BY_NAME['units'].summary\n"
        "print(before, language.section.cache_info().currsize)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert result.stdout.split() == ["0", "1"], result.stderr
