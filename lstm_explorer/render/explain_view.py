"""`explain` drawn for a person: one argument's sections in a fixed order, or the overview table.

Plain text with ANSI styling only when writing to a colour terminal: importing and running rich
would cost more than everything else `explain` does, and it must feel instant.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from lstm_explorer.explanations import ErrorExplanation, Explanation, overview
from lstm_explorer.language import LANGUAGES, say, section, speaking
from lstm_explorer.render.terminal import Terminal
from lstm_explorer.render.text import display_width, pad, wrap

MAX_WIDTH = 100


def headings(lang: str) -> dict[str, str]:
    """explain's headings and labels in `lang`: the `explain` section of its language file, by name."""
    prefix = "explain."
    with speaking(lang):
        return {key[len(prefix) :]: say(key) for key in section(lang, "explain")}


class _Headings(Mapping[str, Mapping[str, str]]):
    """`HEADINGS[lang][name]`, read from the language files when asked (tests find sections by them)."""

    def __getitem__(self, lang: str) -> Mapping[str, str]:
        return headings(lang)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


HEADINGS = _Headings()


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
    h = headings(lang)
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
        out.paragraph(f"{h['accepted_names']}{colon}{', '.join(item.accepted_names)}", "dim")
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
    if item.in_training is not None:
        section(h["in_training"], item.in_training)
        if item.in_training_try is not None:
            out.paragraph(item.in_training_try, "command")


def render_error(error: ErrorExplanation, lang: str, out: Writer) -> None:
    """The section before the page when `explain` was given a Keras error: Keras's words (in English,
    as Keras wrote them), what they mean and the fix, in the reader's language."""
    with speaking(lang):
        label = {name: say(f"keras_errors.label_{name}") for name in ("title", "keras", "meaning", "fix")}
    out.line(f" {label['title']} · {error.page} ".center(out.width, "═"), "title")
    for heading, body in (
        (label["keras"], error.keras_says),
        (label["meaning"], error.meaning),
        (label["fix"], error.fix),
    ):
        out.line()
        out.line(heading, "heading")
        out.paragraph(body)
    out.line()


def render_overview(lang: str, out: Writer) -> None:
    h = headings(lang)
    rows = [(r["name"], r["default"], r["summary"], r["panel"]) for r in overview(lang)]
    name_w = max(display_width(r[0]) for r in rows)
    default_w = max(display_width(r[1]) for r in rows)
    panel_w = max(display_width(r[3]) for r in rows)
    meaning_w = max(out.width - name_w - default_w - panel_w - 6, 24)
    out.line(h["overview"], "title")
    header = (h["column_argument"], h["column_default"], h["column_meaning"], h["column_panel"])
    out.line(f"{pad(header[0], name_w)}  {pad(header[1], default_w)}  {pad(header[2], meaning_w)}  {header[3]}", "dim")
    for name, default, summary, panel in rows:
        parts = wrap(summary, meaning_w)
        out.line(f"{pad(name, name_w)}  {pad(default, default_w)}  {pad(parts[0], meaning_w)}  {panel}")
        for part in parts[1:]:
            out.line(f"{'':{name_w}}  {'':{default_w}}  {part}")
    out.line()
    out.line(h["hint"], "dim")
