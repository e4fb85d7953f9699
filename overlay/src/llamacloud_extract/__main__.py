"""`python -m llamacloud_extract`: the `llamacloud-extract` command."""

from llamacloud_extract.cli import run

if __name__ == "__main__":
    run()
