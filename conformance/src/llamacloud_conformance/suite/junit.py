"""The run's findings as the first test cases of the JUnit file pytest wrote, so that a CI's test report opens
with them: how the server departs from the snapshot, each departure a case of its own with its reproducing
request (`add_drift`), and each flaky endpoint with its counts (`add_flaky`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .drift_log import Seen
from .flaky_log import Endpoint


def add_drift(junit: Path, findings: list[Seen], snapshot: str) -> None:
    """One test case per finding. A departure that breaks the spec is a failure; an undeclared field (allowed by
    the open schemas) passes, with what was seen in its output."""
    cases = []
    for seen in findings:
        case = ET.Element("testcase", classname=f"drift.{snapshot}", name=seen.drift.headline(), time="0")
        text = f"{seen.drift.operation}: seen in {seen.count} response(s)\nreproduce:\n  {seen.reproduce or '(no request)'}"
        if seen.drift.failing:
            failure = ET.SubElement(case, "failure", message=f"drift from {snapshot}: {seen.drift.headline()}")
            failure.text = text
        else:
            ET.SubElement(case, "system-out").text = f"{text}\n(the spec allows undeclared fields: not a failure)"
        cases.append(case)
    _insert_first(junit, cases)


def add_flaky(junit: Path, endpoints: list[Endpoint]) -> None:
    """One passing test case per flaky endpoint (transient failures are not a failure of the contract), with its
    counts and an example request in its output; the failures that reproduced are the failing checks' own."""
    cases = []
    for endpoint in endpoints:
        name = f"{endpoint.label}: {endpoint.recovered} of {endpoint.requests} request(s) got through on retry"
        case = ET.Element("testcase", classname="flaky", name=name, time="0")
        ET.SubElement(case, "system-out").text = (
            f"transient failures met: {endpoint.describe_failures()}\n"
            f"requests that gave up after varied failures: {endpoint.gave_up}\n"
            f"example:\n  {endpoint.example}"
        )
        cases.append(case)
    _insert_first(junit, cases)


def _insert_first(junit: Path, cases: list[ET.Element]) -> None:
    """Put the cases at the top of the (first) test suite, in order, and count them, and their failures, in its
    totals."""
    if not cases:
        return
    tree = ET.parse(junit)  # noqa: S314 - our own file
    root = tree.getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    if suite is None:
        return
    at = 1 if len(suite) and suite[0].tag == "properties" else 0
    for number, case in enumerate(cases):
        suite.insert(at + number, case)
    failures = sum(case.find("failure") is not None for case in cases)
    suite.set("tests", str(int(suite.get("tests", "0")) + len(cases)))
    if failures:
        suite.set("failures", str(int(suite.get("failures", "0")) + failures))
    tree.write(junit, encoding="utf-8", xml_declaration=True)
