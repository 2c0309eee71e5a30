"""Every claim `explain` makes about Keras is executed against the installed Keras (see tests/claims)."""

from __future__ import annotations

import importlib
import os
import pkgutil

import pytest

from lstm_explorer.catalogue import EXPLAINED, IN_TRAINING
from lstm_explorer.explanations import texts

import claims
from claims import SECTIONS, Claim

MODULES = [importlib.import_module(f"claims.{info.name}") for info in pkgutil.iter_modules(claims.__path__)]
CLAIMS: list[Claim] = [claim for module in MODULES for claim in module.CLAIMS]
TRY = {argument: check for module in MODULES for argument, check in module.TRY.items()}
EN = texts("en")


def _text(argument: str, section: str, item: int | None) -> str:
    value = EN[argument][section]
    return str(value[item]) if item is not None else str(value)


def _parts() -> list[tuple[str, str, int | None]]:
    parts = []
    for argument in EXPLAINED:
        for section in SECTIONS:
            if section == "training" and argument.name not in IN_TRAINING:
                continue
            value = EN[argument.name][section]
            parts += (
                [(argument.name, section, k) for k in range(len(value))]
                if isinstance(value, list)
                else [(argument.name, section, None)]
            )
    return parts


@pytest.mark.parametrize(("argument", "section", "item"), _parts())
def test_every_claim_is_covered(argument, section, item):
    covering = [c for c in CLAIMS if (c.argument, c.section, c.item) == (argument, section, item)]
    assert covering, f"{argument}.{section}[{item}]: {_text(argument, section, item)}"


@pytest.mark.parametrize("claim", CLAIMS, ids=[f"{c.argument}.{c.section}[{c.item}]:{c.quote[:30]}" for c in CLAIMS])
def test_claim(claim: Claim):
    assert claim.section in SECTIONS
    assert claim.quote in _text(claim.argument, claim.section, claim.item), "the text changed: revisit its check"
    assert (claim.check is None) != (claim.source is None), "a claim has a check or a source, not both"
    if claim.check is not None:
        claim.check()
        return
    if claim.source.startswith("keras/"):
        import keras

        path = os.path.join(os.path.dirname(os.path.dirname(keras.__file__)), claim.source)
        assert claim.snippet and claim.snippet in open(path, encoding="utf-8").read(), claim.source
    else:
        assert "GPU" in claim.source or "Keras 2" in claim.source or "PyTorch" in claim.source, claim.source


@pytest.mark.parametrize("argument", [a.name for a in EXPLAINED])
def test_try_it_shows_its_effect(argument):
    assert argument in TRY, f"no check that `{EN[argument]['try']}` shows what {argument} does"
    TRY[argument]()
