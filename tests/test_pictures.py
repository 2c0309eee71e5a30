"""Terminal heatmaps and PNG plots: readable without colour, within 80 columns, never clobbering files."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from rich.console import Console

from lstm_explorer.render.heatmap import RAMP, heatmap
from lstm_explorer.render.text import display_width


def _plain(matrix, width=80):
    console = Console(width=width, no_color=True, color_system=None, record=True)
    console.print(heatmap("title", matrix, "h", console))
    return console.export_text()


def test_plain_heatmap_uses_the_ramp():
    matrix = np.array([[-1.0, 0.0, 1.0], [0.5, -0.5, 0.25]])
    lines = _plain(matrix).splitlines()
    assert lines[1].split() == ["h0", RAMP[0] * 2 + RAMP[len(RAMP) // 2] * 2 + RAMP[-1] * 2]
    assert lines[2].startswith("   h1 ")
    assert "scale -1" in lines[3] and lines[3].rstrip().endswith("(time runs left to right)")


@pytest.mark.parametrize(("steps", "cell", "group"), [(37, 2, 1), (38, 1, 1), (74, 1, 1), (75, 1, 2), (500, 1, 7)])
def test_timesteps_are_binned_only_when_the_width_requires_it(steps, cell, group):
    """At 80 columns 74 are left after the labels: two characters a timestep up to 37 timesteps,
    one up to 74, and beyond that ceil(steps / 74) timesteps averaged per character."""
    matrix = np.sin(np.linspace(0, 20, 3 * steps)).reshape(3, steps)
    text = _plain(matrix)
    assert all(display_width(line) <= 80 for line in text.splitlines())
    row = text.splitlines()[1].split()[1]
    assert len(row) == cell * -(-steps // group)
    flat = " ".join(text.split())
    assert (f"each cell averages {group} timesteps" in flat) is (group > 1)


def test_colour_heatmap_is_coloured_blocks():
    console = Console(width=80, force_terminal=True, color_system="truecolor", record=True)
    console.print(heatmap("t", np.array([[-1.0, 1.0]]), "h", console))
    ansi = console.export_text(styles=True)
    assert "38;2;60;60;255" in ansi and "38;2;255;60;60" in ansi
    assert "2;38;2" not in ansi


def test_run_and_trace_show_heatmaps(invoke):
    run = invoke("--units", "4").stdout
    assert "h over time, sample 0" in run and "\x1b[" not in run
    block = run.split("h over time")[1].splitlines()[1:5]
    assert [line.split()[0] for line in block] == ["h0", "h1", "h2", "h3"]
    traced = invoke("trace", "--units", "2").stdout
    for name in (
        "c (cell state)",
        "i (input gate)",
        "f (forget gate)",
        "c̃ (candidate)",
        "o (output gate)",
        "h (hidden state)",
    ):
        assert f"{name} over time" in traced


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_plot_is_a_png_of_the_expected_size(invoke, tmp_path):
    path = tmp_path / "lstm.png"
    result = invoke("--plot", str(path))
    assert result.exit_code == 0, result.output
    assert _png_size(path) == (1200, 650)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lstm.png"]


def test_plot_never_overwrites_without_force(invoke, tmp_path):
    path = tmp_path / "mine.png"
    path.write_bytes(b"precious")
    result = invoke("--plot", str(path))
    assert result.exit_code == 2 and "already exists; pass --force" in result.stderr
    assert path.read_bytes() == b"precious"
    assert invoke("--plot", str(path), "--force").exit_code == 0
    assert _png_size(path) == (1200, 650)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.png"]


@pytest.mark.parametrize(
    ("target", "message"),
    [("missing/plot.png", "does not exist"), ("plot.jpg", "must end in .png")],
)
def test_plot_target_errors(invoke, tmp_path, target, message):
    result = invoke("--plot", str(tmp_path / target))
    assert result.exit_code == 2 and message in result.stderr


def test_plot_without_matplotlib_says_how_to_install(invoke, tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    result = invoke("--plot", str(tmp_path / "x.png"))
    assert result.exit_code == 1
    assert "pip install 'lstm-explore[plot]'" in result.stderr
    assert not (tmp_path / "x.png").exists()
