"""The Markdown summary of a run: the verdict, what the budget left undone (when it ran out), the endpoints that
failed transiently (Flaky endpoints), how the server departs from the snapshot (the Drift section), then per
endpoint what was checked, how many requests schemathesis generated, and each failure with its headline and a
`curl` line that reproduces it. Secrets are redacted by the caller."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from . import costs, parts
from .context import ENDPOINTS, RunContext
from .flaky_log import attempts
from .result import Result
from .verdict import verdict

_MAX_MESSAGE_LINES = 25
# What a failure whose report names no request says instead of a curl line: only the client-vs-spec part runs
# without a server (the client is fed responses made from the spec, in-process); anywhere else the failure
# may well be the server's, so the summary does not claim otherwise.
_WITHOUT_REQUEST = {
    parts.BY_NAME[
        "client-spec"
    ].title: "(no request: the client was checked in-process, against responses made from the spec; "
    "the falsifying example below reproduces it)",
}
_NO_REQUEST_NAMED = "(this failure's report names no request; its details are below)"
_MAX_HEADLINES = 4
_SCHEMATHESIS_FINDING = re.compile(r"^[\s|+]*- (ST\d{3} .+)$")


def headline(message: str) -> list[str]:
    """What a failure says first: each schemathesis finding (`ST108 Response violates schema: "x" is a required
    property`), else pytest's `E ` lines (the assertion and its message), else its first line. The tail of a
    long report (a trace, a diff) is kept too, but this is what names the problem."""
    lines = message.strip().splitlines()
    said: list[str] = []
    for index, line in enumerate(lines):
        found = _SCHEMATHESIS_FINDING.match(line)
        if found:
            following = (d.strip(" |+") for d in lines[index + 1 : index + 6] if not _SCHEMATHESIS_FINDING.match(d))
            detail = next((d for d in following if d), "")
            said.append(f"{found.group(1)}: {detail}" if detail else found.group(1))
    if not said:  # curl lines are given apart, under the headline
        said = [
            line[1:].strip()
            for line in lines
            if line.startswith("E ")
            and line[1:].strip()
            and not line[1:].strip().startswith("curl ")
            and line[1:].strip() != "reproduce:"
        ]
    return (list(dict.fromkeys(said)) or [next((line.strip() for line in lines if line.strip()), "")])[:_MAX_HEADLINES]


def drift_section(ctx: RunContext) -> list[str]:
    findings = ctx.drift.findings()
    snapshot = ctx.spec.name
    lines = ["## Drift", ""]
    if not findings:
        return [*lines, f"No departure from the {snapshot} snapshot in any response of this run.", ""]
    failing = sum(f.drift.failing for f in findings)
    lines += [
        f"The server departs from the {snapshot} snapshot in {len(findings)} way(s), {failing} of which break the "
        "spec (undeclared fields do not: the schemas leave objects open).",
        "",
        "| finding | where | detail | responses | reproduce |",
        "| --- | --- | --- | ---: | --- |",
    ]
    for seen in findings:
        found = seen.drift
        mark = "" if found.failing else " (informational)"
        lines.append(
            f"| {found.kind}{mark} | `{found.where}` | {found.detail} | {seen.count} | "
            f"`{seen.reproduce or '(no request)'}` |"
        )
    matches = ctx.drift.matches()
    if matches:
        best = ", ".join(f"{name} ({count} departure{'s' if count != 1 else ''})" for name, count in matches)
        lines += [
            "",
            f"Best match among the shipped snapshots, by the same responses: **{matches[0][0]}**; all: {best}.",
        ]
    return [*lines, ""]


def budget_section(results: Sequence[Result], ctx: RunContext) -> list[str]:
    """Which checks the budget left undone, and the budget that would have covered the run (see costs.py)."""
    s = ctx.settings
    short = costs.shortfall(results, ctx.guard.sent, embedded=s.embedded, examples=s.fuzz_examples, costs=costs.load())
    if not short.unfinished:
        return []
    lines = [
        "## Budget",
        "",
        f"The request budget of {s.max_requests} was used up: {len(short.unfinished)} check(s) did not run or were "
        "cut short, so nothing can be said about them and the run is **INCONCLUSIVE**, not a pass.",
        "",
        f"A budget of about **{short.needed}** requests would cover the whole run (`--max-requests "
        f"{short.suggested}` leaves a tenth for retries). Estimated as the {ctx.guard.sent} requests this run sent, "
        "with each unfinished check counted at what it sent against the mock server in a measured run at "
        f"`--examples {s.fuzz_examples}` (`suite/costs.json`; at least what it had sent here before the budget ran "
        "out). Retries of transient failures (429, 5xx, dropped connections) come on top.",
    ]
    if short.unknown:
        lines += [
            "",
            f"{short.unknown} of them have no measure at all and are counted at what they sent: more is needed.",
        ]
    lines += [
        "",
        "| check not run | part | endpoint | requests sent | estimated |",
        "| --- | --- | --- | ---: | ---: |",
    ]
    for r, guess in short.unfinished:
        lines.append(f"| `{r.name}` | {r.part} | {r.endpoint} | {r.requests} | {guess if guess is not None else '?'} |")
    return [*lines, ""]


def flaky_section(ctx: RunContext) -> list[str]:
    """The endpoints that produced transient failures, and the failures that reproduced on every retry."""
    flaky, reproduced = ctx.flaky.flaky(), ctx.flaky.reproduced()
    if not flaky and not reproduced:
        return []
    lines = ["## Flaky endpoints", ""]
    if flaky:
        lines += [
            "Transient failures met and retried as the client retries them (408, 409, 429, 5xx, a connection closed "
            "before a response, a body cut short, a timeout; each retry counted against the budget). Those that got "
            "through on retry are not failures of the API's contract, but a client without retries would have "
            "failed on them.",
            "",
            "| endpoint | requests | got through on retry | gave up (varied failures) | transient failures met | example |",
            "| --- | ---: | ---: | ---: | --- | --- |",
        ]
        lines += [
            f"| {e.label} | {e.requests} | {e.recovered} | {e.gave_up} | {e.describe_failures()} | `{e.example}` |"
            for e in flaky
        ]
    else:
        lines.append("No transient failure got through on retry.")
    if reproduced:
        lines += [
            "",
            "Failures that reproduced (the same answer on every retry: systematic, so the checks that met them fail):",
            "",
            "| check | what every attempt got | request |",
            "| --- | --- | --- |",
        ]
        lines += [f"| `{name}` | {attempts(r)} | `{r.reproduce}` |" for (_, name), r in reproduced]
    return [*lines, ""]


def write_summary(results: Iterable[Result], ctx: RunContext, *, elapsed: float, skipped_parts: Sequence[str]) -> str:
    results = list(results)
    s = ctx.settings
    failed = [r for r in results if r.outcome == "failed"]
    unfinished = sum(r.for_budget for r in results)
    lines = [
        "# Conformance summary",
        "",
        f"- target: {'the embedded mock server' if s.embedded else s.base_url} "
        f"({'read-only, ' if s.read_only else ''}seed {s.seed})",
        f"- checked against: the {ctx.spec.name} snapshot",
        f"- verdict: **{verdict(results, ctx).name}** — {len(failed)} failed, "
        f"{sum(r.outcome == 'passed' for r in results)} passed, {sum(r.outcome == 'skipped' for r in results)} skipped"
        + (f" ({unfinished} for lack of budget)" if unfinished else "")
        + (f"; {len(flaky)} flaky endpoint(s), see below" if (flaky := ctx.flaky.flaky()) else ""),
        f"- requests sent: {ctx.guard.sent}"
        + (f" of a budget of {s.max_requests}" if s.max_requests is not None else "")
        + (f", paced at {s.rate_limit:g}/s" if s.rate_limit else "")
        + (f", {ctx.guard.retries} of them retries of transient failures" if ctx.guard.retries else ""),
        f"- wall time: {elapsed:.1f} s",
    ]
    lines.append(f"- schemathesis checks: {', '.join(ctx.schemathesis_checks) or 'none'}")
    if skipped_parts:
        lines.append(f"- parts not run against this target: {', '.join(skipped_parts)} (they need the embedded mock)")
    lines += ["", *budget_section(results, ctx), *flaky_section(ctx), *drift_section(ctx)]
    by_endpoint: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_endpoint[r.endpoint].append(r)
    for endpoint in [*ENDPOINTS, "both"]:
        group = by_endpoint.get(endpoint, [])
        if not group:
            continue
        lines += ["", f"## {endpoint if endpoint != 'both' else 'Both endpoints'}", ""]
        if endpoint in ctx.examples:
            lines.append(f"Requests generated by schemathesis: {ctx.examples[endpoint]}")
            lines.append("")
        lines += ["| part | tests | passed | failed | skipped |", "| --- | ---: | ---: | ---: | ---: |"]
        per_part: dict[str, Counter[str]] = defaultdict(Counter)
        for r in group:
            per_part[r.part][r.outcome] += 1
        for part, counts in per_part.items():
            lines.append(
                f"| {part} | {counts.total()} | {counts['passed']} | {counts['failed']} | {counts['skipped']} |"
            )
        for r in group:
            if r.outcome != "failed":
                continue
            lines += ["", f"### FAILED {r.part}: `{r.name}`", ""]
            lines += [f"> {said}" for said in headline(r.message)]
            lines.append("")
            for curl in r.reproduce[:5] or (_WITHOUT_REQUEST.get(r.part, _NO_REQUEST_NAMED),):
                lines.append(f"    {curl}")
            for _, retried in ctx.flaky.reproduced([(r.part, r.name)])[:5]:
                lines += ["", f"Reproduced on retry, {attempts(retried)}:", "", f"    {retried.reproduce}"]
            message = r.message.strip().splitlines()
            lines += ["", "```", *message[-_MAX_MESSAGE_LINES:], "```"]
        skips = sorted({r.message for r in group if r.outcome == "skipped" and r.message})
        if skips:
            lines += ["", "Skipped because: " + "; ".join(skips)]
    lines.append("")
    return "\n".join(lines)
