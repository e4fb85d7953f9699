"""`python -m llamacloud_extract`, and the `llamacloud-extract` command: the command line, which needs the `cli`
extra (click, rich). Without it, one line saying what to install and exit code 2 (the command's usage error:
nothing was attempted), instead of a traceback."""

import sys

INSTALL_CLI = "pip install 'llamacloud-extract[cli]'"


def main() -> None:
    """The console script's entry point."""
    try:
        from llamacloud_extract.cli import run
    except ModuleNotFoundError as error:  # the extra, or one of its own dependencies, is not installed
        missing = (error.name or "").partition(".")[0]
        if not missing or missing.startswith("llamacloud_extract"):  # ours (or the generated package): a bug
            raise
        print(
            f"llamacloud-extract: error: the command line needs {missing}, which is not installed: {INSTALL_CLI}",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    run()


if __name__ == "__main__":
    main()
