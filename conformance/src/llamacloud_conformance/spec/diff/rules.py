"""What each kind of change breaks: the one table the differ classifies by and the report prints as its legend.

Two readers of a spec can be let down by a change from A to B:

* a **client** written against A, talking to a server that follows B: it breaks when B refuses a request A
  allowed, or sends a response A did not allow (a new enum value, a null, a missing field);
* a **server** written to A, held to B: it breaks when it must change to conform, because B asks it to accept a
  request A did not (a new parameter, a wider type) or forbids a response A allowed (a removed enum value, a
  field that must now be present). A server that accepts more than its spec asks is not counted as broken.

So for most kinds a change and its reverse swap the two verdicts (`reverse` names the kind the same edit
reported from B to A gives). The exceptions follow oasdiff, whose vocabulary the kinds use: removing an optional
response field is reported as breaking clients (they lose what they read) while adding one breaks nobody;
removing a success status or a media type breaks both sides; adding a status breaks no client (it handles an
unexpected status as it did before).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """A kind of change, what it breaks, and why."""

    kind: str
    breaks_clients: bool
    breaks_servers: bool
    why: str
    reverse: str  # the kind that undoing the change is reported as


YES, NO = True, False

# kind, breaks clients, breaks servers, reverse, why. Kind names follow oasdiff's checks where one exists.
_ROWS: tuple[tuple[str, bool, bool, str, str], ...] = (
    # operations
    ("endpoint-added", NO, YES, "api-removed", "a server of A does not answer it"),
    ("api-removed", YES, NO, "endpoint-added", "clients of A call it"),
    ("endpoint-deprecated", NO, NO, "endpoint-reactivated", "a notice: it still works"),
    ("endpoint-reactivated", NO, NO, "endpoint-deprecated", "a notice withdrawn"),
    ("request-body-changed", YES, YES, "request-body-changed", "request bodies are not compared in detail"),
    # request parameters
    ("new-optional-request-parameter", NO, YES, "request-parameter-removed", "a server of A ignores it"),
    ("new-required-request-parameter", YES, YES, "required-request-parameter-removed", "clients of A do not send it; a server of A does not read it"),
    ("request-parameter-removed", YES, NO, "new-optional-request-parameter", "the server ignores or refuses what clients of A send"),
    ("required-request-parameter-removed", YES, YES, "new-required-request-parameter", "clients of A send it in vain; a server of A demands it"),
    ("request-parameter-renamed", YES, YES, "request-parameter-renamed", "clients of A send the old name; a server of A reads it"),
    ("request-parameter-became-required", YES, NO, "request-parameter-became-optional", "clients of A may leave it out"),
    ("request-parameter-became-optional", NO, YES, "request-parameter-became-required", "a server of A refuses requests without it"),
    ("request-parameter-deprecated", NO, NO, "request-parameter-reactivated", "a notice: it still works"),
    ("request-parameter-reactivated", NO, NO, "request-parameter-deprecated", "a notice withdrawn"),
    ("request-parameter-became-nullable", NO, YES, "request-parameter-became-not-nullable", "a server of A refuses null"),
    ("request-parameter-became-not-nullable", YES, NO, "request-parameter-became-nullable", "clients of A may send null"),
    ("request-parameter-enum-value-added", NO, YES, "request-parameter-enum-value-removed", "a server of A refuses the value"),
    ("request-parameter-enum-value-removed", YES, NO, "request-parameter-enum-value-added", "clients of A may send the value"),
    ("request-parameter-type-generalized", NO, YES, "request-parameter-type-specialized", "a server of A refuses the values B adds"),
    ("request-parameter-type-specialized", YES, NO, "request-parameter-type-generalized", "clients of A may send values B refuses"),
    ("request-parameter-type-changed", YES, YES, "request-parameter-type-changed", "neither type contains the other"),
    ("request-parameter-default-value-added", NO, YES, "request-parameter-default-value-removed", "a server of A does not apply it"),
    ("request-parameter-default-value-removed", YES, NO, "request-parameter-default-value-added", "clients of A that leave it out relied on it"),
    ("request-parameter-default-value-changed", YES, YES, "request-parameter-default-value-changed", "a request without it means something else"),
    # responses
    ("response-success-status-added", NO, NO, "response-success-status-removed", "a server of A need not send it"),
    ("response-success-status-removed", YES, YES, "response-success-status-added", "clients of A parse it; a server of A sends it"),
    ("response-non-success-status-added", NO, NO, "response-non-success-status-removed", "a server of A need not send it"),
    ("response-non-success-status-removed", NO, YES, "response-non-success-status-added", "a server of A still sends it"),
    ("response-media-type-added", NO, NO, "response-media-type-removed", "a server of A need not send it"),
    ("response-media-type-removed", YES, YES, "response-media-type-added", "clients of A parse it; a server of A sends it"),
    ("response-required-property-added", NO, YES, "response-required-property-removed", "a server of A does not send it"),
    ("response-optional-property-added", NO, NO, "response-optional-property-removed", "clients of A ignore it; a server of A need not send it"),
    ("response-required-property-removed", YES, NO, "response-required-property-added", "clients of A read it"),
    ("response-optional-property-removed", YES, NO, "response-optional-property-added", "clients of A that read it get nothing from now on"),
    ("response-property-renamed", YES, YES, "response-property-renamed", "clients of A read the old name; a server of A sends it"),
    ("response-property-became-required", NO, YES, "response-property-became-optional", "a server of A may leave it out"),
    ("response-property-became-optional", YES, NO, "response-property-became-required", "clients of A count on it"),
    ("response-property-became-nullable", YES, NO, "response-property-became-not-nullable", "clients of A do not expect null"),
    ("response-property-became-not-nullable", NO, YES, "response-property-became-nullable", "a server of A may send null"),
    ("response-property-enum-value-added", YES, NO, "response-property-enum-value-removed", "clients of A that parse enums strictly refuse it"),
    ("response-property-enum-value-removed", NO, YES, "response-property-enum-value-added", "a server of A may send the value"),
    ("response-property-type-generalized", YES, NO, "response-property-type-specialized", "clients of A may get values they do not expect"),
    ("response-property-type-specialized", NO, YES, "response-property-type-generalized", "a server of A may send values B forbids"),
    ("response-property-type-changed", YES, YES, "response-property-type-changed", "neither type contains the other"),
    ("response-property-default-value-added", NO, NO, "response-property-default-value-removed", "documentation: what is sent is unchanged"),
    ("response-property-default-value-removed", NO, NO, "response-property-default-value-added", "documentation: what is sent is unchanged"),
    ("response-property-default-value-changed", NO, NO, "response-property-default-value-changed", "documentation: what is sent is unchanged"),
    ("response-property-deprecated", NO, NO, "response-property-reactivated", "a notice: it is still sent"),
    ("response-property-reactivated", NO, NO, "response-property-deprecated", "a notice withdrawn"),
    # `expand` values: what `expand=NAME` fills in
    ("expand-value-added", NO, YES, "expand-value-removed", "a server of A leaves the field null"),
    ("expand-value-removed", YES, NO, "expand-value-added", "clients of A ask for it and get null"),
)  # fmt: skip

RULES_TABLE: tuple[Rule, ...] = tuple(
    Rule(kind, clients, servers, why, reverse) for kind, clients, servers, reverse, why in _ROWS
)
RULES: Mapping[str, Rule] = {rule.kind: rule for rule in RULES_TABLE}


@dataclass(frozen=True)
class Change:
    """One difference between two specs: in which operation, of what kind, where, and the particulars."""

    operation: str  # "GET /api/v2/extract"
    kind: str  # a key of RULES
    where: str  # "query file_input", "200 items[].configuration.tier"
    detail: str = ""

    def __post_init__(self) -> None:
        if self.kind not in RULES:
            raise ValueError(f"no rule for the change kind {self.kind!r}")

    @property
    def rule(self) -> Rule:
        return RULES[self.kind]

    @property
    def breaks_clients(self) -> bool:
        return self.rule.breaks_clients

    @property
    def breaks_servers(self) -> bool:
        return self.rule.breaks_servers
