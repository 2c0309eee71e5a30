"""The catalogue against the installed Keras: no argument, default or accepted name may drift."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from typer.main import get_command

from lstm_explorer import catalogue
from lstm_explorer.catalogue import ARGUMENTS, BY_NAME, RELATED, REQUIRED, WEIGHTS, Kind, Panel, lookup, lookup_page
from lstm_explorer.cli import app


def keras_parameters(keras):
    signature = inspect.signature(keras.layers.LSTM.__init__)
    return {
        name: p
        for name, p in signature.parameters.items()
        if name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD
    }


def test_every_keras_argument_is_catalogued(keras):
    keras3 = {a.name for a in ARGUMENTS if a.is_keras3_argument}
    assert keras3 == set(keras_parameters(keras))


def test_catalogue_defaults_are_keras_defaults(keras):
    for name, parameter in keras_parameters(keras).items():
        argument = BY_NAME[name]
        if parameter.default is inspect.Parameter.empty:
            assert argument.keras_default is REQUIRED, name
        else:
            assert argument.keras_default == parameter.default, name
            assert argument.default == parameter.default, name


def test_keras2_leftovers_behave_as_catalogued(keras):
    keras.layers.LSTM(2, implementation=2)
    with pytest.raises(ValueError, match="time_major"):
        keras.layers.LSTM(2, time_major=True)
    assert BY_NAME["implementation"].kwargs_only
    assert BY_NAME["time_major"].removed_in_keras3


def test_kwargs_only_arguments_reach_the_layer(keras):
    """LSTM's signature lacks them, but it takes them through **kwargs and they end up on the layer."""
    assert {a.name for a in ARGUMENTS if a.kwargs_only} == {"implementation", "zero_output_for_mask"}
    assert keras.layers.LSTM(2, implementation=1).cell.implementation == 1
    layer = keras.layers.LSTM(2, zero_output_for_mask=True)
    assert layer.zero_output_for_mask is True and layer.get_config()["zero_output_for_mask"] is True
    rnn_default = inspect.signature(keras.layers.RNN.__init__).parameters["zero_output_for_mask"].default
    assert BY_NAME["zero_output_for_mask"].keras_default == rnn_default == BY_NAME["zero_output_for_mask"].default


def test_config_hands_kwargs_only_arguments_to_keras_when_set():
    from lstm_explorer.config import build_config

    assert "zero_output_for_mask" not in build_config({}).keras_kwargs()
    assert build_config({"zero_output_for_mask": True}).keras_kwargs()["zero_output_for_mask"] is True
    assert build_config({"implementation": 1}).keras_kwargs()["implementation"] == 1


def test_related_defaults_are_keras_defaults(keras):
    """Each page beside the constructor's shows the default of the Keras function it belongs to."""
    owners = {
        "LSTM.call": keras.layers.LSTM.call,
        "Masking": keras.layers.Masking.__init__,
        "pad_sequences": keras.utils.pad_sequences,
        "Bidirectional": keras.layers.Bidirectional.__init__,
    }
    for item in RELATED:
        assert lookup(item.name) is None and lookup_page(item.name) is item
        if item.documented_in not in owners:
            continue  # bidirectional, layers, dense: the tool's flags, arguments of no Keras function
        parameters = inspect.signature(owners[item.documented_in]).parameters
        assert parameters[item.name].default == item.default, item.name


def test_every_argument_is_a_flag_in_a_panel():
    command = get_command(app)
    options = {decl: param for param in command.params for decl in param.opts}
    for argument in ARGUMENTS:
        assert argument.flag in options, argument.flag
        param = options[argument.flag]
        assert param.rich_help_panel == argument.panel.value
        assert param.help
        if argument.kind is Kind.BOOL:
            assert f"--no-{argument.flag[2:]}" in param.secondary_opts


def test_panels_cover_the_issue_list():
    used = {a.panel for a in ARGUMENTS}
    assert used == set(Panel) - {Panel.IO, Panel.CALL, Panel.MODEL, Panel.TRAINING}
    assert {item.panel for item in RELATED} == {Panel.CALL, Panel.IO, Panel.MODEL}


def _public_classes(module, base):
    return sorted(
        name
        for name in dir(module)
        if not name.startswith("_")
        and inspect.isclass(getattr(module, name))
        and issubclass(getattr(module, name), base)
        and getattr(module, name) is not base
    )


def test_spec_vocabularies_match_keras(keras):
    assert list(catalogue.INITIALIZERS) == _public_classes(keras.initializers, keras.initializers.Initializer)
    assert list(catalogue.REGULARIZERS) == _public_classes(keras.regularizers, keras.regularizers.Regularizer)
    assert list(catalogue.CONSTRAINTS) == _public_classes(keras.constraints, keras.constraints.Constraint)


def test_activation_vocabulary_matches_keras(keras):
    public = {n for n in dir(keras.activations) if not n.startswith("_")} - {"get", "serialize", "deserialize"}
    assert set(catalogue.ACTIVATIONS) | set(catalogue.UNUSABLE_ACTIVATIONS) == public
    assert not set(catalogue.ACTIVATIONS) & set(catalogue.UNUSABLE_ACTIVATIONS)


@pytest.mark.parametrize("name", sorted(catalogue.UNUSABLE_ACTIVATIONS))
def test_refused_activations_really_fail_inside_an_lstm(keras, name):
    layer = keras.layers.LSTM(3, activation=name)
    with pytest.raises((TypeError, ValueError)):
        layer(np.ones((1, 4, 2), dtype="float32"))


@pytest.mark.parametrize("spelling", ["return_sequences", "return-sequences", "--return-sequences", "RETURN_SEQUENCES"])
def test_lookup_accepts_every_spelling(spelling):
    assert lookup(spelling) is BY_NAME["return_sequences"]


def test_lookup_unknown_is_none():
    assert lookup("dropuot") is None


@pytest.mark.parametrize("argument", [a for a in ARGUMENTS if a.weight is not None], ids=lambda a: a.name)
def test_each_argument_acts_on_the_weight_the_catalogue_names(keras, argument):
    """Set the argument on a real layer and see which of kernel, recurrent_kernel and bias it touches."""
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(1, 6, 2)
    if argument.kind is Kind.INITIALIZER:
        layer = keras.layers.LSTM(2, unit_forget_bias=False, **{argument.name: keras.initializers.Constant(7.0)})
        layer.build(x.shape)
        touched = {w.name for w in layer.weights if np.all(np.asarray(w.numpy()) == 7.0)}
    elif argument.kind is Kind.REGULARIZER:
        layer = keras.layers.LSTM(2, bias_initializer="ones", **{argument.name: keras.regularizers.L1(1.0)})
        layer(x)
        (loss,) = [float(np.asarray(value)) for value in layer.losses]
        touched = {w.name for w in layer.weights if np.isclose(np.abs(np.asarray(w.numpy())).sum(), loss, rtol=1e-5)}
    else:
        layer = keras.layers.LSTM(2, **{argument.name: keras.constraints.NonNeg()})
        layer.build(x.shape)
        touched = {w.name for w in layer.weights if w.constraint is not None}
    assert touched == {argument.weight}
    assert argument.weight in {w.name for w in WEIGHTS}


def test_each_demonstration_the_catalogue_names_exists_and_is_used():
    from lstm_explorer.effects import DEMONSTRATIONS

    named = {a.demonstration for a in ARGUMENTS if a.demonstration is not None}
    assert named == set(DEMONSTRATIONS) | {"constraint"}
    assert {a.name for a in ARGUMENTS if a.demonstration == "constraint"} == {
        a.name for a in ARGUMENTS if a.kind is Kind.CONSTRAINT
    }
