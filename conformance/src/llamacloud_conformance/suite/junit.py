"""The drift findings as the first test cases of the JUnit file pytest wrote, so that a CI's test report opens
with how the server departs from the snapshot, each departure a case of its own with its reproducing request."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .drift_log import Seen


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
