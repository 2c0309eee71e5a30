"""Every mistake a user can make: one `Error:` line naming the flag, exit 2 (usage) or 1 (runtime)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import typer.main

from lstm_explorer.catalogue import ARGUMENTS, Kind
from lstm_explorer.cli import app
from tests.conftest import bad_input_files

# (arguments, exit status, text the one line must contain). {name} is replaced by a file's path.
CASES = [
    # Activations: unknown, unusable, empty, unicode, very long.
    (["--activation", "rleu"], 2, "--activation: unknown activation 'rleu'; did you mean 'relu'"),
    (["--recurrent-activation", "sigmod"], 2, "did you mean 'sigmoid'"),
    (["--activation", "glu"], 2, "--activation glu can't be used inside an LSTM"),
    (["--recurrent-activation", "threshold"], 2, "--recurrent-activation threshold can't be used inside an LSTM"),
    (["--activation", ""], 2, "--activation: unknown activation ''"),
    (["--activation", "ṙelu"], 2, "--activation: unknown activation 'ṙelu'; did you mean"),
    (["--activation", "x" * 5000], 2, "--activation: unknown activation 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…xxxxx"),
    (["--activation", "re\x1b[31mlu"], 2, "unknown activation 're\\x1b[31mlu'"),
    # Sizes: zero, negative, not numbers, empty, beyond any machine.
    (["--units", "0"], 2, "--units must be a positive integer up to 2147483647, got 0"),
    (["--units", "-3"], 2, "--units must be a positive integer up to 2147483647, got -3"),
    (["--units", "abc"], 2, "'--units'"),
    (["--units", "2.5"], 2, "'--units'"),
    (["--units", ""], 2, "Invalid value for '--units'"),
    (
        ["--units", "99999999999999999999"],
        2,
        "--units must be a positive integer up to 2147483647, got 99999999999999999999",
    ),
    (["--batch", "0"], 2, "--batch must be a positive integer up to 2147483647, got 0"),
    (["--timesteps", "-1"], 2, "--timesteps must be a positive integer"),
    (["--features", "0"], 2, "--features must be a positive integer"),
    (["--batch", "3000000000"], 2, "--batch must be a positive integer up to 2147483647"),
    (["--features", "two"], 2, "Invalid value for '--features'"),
    # Memory bound.
    (["--units", "100000"], 2, "this configuration needs about"),
    (["--batch", "100000", "--timesteps", "100000"], 2, "needs about"),
    (
        ["--units", "3000", "--max-memory", "100M"],
        2,
        "over the --max-memory bound of 100.0 MiB; use smaller sizes, or raise the bound (e.g. --max-memory 2G)",
    ),
    (["--max-memory", "abc"], 2, "--max-memory must be a size such as 512M, 4G or 4GiB, or none, got 'abc'"),
    (["--max-memory", ""], 2, "--max-memory must be a size"),
    (["--max-memory", "10"], 2, "--max-memory must be at least 1M, got '10'"),
    (["vary", "units", "1", "100000"], 2, "vary units 100000 needs about"),
    # Rates and seeds.
    (["--dropout", "1.5"], 2, "--dropout must be between 0 and 1, got 1.5"),
    (["--dropout", "-0.1"], 2, "--dropout must be between 0 and 1"),
    (["--dropout", "inf"], 2, "--dropout must be between 0 and 1, got inf"),
    (["--recurrent-dropout", "nan"], 2, "--recurrent-dropout must be between 0 and 1"),
    (["--recurrent-dropout", "1e309"], 2, "--recurrent-dropout must be between 0 and 1"),
    (["--dropout", "half"], 2, "'--dropout'"),
    (["--dropout", ""], 2, "Invalid value for '--dropout'"),
    (["--seed", "-1"], 2, "--seed must be an integer between 0 and 9223372036854775807, got -1"),
    (["--seed", "99999999999999999999999"], 2, "--seed must be an integer between 0 and 9223372036854775807"),
    (["--random-seed", "-1"], 2, "--random-seed must be between 0 and"),
    (["--random-seed", ""], 2, "Invalid value for '--random-seed'"),
    # Choices, removed arguments, flags that take no value, conflicts.
    (["--use-cudnn", "maybe"], 2, "--use-cudnn must be auto, true or false, got 'maybe'"),
    (["--use-cudnn", "✓"], 2, "--use-cudnn must be auto, true or false, got '✓'"),
    (
        ["--use-cudnn", "true", "--activation", "relu"],
        2,
        "--use-cudnn true needs activation tanh, which this configuration lacks",
    ),
    (["--use-cudnn", "true", "--recurrent-dropout", "0.5"], 2, "--use-cudnn true needs recurrent_dropout 0"),
    (["--use-cudnn", "true"], 2, "--use-cudnn true needs a GPU"),
    (["--implementation", "3"], 2, "--implementation must be 1 or 2, got 3"),
    (["--implementation", "two"], 2, "Invalid value for '--implementation'"),
    (["--implementation", "1", "--dropout", "0.5", "--training"], 2, "add --use-cudnn false"),
    (["--time-major"], 2, "--time-major was removed in Keras 3"),
    (["--return-sequences=yes"], 2, "Option '--return-sequences' does not take a value"),
    (["--use-bias=no"], 2, "Option '--use-bias' does not take a value"),
    (["--json=1"], 2, "Option '--json' does not take a value"),
    (["--training=no"], 2, "Option '--training' does not take a value"),
    (["--scale=20"], 2, "Option '--scale' does not take a value"),
    (["--all=yes"], 2, "Option '--all' does not take a value"),
    (
        ["code", "--framework", "torch", "--training", "--dropout", "0.5"],
        2,
        "torch.nn.LSTM has no input or recurrent dropout",
    ),
    (["run", "--units", "0"], 2, "--units must be"),
    (["--unitz", "3"], 2, "No such option: --unitz"),
    (["extra-argument"], 2, "extra-argument"),
    # Initializer, regularizer and constraint specs.
    (
        ["--kernel-initializer", "glorot_unifrom"],
        2,
        "--kernel-initializer: unknown initializer 'glorot_unifrom'; did you mean 'glorot_uniform'",
    ),
    (["--kernel-initializer", "none"], 2, "--kernel-initializer can't be none"),
    (["--recurrent-initializer", ""], 2, "--recurrent-initializer is empty"),
    (["--bias-initializer", "const(1)"], 2, "--bias-initializer: unknown initializer 'const'; did you mean"),
    (
        ["--kernel-initializer", "constant(1e40)"],
        2,
        "--kernel-initializer: 1e+40 in 'constant(1e40)' is out of float32 range",
    ),
    (["--kernel-initializer", "random_normal(seed=99999999999999999999999)"], 2, "is too large for a 64-bit integer"),
    (["--recurrent-initializer", "random_normal(seed=10**30)"], 2, "must be literals"),
    (["--kernel-initializer", "random_normal(stddev=0.05, sd=1)"], 2, "unexpected keyword argument 'sd'"),
    (["--kernel-regularizer", "l3(0.1)"], 2, "--kernel-regularizer: unknown regularizer 'l3'"),
    (["--kernel-regularizer", "l2("], 2, "--kernel-regularizer: cannot parse"),
    (["--kernel-regularizer", "l2(x=1)"], 2, "--kernel-regularizer l2(x=1):"),
    (["--kernel-regularizer", "l2(1, 2, 3)"], 2, "--kernel-regularizer l2(1, 2, 3):"),
    (["--kernel-regularizer", "l2(1e400)"], 2, "inf in 'l2(1e400)' is out of float32 range"),
    (["--kernel-regularizer", "l2(-1)"], 2, "--kernel-regularizer l2(-1):"),
    (["--kernel-regularizer", "l2(lambda: 1)"], 2, "must be literals"),
    (["--kernel-regularizer", "l2(*[1])"], 2, "*args and **kwargs are not allowed"),
    (["--recurrent-regularizer", "l2(0.01) + l1(0.01)"], 2, "is not a name or a call"),
    (["--recurrent-regularizer", "os.system('ls')"], 2, "is not a name or a call"),
    (
        ["--activity-regularizer", "l2" * 101],
        2,
        "--activity-regularizer is 202 characters long; a spec has at most 200",
    ),
    (["--bias-regularizer", "__import__('os')"], 2, "--bias-regularizer: unknown regularizer '__import__'"),
    (
        ["--kernel-constraint", "max_norm(max_value='big')"],
        2,
        "--kernel-constraint max_norm(max_value='big'): max_value must be a number, got 'big'",
    ),
    (["--recurrent-constraint", "nonneg"], 2, "did you mean 'NonNeg' or 'non_neg'"),
    (["--bias-constraint", "max_norm(１)"], 2, "--bias-constraint: cannot parse 'max_norm(１)'"),
    (
        ["--bias-regularizer", "orthogonal_regularizer"],
        2,
        "--bias-regularizer orthogonal_regularizer needs a matrix, and the bias is a vector",
    ),
    (
        ["--activity-regularizer", "OrthogonalRegularizer", "--return-sequences"],
        2,
        "with --return-sequences the output is (batch, timesteps, units)",
    ),
    # Input files.
    (["--input", "{missing}"], 2, "missing.npy: no such file"),
    (["--input", "{unicode_missing}"], 2, "données manquantes.csv: no such file"),
    (["--input", "{dir}"], 2, "is a directory"),
    (["--input", "{bad_json}"], 2, "is not valid JSON"),
    (["--input", "{empty_json}"], 2, "is not valid JSON"),
    (["--input", "{ragged}"], 2, "nested lists of numbers of equal length"),
    (["--input", "{object_json}"], 2, "nested lists of numbers of equal length"),
    (["--input", "{scalar}"], 2, "is 0-D with shape ()"),
    (["--input", "{header}"], 2, "row 1, column 1: 'a' is not a number (a header row is not supported)"),
    (["--input", "{text_csv}"], 2, "row 2, column 2: 'x' is not a number"),
    (["--input", "{ragged_csv}"], 2, "row 2 has 1 columns, row 1 has 2"),
    (["--input", "{empty_csv}"], 2, "is empty"),
    (["--input", "{binary_csv}"], 2, "is not a UTF-8 text file"),
    (["--input", "{truncated}"], 2, "is not a valid .npy file"),
    (["--input", "{empty_npy}"], 2, "is not a valid .npy file"),
    (["--input", "{not_npy}"], 2, "is not a valid .npy file (it does not start with NumPy's header)"),
    (["--input", "{pickled}"], 2, "holds Python objects; refusing to unpickle"),
    (["--input", "{raw_pickle}"], 2, "is a pickle, not a .npy file; refusing to unpickle it"),
    (["--input", "{complex}"], 2, "holds complex128 values; it must hold real numbers"),
    (["--input", "{unicode_npy}"], 2, "holds <U1 values; it must hold real numbers"),
    (["--input", "{npz}"], 2, "unsupported file type '.npz'"),
    (["--input", "{zero_size}"], 2, "has shape (1, 0, 2); every dimension must be at least 1"),
    (["--input", "{one_d}"], 2, "is 1-D with shape (5,); it must be 2-D (timesteps, features) or 3-D"),
    (["--input", "{four_d}"], 2, "is 4-D"),
    (["--input", "{nan}"], 2, "contains NaN at index (0, 0, 1)"),
    (["--input", "{inf}"], 2, "contains Inf"),
    (["--input", "{too_big}"], 2, "contains Inf (or too large for float32) at index (0, 0, 0)"),
    (["--input", "{txt}"], 2, "unsupported file type '.txt'"),
    (["--input", "{strings}"], 2, "nested lists of numbers"),
    (
        ["--input", "{sparse}", "--max-memory", "1G"],
        2,
        "sparse.json (1.0 GiB) needs about 16.0 GiB beyond TensorFlow itself",
    ),
    (["--input", ""], 2, "--input is empty"),
    (["--input", "{one_d}", "--batch", "2"], 2, "--input can't be combined with --batch"),
    # Output files.
    (["--output", "{existing}"], 2, "existing.txt already exists; pass --force to overwrite it"),
    (["--output", "{dir}"], 2, "is a directory; give a file name"),
    (["--output", "{no_folder}"], 2, "the folder"),
    (["--output", ""], 2, "--output is empty"),
    (["--input", "{good}", "--output", "{good}", "--force"], 2, "is the input file; the tool only reads its input"),
    (["--plot", "{existing}"], 2, "--plot {existing}: the file name must end in .png"),
    (["--plot", "{png}", "--output", "{png}"], 2, "--plot and --output name the same file"),
    # Other commands.
    (["vary", "unitz", "1", "2"], 2, "vary: unknown argument 'unitz'; did you mean 'units'"),
    (["vary", "units"], 2, "vary units needs values"),
    (["vary", "units", "1", "two"], 2, "vary units: 'two' is not an integer"),
    (["vary", "units", "1", "0"], 2, "vary units '0': --units must be a positive integer"),
    (["vary", "dropout", "0", "2"], 2, "vary dropout '2': --dropout must be between 0 and 1"),
    (["vary", "time_major"], 2, "time_major was removed in Keras 3 and can't be varied"),
    (["trace", "--sample", "5"], 2, "--sample must be between 0 and 0 (the batch has 1 samples), got 5"),
    (["trace", "--units", "3", "--unit", "7"], 2, "--unit must be between 0 and 2 (the layer has 3 units), got 7"),
    (["code", "--framework", "jax"], 2, "--framework must be keras or torch, got 'jax'"),
    (["explain", "dropuot"], 2, "did you mean 'dropout'"),
    (["explain", "dropout", "--lang", "fr"], 2, "--lang must be one of en, zh, got 'fr'"),
    (["explain", ""], 2, "explain: unknown argument ''"),
    # Padding masks and initial states.
    (["--lengths", "10,7"], 2, "--lengths gives 2 lengths but the batch has 1 samples; give one per sample"),
    (["--lengths", "11"], 2, "--lengths: sample 0 has length 11; each length must be between 1 and the number"),
    (["--padding", "post"], 2, "--padding says where --lengths puts the padding; give --lengths too"),
    (["--mask", "{missing}"], 2, "no such file"),
    (["--mask", "{good}"], 2, "the mask has shape (2, 2); it must be (batch, timesteps) = (1, 10)"),
    (["--mask-value", "inf"], 2, "--mask-value must be a finite number, got inf"),
    (["--initial-h", "{good}"], 2, "--initial-h: the state has shape (2, 2); it must be (batch, units) = (1, 3)"),
    (["--initial-c", "-inf"], 2, "--initial-c must be finite, got -inf"),
    # The layer in a model.
    (["--layers", "0,3"], 2, "--layers '0,3': give the units of each LSTM layer"),
    (["--layers", ""], 2, "--layers '': give the units of each LSTM layer"),
    (["--layers", "3,abc"], 2, "--layers '3,abc': give the units of each LSTM layer, bottom first"),
    (["--layers", ",".join(["2"] * 17)], 2, "--layers: 17 layers asked for; at most 16 are built"),
    (["--layers", "4,2", "--units", "5"], 2, "--layers and --units both set the units"),
    (["--merge-mode", "nope", "--bidirectional"], 2, "--merge-mode 'nope': choose one of concat, sum, mul, ave, none"),
    (["--merge-mode", "sum"], 2, "--merge-mode sum needs --bidirectional"),
    (["--bidirectional", "--go-backwards"], 2, "--go-backwards with --bidirectional"),
    (["--bidirectional", "--merge-mode", "none", "--layers", "3,2"], 2, "--merge-mode none returns two tensors"),
    (["--bidirectional", "--merge-mode", "none", "--dense", "1"], 2, "and --dense takes one"),
    (["--as-written"], 2, "--as-written needs a stack of two or more layers"),
    (["--layers", "4,2", "--as-written"], 1, "Keras refused the stack as written: Input 0 with name"),
    (["--dense", "0"], 2, "--dense '0': give the head's units as a positive integer"),
    (["--dense", "2:nope"], 2, "--dense: unknown activation 'nope'"),
    (["--dense", "x:relu"], 2, "--dense 'x:relu': give the head's units"),
    (["--bidirectional", "--initial-h", "0.5"], 2, "--initial-h and --initial-c are taken for one plain LSTM layer"),
    (["--model", "{missing}"], 2, "no such file"),
    (["--model", "{good}"], 2, "a saved Keras model ends in one of .keras, .h5, .hdf5"),
    (["--model", "{dir}"], 2, "is a directory; give a saved model file"),
    (["--model", "{not_a_model}"], 1, "Keras could not load it as a model"),
    (["--model", "{no_lstm}"], 2, "the model has no LSTM layer"),
    (["--model", "{lambda_model}"], 1, "Keras refused to load it in safe mode"),
    (["--model", "{lstm_model}", "--features", "3"], 2, "does not fit the input of lstm.keras, (None, 10, 2)"),
    (["--model", "{lstm_model}", "--units", "4", "--dense", "1"], 2, "--dense, --units with --model would change"),
    (["--model", "{lstm_model}", "--layer", "lstm_9"], 2, "--layer 'lstm_9': the model has no such LSTM layer"),
    (["--from-code", "__import__('os').system('x')"], 2, "--from-code: found no Keras layer call"),
    (["--from-code", "LSTM(__import__('os').system('x'))"], 2, "is not a literal; write the value itself"),
    (["--from-code", "print(1)"], 2, "--from-code: found no Keras layer call"),
    (["--from-code", "LSTM(3, return_sequence=True)"], 2, "LSTM has no argument 'return_sequence'; did you mean"),
    (["--from-code", "LSTM(3", "--units", "2"], 2, "is not valid Python"),
    (["--from-code", "{missing}.py"], 2, "--from-code: no such file"),
    (["--from-code", "LSTM(3)", "--model", "{lstm_model}"], 2, "--from-code and --model both give the layer"),
    (["--layer", "x"], 2, "--layer x: the model has 1 LSTM layer(s); choose 1 to 1"),
    (["code", "--layer", "2"], 2, "code --layer picks an LSTM layer of --model FILE"),
    (["trace", "--layers", "3,2", "--layer", "3"], 2, "--layer 3: the model has 2 LSTM layer(s); choose 1 to 2"),
    (["trace", "--direction", "backward"], 2, "--direction backward needs --bidirectional"),
    (["trace", "--bidirectional", "--direction", "up"], 2, "--direction 'up': choose forward or backward"),
    (["vary", "merge_mode", "--bidirectional", "nope"], 2, "vary merge_mode 'nope': --merge-mode 'nope'"),
    (["code", "--framework", "torch", "--bidirectional", "--merge-mode", "sum"], 2, "--merge-mode"),
    # Training.
    (["fit", "--epochs", "0"], 2, "--epochs must be a whole number from 1 to 10,000, got 0"),
    (["fit", "--epochs", "-2"], 2, "--epochs must be a whole number from 1 to 10,000, got -2"),
    (["fit", "--epochs", "ten"], 2, "'--epochs'"),
    (["fit", "--repeats", "0"], 2, "--repeats must be a whole number from 1 to 100, got 0"),
    (["fit", "--repeats", "101"], 2, "--repeats must be a whole number from 1 to 100, got 101"),
    (["fit", "--batch-size", "0"], 2, "--batch-size must be a whole number from 1 to 65,536, got 0"),
    (["fit", "--learning-rate", "0"], 2, "--learning-rate must be a number above 0 and at most 10.0, got 0.0"),
    (["fit", "--learning-rate", "nan"], 2, "--learning-rate must be a number above 0"),
    (["fit", "--learning-rate", "-1"], 2, "--learning-rate must be a number above 0"),
    (["fit", "--task", "nope"], 2, "--task must be one of next, adding, delay"),
    (["fit", "--task", "next", "--delay", "2"], 2, "--delay"),
    (["fit", "--task", "delay", "--delay", "10", "--timesteps", "10"], 2, "--delay"),
    (["fit", "--task", "next", "--features", "3"], 2, "--features"),
    (["fit", "--samples", "3"], 2, "--samples"),
    (["fit", "--target", "{good}"], 2, "--target needs --input"),
    (["fit", "--input", "{good}"], 2, "--input needs --target for fit"),
    (["fit", "--input", "{good}", "--target", "{missing}"], 2, "--target"),
    (["fit", "--input", "{good}", "--target", "{good}", "--task", "next"], 2, "--task and --input/--target"),
    (["fit", "--return-state"], 2, "--return-state adds outputs that have no target"),
    (["fit", "--return-sequences"], 2, "--return-sequences: the next target has one vector per sample"),
    (["fit", "--task", "delay", "--no-return-sequences"], 2, "--no-return-sequences: the delay target"),
    (["fit", "--dense", "3"], 2, "--dense 3: the head is the model's output"),
    (["fit", "--bidirectional", "--merge-mode", "none"], 2, "--merge-mode none returns two tensors, and fit's"),
    (["fit", "--lengths", "10"], 2, "--lengths is for a single call"),
    (["fit", "--initial-h", "0.5"], 2, "--initial-h is for a single call"),
    (["fit", "--training"], 2, "--training is for a single call; fit always trains"),
    (["fit", "--batch", "4"], 2, "fit takes --samples (how many sequences) and --batch-size"),
    (["fit", "--scale"], 2, "--scale is for a single call"),
    (["fit", "--model", "{lstm_model}"], 2, "--model explores a trained layer"),
    (["fit", "--stateful", "--batch-size", "512"], 2, "--batch-size 512: a stateful layer trains on whole batches"),
    (["fit", "--samples", "10000000", "--max-memory", "100M"], 2, "training this model needs about"),
    (["fit", "--save", "{good}"], 2, "--save"),
    (["fit", "--save", "{no_folder}"], 2, "--save"),
    (["fit", "--plot", "{good}"], 2, "--plot"),
    (["vary", "units", "2", "3", "--epochs", "3"], 2, "--epochs is a training flag: add --fit"),
    (["vary", "layers", "--fit"], 2, "vary layers --fit is not available"),
    (["vary", "units", "0", "--fit"], 2, "--units must be a positive integer"),
]
# Every boolean LSTM flag, given a value it can't take.
CASES += [
    ([f"{a.flag}=yes"], 2, f"Option '{a.flag}' does not take a value")
    for a in ARGUMENTS
    if a.kind is Kind.BOOL and not any(f"{a.flag}=" in arg for case in CASES for arg in case[0])
]
# Flags that take no value and can't be wrong on their own.
HARMLESS = {"--help", "--verbose", "--debug", "--force", "--show-effects", "--install-completion", "--show-completion"}


def _contents(files: dict[str, Path]) -> dict[Path, object]:
    """Every file's size and modification time, and the bytes of the small ones: nothing may change them."""
    return {
        path: (path.stat().st_size, path.stat().st_mtime_ns, path.read_bytes() if path.stat().st_size < 2**20 else None)
        for path in files.values()
        if path.is_file()
    }


@pytest.mark.parametrize(("args", "status", "message"), CASES, ids=[" ".join(c[0]) or "empty" for c in CASES])
def test_bad_input(invoke, tmp_path, args, status, message):
    files = bad_input_files(tmp_path)
    args = [a.format(**files) if a.startswith("{") else a for a in args]
    message = message.format(**files)
    before = _contents(files)
    result = invoke(*args)
    assert result.exit_code == status, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert len(lines[0]) < 800
    assert "\x1b" not in lines[0]
    assert "Traceback" not in result.stderr
    assert _contents(files) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in files.values() if p.exists() and p.parent == tmp_path
    )


def test_the_table_is_large_and_covers_every_flag():
    assert len(CASES) >= 60
    group = typer.main.get_command(app)
    with typer.Context(group) as ctx:
        commands = [group, *(group.get_command(ctx, name) for name in group.list_commands(ctx))]
    flags = {opt for command in commands for param in command.params for opt in param.opts if opt.startswith("--")}
    flags -= {opt for command in commands for param in command.params for opt in param.secondary_opts}
    exercised = {arg.split("=")[0] for case in CASES for arg in case[0] if arg.startswith("--")}
    assert flags - exercised - HARMLESS == set()


def test_unreadable_file_is_a_runtime_error(invoke, tmp_path, monkeypatch):
    path = tmp_path / "locked.json"
    path.write_text("[[1, 2]]")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", refuse)
    result = invoke("--input", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: --input {path}: cannot read it: Permission denied\n"


def test_unknown_name_lists_every_valid_name(invoke):
    result = invoke("--bias-constraint", "maxnorm")
    assert result.exit_code == 2
    for name in ("MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "max_norm", "min_max_norm", "non_neg", "unit_norm"):
        assert name in result.stderr


def test_debug_shows_the_traceback(invoke):
    result = invoke("--units", "0", "--debug")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert (
        result.stderr.rstrip().splitlines()[-1] == "Error: --units must be a positive integer up to 2147483647, got 0"
    )


def test_keras_call_failure_is_runtime_error(invoke, monkeypatch):
    from lstm_explorer import engine

    def explode(*args, **kwargs):
        raise ValueError(
            "\x1b[1mException encountered when calling LSTM.call().\n\nboom\x1b[0m\n\nArguments received by LSTM.call(): x"
        )

    real_import = engine._import_keras

    def patched():
        keras, tf = real_import()

        class Model:
            def __init__(self, *args, **kwargs):
                pass

            __call__ = explode
            inputs: list = []
            outputs: list = []

        monkeypatch.setattr(keras, "Model", Model)
        return keras, tf

    monkeypatch.setattr(engine, "_import_keras", patched)
    result = invoke()
    assert result.exit_code == 1
    assert result.stderr == "Error: the LSTM call failed: boom\n"


@pytest.mark.parametrize("source", ["batch", "file"])
def test_stateful_never_meets_a_variable_batch(run_json, tmp_path, source):
    """Keras's stateful layers need a fixed batch; the tool always builds on the input's full shape."""
    if source == "batch":
        args = ["--batch", "3"]
    else:
        path = tmp_path / "three.npy"
        np.save(path, np.arange(60, dtype=np.float32).reshape(3, 10, 2))
        args = ["--input", str(path)]
    doc = run_json("--stateful", *args)
    assert doc["layer"]["input_shape"] == [3, 10, 2]
    assert len(doc["effects"]["stateful"]["second_call"]) == 3
