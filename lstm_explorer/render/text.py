"""Plain-text layout by display columns, for the views that must not pay for importing rich.

Chinese characters take two columns and combining marks (the tilde of c̃) none, so widths are
counted per character rather than with len().
"""

from __future__ import annotations

import os
import re
import unicodedata

_TOKENS = re.compile(r"[\x21-\x7e]+|\s+|.")


def _columns(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(_columns(ch) for ch in text)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Greedy wrapping by display width; ASCII words stay whole, CJK may break between characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = indent, display_width(indent)
        for token in _TOKENS.findall(paragraph):
            size = display_width(token)
            if token.isspace():
                if used > display_width(indent):
                    line, used = line + " ", used + 1
                continue
            if used + size > width and used > display_width(indent):
                lines.append(line.rstrip())
                line, used = indent, display_width(indent)
            line, used = line + token, used + size
        lines.append(line.rstrip())
    return lines


def pad(text: str, width: int) -> str:
    """ljust by displayed width."""
    return text + " " * max(width - display_width(text), 0)


def colour_off() -> bool:
    """NO_COLOR (any non-empty value, as no-color.org defines it) or a dumb terminal."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
