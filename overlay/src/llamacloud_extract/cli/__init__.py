"""The `llamacloud-extract` command line (also `python -m llamacloud_extract`). Importing the client does not
import this package."""

from .app import cli, main, run

__all__ = ["cli", "main", "run"]
