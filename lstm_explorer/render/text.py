"""Plain-text layout by display columns, for the views that must not pay for importing rich.

Chinese characters take two columns and combining marks (the tilde of c̃) none, so widths are
counted per character rather than with len().
"""

from __future__ import annotations

import functools
import unicodedata

# Marks that may not begin a line (they stay with the text before them) and marks that may not end
# one (they stay with the text after them), as Chinese and English typesetting both expect.
CLOSING = frozenset("。，、；：！？）」』》〉】〕”’….,;:!?)]}%")
OPENING = frozenset("（「『《〈【〔“‘([{")


@functools.cache
def _columns(ch: str) -> int:
    if ch.isascii():
        return 1
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    return len(text) if text.isascii() else sum(_columns(ch) for ch in text)


def _pieces(paragraph: str) -> list[tuple[str, bool]]:
    """The unbreakable pieces of a paragraph, each with whether a space came before it.

    ASCII and other narrow runs (x_t·K, c̃_t) stay whole; wide characters stand alone, so CJK text may
    break between any two of them, except that closing marks stay with what precedes them (even
    across a space, as in `1 … 20`) and opening marks with what follows.
    """
    texts: list[str] = []
    spaces: list[bool] = []
    if paragraph.isascii():  # Every character narrow: the pieces are the words, the same as below but faster.
        for number, word in enumerate(paragraph.split()):
            if texts and texts[-1][-1] in OPENING:
                texts[-1] += " " + word
            else:
                texts.append(word)
                spaces.append(number > 0 or paragraph[:1].isspace())
        return _closing_joined(texts, spaces)
    spaced = glue_next = False
    for ch in paragraph:
        if ch.isspace():
            spaced = True
            continue
        narrow_run = bool(texts) and _columns(ch) < 2 and _columns(texts[-1][-1]) < 2
        if texts and (glue_next or (not spaced and (ch in CLOSING or unicodedata.combining(ch) or narrow_run))):
            texts[-1] += (" " if spaced else "") + ch
        else:
            texts.append(ch)
            spaces.append(spaced)
        spaced, glue_next = False, ch in OPENING
    return _closing_joined(texts, spaces)


def _closing_joined(texts: list[str], spaces: list[bool]) -> list[tuple[str, bool]]:
    """Pieces of closing marks alone (a space before them) joined to the piece before."""
    pieces: list[tuple[str, bool]] = []
    for text, before in zip(texts, spaces):
        if pieces and before and all(ch in CLOSING for ch in text):
            pieces[-1] = (pieces[-1][0] + " " + text, pieces[-1][1])
        else:
            pieces.append((text, before))
    return pieces


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Greedy wrapping by display width, never starting a line with closing punctuation."""
    lines: list[str] = []
    start = display_width(indent)
    for paragraph in text.splitlines() or [""]:
        line, used = indent, start
        for piece, spaced in _pieces(paragraph):
            size = display_width(piece)
            gap = 1 if spaced and used > start else 0
            if used + gap + size > width and used > start:
                lines.append(line)
                line, used, gap = indent, start, 0
            line, used = line + " " * gap + piece, used + gap + size
        lines.append(line.rstrip())
    return lines


def pad(text: str, width: int) -> str:
    """ljust by displayed width."""
    return text + " " * max(width - display_width(text), 0)
