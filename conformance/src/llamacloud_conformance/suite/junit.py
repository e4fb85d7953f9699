"""The run's findings as the first test cases of the JUnit file pytest wrote, so that a CI's test report opens
with them: how the server departs from the snapshot, each departure a case of its own with its reproducing
request (`add_drift`), and each flaky endpoint with its counts (`add_flaky`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .drift_log import Seen
from .flaky_log import Endpoint


def add_drift(junit: Path, findings: list[Seen], snapshot: str) -> None:
    """Insert one test case per finding at the top of the (first) test suite, and count them in its totals.
    A departure that breaks the spec is a failure; an undeclared field (allowed by the open schemas) passes,
    with what was seen in its output."""
    if not findings:
        return
    tree = ET.parse(junit)  # noqa: S314 - our own file
    root = tree.getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    if suite is None:
        return
    at = 1 if len(suite) and suite[0].tag == "properties" else 0
    for number, seen in enumerate(findings):
        case = ET.Element("testcase", classname=f"drift.{snapshot}", name=seen.drift.headline(), time="0")
        text = f"{seen.drift.operation}: seen in {seen.count} response(s)\nreproduce:\n  {seen.reproduce or '(no request)'}"
        if seen.drift.failing:
            failure = ET.SubElement(case, "failure", message=f"drift from {snapshot}: {seen.drift.headline()}")
            failure.text = text
        else:
            ET.SubElement(case, "system-out").text = f"{text}\n(the spec allows undeclared fields: not a failure)"
        suite.insert(at + number, case)
    suite.set("tests", str(int(suite.get("tests", "0")) + len(findings)))
    suite.set("failures", str(int(suite.get("failures", "0")) + sum(s.drift.failing for s in findings)))
    tree.write(junit, encoding="utf-8", xml_declaration=True)


def add_flaky(junit: Path, endpoints: list[Endpoint]) -> None:
    """One passing test case per flaky endpoint (transient failures are not a failure of the contract), with its
    counts and an example request in its output; the failures that reproduced are the failing checks' own."""
    if not endpoints:
        return
    tree = ET.parse(junit)  # noqa: S314 - our own file
    root = tree.getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    if suite is None:
        return
    at = 1 if len(suite) and suite[0].tag == "properties" else 0
    for number, endpoint in enumerate(endpoints):
        name = f"{endpoint.label}: {endpoint.recovered} of {endpoint.requests} request(s) got through on retry"
        case = ET.Element("testcase", classname="flaky", name=name, time="0")
        ET.SubElement(case, "system-out").text = (
            f"transient failures met: {endpoint.describe_failures()}\n"
            f"requests that gave up after varied failures: {endpoint.gave_up}\n"
            f"example:\n  {endpoint.example}"
        )
        suite.insert(at + number, case)
    suite.set("tests", str(int(suite.get("tests", "0")) + len(endpoints)))
    tree.write(junit, encoding="utf-8", xml_declaration=True)
