"""Output formats: the JSON ones give back exactly what the server sent, CSV round-trips any text, the table
is readable and never interprets a value as markup, and every format streams page by page."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_extract.cli.output import JOBS, RUNS, default_format, open_sink

OPENAPI = Path(__file__).parents[3] / "openapi"
SPEC = OPENAPI / "snapshots" / (OPENAPI / "snapshots" / "DEFAULT").read_text().strip() / "extract-api.yaml"


def _jobs(kit: Any, count: int) -> list[dict[str, Any]]:
    return [
        kit.job(
            i,
            error_message=f"échec «{i}», line\nbreak" if i % 4 == 0 else None,
            **({"new_field": [i]} if i % 5 == 0 else {}),
        )
        for i in range(count)
    ]


def test_jsonl_is_every_job_as_the_server_sent_it(runner: Any, kit: Any) -> None:
    jobs = _jobs(kit, 23)
    outcome = runner(kit.JobStore(jobs, default_page_size=10), "jobs", "list", "--format", "jsonl")
    assert outcome.code == 0
    assert [json.loads(line) for line in outcome.stdout.splitlines()] == jobs
    assert "échec" in outcome.stdout  # UTF-8 text kept, not escaped


def test_a_pipe_gets_jsonl_by_default(runner: Any, kit: Any) -> None:
    jobs = _jobs(kit, 3)
    explicit = runner(kit.JobStore(jobs), "jobs", "list", "--format", "jsonl")
    default = runner(kit.JobStore(jobs), "jobs", "list")
    assert default.stdout == explicit.stdout


def test_a_terminal_gets_a_table_by_default() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert default_format(Terminal()) == "table"
    assert default_format(io.StringIO()) == "jsonl"


def test_json_is_one_array(runner: Any, kit: Any) -> None:
    jobs = _jobs(kit, 23)
    outcome = runner(kit.JobStore(jobs, default_page_size=10), "jobs", "list", "--format", "json")
    assert outcome.code == 0
    assert json.loads(outcome.stdout) == jobs


def test_csv_has_every_schema_field_and_keeps_unknown_ones(runner: Any, kit: Any) -> None:
    jobs = _jobs(kit, 12)
    outcome = runner(kit.JobStore(jobs, default_page_size=5), "jobs", "list", "--format", "csv")
    assert outcome.code == 0
    rows = list(csv.DictReader(io.StringIO(outcome.stdout)))
    assert [row["id"] for row in rows] == [job["id"] for job in jobs]
    assert rows[0]["error_message"] == jobs[0]["error_message"]
    assert rows[1]["error_message"] == ""
    assert json.loads(rows[0]["extra"]) == {"new_field": [0]}
    assert rows[1]["extra"] == ""


def test_the_csv_columns_are_the_spec_s_properties() -> None:
    schemas = yaml.safe_load(SPEC.read_text())["components"]["schemas"]
    assert set(JOBS.fields) == set(schemas["ExtractV2Job"]["properties"])
    assert set(RUNS.fields) == set(schemas["ExtractRun"]["properties"])


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(st.text(), min_size=1, max_size=6),
    extra=st.dictionaries(st.text(min_size=1).filter(lambda name: name not in JOBS.fields), JSON_VALUES, max_size=3),
)
def test_csv_gives_back_any_text_and_any_extra_field(kit: Any, texts: list[str], extra: dict[str, Any]) -> None:
    items = [{**kit.job(i, error_message=text, metadata={"k": text}), **extra} for i, text in enumerate(texts)]
    out = io.StringIO()
    sink = open_sink("csv", JOBS, out)
    sink.write(items[:2])
    sink.write(items[2:])
    sink.close()
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert [row["error_message"] for row in rows] == texts
    assert [json.loads(row["metadata"]) for row in rows] == [{"k": text} for text in texts]
    assert all((json.loads(row["extra"]) if row["extra"] else {}) == extra for row in rows)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pages=st.lists(st.lists(JSON_VALUES, max_size=4), max_size=4))
def test_json_and_jsonl_give_back_any_values(kit: Any, pages: list[list[Any]]) -> None:
    items = [[kit.job(i, value=value) for i, value in enumerate(page)] for page in pages]
    for name in ("json", "jsonl"):
        out = io.StringIO()
        sink = open_sink(name, JOBS, out)
        for page in items:
            sink.write(page)
        sink.close()
        text = out.getvalue()
        got = json.loads(text) if name == "json" else [json.loads(line) for line in text.splitlines()]
        assert got == [item for page in items for item in page]


def test_the_table_shows_the_chosen_columns_once_and_values_verbatim(runner: Any, kit: Any) -> None:
    jobs = [kit.job(i, error_message="[bold red]not markup[/]" if i == 11 else None) for i in range(13)]
    outcome = runner(kit.JobStore(jobs, default_page_size=5), "jobs", "list", "--format", "table")
    assert outcome.code == 0
    lines = outcome.stdout.splitlines()
    assert lines[0].split() == list(JOBS.table)
    assert sum("file_input" in line for line in lines) == 1  # one header for three pages
    body = [line for line in lines if line.startswith("ext-")]
    assert [line.split()[0] for line in body] == [job["id"] for job in jobs]
    assert "[bold red]not markup[/]" in body[11]
    # The pages line up as one table: every column starts at the same place on every row.
    assert len({line.index("COMPLETED") for line in body}) == 1


def test_table_cells_are_one_line_without_control_characters(kit: Any) -> None:
    out = io.StringIO()
    sink = open_sink("table", JOBS, out)
    sink.write([kit.job(1, error_message="red \x1b[31malert\x1b[0m\nsecond line\u2028third")])
    sink.close()
    _header, _rule, row = out.getvalue().splitlines()
    assert "\x1b" not in row
    assert row.endswith("red [31malert [0m second line third")


def test_an_empty_listing_in_each_format(runner: Any, kit: Any) -> None:
    outputs = {
        name: runner(kit.JobStore([]), "jobs", "list", "--format", name).stdout
        for name in ("jsonl", "json", "csv", "table")
    }
    assert outputs["jsonl"] == ""
    assert outputs["json"] == "[]\n"
    assert outputs["csv"] == ",".join([*JOBS.fields, "extra"]) + "\r\n"
    assert outputs["table"].splitlines()[0].split() == list(JOBS.table)


def test_each_page_is_written_before_the_listing_goes_on(runner: Any, kit: Any, monkeypatch: Any) -> None:
    """Streaming: when the request for page k + 2 arrives, pages 1..k are already out (one page of read-ahead
    may be in flight), so the command never holds the listing."""
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    store = kit.JobStore([kit.job(i) for i in range(50)], default_page_size=5)
    written_at_request: list[int] = []

    def server(request: httpx.Request) -> httpx.Response:
        written_at_request.append(out.getvalue().count("\n"))
        return store(request)

    outcome = runner(server, "jobs", "list", "--format", "jsonl")
    assert outcome.code == 0
    assert out.getvalue().count("\n") == 50
    assert len(written_at_request) == 10
    for number, written in enumerate(written_at_request, start=1):
        assert written >= 5 * (number - 2), (number, written_at_request)


def test_runs_in_each_format(runner: Any, kit: Any) -> None:
    runs = [kit.run(i, brand_new=i) for i in range(3)]

    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=runs)

    jsonl = runner(server, "runs", "list", "--format", "jsonl")
    assert [json.loads(line) for line in jsonl.stdout.splitlines()] == runs
    rows = list(csv.DictReader(io.StringIO(runner(server, "runs", "list", "--format", "csv").stdout)))
    assert [row["id"] for row in rows] == [run["id"] for run in runs]
    assert json.loads(rows[0]["file"]) == runs[0]["file"]
    assert [json.loads(row["extra"]) for row in rows] == [{"brand_new": i} for i in range(3)]
    table = runner(server, "runs", "list", "--format", "table").stdout
    assert table.splitlines()[0].split() == list(RUNS.table)
    assert "a.pdf" in table
