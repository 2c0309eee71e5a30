"""`explain` drawn for a person: one argument's sections in a fixed order, or the overview table.

Plain text with ANSI styling only when writing to a colour terminal: importing and running rich
would cost more than everything else `explain` does, and it must feel instant.
"""

from __future__ import annotations

from typing import Any

from lstm_explorer.explanations import Explanation, overview
from lstm_explorer.render.terminal import Terminal
from lstm_explorer.render.text import display_width, pad, wrap

MAX_WIDTH = 100

HEADINGS: dict[str, dict[str, Any]] = {
    "en": {
        "keras": "Keras says",
        "what": "What it does",
        "equations": "The LSTM step",
        "shapes": "Shapes and parameters",
        "values": "Values",
        "default": "default",
        "type": "type",
        "names": "accepted names",
        "pitfalls": "Pitfalls",
        "pytorch": "PyTorch",
        "keras2to3": "Keras 2 → 3",
        "try": "Try it",
        "missing": "Keras's docstring says nothing about this argument.",
        "colon": ": ",
        "bundled": "bundled copy",
        "overview": "Arguments of keras.layers.LSTM",
        "columns": ("argument", "default", "meaning", "panel"),
        "hint": "lstm-explore explain ARGUMENT for the whole story; --lang zh for Chinese.",
    },
    "zh": {
        "keras": "Keras 原文 (英文)",
        "what": "作用",
        "equations": "LSTM 的一步计算",
        "shapes": "形状与参数量",
        "values": "取值",
        "default": "默认值",
        "type": "类型",
        "names": "可用名称",
        "pitfalls": "常见误区",
        "pytorch": "PyTorch 对应",
        "keras2to3": "Keras 2 → 3",
        "try": "试一试",
        "missing": "Keras 文档中没有这个参数的说明。",
        "colon": "：",
        "bundled": "内置副本",
        "overview": "keras.layers.LSTM 的参数",
        "columns": ("参数", "默认值", "含义", "分组"),
        "hint": "lstm-explore explain 参数名 查看完整说明；--lang en 为英文。",
    },
}


class Writer:
    """Styled lines to a stream; styles vanish off a terminal or under NO_COLOR."""

    STYLES = {"heading": "1;36", "title": "1", "dim": "2", "command": "32"}

    def __init__(self, terminal: Terminal) -> None:
        self.stream = terminal.stdout
        self.color = terminal.styled
        self.width = min(terminal.columns, MAX_WIDTH)

    def line(self, text: str = "", style: str | None = None) -> None:
        if style and self.color and text:
            text = f"\x1b[{self.STYLES[style]}m{text}\x1b[0m"
        self.stream.write(text + "\n")

    def paragraph(self, text: str, style: str | None = None, indent: str = "") -> None:
        for part in wrap(text, self.width, indent):
            self.line(part, style)


def render_explanation(item: Explanation, lang: str, out: Writer) -> None:
    h = HEADINGS[lang]
    says = item.keras_says
    source = f"Keras {says.version}" if says.version else "Keras"
    if says.source != "installed Keras":
        source += ", " + says.source.replace("bundled copy", h["bundled"])
    title = f" {item.name} · {item.flag} · {item.panel} "
    out.line(title.center(out.width, "─"), "title")

    def section(heading: str, body: str, style: str | None = None) -> None:
        out.line()
        out.line(heading, "heading")
        out.paragraph(body, style)

    section(f"{h['keras']} ({source})", says.text or h["missing"])
    section(h["what"], item.what)
    out.line()
    out.line(h["equations"], "heading")
    for line in item.equations.splitlines():
        out.line(f"  │ {line}")
    section(h["shapes"], item.shapes)
    colon = h["colon"]
    section(h["values"], f"{h['default']}{colon}{item.default}    {h['type']}{colon}{item.kind}")
    out.paragraph(item.values)
    if item.accepted_names:
        out.paragraph(f"{h['names']}{colon}{', '.join(item.accepted_names)}", "dim")
    out.line()
    out.line(h["pitfalls"], "heading")
    for pitfall in item.pitfalls:
        lines = wrap(pitfall, out.width, "  ")
        out.line("•" + lines[0][1:])
        for rest in lines[1:]:
            out.line(rest)
    section(h["pytorch"], item.pytorch)
    section(h["keras2to3"], item.keras2to3)
    section(h["try"], item.try_it, "command")


def render_overview(lang: str, out: Writer) -> None:
    h = HEADINGS[lang]
    rows = [(r["name"], r["default"], r["summary"], r["panel"]) for r in overview(lang)]
    name_w = max(display_width(r[0]) for r in rows)
    default_w = max(display_width(r[1]) for r in rows)
    panel_w = max(display_width(r[3]) for r in rows)
    meaning_w = max(out.width - name_w - default_w - panel_w - 6, 24)
    out.line(h["overview"], "title")
    header = h["columns"]
    out.line(f"{pad(header[0], name_w)}  {pad(header[1], default_w)}  {pad(header[2], meaning_w)}  {header[3]}", "dim")
    for name, default, summary, panel in rows:
        parts = wrap(summary, meaning_w)
        out.line(f"{pad(name, name_w)}  {pad(default, default_w)}  {pad(parts[0], meaning_w)}  {panel}")
        for part in parts[1:]:
            out.line(f"{'':{name_w}}  {'':{default_w}}  {part}")
    out.line()
    out.line(h["hint"], "dim")
