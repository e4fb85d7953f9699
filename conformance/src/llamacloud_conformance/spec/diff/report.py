"""The differ's findings as Markdown: a title, a summary line, a table per operation, and the rules as a legend."""

from __future__ import annotations

from collections.abc import Sequence

from .rules import RULES_TABLE, Change

SCOPE = (
    "Compared, following every `$ref` (a component renamed with the same content is no change): operations; "
    "parameters (schema, `required`, nullability, enum values, default, deprecation); response statuses and "
    "media types; every response body field by its JSON path (added, removed, renamed, type, `required`, "
    "nullability, enum values, default, deprecation); the values `expand` takes. Left out: descriptions, "
    "examples, titles, tags, servers and security."
)
LEGEND_INTRO = (
    "*Breaks clients*: a client written against A, talking to a server that follows B, may fail. "
    "*Breaks servers*: a server written to A no longer conforms to B and must change (a server that accepts "
    "more than its spec asks is not counted as broken)."
)


def render(changes: Sequence[Change], old_label: str, new_label: str) -> str:
    lines = [f"# API changes from `{old_label}` to `{new_label}`", "", SCOPE, "", _summary(changes), ""]
    by_operation: dict[str, list[Change]] = {}
    for change in changes:
        by_operation.setdefault(change.operation, []).append(change)
    for operation, found in by_operation.items():
        lines += [f"## `{operation}`", "", "| change | where | breaks clients | breaks servers | detail |"]
        lines.append("| --- | --- | --- | --- | --- |")
        lines += [
            f"| {c.kind} | `{_cell(c.where)}` | {_verdict(c.breaks_clients)} | {_verdict(c.breaks_servers)} "
            f"| {_cell(c.detail)} |"
            for c in found
        ]
        lines.append("")
    lines += ["## Legend", "", LEGEND_INTRO, "", "| change | breaks clients | breaks servers | why |"]
    lines.append("| --- | --- | --- | --- |")
    lines += [
        f"| {r.kind} | {_verdict(r.breaks_clients)} | {_verdict(r.breaks_servers)} | {_cell(r.why)} |"
        for r in RULES_TABLE
    ]
    return "\n".join(lines) + "\n"


def _summary(changes: Sequence[Change]) -> str:
    if not changes:
        return "**No changes.**"
    operations = len({c.operation for c in changes})
    clients = sum(c.breaks_clients for c in changes)
    servers = sum(c.breaks_servers for c in changes)
    return (
        f"**{_count(len(changes), 'change')} in {_count(operations, 'operation')}: "
        f"{clients} break{'s' if clients == 1 else ''} clients, {servers} break{'s' if servers == 1 else ''} servers.**"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _verdict(breaks: bool) -> str:
    return "**yes**" if breaks else "no"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
