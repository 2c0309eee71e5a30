"""The Chinese `explain`: the same content as the English, in Chinese, laid out like Chinese text."""

from __future__ import annotations

import io
import re

import pytest

from lstm_explorer import explanations as explaining
from lstm_explorer.catalogue import ARGUMENTS, EXPLAINED, EXPLAINED_BY_NAME, Kind, Panel
from lstm_explorer.language import messages
from lstm_explorer.render.explain_view import HEADINGS, Writer, render_explanation, render_overview
from lstm_explorer.render.terminal import Terminal

NAMES = [a.name for a in EXPLAINED]
WIDTHS = (60, 80, 100)
CJK = re.compile(r"[\u4e00-\u9fff]")
# What a line may not start with: closing marks and sentence punctuation, Chinese and English.
NO_LINE_START = set("。，、；：！？）」』》〉】〕”’….,;:!?)]}")
TEXT_FIELDS = ("what", "shapes", "values", "pytorch", "keras2to3")

# Spans that are code or Keras's own words, not prose, removed before looking for English sentences.
NOT_PROSE = [
    re.compile(r"`[^`]*`"),  # backticked code
    re.compile(r"'[^']{0,200}'"),  # quoted strings and Keras messages, even wrapped
    re.compile(r"\b\w*Error: [^\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]*"),  # an exception and its message
    re.compile(r"--[\w-]+"),  # flags
    re.compile(r"[\w.]+\((?:[^()]|\([^()]*\))*\)"),  # calls, one level of nesting
    re.compile(r"\b\w+(?:\.\w+)+"),  # dotted names: keras.utils, layer.losses
    re.compile(r"\b\w*_\w*"),  # snake_case identifiers
    re.compile(r"\b[a-z]+[A-Z]\w*|\b[A-Z][a-z]+[A-Z]\w*"),  # camelCase and CamelCase names
]
# English words and numbers in a row, separated only by spaces or brackets: four of them, three
# being words, is prose nobody translated ("number between 0 and 1", "required (the tool uses 3)").
RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*(?:[\s()]+[A-Za-z0-9][A-Za-z0-9'’.-]*)+")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def untranslated(text: str) -> list[str]:
    """The runs of English prose left in `text` once code, identifiers, flags and Keras messages are gone.

    Each removed span leaves a 0 behind, which counts in a run but not as a word, so "Use
    keras.Input to build it" is still a sentence.
    """
    for pattern in NOT_PROSE:
        text = pattern.sub(" 0 ", text)
    runs = [" ".join(run.group().split()).rstrip(".") for run in RUN.finditer(text)]
    return [run for run in runs if len(re.split(r"[\s()]+", run)) >= 4 and len(WORD.findall(run)) >= 3]


def rendered(name: str | None, lang: str, width: int = 100) -> str:
    stream = io.StringIO()
    writer = Writer(Terminal(stream, stream, columns=width))
    if name is None:
        render_overview(lang, writer)
    else:
        render_explanation(explaining.explain(name, lang), lang, writer)
    return stream.getvalue()


def without_keras_says(page: str, lang: str) -> str:
    """The page minus the section quoting Keras's English docstring (from its heading to the next one)."""
    lines = page.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(HEADINGS[lang]["keras"]))
    end = lines.index(HEADINGS[lang]["what"], start)
    return "\n".join(lines[:start] + lines[end:])


def test_the_checker_finds_english_and_passes_code():
    assert untranslated("这是中文。This sentence was never translated.") == ["This sentence was never translated"]
    assert untranslated("用 keras.Input(batch_shape=(1, 10, 2)) 建模，命令行写 --no-use-bias。") == []
    assert untranslated("Keras 报 'When using stateful=True in a RNN, the batch size must be static' 并停止。") == []
    assert (
        untranslated(
            "Keras 3 会报 ValueError: Unrecognized keyword arguments passed to LSTM: {'x': 1}，传 False 也一样。"
        )
        == []
    )
    assert untranslated("state = tuple(s.detach() for s in state)，GlorotUniform 与 recurrent_dropout 不同") == []
    assert untranslated("默认值：required (the tool uses 3)") == ["required (the tool uses 3"]
    assert untranslated("None (written none on the command line) means no activation")
    assert untranslated("类型：number between 0 and 1") == ["number between 0 and 1"]
    assert untranslated("Keras 3 与 tf.keras 2 的 (1, 10, 3) 和 0 0 0 | 1 1 1 都不是句子") == []
    assert untranslated("先转置。Use keras.ops.transpose to build it.") == ["Use 0 to build it"]


@pytest.mark.parametrize("name", NAMES)
def test_chinese_fields_have_no_english_sentences(name):
    entry = explaining.texts("zh")[name]
    texts = [str(entry[field]) for field in TEXT_FIELDS] + [str(p) for p in entry["pitfalls"]]
    texts.append(explaining.summary(EXPLAINED_BY_NAME[name], "zh"))
    for text in texts:
        assert CJK.search(text), text
        assert untranslated(text) == [], text


@pytest.mark.parametrize("name", NAMES)
def test_chinese_page_has_no_english_sentences_outside_keras_says(name):
    page = without_keras_says(rendered(name, "zh"), "zh")
    assert "Keras 原文" not in page
    # The page's commands (Try it, In training) are code, whatever the language.
    prose = "\n".join(line for line in page.splitlines() if not line.strip().startswith("lstm-explore "))
    assert untranslated(prose) == [], page


def test_chinese_words_tables_have_no_english():
    table = explaining.texts("zh")
    assert untranslated(str(table["equations"]["text"])) == []
    for kind in Kind:
        assert CJK.search(explaining.kind_name(kind, "zh")) or kind in (Kind.CUDNN, Kind.IMPLEMENTATION), kind
        assert untranslated(explaining.kind_name(kind, "zh")) == [], kind
    for panel in Panel:
        assert CJK.search(explaining.panel_name(panel, "zh")), panel
    units = next(a for a in ARGUMENTS if a.name == "units")
    assert explaining.display_default(units, "zh") == "必填（本工具使用 3）"
    assert explaining.display_default(units, "en") == "required (the tool uses 3)"


@pytest.mark.parametrize("name", NAMES)
def test_chinese_page_shows_chinese_kind_default_and_panel(name):
    argument = EXPLAINED_BY_NAME[name]
    page = rendered(name, "zh")
    title = page.splitlines()[0]
    assert explaining.panel_name(argument.panel, "zh") in title and argument.panel.value not in title
    values_line = page.splitlines()[page.splitlines().index("取值") + 1]
    assert values_line.startswith(f"默认值：{explaining.display_default(argument, 'zh')}")
    assert values_line.endswith(f"类型：{explaining.kind_name(argument.kind, 'zh')}")
    assert argument.kind.value not in values_line


@pytest.mark.parametrize("name", NAMES)
def test_chinese_entry_has_every_english_field(name):
    en, zh = explaining.texts("en")[name], explaining.texts("zh")[name]
    assert set(zh) == set(en)
    assert len(zh["pitfalls"]) == len(en["pitfalls"])
    assert zh["try"] == en["try"]


def test_both_languages_have_the_same_entries():
    en, zh = explaining.texts("en"), explaining.texts("zh")
    assert set(zh) - set(en) == {"kinds", "panels"}
    assert set(en) <= set(zh)
    assert set(explaining.texts("zh")["kinds"]) == {k.name.lower() for k in Kind}
    assert set(explaining.texts("zh")["panels"]) == {p.name.lower() for p in Panel}
    assert en["equations"]["text"].count("\n") == zh["equations"]["text"].count("\n")


@pytest.mark.parametrize("lang", explaining.LANGUAGES)
@pytest.mark.parametrize("name", [*NAMES, None])
def test_no_line_starts_with_punctuation(name, lang):
    for width in WIDTHS:
        for line in rendered(name, lang, width).splitlines():
            text = re.sub(r"^[\s│•]+", "", line)
            assert not text or text[0] not in NO_LINE_START, (width, line)


def test_wrapping_keeps_closing_marks_with_the_text_before():
    from lstm_explorer.render.text import wrap

    # Each of these, wrapped greedily by width alone, would put the mark at the start of a line.
    assert wrap("一二三四五。六", 10) == ["一二三四", "五。六"]
    assert wrap("一二三四五；bidirectional", 10) == ["一二三四", "五；", "bidirectional"]
    assert wrap("一二三（英文)", 12) == ["一二三（英", "文)"]
    assert wrap("tutorial's 1 … 20", 13) == ["tutorial's", "1 … 20"]
    assert wrap("一二三四（五六", 10) == ["一二三四", "（五六"]


def test_overview_has_a_chinese_meaning_for_every_argument():
    rows = explaining.overview("zh")
    assert [r["name"] for r in rows] == NAMES
    for row in rows:
        assert CJK.search(row["summary"]) and untranslated(row["summary"]) == [], row
        assert CJK.search(row["panel"]), row
    page = rendered(None, "zh")
    lines = page.splitlines()
    cells = [cell for line in lines for cell in re.split(r"\s{2,}", line)]
    assert [cell for cell in cells if untranslated(cell)] == []
    for argument in ARGUMENTS:
        line = next(line for line in lines if line.split(" ", 1)[0] == argument.name)
        name, default, meaning, panel = re.split(r"\s{2,}", line)
        assert CJK.search(meaning), line
        assert explaining.summary(argument, "zh").startswith(meaning), line
        assert (default, panel) == (
            explaining.display_default(argument, "zh"),
            explaining.panel_name(argument.panel, "zh"),
        )
    assert "必填（本工具使用 3）" in page


def test_json_keeps_its_keys_in_chinese(invoke):
    import json

    en = json.loads(invoke("explain", "dropout", "--json").stdout)
    zh = json.loads(invoke("explain", "dropout", "--json", "--lang", "zh").stdout)
    assert set(en) == set(zh)
    assert zh["kind"] == "0 到 1 之间的数" and zh["panel"] == "丢弃（dropout）"
    assert zh["summary"] == messages("zh")["summary.dropout"]
    assert en["kind"] == "number between 0 and 1" and en["panel"] == "Dropout"
