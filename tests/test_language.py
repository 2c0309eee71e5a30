"""One language per command: how it is chosen, and that both language files say the same things."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from lstm_explorer import language
from lstm_explorer.language import from_command_line, from_locale, messages, say, speaking
from tests.test_zh import untranslated

PACKAGE = Path(language.__file__).parent


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW"}, "zh"),
        ({"LANG": "zh"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh"),
    ],
)
def test_the_locale_decides_as_gettext_does(environ, expected):
    assert from_locale(environ) == expected


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--units", "3"], "zh"),
        (["--lang", "en"], "en"),
        (["--lang=en", "vary", "units"], "en"),
        (["vary", "units", "2", "--lang", " EN "], "en"),
        (["--lang", "en", "--lang", "zh"], "zh"),
        (["--input", "x.npy", "--", "--lang", "en"], "zh"),
    ],
)
def test_the_flag_wins_over_the_locale(argv, expected):
    assert from_command_line(argv, {"LANG": "zh_CN.UTF-8"}) == expected


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(language.UnknownLanguage, match=r"--lang must be one of en, zh, got 'fr'"):
        from_command_line(["--lang", "fr"], {})


def test_speaking_is_scoped_and_restored_after_an_error():
    assert language.current() == "en"
    with pytest.raises(RuntimeError):
        with speaking("zh"):
            assert language.current() == "zh"
            raise RuntimeError
    assert language.current() == "en"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_both_languages_have_every_message_with_the_same_fields():
    english, chinese = messages("en"), messages("zh")
    assert sorted(english) == sorted(chinese)
    differing = {key: (_fields(english[key]), _fields(chinese[key])) for key in english}
    assert {key: pair for key, pair in differing.items() if pair[0] != pair[1]} == {}


def test_every_chinese_message_is_translated():
    def filled(template: str) -> str:
        return template.format(**{name: 0 for name in _fields(template)})

    left = {key: untranslated(filled(text)) for key, text in messages("zh").items()}
    assert {key: runs for key, runs in left.items() if runs} == {}


def test_every_message_is_formatted_the_same_way_in_both_languages():
    """A template's braces are always formatted, so a literal brace must be doubled in both files."""
    for lang in ("en", "zh"):
        for key, template in messages(lang).items():
            template.format(**{name: 0 for name in _fields(template)})  # raises on a stray brace
            assert key == key.lower() and re.fullmatch(r"[a-z0-9_.]+", key), key


def _said_keys() -> set[str]:
    """Every key the package passes to say() as a literal string."""
    keys = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "say"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                keys.add(node.args[0].value)
    return keys


def test_every_key_the_code_says_exists():
    assert _said_keys() - set(messages("en")) == set()


def test_say_fills_the_current_languages_template():
    key = next(key for key, text in messages("en").items() if not _fields(text) and text != messages("zh")[key])
    assert say(key) == messages("en")[key]
    with speaking("zh"):
        assert say(key) == messages("zh")[key]
    with pytest.raises(KeyError):
        say("no.such_message")


@pytest.mark.parametrize("lang", language.LANGUAGES)
def test_the_pages_come_before_the_messages(lang):
    """The two halves of a language file, parsed apart, are the whole file: no page after a message."""
    whole = language.tomllib.loads((PACKAGE / "texts" / f"{lang}.toml").read_text(encoding="utf-8"))
    assert language.texts(lang) == {name: table for name, table in whole.items() if name != "messages"}
    assert set(whole["messages"]) == {key.split(".")[0] for key in messages(lang)}
