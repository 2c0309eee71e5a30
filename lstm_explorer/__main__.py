"""The console script's entry point, and `python -m lstm_explorer`.

Ctrl-C during the imports that precede the command line's own handling still ends in one line.
"""

import sys


def main() -> None:
    try:
        from lstm_explorer.cli import main as run
    except KeyboardInterrupt:
        from lstm_explorer.errors import INTERRUPTED

        sys.stderr.write(f"Error: {INTERRUPTED}\n")
        raise SystemExit(130) from None
    run()


if __name__ == "__main__":
    main()
