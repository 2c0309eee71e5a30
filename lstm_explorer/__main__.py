"""The console script's entry point, and `python -m lstm_explorer`.

`explain` is dispatched before the model commands are even imported: building them (four commands
with forty-odd flags each) would cost explain a noticeable share of its start-up for nothing.
Ctrl-C during these imports, before the command line's own handling, still ends in one line.
"""

import sys


def main() -> None:
    try:
        if sys.argv[1:2] == ["explain"]:
            from lstm_explorer.cli_explain import explain_app

            explain_app(args=sys.argv[2:], prog_name="lstm-explore explain")
        else:
            from lstm_explorer.cli import app

            app()
    except KeyboardInterrupt:
        from lstm_explorer.errors import INTERRUPTED

        sys.stderr.write(f"Error: {INTERRUPTED}\n")
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
