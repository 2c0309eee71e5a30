"""The "In training" section of the explain pages: which pages have it, that its command runs, and
that `explain` shows it (what its paragraph claims is checked in tests/claims/training.py)."""

from __future__ import annotations

import json
import shlex

import pytest

from lstm_explorer.catalogue import EXPLAINED, IN_TRAINING
from lstm_explorer.explanations import texts
from lstm_explorer.language import say, speaking

import claims

FIELDS = ("training", "training_try")
# The sizes the test runs a command at (put in place of the command's own, or added), so that each
# training takes a second or two; --repeats only where the command has it.
TINY = (("--repeats", "2"), ("--epochs", "2"), ("--samples", "64"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_exactly_the_in_training_pages_have_the_section(lang):
    table = texts(lang)
    having = {a.name for a in EXPLAINED if any(field in table[a.name] for field in FIELDS)}
    assert having == set(IN_TRAINING)
    for name in IN_TRAINING:
        for field in FIELDS:
            assert str(table[name][field]).strip(), (lang, name, field)


@pytest.mark.parametrize("name", IN_TRAINING)
def test_the_command_is_the_same_in_both_languages(name):
    assert texts("en")[name]["training_try"] == texts("zh")[name]["training_try"]


def tiny(command: str) -> list[str]:
    """The page's command as arguments, with the tiny sizes (and 2 repeats where it asks for some)."""
    words = shlex.split(command)
    assert words[0] == "lstm-explore" and words[1] in ("fit", "vary"), command
    words = words[1:]
    for flag, value in TINY:
        if flag in words:
            words[words.index(flag) + 1] = value
        elif flag != "--repeats":
            words += [flag, value]
    assert "--json" not in words, command
    return [*words, "--json"]


@pytest.mark.parametrize("name", IN_TRAINING)
def test_the_command_runs_and_trains(name):
    command = str(texts("en")[name]["training_try"])
    words = tiny(command)
    result = claims.tool(*words)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["interrupted"] is False
    if words[0] == "fit":
        assert name.replace("_", "-") in command, "the command doesn't set the page's argument"
        assert doc["runs"] and all(run["complete"] for run in doc["runs"])
        assert len(doc["runs"][0]["history"]) == 2
        assert set(doc["final"]) == {"mean", "std"}
        assert {"before", "after"} <= set(doc["gates"])
        return
    assert words[1] == name and "--fit" in words, command
    values = []
    for word in words[2:]:
        if word.startswith("--"):
            break
        values.append(word)
    assert len(values) >= 2
    assert [row["value"] for row in doc["rows"]] == values, doc["rows"]
    repeats = 2 if "--repeats" in words else 1
    for row in doc["rows"]:
        assert len(row["runs"]) == repeats and set(row["final"]) >= {"mean", "std"}, row
    assert {"p_value", "effect_size", "clear", "text"} <= set(doc["verdict"])


def heading(lang: str) -> str:
    """The section's heading, as the language file's [messages.explain] table names it."""
    with speaking(lang):
        return say("explain.in_training")


def _flat(text: str) -> str:
    """Without any whitespace: lines wrap between words, and Chinese between any two characters."""
    return "".join(text.split())


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", IN_TRAINING)
def test_explain_shows_the_section_and_its_command(name, lang):
    result = claims.tool("explain", name, "--lang", lang)
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert heading(lang) in lines, result.stdout
    after = "\n".join(lines[lines.index(heading(lang)) :])
    assert _flat(str(texts(lang)[name]["training_try"])) in _flat(after)
    assert _flat(str(texts(lang)[name]["training"]))[:40] in _flat(after)


def test_pages_without_it_show_no_heading():
    result = claims.tool("explain", "units")
    assert result.exit_code == 0
    assert heading("en") not in [line.strip() for line in result.stdout.splitlines()]
