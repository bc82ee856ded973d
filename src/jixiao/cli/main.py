"""The ``jixiao`` command's entry point, kept small: ``jixiao --version`` answers before
anything else is imported, and every other command goes to the group in ``cli.app``, which
imports a subcommand's module only when it is the one run."""

from __future__ import annotations

import sys

from jixiao import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
VERSION_FLAGS = (["--version"], ["-V"])


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; never shows a traceback unless JIXIAO_DEBUG is set."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args in VERSION_FLAGS:  # as the group's --version says it, without loading click
        sys.stdout.write(f"jixiao {__version__}\n")
        return EXIT_OK
    from jixiao.cli.app import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
