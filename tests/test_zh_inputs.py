"""The errors about input data, files and requests in Chinese: one line, the same flags and numbers as the English.

Each case runs twice, `--lang en` and `--lang zh`, in the same folder: the two lines must name the same
flags and hold the same numbers, the Chinese one must hold its distinctive sentence and, once the
user's paths and the libraries' own messages (NumPy's, json's, quoted in brackets) are taken out, no
English prose.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pytest

import lstm_explorer
from lstm_explorer.errors import UsageError
from tests.conftest import bad_input_files
from tests.test_zh import untranslated

# The one line's prefix, in either language: the prefix itself is the command line's to translate.
PREFIX = re.compile(r"^(?:Error: |错误[：:]\s*)")
FLAG = re.compile(r"(?<![\w-])--[a-z][\w-]*")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A library's own message quoted in the line ("… is not valid JSON (Expecting value: …)"), as Keras's is.
LIBRARY_MESSAGE = re.compile(r"（[^（）]*）$")
# The files whose refusal quotes NumPy's or json's own message.
QUOTING_A_LIBRARY = ("{truncated}", "{bad_json}")
# An example command line the message ends with ("例如 lstm-explore vary units 1 2 4 8"): code, not prose.
EXAMPLE_COMMAND = re.compile(r"lstm-explore .*$")


# (arguments, exit status, a sentence only the Chinese line holds). {name} is a file's path.
CASES = [
    # --input: the file itself.
    (["--input", ""], 2, "--input 为空：请给出 .npy、.json 或 .csv 文件的路径"),
    (["--input", "{txt}"], 2, "：不支持的文件类型 '.txt'；请使用 .npy、.json 或 .csv"),
    (["--input", "{no_suffix}"], 2, "：不支持的文件类型 '（无）'"),
    (["--input", "{missing}"], 2, "：文件不存在"),
    (["--input", "{dir}"], 2, " 是一个目录；请给出 .npy、.json 或 .csv 文件"),
    (["--input", "{raw_pickle}"], 2, " 是 pickle 文件，不是 .npy 文件；拒绝对它反序列化（unpickle）"),
    (["--input", "{not_npy}"], 2, " 不是有效的 .npy 文件（它不以 NumPy 的文件头开始）"),
    (["--input", "{pickled}"], 2, " 中是 Python 对象；拒绝对它们反序列化（unpickle）"),
    (["--input", "{truncated}"], 2, " 不是有效的 .npy 文件（"),
    (["--input", "{npz_as_npy}"], 2, " 是一个归档，不是单个数组"),
    (["--input", "{bad_json}"], 2, " 不是有效的 JSON（"),
    (["--input", "{ragged}"], 2, " 必须是等长的嵌套数字列表"),
    (["--input", "{binary_csv}"], 2, " 不是 UTF-8 文本文件"),
    (["--input", "{empty_csv}"], 2, " 是空的；请每行写一个时间步，每列写一个特征"),
    (["--input", "{header}"], 2, "：第 1 行第 1 列：'a' 不是数字（不支持表头行）"),
    (["--input", "{text_csv}"], 2, "：第 2 行第 2 列：'x' 不是数字"),
    (["--input", "{ragged_csv}"], 2, "：第 2 行有 1 列，第 1 行有 2 列"),
    # --input: what it holds.
    (["--input", "{unicode_npy}"], 2, " 中是 <U1 类型的值；必须是实数"),
    (["--input", "{one_d}"], 2, " 是 1 维的，形状为 (5,)；必须是 2 维 (timesteps, features) 或 3 维"),
    (["--input", "{four_d}"], 2, " 是 4 维的，形状为 (1, 2, 3, 4)"),
    (["--input", "{zero_size}"], 2, " 的形状为 (1, 0, 2)；每个维度都必须至少为 1"),
    (["--input", "{nan}"], 2, " 在索引 (0, 0, 1) 处含有 NaN；所有值都必须是有限数"),
    (["--input", "{inf}"], 2, " 在索引 (0, 1, 0) 处含有 Inf（或超出 float32 的范围）"),
    (["--input", "{too_big}"], 2, "含有 Inf（或超出 float32 的范围）"),
    # Sizes, seeds and their combinations.
    (["--batch", "0"], 2, "--batch 必须是不超过 2147483647 的正整数，实际为 0"),
    (["--features", "3000000000"], 2, "--features 必须是不超过 2147483647 的正整数"),
    (["--input", "{good}", "--batch", "2", "--timesteps", "3"], 2, "--input 不能与 --batch、--timesteps 同时使用"),
    (["--random-seed", "-1"], 2, "--random-seed 必须在 0 到 4294967295 之间，实际为 -1"),
    (["trace", "--sample", "5"], 2, "--sample 必须在 0 到 0 之间（该批次有 1 个样本），实际为 5"),
    (["trace", "--input", "{good}", "--sample", "-1"], 2, "（该批次有 1 个样本）"),
    # vary.
    (["vary", "units"], 2, "vary units 需要给出取值，例如 lstm-explore vary units 1 2 4 8"),
    (["vary", "kernel_regularizer"], 2, "vary kernel_regularizer 需要给出取值，例如"),
    (["vary", "time_major", "true"], 2, "vary：time_major 在 Keras 3 中已被删除，无法对它使用 vary"),
    # code.
    (["code", "--framework", "java"], 2, "--framework 必须是 keras 或 torch，实际为 'java'"),
    (
        ["code", "--framework", "torch", "--training", "--dropout", "0.5"],
        2,
        "torch.nn.LSTM 没有输入丢弃和循环丢弃",
    ),
    # --output and --plot destinations.
    (["--output", "{existing}"], 2, " 已存在；如要覆盖，请加 --force"),
    (["--output", ""], 2, "--output 为空：请给出要写入的文件路径"),
    (["--output", "{no_folder}"], 2, "：文件夹 "),
    (["--output", "{dir}"], 2, " 是一个目录；请给出文件名"),
    (["--input", "{good}", "--output", "{good}", "--force"], 2, " 是输入文件；本工具只读取输入，请写到别处"),
    (["--plot", "{txt}"], 2, "：文件名必须以 .png 结尾"),
    # Memory refusals.
    (["--units", "3000", "--max-memory", "100M"], 2, "此配置："),
    (["vary", "units", "1", "3000", "--max-memory", "100M"], 2, "vary units 3000："),
    (["--input", "{sparse}", "--max-memory", "100M"], 2, "1.0 GiB"),
]


def _line(result) -> str:
    """The one line a refused command writes, without its prefix; nothing on stdout, no traceback."""
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert PREFIX.match(lines[0]), lines[0]
    assert "Traceback" not in result.stderr
    return PREFIX.sub("", lines[0])


def _prose(line: str, files: dict[str, Path], quotes_a_library: bool) -> str:
    """The Chinese line with the user's paths, an example command and a library's quoted message taken out."""
    for path in sorted((str(p) for p in files.values()), key=len, reverse=True):
        line = line.replace(path, " 0 ")
    if quotes_a_library:
        line = LIBRARY_MESSAGE.sub("", line)
    return EXAMPLE_COMMAND.sub(" 0 ", line)


def _same_facts(en: str, zh: str) -> None:
    assert sorted(set(FLAG.findall(zh))) == sorted(set(FLAG.findall(en))), (en, zh)
    assert sorted(NUMBER.findall(zh)) == sorted(NUMBER.findall(en)), (en, zh)


def _both(invoke, args: list[str]) -> tuple:
    return invoke("--lang", "en", *args), invoke("--lang", "zh", *args)


@pytest.mark.parametrize(("args", "status", "sentence"), CASES, ids=[" ".join(c[0]) or "empty" for c in CASES])
def test_error_in_chinese(invoke, tmp_path, args, status, sentence):
    files = bad_input_files(tmp_path)
    quotes_a_library = any(a in QUOTING_A_LIBRARY for a in args)
    args = [a.format(**files) if a.startswith("{") else a for a in args]
    english, chinese = _both(invoke, args)
    assert english.exit_code == chinese.exit_code == status, (english.output, chinese.output)
    en, zh = _line(english), _line(chinese)
    assert sentence in zh, zh
    assert untranslated(_prose(zh, files, quotes_a_library)) == [], zh
    _same_facts(en, zh)
    assert Path(files["existing"]).read_text() == "keep me"


def _monkeypatched_failure(invoke, tmp_path, args: list[str], status: int, sentence: str) -> None:
    english, chinese = _both(invoke, args)
    assert english.exit_code == chinese.exit_code == status, (english.output, chinese.output)
    en, zh = _line(english), _line(chinese)
    assert sentence in zh, zh
    assert untranslated(zh.replace(str(tmp_path), " 0 ")) == [], zh
    _same_facts(en, zh)


def test_unreadable_input(invoke, tmp_path, monkeypatch):
    path = tmp_path / "locked.json"
    path.write_text("[[1, 2]]")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", refuse)
    _monkeypatched_failure(invoke, tmp_path, ["--input", str(path)], 1, f"--input {path}：无法读取：Permission denied")


def test_read_only_folder(invoke, tmp_path, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode, **kw: False if Path(path) == tmp_path else real_access(path, mode, **kw)
    )
    target = tmp_path / "out.txt"
    _monkeypatched_failure(invoke, tmp_path, ["--output", str(target)], 2, f"：文件夹 {str(tmp_path)!r} 不可写")


def test_folder_refusing_the_temporary_file(invoke, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    target = tmp_path / "out.json"
    sentence = f"--output {target}：无法在 {str(tmp_path)!r} 中写入：Permission denied"
    _monkeypatched_failure(invoke, tmp_path, ["--units", "2", "--json", "--output", str(target)], 1, sentence)


def test_failed_rename(invoke, tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    args = ["--units", "2", "--json", "--output", str(target), "--force"]
    english, chinese = _both(invoke, args)
    assert english.exit_code == chinese.exit_code == 1
    # The system's own reason stays as the system wrote it, like a library's message.
    zh = _line(chinese)
    assert zh == f"--output {target}：无法写入：No space left on device"
    _same_facts(_line(english), zh)
    assert target.read_text() == "old"


def test_file_appearing_during_the_run(invoke, tmp_path, monkeypatch):
    from lstm_explorer import engine

    target = tmp_path / "out.json"
    real_run = engine.run

    def run_while_someone_writes(*args, **kwargs):
        target.write_text("someone else's")
        return real_run(*args, **kwargs)

    monkeypatch.setattr(engine, "run", run_while_someone_writes)
    for lang, sentence in (
        ("en", "appeared while the tool was working"),
        ("zh", " 在工具运行期间出现了；如要覆盖，请加 --force"),
    ):
        target.unlink(missing_ok=True)
        result = invoke("--lang", lang, "--units", "2", "--json", "--output", str(target))
        assert result.exit_code == 2, result.output
        line = _line(result)
        assert sentence in line, line
        if lang == "zh":
            assert untranslated(line.replace(str(tmp_path), " 0 ")) == []
        assert target.read_text() == "someone else's"


# The library's own refusals, which the command line has no flag for.
API_CASES = [
    (lambda lang: lstm_explorer.run(effects=["bogus"], lang=lang), "effects：bogus 没有演示；有演示的参数是 "),
    (
        lambda lang: lstm_explorer.run(np.array([[1.0, np.nan], [3.0, 4.0]]), lang=lang),
        "输入数组 在索引 (0, 0, 1) 处含有 NaN",
    ),
    (lambda lang: lstm_explorer.run(np.zeros(3), lang=lang), "输入数组 是 1 维的，形状为 (3,)"),
    (lambda lang: lstm_explorer.trace(sample=True, lang=lang), "--sample 必须在 0 到 0 之间"),
    (lambda lang: lstm_explorer.export(framework=" Julia ", lang=lang), "实际为 ' Julia '"),
    (lambda lang: lstm_explorer.vary("units", [], lang=lang), "vary units 需要给出取值"),
]


@pytest.mark.parametrize(("call", "sentence"), API_CASES, ids=[c[1][:12] for c in API_CASES])
def test_library_error_in_chinese(call, sentence):
    messages = {}
    for lang in ("en", "zh"):
        with pytest.raises(UsageError) as caught:
            call(lang)
        messages[lang] = str(caught.value)
    assert sentence in messages["zh"], messages["zh"]
    assert untranslated(EXAMPLE_COMMAND.sub(" 0 ", messages["zh"])) == [], messages["zh"]
    _same_facts(messages["en"], messages["zh"])


def test_where_the_input_came_from_is_told_in_chinese(tmp_path):
    """The input's description, on screen and as --json's `source`, follows the language too."""
    english = lstm_explorer.run(units=2, batch=2, scale=True, lang="en").to_dict()["input"]["source"]
    chinese = lstm_explorer.run(units=2, batch=2, scale=True, lang="zh").to_dict()["input"]["source"]
    assert english == "generated counting pattern 1 … 40, divided by 40 (--scale)"
    assert chinese == "生成的计数序列 1 … 40，除以 40（--scale）"
    sources = {
        lang: [
            lstm_explorer.run(units=2, lang=lang).input.source,
            lstm_explorer.run(np.ones((1, 2, 2)), units=2, lang=lang).input.source,
        ]
        for lang in ("en", "zh")
    }
    assert sources["zh"] == ["教程中的样本 [[1, 2], [3, 4], …, [19, 20]]", "形状为 (1, 2, 2) 的 NumPy 数组"]
    for en, zh in zip(sources["en"], sources["zh"]):
        assert untranslated(zh) == []
        assert NUMBER.findall(zh) == NUMBER.findall(en)
