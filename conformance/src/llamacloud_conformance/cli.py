"""`llamacloud-conformance`: `run` checks a deployment (or the embedded mock) against the spec; `mock` starts
the mock server."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .run import PARTS, RunOptions, run
from .spec import snapshots


class _OneLineParser(argparse.ArgumentParser):
    """argparse, with a usage error on one line (`prog: error: ...`, exit 2) instead of the usage block; the
    subcommands' parsers are of the same class."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


EXIT_STATUSES = """exit status of `run`:
  0  PASS: everything checked conforms
  1  FAIL: a check failed, or the server drifted from the snapshot in a way that breaks it
  2  usage error (a bad option), one line on stderr
  3  the target could not be used (unreachable, or the key refused)
  4  INCONCLUSIVE: nothing failed, but the request budget (--max-requests) ran out before every check ran;
     the summary names the checks that did not run and a budget that would cover them"""


def _parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="llamacloud-conformance",
        description=__doc__,
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser(
        "run",
        help="run the conformance suite (against the embedded mock unless --base-url)",
        description="Run the conformance suite against the embedded mock server, or a deployment (--base-url).",
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument("--base-url", help="a deployment to check, read-only (the key comes from LLAMA_CLOUD_API_KEY)")
    r.add_argument(
        "--max-requests", type=int, help="request budget, 1 or more (default: 400 for a live run, none for the mock)"
    )
    r.add_argument(
        "--rate-limit", type=float, help="requests a second, above 0 (default: 5 for a live run, none for the mock)"
    )
    r.add_argument("--seed", type=int, default=1, help="seed for generated data and requests, 0 to 2**63-1 (default 1)")
    r.add_argument(
        "--snapshot",
        metavar="NAME",
        help=f"the dated snapshot of the API to check against: {', '.join(snapshots.names())} (default "
        f"{snapshots.default_name()}), or a spec file; the embedded mock speaks it too",
    )
    r.add_argument(
        "--examples",
        type=int,
        help="fuzzing examples per operation, 1 or more (default: 100 against the mock, 25 live)",
    )
    r.add_argument("--part", action="append", choices=list(PARTS), help="run only this part (repeatable)")
    r.add_argument(
        "--report-dir",
        type=Path,
        default=Path("reports"),
        help="the folder the JUnit file and summary go to (made if missing)",
    )
    r.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    r.add_argument("pytest_args", nargs="*", help="after --: extra pytest arguments (e.g. -x, -k NAME)")
    m = sub.add_parser("mock", help="start the mock server (the options of python -m llamacloud_conformance.mock)")
    m.add_argument("options", nargs="*", help="e.g. --port 8787 --api-key KEY --jobs 5000 --runs 500 --seed 1")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["mock"]:  # every option after `mock` is the mock's own (argparse would claim them)
        from .mock.__main__ import main as mock_main

        return mock_main(argv[1:])
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # one line for scripts and CI logs; the suite's own failures never get here
        if getattr(args, "debug", False):
            raise
        print(f"llamacloud-conformance: error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    options = RunOptions(
        base_url=args.base_url,
        max_requests=args.max_requests,
        rate_limit=args.rate_limit,
        seed=args.seed,
        fuzz_examples=args.examples if args.examples is not None else 25 if args.base_url else 100,
        report_dir=args.report_dir,
        parts=tuple(args.part or PARTS),
        pytest_args=tuple(args.pytest_args),
        snapshot=args.snapshot,
    )
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
