"""`python -m llamacloud_conformance.spec.diff A B`: the Markdown report of what changed from spec A to spec B.

A and B are snapshot names (`2026-03-28`) or spec files (YAML or JSON). Exit status: 0 when no change breaks
clients, 1 when one does, 2 when A or B cannot be read or compared (one line on stderr)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import SpecUnusableError, diff_documents, load_spec, render

PROG = "python -m llamacloud_conformance.spec.diff"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("old", metavar="A", help="the older spec: a snapshot name or a spec file")
    parser.add_argument("new", metavar="B", help="the newer spec: a snapshot name or a spec file")
    args = parser.parse_args(argv)
    try:
        old, new = load_spec(args.old), load_spec(args.new)
    except SpecUnusableError as error:
        return _usage_error(str(error))
    try:
        changes = diff_documents(old, new)
    except ValueError as error:  # a keyword the normal form does not know, a $ref to nothing
        return _usage_error(f"cannot compare {args.old!r} with {args.new!r}: {error}")
    except RecursionError:
        return _usage_error(f"cannot compare {args.old!r} with {args.new!r}: a schema refers to itself")
    sys.stdout.write(render(changes, args.old, args.new))
    return 1 if any(change.breaks_clients for change in changes) else 0


def _usage_error(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
