"""The command line's own words in Chinese: every command's --help, Click's parsing errors, the
CLI's errors and the Ctrl-C line, with the English left exactly as it was."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time

import pytest
import typer
from test_zh import CJK, untranslated

from lstm_explorer import checkpoint
from lstm_explorer import explanations as explaining
from lstm_explorer.catalogue import EXAMPLE_KINDS, Panel
from lstm_explorer.cli_core import click_message, in_language
from lstm_explorer.errors import ExitStatus, interrupted
from lstm_explorer.language import messages, speaking
from lstm_explorer.render.explain_view import Writer, headings, render_explanation, render_overview
from lstm_explorer.render.reference_doc import COMMANDS
from lstm_explorer.render.terminal import Terminal

COMMAND_IDS = [" ".join(command) or "lstm-explore" for command in COMMANDS]
ENGLISH_TITLES = ("Arguments", "Options", "Commands", *(panel.value for panel in Panel))


def _help(invoke, command: tuple[str, ...], lang: str) -> str:
    result = invoke("--lang", lang, *command, "--help")
    assert result.exit_code == ExitStatus.OK, result.output
    return result.stdout


def _titles(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^╭─ (.*?) ─", text, re.MULTILINE)]


def _rows(text: str) -> dict[str, str]:
    """Each box row's name (flag, argument or command) and its help, the wrapped lines joined without spaces."""
    rows: dict[str, str] = {}
    name = None
    for line in text.splitlines():
        if not line.startswith("│ "):
            continue
        content = line[2:-2]
        if not content.startswith(" "):
            name, _, rest = content.partition("  ")
            rows[name] = ""
        else:
            rest = content
        assert name is not None
        rows[name] += "".join(rest.split())
    return rows


@pytest.mark.parametrize("command", COMMANDS, ids=COMMAND_IDS)
def test_help_in_chinese_has_no_english_sentences(invoke, command):
    text = _help(invoke, command, "zh")
    usage, body = text.split("\n", 2)[1], text.split("\n", 2)[2]
    assert usage.startswith(" 用法：")
    assert CJK.search(body.split("╭")[0]), "the description"
    assert untranslated(body) == [], body


@pytest.mark.parametrize("command", COMMANDS, ids=COMMAND_IDS)
def test_help_in_chinese_lists_the_same_rows_under_translated_titles(invoke, command):
    english, chinese = _help(invoke, command, "en"), _help(invoke, command, "zh")
    assert list(_rows(chinese)) == list(_rows(english))
    english_titles, chinese_titles = _titles(english), _titles(chinese)
    assert len(chinese_titles) == len(english_titles)
    names = {panel.value: explaining.panel_name(panel, "zh") for panel in Panel}
    names.update({"Arguments": "位置参数", "Options": "选项", "Commands": "命令"})
    assert chinese_titles == [names[title] for title in english_titles]
    assert not set(chinese_titles) & set(ENGLISH_TITLES)


@pytest.mark.parametrize("command", COMMANDS, ids=COMMAND_IDS)
def test_help_in_chinese_shows_the_same_defaults(invoke, command):
    """Typer's `[default: 3]` / `[required]` become `[默认值：3]` / `[必填]` with the same values."""
    english, chinese = _rows(_help(invoke, command, "en")), _rows(_help(invoke, command, "zh"))
    compared = 0
    for name, help_text in english.items():
        default = re.search(r"\[default:([^\[\]]*)\]$", help_text)
        if help_text.endswith("[required]"):
            assert chinese[name].endswith("[必填]"), name
        elif default is None:
            assert "[默认值" not in chinese[name], name
        else:
            zh_default = re.search(r"\[默认值：(.*)\]$", chinese[name])
            assert zh_default is not None, (name, chinese[name])
            if default.group(1).startswith("("):  # A default described in words: the same numbers.
                numbers = re.compile(r"\d+(?:\.\d+)?")
                assert numbers.findall(zh_default.group(1)) == numbers.findall(default.group(1))
                assert CJK.search(zh_default.group(1)) or zh_default.group(1) == default.group(1)
            else:
                assert zh_default.group(1) == default.group(1), name
            compared += 1
    assert compared or command == ("explain",)


def test_help_in_chinese_says_the_flags_and_commands_in_chinese(invoke):
    rows = _rows(_help(invoke, (), "zh"))
    assert rows["--units <int>"].startswith("隐藏状态")
    assert (
        "取值：名称或调用，如glorot_uniform、constant(0.5)、random_normal(stddev=0.05)。"
        in rows["--kernel-initializer <str>"]
    )
    assert rows["--batch <int>"] == "生成含这么多个样本的输入。[默认值：(1)]"
    assert rows["--max-memory SIZE"].endswith("[默认值：(4.0GiB，本机内存的一半更小时取一半)]")
    assert rows["-h, --help"] == "显示本帮助信息并退出。"
    assert rows["vary"] == "对某个参数的每个取值各运行一次这个配置，并把结果并排比较。"
    assert _rows(_help(invoke, ("vary",), "zh"))["ARGUMENT"].endswith("[必填]")


def test_the_locale_chooses_the_help_language_too(runner):
    from lstm_explorer.cli import app

    result = runner.invoke(app, ["trace", "--help"], env={"COLUMNS": "100", "LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 0
    assert "用法：root trace" in result.stdout and "要跟踪批次中的哪个样本。" in result.stdout


def test_english_help_is_typer_s_own(invoke):
    """In English nothing is rebuilt: the rows are Typer's records, the Commands lines Click's cut."""
    text = _help(invoke, (), "en")
    rows = _rows(text)
    assert rows["--units <int>"] == "Sizeofthehiddenstatehandcellstatec(notthenumberoftimesteps).[default:3]"
    assert rows["run"] == "Buildthelayer,callitontheinput,andshowwhatcameout(thesameas..."
    assert " Usage: root [OPTIONS] COMMAND [ARGS]..." in text


CLICK_ERRORS = [
    (["--unit", "3"], "错误：没有这个选项：--unit（可能的选项：--input, --units）", "No such option: --unit"),
    (["-z"], "错误：没有这个选项：-z", "No such option: -z"),
    (["--units", "x"], "错误：'--units' 的值无效：'x' 不是有效的整数。", "Invalid value for '--units': 'x' is not"),
    (["--dropout", "x"], "错误：'--dropout' 的值无效：'x' 不是有效的浮点数。", "'x' is not a valid float."),
    (["vary"], "错误：缺少位置参数 'ARGUMENT'。", "Missing argument 'ARGUMENT'."),
    (["--units"], "错误：选项 '--units' 需要一个值。", "Option '--units' requires an argument."),
    (["trace", "--unit"], "错误：选项 '--unit' 需要一个值。", "Option '--unit' requires an argument."),
    (["--return-sequences=3"], "错误：选项 '--return-sequences' 不接受值。", "does not take a value."),
    (["run", "x"], "错误：多出了无法识别的参数（x）", "Got unexpected extra argument(s) (x)"),
    (["explain", "units", "x"], "错误：多出了无法识别的参数（x）", "Got unexpected extra argument(s) (x)"),
    (["x"], "错误：没有这个命令：'x'。", "No such command 'x'."),
]


@pytest.mark.parametrize(("args", "chinese", "english"), CLICK_ERRORS, ids=[" ".join(a) for a, _, _ in CLICK_ERRORS])
def test_click_errors_in_chinese(invoke, args, chinese, english):
    result = invoke("--lang", "zh", *args)
    assert result.exit_code == ExitStatus.USAGE
    assert result.stderr == chinese + "\n"
    assert untranslated(result.stderr) == []
    in_english = invoke("--lang", "en", *args)
    assert in_english.exit_code == ExitStatus.USAGE
    assert in_english.stderr.startswith("Error: ") and english in in_english.stderr
    assert in_english.stderr.count("\n") == 1


def test_an_unknown_click_message_stays_english():
    """A message no template produces is left as Click wrote it, rather than guessed at."""
    with speaking("zh"):
        assert (
            click_message(typer.BadParameter("Value must be an iterable."))
            == "Invalid value: Value must be an iterable."
        )
        assert in_language("No such option", "cli.click_no_such_option") == "No such option"
        assert in_language("No such option: --x", "help.no_such_key", "cli.click_no_such_option") == "没有这个选项：--x"
    with speaking("en"):
        assert in_language("No such option: --x", "cli.click_no_such_option") == "No such option: --x"


def test_the_cli_s_own_errors_in_chinese(invoke, tmp_path):
    result = invoke("--lang", "zh", "trace", "--units", "3", "--unit", "7")
    assert result.exit_code == ExitStatus.USAGE
    assert result.stderr == "错误：--unit 必须在 0 到 2 之间（这个层有 3 个单元），得到的是 7\n"
    target = str(tmp_path / "same.png")
    result = invoke("--lang", "zh", "--plot", target, "--output", target)
    assert result.exit_code == ExitStatus.USAGE
    assert result.stderr == "错误：--plot 和 --output 指向同一个文件；请分别给出不同的文件\n"


def test_the_interrupted_line_before_any_command(monkeypatch):
    from lstm_explorer.__main__ import _interrupted_line

    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setattr(sys, "argv", ["lstm-explore", "--units", "2", "--lang", "zh"])
    assert _interrupted_line() == "错误：已中断（Ctrl-C）\n"
    monkeypatch.setattr(sys, "argv", ["lstm-explore", "--lang", "xx"])
    assert _interrupted_line() == "Error: interrupted (Ctrl-C)\n"
    monkeypatch.setattr(sys, "argv", ["lstm-explore"])
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    assert _interrupted_line() == "错误：已中断（Ctrl-C）\n"
    with speaking("zh"):
        assert interrupted() == "已中断（Ctrl-C）"


def test_ctrl_c_in_chinese_in_a_real_process(tmp_path):
    """Ctrl-C while TensorFlow imports: the command's own one line, in the language asked for."""
    marker = tmp_path / "reached"
    env = {**os.environ, checkpoint.ENVIRONMENT_VARIABLE: f"import:{marker}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "lstm_explorer", "--lang", "zh", "--units", "2", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    while not marker.exists():
        assert process.poll() is None, process.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == ExitStatus.INTERRUPTED
    assert stderr.decode() == "错误：已中断（Ctrl-C）\n"
    assert stdout == b""


def test_the_plot_line_in_chinese(invoke, tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "gates.png"
    result = invoke("--lang", "zh", "--units", "2", "--plot", str(path))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"图已写入 {path}：样本 0 的 h、c 和每个门（推理模式的前向计算）\n"
    assert path.exists()


def test_each_kind_with_an_example_has_one_in_both_languages():
    """The kinds the catalogue says need an example have one; the others have none."""
    for lang in ("en", "zh"):
        examples = {key.rsplit(".", 1)[1] for key in messages(lang) if key.startswith("help.example.")}
        assert examples == {kind.name.lower() for kind in EXAMPLE_KINDS}
    for key in ("help.example.activation", "help.argument_with_example"):
        assert CJK.search(messages("zh")[key]) and untranslated(messages("zh")[key]) == []


def test_every_chinese_cli_template_is_chinese():
    for key, text in messages("zh").items():
        if key.split(".")[0] in ("help", "cli", "explain") and key not in _NOT_SENTENCES:
            assert CJK.search(text), key
            assert untranslated(text) == [], key


# Punctuation and layout, and a heading that is a name and a version in both languages.
_NOT_SENTENCES = {"help.extras_separator", "help.with_extras", "explain.colon", "explain.keras2to3"}

# The headings explain used before they moved into the language files: its output must not change.
HEADINGS_BEFORE = {
    "en": (
        "Keras says|What it does|The LSTM step|Shapes and parameters|Values|default|type|accepted names|Pitfalls|"
        "PyTorch|Keras 2 → 3|Try it|Keras's docstring says nothing about this argument.|: |bundled copy|"
        "Arguments of keras.layers.LSTM|argument|default|meaning|panel|"
        "lstm-explore explain ARGUMENT for the whole story; --lang zh for Chinese."
    ),
    "zh": (
        "Keras 原文 (英文)|作用|LSTM 的一步计算|形状与参数量|取值|默认值|类型|可用名称|常见误区|PyTorch 对应|"
        "Keras 2 → 3|试一试|Keras 文档中没有这个参数的说明。|：|内置副本|keras.layers.LSTM 的参数|参数|默认值|含义|分组|"
        "lstm-explore explain 参数名 查看完整说明；--lang en 为英文。"
    ),
}
HEADING_NAMES = (
    "keras what equations shapes values default type accepted_names pitfalls pytorch keras2to3 try missing colon "
    "bundled overview column_argument column_default column_meaning column_panel hint"
).split()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_headings_are_the_ones_it_always_used(lang):
    assert "|".join(headings(lang)[name] for name in HEADING_NAMES) == HEADINGS_BEFORE[lang]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_speaks_the_language_it_is_given_whatever_is_spoken_around_it(lang):
    """The page's language is the one passed in (explain --lang), as before the headings moved."""

    def page(name: str | None) -> str:
        stream = io.StringIO()
        writer = Writer(Terminal(stream, stream, columns=100))
        if name is None:
            render_overview(lang, writer)
        else:
            render_explanation(explaining.explain(name, lang), lang, writer)
        return stream.getvalue()

    expected = (page("dropout"), page(None))
    for other in ("en", "zh"):
        with speaking(other):
            assert (page("dropout"), page(None)) == expected
    assert expected[0].splitlines().count(headings(lang)["what"]) == 1
    assert expected[1].splitlines()[0] == headings(lang)["overview"]
