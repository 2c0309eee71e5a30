"""Where output goes and how it may look, decided once from the process and handed to renderers.

The command line builds a `Terminal` from the environment (NO_COLOR, TERM, COLUMNS, the locale or
--lang), the streams and the window; renderers read nothing of the process themselves, so a test builds one directly.
Light on purpose: `explain` and `--help` use it and must stay instant.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

# The width plain-text pages (explain, --help) assume when neither COLUMNS nor a window says.
FALLBACK_COLUMNS = 100


@dataclass(frozen=True)
class Terminal:
    """stdout and stderr, the columns available, whether styles are switched off, and the language."""

    stdout: TextIO
    stderr: TextIO
    columns: int = FALLBACK_COLUMNS
    colour_off: bool = False
    lang: str = "en"

    @property
    def styled(self) -> bool:
        """Whether escape codes may go to stdout: a terminal, and colour not switched off."""
        try:
            return not self.colour_off and self.stdout.isatty()
        except (AttributeError, ValueError):
            return False

    @classmethod
    def from_process(cls, environ: Mapping[str, str] | None = None, lang: str | None = None) -> Terminal:
        """NO_COLOR (any non-empty value, as no-color.org defines it) or TERM=dumb switch styles off;
        the columns are COLUMNS, else the window's width, else 100; the language is `lang` when the
        command line gave one, else the locale's (LC_ALL, LC_MESSAGES, LANG)."""
        from lstm_explorer.language import from_locale

        environ = os.environ if environ is None else environ
        colour_off = bool(environ.get("NO_COLOR")) or environ.get("TERM") == "dumb"
        columns = shutil.get_terminal_size((FALLBACK_COLUMNS, 24)).columns
        return cls(sys.stdout, sys.stderr, columns, colour_off, lang or from_locale(environ))
