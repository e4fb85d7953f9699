"""The `llamacloud-extract` command line (also `python -m llamacloud_extract`). Importing the client does not
import this package, so code that only lists jobs never loads click or rich."""

from .app import cli, main, run

__all__ = ["cli", "main", "run"]
