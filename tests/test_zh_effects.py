"""The live demonstrations in Chinese: every sentence from zh.toml, with exactly the English run's numbers."""

from __future__ import annotations

import json
import re
from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest
from test_zh import CJK, untranslated

from lstm_explorer import api
from lstm_explorer import effects as demonstrations
from lstm_explorer.language import messages, speaking

# Between them these reach every branch of effects.py that the command line can reach; the two
# branches it cannot (a visible GPU, a constraint class Keras does not ship) are rendered directly.
CONFIGURATIONS: dict[str, dict[str, object]] = {
    "every demonstration": {"effects": True},
    "dropout in training": {
        "effects": True,
        "training": True,
        "dropout": 0.5,
        "recurrent_dropout": 0.3,
        "seed": 3,
        "batch": 4,
    },
    "dropout rate 1": {"dropout": 1.0, "recurrent_dropout": 1.0},
    "dropout that changes nothing": {"recurrent_dropout": 0.5, "timesteps": 1},
    "a zero dropout beside a recurrent one": {"recurrent_dropout": 0.3, "batch": 4, "effects": True, "scale": True},
    "state and order flags": {
        "effects": True,
        "use_cudnn": False,
        "implementation": 1,
        "return_state": True,
        "return_sequences": True,
        "go_backwards": True,
        "stateful": True,
    },
    "regularizers and constraints": {
        "effects": True,
        "kernel_regularizer": "l1(0.01)",
        "recurrent_regularizer": "orthogonal_regularizer(0.01)",
        "bias_regularizer": "l1_l2(0.01, 0.02)",
        "activity_regularizer": "l2(0.001)",
        "kernel_constraint": "non_neg",
        "recurrent_constraint": "max_norm(0.5)",
        "bias_constraint": "unit_norm",
        "scale": True,
    },
    "post-padded, from a given state, stateful": {
        "units": 2,
        "batch": 3,
        "timesteps": 5,
        "scale": True,
        "lengths": "5,3,1",
        "padding": "post",
        "return_sequences": True,
        "initial_h": 0.5,
        "stateful": True,
    },
    "pre-padded, backwards, from a given state": {
        "units": 2,
        "batch": 3,
        "timesteps": 5,
        "lengths": "5,3,1",
        "initial_c": 0.5,
        "go_backwards": True,
    },
    "a sample with no real step, a state soon forgotten": {
        "units": 2,
        "batch": 2,
        "mask": np.array([[True] * 10, [False] * 10]),
        "initial_h": 0.5,
    },
    "a zero penalty and a bound that never binds": {
        "effects": True,
        "kernel_regularizer": "l2(0)",
        "kernel_constraint": "min_max_norm(0.5, 1.0)",
        "recurrent_constraint": "max_norm(100.0)",
        "activation": "relu",
    },
    "no bias": {
        "effects": True,
        "use_bias": False,
        "bias_regularizer": "l2",
        "bias_constraint": "non_neg",
        "unit_forget_bias": False,
        "recurrent_initializer": "glorot_uniform",
    },
}
EFFECT_KEYS = sorted(key for key in messages("zh") if key.startswith("effects."))
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?%?")
# The one figure that is measured, not computed: two runs never take the same milliseconds.
TIMING = re.compile(r"\d+(?:\.\d+)? ms")


class UnknownConstraint:
    """A constraint class Keras does not ship, for the catch-all statistic."""

    def get_config(self) -> dict[str, object]:
        return {}


def texts(effect: demonstrations.Effect) -> list[str]:
    """Everything of one demonstration a reader sees: its title, its sentences, its array labels."""
    return [effect.title, *effect.lines, *(label for label, _ in effect.arrays)]


def numbers(text: str) -> Counter[str]:
    return Counter(NUMBER.findall(TIMING.sub("ms", text)))


def without_sentences(data: object) -> object:
    """An effect's JSON data with its sentence values (statistic, suggestion, conditions) and timings blanked."""
    if isinstance(data, dict):
        return {key: without_sentences(value) for key, value in data.items() if key != "seconds"}
    if isinstance(data, (list, tuple)):
        return [without_sentences(value) for value in data]
    return None if isinstance(data, str) else data


@pytest.fixture(scope="module")
def rendered():
    """Every configuration run in English and in Chinese, and the effect templates that were filled."""
    used: list[str] = []
    original = demonstrations.say

    def recording_say(key: str, **fields: object) -> str:
        used.append(key)
        return original(key, **fields)

    runs: dict[str, dict[str, list[demonstrations.Effect]]] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demonstrations, "say", recording_say)
        for name, arguments in CONFIGURATIONS.items():
            runs[name] = {lang: api.run(lang=lang, **arguments).effects for lang in ("en", "zh")}
        config = api.run(lang="en").config
        gpu = SimpleNamespace(config=SimpleNamespace(list_logical_devices=lambda kind: ["GPU:0"]))
        weight = np.array([[0.5, -1.0]], dtype=np.float32)
        for lang in ("en", "zh"):
            with speaking(lang):
                statistic = demonstrations._constraint_statistic(UnknownConstraint(), weight)[0]
                runs.setdefault("stubs", {})[lang] = [
                    demonstrations.cudnn(SimpleNamespace(config=config, tf=gpu, mask=None)),
                    demonstrations.Effect("unknown_constraint", statistic, []),
                ]
    return runs, set(used)


def test_every_effect_template_is_rendered(rendered):
    _, used = rendered
    assert sorted(used) == EFFECT_KEYS
    assert EFFECT_KEYS == sorted(key for key in messages("en") if key.startswith("effects."))


def test_both_languages_fill_the_same_fields():
    for key in EFFECT_KEYS:
        fields = [re.findall(r"\{(\w+)", messages(lang)[key]) for lang in ("en", "zh")]
        assert sorted(fields[0]) == sorted(fields[1]), key


@pytest.mark.parametrize("configuration", [*CONFIGURATIONS, "stubs"])
def test_effect_sentences_are_chinese(rendered, configuration):
    runs, _ = rendered
    for effect in runs[configuration]["zh"]:
        for text in texts(effect):
            assert untranslated(text) == [], (effect.name, text)
        # A title may be identifiers only (return_state：(output, h, c)), but its colon is Chinese; the
        # cuDNN marks are arguments and values only, and some labels are just h or c.
        assert CJK.search(effect.title) or "：" in effect.title, effect.title
        for text in effect.lines[1:] if effect.name == "cudnn" else effect.lines:
            assert CJK.search(text), (effect.name, text)


@pytest.mark.parametrize("configuration", [*CONFIGURATIONS, "stubs"])
def test_chinese_and_english_show_the_same_numbers(rendered, configuration):
    runs, _ = rendered
    english, chinese = runs[configuration]["en"], runs[configuration]["zh"]
    assert [e.name for e in english] == [e.name for e in chinese]
    for en, zh in zip(english, chinese):
        assert len(en.lines) == len(zh.lines) and len(en.arrays) == len(zh.arrays), en.name
        for en_text, zh_text in zip(texts(en), texts(zh)):
            assert numbers(en_text) == numbers(zh_text), (en_text, zh_text)
        for (_, en_values), (_, zh_values) in zip(en.arrays, zh.arrays):
            np.testing.assert_array_equal(en_values, zh_values)
        assert without_sentences(en.data) == without_sentences(zh.data), en.name


def test_distinctive_sentences(rendered):
    runs, _ = rendered
    by_name = {effect.name: effect for effect in runs["regularizers and constraints"]["zh"]}
    kernel = by_name["kernel_constraint"]
    moved = kernel.data["projected_entries"]
    assert f"投影改动了 kernel 的 {np.size(kernel.data['before']['values'])} 个元素中的 {moved} 个。" in kernel.lines
    assert kernel.title == "kernel_constraint：一步训练前后的 kernel"
    assert kernel.data["statistic"] == "最小值 ≥ 0"
    assert by_name["activity_regularizer"].lines[-2].startswith("Keras 把激活惩罚除以批量大小（1）")
    rate_one = {effect.name: effect for effect in runs["dropout rate 1"]["zh"]}
    assert "而在 GPU 上运行 cuDNN 时，输入反而被全部置零。" in rate_one["dropout"].lines[2]
    assert "置零" not in rate_one["recurrent_dropout"].lines[2]
    nothing = {effect.name: effect for effect in runs["dropout that changes nothing"]["zh"]}
    assert (
        nothing["recurrent_dropout"].lines[-1] == "没有元素改变：特征少、批量小时，掩码只有很少几位；试试 --batch 8。"
    )
    gpu, unknown = runs["stubs"]["zh"]
    assert gpu.lines[-1] == "GPU 可见，且每个条件都成立：这次调用运行的是 cuDNN 内核。"
    assert unknown.title == "已应用 UnknownConstraint"
    assert runs["stubs"]["en"][1].title == "UnknownConstraint applied"


def test_the_command_line_shows_the_demonstrations_in_chinese(invoke):
    result = invoke("--lang", "zh", "--show-effects", "--all")
    assert result.exit_code == 0, result.output
    out = result.output
    for title in ("dropout：推理模式与训练模式对比", "stateful：同一批数据输入两次", "能否使用 cuDNN", "门的饱和"):
        assert title in out
    english = invoke("--show-effects", "--all")
    assert english.exit_code == 0, english.output
    assert "dropout: inference vs training mode" in english.output
    assert "inference vs training mode" not in out and "Gate saturation" not in out


def test_json_sentence_values_follow_the_language(invoke):
    documents = {}
    for lang in ("en", "zh"):
        result = invoke("--lang", lang, "--use-cudnn", "false", "--recurrent-constraint", "max_norm(0.5)", "--json")
        assert result.exit_code == 0, result.output
        documents[lang] = json.loads(result.stdout)["effects"]
    english, chinese = documents["en"], documents["zh"]
    assert set(english) == set(chinese)
    assert chinese["cudnn"]["failed_conditions"] == ["use_cudnn False（cuDNN 需要 auto 或 true）"]
    assert english["cudnn"]["failed_conditions"] == ["use_cudnn False (cuDNN needs auto or true)"]
    assert (
        chinese["saturation"]["suggestion"] == "饱和的门几乎不传递梯度，还会掩盖微小的效果：--scale 会把输入除以 20。"
    )
    assert chinese["recurrent_constraint"]["statistic"] == "沿 axis 0 的最大范数 ≤ 0.5"
    assert without_sentences(english) == without_sentences(chinese)
