"""`lstm-explore --help` as plain text in boxed panels.

Drawn with the standard library rather than rich: rendering 40 options through rich costs more than
all the rest of `--help`, which must stay about as fast as importing the CLI framework.
"""

from __future__ import annotations

from lstm_explorer.render.text import display_width, pad, wrap

MAX_WIDTH = 100
MAX_FLAG_COLUMN = 38


def _box(title: str, rows: list[tuple[str, str]], width: int) -> list[str]:
    inner = width - 4
    flag_width = min(max(len(flag) for flag, _ in rows), MAX_FLAG_COLUMN)
    help_width = max(inner - flag_width - 2, 20)
    lines = [f"╭─ {title} " + "─" * max(width - display_width(title) - 5, 0) + "╮"]
    for flag, text in rows:
        wrapped = wrap(text, help_width) or [""]
        if len(flag) > flag_width:
            body = [flag] + [" " * (flag_width + 2) + part for part in wrapped]
        else:
            body = [flag.ljust(flag_width) + "  " + wrapped[0]] + [
                " " * (flag_width + 2) + part for part in wrapped[1:]
            ]
        lines.extend(f"│ {pad(line, inner)} │" for line in body)
    lines.append("╰" + "─" * (width - 2) + "╯")
    return lines


def plain_help(usage: str, description: str, panels: list[tuple[str, list[tuple[str, str]]]], columns: int) -> str:
    """Usage, description and one box per panel of (flag, help) rows, fitted to `columns`."""
    width = min(columns, MAX_WIDTH)
    lines = ["", f" {usage}", ""]
    lines += [" " + part for part in wrap(description, width - 2)] + [""]
    for title, rows in panels:
        if rows:
            lines += _box(title, rows, width)
    return "\n".join(lines) + "\n"
