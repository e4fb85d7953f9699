"""The rules table is consistent, and the report prints it as it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from llamacloud_conformance.spec.diff import RULES, RULES_TABLE, Change, Rule, diff_specs, render

# Where a change and its reverse do not swap verdicts, on purpose (see the rules module): oasdiff counts the
# loss of an optional response field against clients, and of a success status or media type against both; a
# status added breaks no client, as clients treat an unexpected status as they did before.
ASYMMETRIC = {
    frozenset({"response-optional-property-added", "response-optional-property-removed"}),
    frozenset({"response-success-status-added", "response-success-status-removed"}),
    frozenset({"response-non-success-status-added", "response-non-success-status-removed"}),
    frozenset({"response-media-type-added", "response-media-type-removed"}),
}
SYMMETRIC = [rule for rule in RULES_TABLE if frozenset({rule.kind, rule.reverse}) not in ASYMMETRIC]


def test_every_kind_is_listed_once() -> None:
    assert len(RULES) == len(RULES_TABLE)


@pytest.mark.parametrize("rule", RULES_TABLE, ids=lambda rule: rule.kind)
def test_reverse_is_a_kind_whose_reverse_is_this_one(rule: Rule) -> None:
    assert rule.reverse in RULES
    assert RULES[rule.reverse].reverse == rule.kind


@pytest.mark.parametrize("rule", SYMMETRIC, ids=lambda rule: rule.kind)
def test_undoing_a_change_swaps_whom_it_breaks(rule: Rule) -> None:
    reverse = RULES[rule.reverse]
    assert (rule.breaks_clients, rule.breaks_servers) == (reverse.breaks_servers, reverse.breaks_clients)


def test_the_asymmetric_pairs_really_are() -> None:
    for pair in ASYMMETRIC:
        one, other = (RULES[kind] for kind in pair)
        assert (one.breaks_clients, one.breaks_servers) != (other.breaks_servers, other.breaks_clients)


def test_the_examples_of_the_issue() -> None:
    verdicts = {kind: (rule.breaks_clients, rule.breaks_servers) for kind, rule in RULES.items()}
    assert verdicts["response-required-property-removed"] == (True, False)
    assert verdicts["response-required-property-added"] == (False, True)
    assert verdicts["response-property-enum-value-added"] == (True, False)
    assert verdicts["response-property-enum-value-removed"] == (False, True)
    assert verdicts["request-parameter-removed"][0] is True
    assert verdicts["new-optional-request-parameter"] == (False, True)
    assert verdicts["request-parameter-type-specialized"][0] is True


def test_a_kind_without_a_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="no rule for the change kind 'made-up'"):
        Change("GET /x", "made-up", "query a")


def _table_rows(markdown: str, heading: str) -> list[list[str]]:
    section = markdown.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows[2:]]


def test_the_legend_is_the_rules_table() -> None:
    legend = _table_rows(render([], "A", "B"), "Legend")
    verdict = {True: "**yes**", False: "no"}
    assert legend == [[r.kind, verdict[r.breaks_clients], verdict[r.breaks_servers], r.why] for r in RULES_TABLE]


def test_the_report_has_a_title_a_summary_and_a_table_per_operation() -> None:
    changes = [
        Change("GET /a", "api-removed", "(operation)"),
        Change("GET /b", "response-property-enum-value-added", "200 items[].tier", '`"x|y"`'),
        Change("GET /b", "new-optional-request-parameter", "query q", "string"),
    ]
    report = render(changes, "2026-03-28", "spec.yaml")
    assert report.startswith("# API changes from `2026-03-28` to `spec.yaml`\n")
    assert "**3 changes in 2 operations: 2 break clients, 1 breaks servers.**" in report
    assert "Left out: descriptions, examples, titles" in report
    assert _table_rows(report, "`GET /a`") == [["api-removed", "`(operation)`", "**yes**", "no", ""]]
    assert _table_rows(report, "`GET /b`") == [
        ["response-property-enum-value-added", "`200 items[].tier`", "**yes**", "no", '`"x\\|y"`'],
        ["new-optional-request-parameter", "`query q`", "no", "**yes**", "string"],
    ]


def test_no_change_says_so() -> None:
    assert "**No changes.**" in render([], "A", "A")


README = Path(__file__).parents[2] / "README.md"
SECTION = README.read_text().split("## What changed between two specs: `spec_diff`\n", 1)[1]


def test_the_readme_shows_the_rules_table() -> None:
    documented = _table_rows(f"## Legend\n{SECTION.split('**Whom a change breaks.**', 1)[1]}", "Legend")
    assert documented == _table_rows(render([], "A", "B"), "Legend")


def test_the_readme_example_is_what_the_differ_prints() -> None:
    upstream = Path(__file__).parents[3] / "openapi" / "upstream"
    march, april = (
        str(upstream / f"v2-extract-list.openapi-fragment.{day}.json") for day in ("2026-03-28", "2026-04-01")
    )
    blocks = re.findall(r"^```(\w*)\n(.*?)^```$", SECTION, re.MULTILINE | re.DOTALL)
    example = next(code for language, code in blocks if not language)
    assert example in render(diff_specs(march, april), march, april)
