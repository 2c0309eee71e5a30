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
from lstm_explorer.language import say


def check_target(
    path_text: str, flag: str, force: bool, suffix: str | None = None, protected: tuple[Path, ...] = ()
) -> Path:
    """Refuse, before anything is computed, a destination that can't or shouldn't be written."""
    if not path_text.strip():
        raise UsageError(say("inputs.target_empty", flag=flag))
    path = Path(path_text)
    where = f"{flag} {path_text}"
    if suffix is not None and path.suffix.lower() != suffix:
        raise UsageError(say("inputs.target_suffix", where=where, suffix=suffix))
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(say("inputs.target_no_folder", where=where, folder=str(folder)))
    if path.is_dir():
        raise UsageError(say("inputs.target_directory", where=where))
    for other in protected:
        if path.exists() and other.exists() and os.path.samefile(path, other):
            raise UsageError(say("inputs.target_is_input", where=where))
    if path.exists() and not force:
        raise UsageError(say("inputs.target_exists", where=where))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(say("inputs.target_not_writable", where=where, folder=str(folder)))
    return path


def write_atomically(path: Path, flag: str, force: bool, write: Callable[[str], None]) -> None:
    """Let `write` fill a temporary file beside `path`, then put it in place in one step."""
    temporary = ""
    try:
        try:
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as error:
            raise RunFailure(
                say(
                    "inputs.write_no_temporary",
                    flag=flag,
                    path=path,
                    folder=str(path.parent),
                    reason=error.strerror or error,
                )
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
        raise UsageError(say("inputs.write_appeared", flag=flag, path=path)) from None
    except OSError as error:
        raise RunFailure(say("inputs.write_failed", flag=flag, path=path, reason=error.strerror or error)) from error
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
