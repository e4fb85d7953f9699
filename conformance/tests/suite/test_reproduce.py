"""Every failure in the summary says how to reproduce it: the request that shows it, runnable as printed, or, only
where no server is involved, why there is none."""

from __future__ import annotations

from llamacloud_conformance.suite.context import RunContext, RunSettings
from llamacloud_conformance.suite.plugin import reproductions
from llamacloud_conformance.suite.report import write_summary
from llamacloud_conformance.suite.result import Result

SCHEMATHESIS = """
  | - ST101 Server error
  |
  | Reproduce with:
  |
  |     curl -X GET -H 'Authorization: [Filtered]' 'http://127.0.0.1:9/api/v2/extract?status=CANCELLED'
  |
  |  (2 sub-exceptions)
"""
SEMANTICS = """
E       AssertionError: none credentials got 200, not 401: curl -sS -X GET http://127.0.0.1:9/api/v2/extract
E       AssertionError: status='COMPLETED' lists jobs that do not match it: ['ext-1']
E         curl -sS -X GET 'http://127.0.0.1:9/api/v2/extract?status=COMPLETED' -H "Authorization: Bearer $LLAMA_CLOUD_API_KEY"
E       assert not ['ext-1']
"""


def test_curl_lines_are_found_in_every_form_a_failure_prints_them() -> None:
    assert reproductions(SCHEMATHESIS) == (
        """curl -X GET -H "Authorization: Bearer $LLAMA_CLOUD_API_KEY" 'http://127.0.0.1:9/api/v2/extract?status=CANCELLED'""",
    )
    assert reproductions(SEMANTICS) == (
        "curl -sS -X GET http://127.0.0.1:9/api/v2/extract",
        """curl -sS -X GET 'http://127.0.0.1:9/api/v2/extract?status=COMPLETED' -H "Authorization: Bearer $LLAMA_CLOUD_API_KEY\"""",
    )
    assert reproductions("E   assert 'curl' in the words\nE   the curl of a wave") == ()


def _failed(part: str, message: str) -> Result:
    return Result(part, "GET /api/v2/extract", "test_x", "failed", message, reproductions(message))


def test_a_failure_without_a_request_is_blamed_on_the_client_only_where_no_server_took_part() -> None:
    ctx = RunContext(RunSettings(base_url="http://127.0.0.1:9", api_key="k", embedded=False))
    summary = write_summary(
        [
            _failed("client vs spec", "E   AssertionError: the client refused a page the spec allows"),
            _failed("server semantics", "E   AssertionError: the listing has no items key"),
            _failed("server vs spec (schemathesis)", SCHEMATHESIS),
        ],
        ctx,
        elapsed=1.0,
        skipped_parts=[],
    )
    client, server, found = summary.split("### FAILED ")[1:]
    assert "the client was checked in-process" in client
    assert "names no request" in server
    assert "in the client" not in server
    assert '    curl -X GET -H "Authorization: Bearer $LLAMA_CLOUD_API_KEY"' in found
    assert "no request" not in found
