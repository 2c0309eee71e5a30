"""Writing the user's files safely: checked before any work, written whole or not at all.

A file is written under a temporary name in its destination folder and then linked into place
(which fails rather than replace an existing file) or, with --force, renamed over it. A reader never
sees half a file, an interrupted run leaves nothing behind, and nothing is replaced unasked.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from lstm_explorer import checkpoint
from lstm_explorer.errors import RunFailure, UsageError


def check_target(
    path_text: str, flag: str, force: bool, suffix: str | None = None, protected: tuple[Path, ...] = ()
) -> Path:
    """Refuse, before anything is computed, a destination that can't or shouldn't be written."""
    if not path_text.strip():
        raise UsageError(f"{flag} is empty: give the path of the file to write")
    path = Path(path_text)
    where = f"{flag} {path_text}"
    if suffix is not None and path.suffix.lower() != suffix:
        raise UsageError(f"{where}: the file name must end in {suffix}")
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"{where}: the folder {str(folder)!r} does not exist")
    if path.is_dir():
        raise UsageError(f"{where} is a directory; give a file name")
    for other in protected:
        if path.exists() and other.exists() and os.path.samefile(path, other):
            raise UsageError(f"{where} is the input file; the tool only reads its input, so write somewhere else")
    if path.exists() and not force:
        raise UsageError(f"{where} already exists; pass --force to overwrite it")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{where}: the folder {str(folder)!r} is not writable")
    return path


def write_atomically(path: Path, flag: str, force: bool, write: Callable[[str], None]) -> None:
    """Let `write` fill a temporary file beside `path`, then put it in place in one step."""
    temporary = ""
    try:
        try:
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as error:
            raise RunFailure(
                f"{flag} {path}: cannot write in {str(path.parent)!r}: {error.strerror or error}"
            ) from error
        os.close(handle)
        write(temporary)
        checkpoint.reached("write")
        os.chmod(temporary, _mode(path))
        if force:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    except FileExistsError:
        raise UsageError(f"{flag} {path} appeared while the tool was working; pass --force to overwrite it") from None
    except OSError as error:
        raise RunFailure(f"{flag} {path}: cannot write it: {error.strerror or error}") from error
    finally:
        if temporary and os.path.lexists(temporary):
            os.unlink(temporary)


def _mode(path: Path) -> int:
    """An existing file keeps its permissions; a new one gets the usual 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
