"""`fit` and `vary --fit` in Chinese: the same numbers as in English, no English prose left, every
refusal in Chinese, and every template of [messages.fit] and [messages.tasks] shown at least once.

Every training here is tiny (2 epochs of 32 sequences). A page is drawn in both languages from the
same recorded runs (the seconds per epoch differ from one training to the next); what only a rare
run shows (an interruption, a diverged loss, each kind of verdict, a broken constraint) is drawn from
a real run whose recorded numbers are replaced by chosen ones.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import sys

import numpy as np
import pytest
from rich.console import Console

import lstm_explorer
from lstm_explorer import language
from lstm_explorer.errors import UsageError
from lstm_explorer.fitting import Fit, FitRow, FitVary
from lstm_explorer.language import messages, speaking
from lstm_explorer.render.fit_view import render_fit, render_vary_fit
from lstm_explorer.tasks import from_files, make
from lstm_explorer.training import ConstraintCheck, Epoch, Training
from tests.test_zh import untranslated
from tests.test_zh_run import NUMBER, _english_left

SECTIONS = ("fit.", "tasks.")
TINY = dict(epochs=2, samples=32)
UNUSED: set[str] = set()
SHOWN: set[tuple[str, str]] = set()
RAN: set[str] = set()


@pytest.fixture(scope="module", autouse=True)
def _record_templates():
    """Note each template `say` looks up, and in which language; in place before any training."""
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


def _page(lang: str, draw, shown) -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None, no_color=True)
    with speaking(lang):
        draw(shown, console)
    return console.file.getvalue()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _both(draw, english, chinese) -> tuple[str, str]:
    """The English page of `english` and the Chinese page of `chinese`, once their numbers are checked
    equal (in the same order) and the Chinese one for English prose."""
    pages = _page("en", draw, english), _page("zh", draw, chinese)
    assert NUMBER.findall(pages[1]) == NUMBER.findall(pages[0])
    assert _english_left(_prose(pages[1])) == []
    return pages


def _prose(page: str) -> str:
    """The page without its title rule, which is a command line (`lstm-explore vary dropout --fit`)."""
    return "\n".join(line for line in page.splitlines() if not line.startswith("─"))


def _trained(function, **arguments) -> dict[str, object]:
    """The same training asked for in each language; the Chinese result's runs stand in for the
    English one's, so that both pages show the very same recorded numbers."""
    results = {lang: function(lang=lang, **arguments) for lang in ("en", "zh")}
    if isinstance(results["en"], Fit):
        results["en"] = dataclasses.replace(results["en"], runs=results["zh"].runs)
    else:
        rows = [dataclasses.replace(row, runs=zh.runs) for row, zh in zip(results["en"].rows, results["zh"].rows)]
        results["en"] = dataclasses.replace(results["en"], rows=rows)
    return results


@pytest.fixture(scope="module")
def main_fit(tmp_path_factory):
    """Two seeds of the `next` task with a constraint and a penalty, the first seed's model saved."""
    path = tmp_path_factory.mktemp("zh_fit") / "m.keras"
    return _trained(
        lstm_explorer.fit,
        repeats=2,
        kernel_constraint="max_norm(0.5)",
        kernel_regularizer="l2(0.01)",
        save=path,
        force=True,
        **TINY,
    )


@pytest.fixture(scope="module")
def stateful_fit():
    """The per-step `delay` task with a stateful layer: two notes, one seed."""
    return _trained(lstm_explorer.fit, task="delay", timesteps=5, stateful=True, batch_size=8, **TINY)


@pytest.fixture(scope="module")
def dropout_vary():
    return _trained(lstm_explorer.vary_fit, argument="dropout", values=["0", "0.3"], repeats=2, **TINY)


def test_a_fit_reads_in_chinese_with_the_same_numbers(main_fit):
    english, chinese = _both(render_fit, main_fit["en"], main_fit["zh"])
    flat = _flat(chinese)
    for sentence in (
        "Adam，学习率 0.01，批量大小 32，轮次 2 · 损失：均方误差",
        "任务 next：24 条训练序列和 8 条验证序列，每条 10 个时间步 × 2 个特征；每个样本的目标有 2 个值。",
        "基线：始终预测训练目标那一对数的均值（",
        "每个轮次的损失（2 个种子的均值）",
        "轮次 训练损失 验证损失 秒",
        "每个轮次的损失，对数刻度（· 训练，• 验证，─ 基线）",
        "个种子的均值 ± 标准差：",
        "正则化惩罚：",
        "，占最终训练损失 ",
        "kernel_constraint max_norm(0.5)：训练后仍然成立（对训练后的权重再投影一次，变化不超过",
        "第一个 LSTM 在训练前后的情况（种子 42，8 个验证样本）",
        "遗忘门偏置的均值",
        "recurrent_kernel 的均方根",
        "初始化时：第一个时间步的梯度是最后一个时间步的",
        "遗忘门（以及让它的偏置从 1 开始的 unit_forget_bias）决定每往回一步有多少能保留下来。",
        "每个轮次平均用时",
        "已把训练好的模型（种子 42）保存到",
    ):
        assert sentence in flat, sentence
    assert "Final validation loss" in english and "中断" not in chinese


def test_a_stateful_per_step_fit_reads_in_chinese(stateful_fit):
    english, chinese = _both(render_fit, stateful_fit["en"], stateful_fit["zh"])
    flat = _flat(chinese)
    assert "注意：stateful：层按每批 8 个样本构建；24 个训练样本和 8 个验证样本（均为整批）按顺序读取" in flat
    assert "注意：已把 return_sequences 设为 true：delay 的目标每个时间步一个值" in flat
    assert "每个时间步的目标有 1 个值" in flat and "（接近 0，因为输入在 [−1, 1] 上均匀分布），其损失约为" in flat
    assert "最终验证损失：" in flat and "（种子 42）。" in flat
    assert "正则化惩罚：无（没有设置正则化器）；训练损失就是均方误差本身。" in flat


def _losses(run: Training, val_losses: list[float]) -> Training:
    """`run` with a history of these validation losses (and training losses a little above them)."""
    history = [Epoch(k + 1, loss * 1.5, loss, 0.25) for k, loss in enumerate(val_losses)]
    return dataclasses.replace(run, history=history, epochs=len(history))


def test_what_a_chosen_history_says_in_chinese(main_fit):
    """Learned, not learned, diverged, a long history cut in the table, a broken constraint."""
    fit = main_fit["zh"]
    run = fit.runs[0]
    baseline = fit.plan.data.baseline
    learned = [baseline * 2, baseline / 4]
    falling = [baseline * 4 / (k + 1) for k in range(25)]
    broken = [ConstraintCheck("kernel_constraint", "max_norm(0.5)", False, 0.25)]
    cases = {
        "learned": [_losses(run, learned)],
        "not_learned": [_losses(run, [baseline * 3, baseline * 2])],
        "barely_learned": [_losses(run, [baseline * 3, baseline / 1.2])],
        "diverged": [_losses(run, [baseline, math.nan])],
        "elided": [dataclasses.replace(_losses(run, falling), constraints=broken)],
    }
    chinese = {}
    for name, runs in cases.items():
        shown = dataclasses.replace(fit, runs=runs, saved=None)
        chinese[name] = _flat(_both(render_fit, dataclasses.replace(main_fit["en"], runs=runs, saved=None), shown)[1])
    assert "这低于基线（基线是它的 4 倍）：模型学到了平凡预测器所不知道的东西。" in chinese["learned"]
    assert (
        "这只比基线略低（基线是它的 1.2 倍）：在这个规模下，模型在平凡预测器之外学到的很少" in chinese["barely_learned"]
    )
    assert f"这没有低于基线（{baseline:.4g}）：在这个规模下，模型没有学到" in chinese["not_learned"]
    assert "验证损失不是有效的数值：训练发散了（可以调小 --learning-rate）。" in chinese["diverged"]
    assert "显示了其中 20 个轮次（共 25 个）；全部轮次见 --json" in chinese["elided"]
    assert (
        "kernel_constraint max_norm(0.5)：训练后并不成立（对训练后的权重再投影一次，变化为 0.25）。"
        in chinese["elided"]
    )


def test_an_interrupted_fit_in_chinese(main_fit):
    """Ctrl-C in the second seed, and Ctrl-C before the first epoch finished."""
    fit = main_fit["zh"]
    first, second = fit.runs
    cut = dataclasses.replace(second, history=second.history[:1], after=None, penalty=None, constraints=[])
    for runs, said in (
        ([first, cut], "已中断：完成了 3 个轮次（共 4 个）"),
        ([], "已中断：完成了 0 个轮次（共 4 个）"),
    ):
        stopped = {lang: dataclasses.replace(main_fit[lang], runs=runs, interrupted=True) for lang in ("en", "zh")}
        english, chinese = _both(render_fit, stopped["en"], stopped["zh"])
        assert said + "；上面显示的是已完成的部分。" in _flat(chinese)
        assert "Interrupted" in english


def test_a_comparison_reads_in_chinese(dropout_vary):
    english, chinese = _both(render_vary_fit, dropout_vary["en"], dropout_vary["zh"])
    flat = _flat(chinese)
    assert "lstm-explore vary dropout --fit · keras.layers.LSTM" in chinese
    assert "dropout 每个取值的最终验证损失（每个取值 2 个种子，所有取值用相同的数据和种子）" in flat
    assert "取值 最终验证损失，均值 ± 标准差 ÷ 基线 每个种子" in flat
    verdict = dropout_vary["zh"].verdict
    assert verdict is not None
    said = "在这个规模下没有明显差异" if not verdict.clear else "的最终验证损失低于其他所有取值"
    assert said in flat


def _swept(swept: FitVary, finals: dict[str, list[float]]) -> FitVary:
    """`swept` with one row per label, whose seeds ended on these validation losses."""
    run = swept.rows[0].runs[0]
    config = swept.rows[0].config
    rows = [FitRow(label, config, [_losses(run, [loss]) for loss in losses]) for label, losses in finals.items()]
    return dataclasses.replace(swept, rows=rows)


@pytest.mark.parametrize(
    ("finals", "said"),
    [
        (
            {"0": [0.1, 0.12, 0.11, 0.13, 0.1], "0.3": [0.3, 0.33, 0.31, 0.35, 0.3]},
            "0 的最终验证损失低于其他所有取值：平均比 0.3 低 0.206（对 5 个种子做配对 t 检验，按 1 次比较做 Holm 校正后 p = ",
        ),
        (
            {"0": [0.25, 0.5, 0.75], "0.5": [0.5, 0.75, 1.0]},
            "0 在每个种子上都以完全相同的差值给出更低的损失（比 0.5 低 0.25）。",
        ),
        (
            {"0": [0.1, 0.3, 0.2], "0.3": [0.2, 0.1, 0.35], "0.6": [0.3, 0.25, 0.15]},
            "在这个规模下没有明显差异：均值最低的 ",
        ),
        ({"0": [0.1], "0.3": [0.2]}, "每个取值只有一个种子：无法检验差异。请用 --repeats 5 或更多再比较。"),
        ({"0": [0.1], "0.3": [math.nan]}, "没有结论：有的训练损失不是数，或者有的取值一个种子也没有完成。"),
        ({"0": [0.1], "0.3": []}, "没有结论："),
    ],
    ids=["clear", "same_every_seed", "unclear", "one_seed", "diverged", "unfinished"],
)
def test_each_verdict_in_chinese(dropout_vary, finals, said):
    """The numbers come in another order in the sentences that name the runner-up before the difference."""
    english = _page("en", render_vary_fit, _swept(dropout_vary["en"], finals))
    chinese = _page("zh", render_vary_fit, _swept(dropout_vary["zh"], finals))
    assert sorted(NUMBER.findall(chinese)) == sorted(NUMBER.findall(english))
    assert _english_left(_prose(chinese)) == []
    assert said in _flat(chinese)


def test_an_interrupted_comparison_in_chinese(dropout_vary):
    first, second = dropout_vary["zh"].rows
    rows = [first, dataclasses.replace(second, runs=second.runs[:1])]
    stopped = {lang: dataclasses.replace(dropout_vary[lang], rows=rows, interrupted=True) for lang in ("en", "zh")}
    english, chinese = _both(render_vary_fit, stopped["en"], stopped["zh"])
    assert "已中断：完成了 6 个轮次（共 8 个）；上面显示的是已完成的部分。" in _flat(chinese)


def test_the_other_tasks_baselines_in_chinese(main_fit, tmp_path):
    """The adding problem's and a pair of files' data, drawn on the recorded runs."""
    np.save(tmp_path / "x.npy", np.random.default_rng(0).random((16, 4, 2)))
    np.save(tmp_path / "y.npy", np.arange(32.0).reshape(16, 2))
    datas = {"adding": make("adding", samples=32, timesteps=6)}
    datas["files"] = from_files(str(tmp_path / "x.npy"), str(tmp_path / "y.npy"))
    said = {
        "adding": "基线：始终预测训练目标的均值（约 ",
        "files": "基线：始终预测训练目标在每个输出列上的均值，其损失约为 ",
    }
    for name, data in datas.items():
        shown = {
            lang: dataclasses.replace(
                main_fit[lang], plan=dataclasses.replace(main_fit[lang].plan, data=data), saved=None
            )
            for lang in ("en", "zh")
        }
        english, chinese = _both(render_fit, shown["en"], shown["zh"])
        assert said[name] in _flat(chinese)
        assert f"任务 {name}：" in chinese


def test_fit_and_vary_fit_on_the_command_line_in_chinese(invoke, tmp_path):
    np.save(tmp_path / "x.npy", np.random.default_rng(0).random((16, 4, 2)))
    np.save(tmp_path / "y.npy", np.random.default_rng(1).random((16, 4, 1)))
    files = ["--input", str(tmp_path / "x.npy"), "--target", str(tmp_path / "y.npy")]
    result = invoke("--lang", "zh", "fit", *files, "--epochs", "1")
    assert result.exit_code == 0, result.output
    flat = _flat(result.stdout)
    assert "任务 files：12 条训练序列和 4 条验证序列，每条 4 个时间步 × 2 个特征；每个时间步的目标有 1 个值。" in flat
    assert "注意：已把 return_sequences 设为 true：files 的目标每个时间步一个值" in flat
    assert _english_left(result.stdout) == []
    result = invoke("--lang", "zh", "vary", "units", "2", "3", "--fit", "--epochs", "1", "--samples", "8", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["verdict"]["text"] == "每个取值只有一个种子：无法检验差异。请用 --repeats 5 或更多再比较。"
    assert document["baseline"]["text"].startswith("始终预测训练目标那一对数的均值（")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """An input of 6 sequences, and targets of every wrong kind for it."""
    folder = tmp_path_factory.mktemp("zh_fit_files")
    arrays = {
        "x": np.zeros((6, 4, 2)),
        "y": np.zeros((6, 1)),
        "rank": np.zeros((6, 4, 1, 1)),
        "count": np.zeros((5, 1)),
        "steps": np.zeros((6, 3, 1)),
    }
    places = {}
    for name, array in arrays.items():
        places[name] = folder / f"{name}.npy"
        np.save(places[name], array)
    places["one"] = folder / "one.csv"
    places["one"].write_text("1,2\n3,4\n")
    places["one_y"] = folder / "one_y.json"
    places["one_y"].write_text("[[1]]")
    return {name: str(path) for name, path in places.items()}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fit", "--model", "m.keras"], "--model 用于查看已训练的层；fit 按标志从头训练新模型"),
        (["fit", "--lengths", "3"], "--lengths 只用于单次调用；fit 在任务或 --input 的完整序列上训练"),
        (["fit", "--initial-h", "0.5"], "--initial-h 只用于单次调用；fit 让每个序列都从全零状态开始"),
        (["fit", "--training"], "--training 只用于单次调用；fit 总在训练"),
        (["fit", "--batch", "2"], "--batch 设置单次调用的批量；fit 用 --samples（序列条数）"),
        (["fit", "--scale"], "--scale 只用于单次调用；各任务已缩放到大约 [−1, 1]"),
        (["fit", "--return-state"], "--return-state 增加的输出没有对应的目标"),
        (
            ["fit", "--task", "delay", "--no-return-sequences"],
            "delay 的目标每个时间步一个值，所以 LSTM 必须返回整个序列",
        ),
        (["fit", "--return-sequences"], "next 的目标每个样本一个向量，所以 LSTM 只能返回最后一个时间步的输出"),
        (["fit", "--epochs", "0"], "--epochs 必须是 1 到 10,000 之间的整数，收到的是 0"),
        (["fit", "--repeats", "101"], "--repeats 必须是 1 到 100 之间的整数，收到的是 101"),
        (["fit", "--learning-rate", "11"], "--learning-rate 必须是大于 0 且不超过 10.0 的数，收到的是 11.0"),
        (["fit", "--target", "{y}"], "--target 需要 --input：这些目标所对应的输入"),
        (["fit", "--input", "{x}"], "fit 中 --input 需要 --target"),
        (["fit", "--task", "next", "--input", "{x}", "--target", "{y}"], "是两种数据来源；请只给出其中一种"),
        (["fit", "--input", "{x}", "--target", "{y}", "--samples", "9"], "--samples：尺寸由文件决定"),
        (["fit", "--stateful", "--batch-size", "16", "--samples", "16"], "但训练样本有 12 个、验证样本有 4 个"),
        (["fit", "--dense", "3"], "--dense 3：输出头就是模型的输出，而 next 的目标每次预测有 2 个值；请用 --dense 2"),
        (
            ["fit", "--bidirectional", "--merge-mode", "none"],
            "--merge-mode none 返回两个张量，而 fit 的 Dense 输出头只接受一个",
        ),
        (["fit", "--max-memory", "1M"], "训练这个模型：除 TensorFlow 本身外还需要"),
        (["vary", "layers", "2", "3", "--fit"], "不支持 vary layers --fit；--fit 只改变 LSTM 自身的参数"),
        (["vary", "dropout", "0", "0.3", "--epochs", "2"], "--epochs 是训练用的标志：加上 --fit 来训练每个取值"),
        (["fit", "--task", "x"], "--task 必须是 next, adding, delay 之一，收到的是 'x'"),
        (["fit", "--delay", "2"], "--delay 只属于 --task delay；用 --task next 时请去掉它"),
        (["fit", "--samples", "7"], "--samples 必须是不小于 8 的整数（其中四分之一用作验证集），收到的是 7"),
        (["fit", "--task", "adding", "--timesteps", "1"], "--task adding 的 --timesteps 必须是不小于 2 的整数"),
        (["fit", "--features", "3"], "--task next 的 --features 必须是 2（每个时间步是一对数），收到的是 3"),
        (
            ["fit", "--task", "adding", "--features", "1"],
            "--task adding 的 --features 必须是 2（每个时间步是一个数值加一个标记）",
        ),
        (["fit", "--task", "delay", "--features", "0"], "--features 必须是不小于 1 的整数，收到的是 0"),
        (["fit", "--task", "delay", "--delay", "20"], "--delay 必须是 1 到 timesteps − 1（19）之间的整数，收到的是 20"),
        (["fit", "--input", "{x}", "--target", ""], "--target 为空：请给出一个 .npy、.json 或 .csv 文件的路径"),
        (["fit", "--input", "{x}", "--target", "{rank}"], "是 4 维，形状为 (6, 4, 1, 1)；它必须是 1 维 (samples)"),
        (["fit", "--input", "{x}", "--target", "{count}"], "有 5 个目标，而 --input 有 6 个样本；每个样本需要一个目标"),
        (["fit", "--input", "{x}", "--target", "{steps}"], "每个样本有 3 个时间步，而 --input 有 4 个；逐步目标需要"),
        (["fit", "--input", "{one}", "--target", "{one_y}"], "只有 1 个样本；至少需要 2 个，其中一个用作验证集"),
    ],
)
def test_fit_refusals_in_chinese(invoke, files, args, message):
    result = invoke("--lang", "zh", *[a.format(**files) if a.startswith("{") else a for a in args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert untranslated(result.stderr.replace("错误：", "")) == []


def test_fit_refusals_through_the_api_in_chinese():
    with pytest.raises(UsageError, match="--batch-size 必须是 1 到 65,536 之间的整数，收到的是 0"):
        lstm_explorer.fit(batch_size=0, lang="zh")
    with pytest.raises(UsageError, match="--mask-value 只用于单次调用"):
        lstm_explorer.vary_fit("dropout", ["0", "0.3"], mask_value=0.5, lang="zh")
    with pytest.raises(UsageError, match="--padding 只用于单次调用"):
        lstm_explorer.fit(padding="post", lang="zh")


def test_every_fit_and_tasks_template_was_shown():
    others = {
        name
        for name, value in vars(sys.modules[__name__]).items()
        if name.startswith("test_") and callable(value) and name != "test_every_fit_and_tasks_template_was_shown"
    }
    if not others <= RAN:
        pytest.skip("needs the whole module to have run")
    wanted = {("zh", key) for key in messages("en") if key.startswith(SECTIONS) and key not in UNUSED}
    assert wanted - SHOWN == set()
