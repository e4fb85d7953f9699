"""`python -m llamacloud_conformance.mock`: the mock as a real server in the foreground.

It prints, once it accepts connections, the lines a shell or a test harness needs (`KEY=value`, flushed):

    LLAMA_CLOUD_BASE_URL=http://127.0.0.1:8787
    LLAMA_CLOUD_API_KEY=KEY
    LLAMACLOUD_BASE_URL=http://127.0.0.1:8787
    LLAMACLOUD_API_KEY=KEY
    LLAMACLOUD_MOCK_ADMIN_TOKEN=adm-...
    LLAMACLOUD_MOCK_PROJECT_ID=prj-...

(the `LLAMA_CLOUD_*` names are the environment variables the official SDK and `llamacloud_extract` read, so the
output can be exported as it is; the `LLAMACLOUD_*` ones are the same values under the kit's own prefix; the
project id comes last, so a harness may stop reading there) and serves until SIGINT or SIGTERM.

Every option is bounded (`llamacloud_conformance.bounds`); a bad one is exit 2 with one line on stderr.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Sequence
from typing import NoReturn

from .. import bounds
from ..spec import snapshots
from ..spec.document import JOBS_PATH, RUNS_PATH
from ..spec.query import ValueProblem
from .dataset import Dataset
from .faults import FaultPlan, FaultSpecError, parse_fault_header
from .server import base_url_of, bind, exposure_warning, uvicorn_server
from .state import MockState


class _OneLineParser(argparse.ArgumentParser):
    """argparse, with a usage error on one line (`prog: error: ...`, exit 2) instead of the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


_INTEGER = re.compile(r"-?[0-9]{1,20}", re.ASCII)


def _whole(low: int, high: int) -> Callable[[str], int]:
    def convert(text: str) -> int:
        if not _INTEGER.fullmatch(text.strip()) or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(f"a whole number from {low:,} to {high:,} is needed, got {text[:40]!r}")
        return int(text)

    return convert


def _secret(text: str) -> str:
    try:
        return bounds.text(text)
    except ValueProblem as problem:
        raise argparse.ArgumentTypeError(problem.msg) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="python -m llamacloud_conformance.mock",
        description="Serve the LlamaCloud extraction list endpoints from generated data, for tests and CI.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=_whole(0, bounds.MAX_PORT), default=8787, help="port (default 8787; 0 picks a free one)"
    )
    parser.add_argument("--api-key", type=_secret, default="llx-mock-key", help="the API key that sees the data")
    parser.add_argument(
        "--admin-token",
        type=_secret,
        help="the token of the admin API under /_mock/ (default: a random one, printed at start-up)",
    )
    parser.add_argument(
        "--jobs",
        type=_whole(0, bounds.MAX_JOBS),
        default=1000,
        help=f"v2 jobs in the key's project (default 1000, at most {bounds.MAX_JOBS:,})",
    )
    parser.add_argument(
        "--runs",
        type=_whole(0, bounds.MAX_RUNS),
        default=100,
        help=f"v1 runs in the key's project (default 100, at most {bounds.MAX_RUNS:,})",
    )
    parser.add_argument(
        "--seed", type=_whole(0, bounds.MAX_SEED), default=1, help="data generator seed (default 1; 0 to 2**63-1)"
    )
    parser.add_argument(
        "--snapshot",
        default=snapshots.default_name(),
        help=f"the dated snapshot of the API to speak: {', '.join(snapshots.names())} (default "
        f"{snapshots.default_name()}), or the path of a spec file with the same x-llamacloud declarations",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="arm a fault on every request, in X-Mock-Fault syntax, e.g. 'latency=0.02' (repeatable)",
    )
    parser.add_argument("--token-secret", help="sign page tokens with this secret, so they survive a restart")
    parser.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C while the data is generated, before the server handles signals
        return 130


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    started = time.perf_counter()
    try:
        faults = [rule for spec in args.fault for rule in parse_fault_header(spec)]
        FaultPlan(faults)  # as many as may be armed
    except FaultSpecError as error:
        print(f"error: --fault: {error}", file=sys.stderr)
        return 2
    if args.admin_token is not None and args.admin_token == args.api_key:
        print("error: --admin-token must differ from --api-key", file=sys.stderr)
        return 2
    # Large data takes seconds to make (about 0.1 ms a record): say so, and that Ctrl-C stops it meanwhile.
    print(f"generating {args.jobs:,} jobs and {args.runs:,} runs (Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        dataset = Dataset.generate(seed=args.seed, jobs=args.jobs, runs=args.runs, snapshot=args.snapshot)
    except ValueError as error:  # an unknown snapshot, a spec without the declarations it needs
        print(f"error: --snapshot: {error}", file=sys.stderr)
        return 2
    secret = args.token_secret.encode() if args.token_secret else None
    state = MockState(
        dataset,
        {args.api_key: dataset.default_project_id},
        token_secret=secret,
        faults=faults,
        admin_token=args.admin_token,
    )
    try:
        sock = bind(args.host, args.port)
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    if (warning := exposure_warning(str(sock.getsockname()[0]))) is not None:
        print(warning, file=sys.stderr, flush=True)
    server = uvicorn_server(state, log_level=args.log_level)
    for prefix in ("LLAMA_CLOUD", "LLAMACLOUD"):
        print(f"{prefix}_BASE_URL={base_url_of(sock)}")
        print(f"{prefix}_API_KEY={args.api_key}")
    print(f"LLAMACLOUD_MOCK_ADMIN_TOKEN={state.admin_token}")
    print(f"LLAMACLOUD_MOCK_PROJECT_ID={dataset.default_project_id}", flush=True)
    print(
        f"mock ready in {time.perf_counter() - started:.2f} s: snapshot {dataset.snapshot}, {dataset.count(JOBS_PATH)} "
        f"jobs and {dataset.count(RUNS_PATH)} runs in the key's project (seed {args.seed}); "
        f"admin API at {base_url_of(sock)}/_mock/; Ctrl-C stops it",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
