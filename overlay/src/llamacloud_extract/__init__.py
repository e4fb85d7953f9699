"""The LlamaCloud extraction client: `ExtractClient` / `AsyncExtractClient`, with `client.jobs.list(...)` (v2,
auto-paginating) and `client.runs.list(...)` (v1).

The items are the generated attrs models of `llamacloud_extract_api`, re-exported here so that callers need
only this package. Optional fields the server left out hold `UNSET` (falsy); fields it sent as null hold None.
A required field the server left out (it speaks a newer version of the API) holds `UNSET` too, and is reported
with a `SpecDriftWarning`; `file_input(job)` reads a job's file input from either version.
"""

from llamacloud_extract_api.models import (
    ExtractConfiguration,
    ExtractJobMetadata,
    ExtractJobStatus,
    ExtractRun,
    ExtractState,
    ExtractTier,
    ExtractV2Job,
    ValidationError,
)
from llamacloud_extract_api.types import UNSET, Unset

from ._client import AsyncExtractClient, ExtractClient
from ._config import DEFAULT_TIMEOUT, EU_BASE_URL, US_BASE_URL
from ._drift import SpecDriftWarning
from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    LlamaCloudError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLongError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from ._file_input import file_input
from ._pages import Page
from ._pagination import AsyncPager, SyncPager
from ._version import __version__
from .retries import DEFAULT_MAX_RETRIES

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "EU_BASE_URL",
    "UNSET",
    "US_BASE_URL",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncExtractClient",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "ExtractClient",
    "ExtractConfiguration",
    "ExtractJobMetadata",
    "ExtractJobStatus",
    "ExtractRun",
    "ExtractState",
    "ExtractTier",
    "ExtractV2Job",
    "InternalServerError",
    "LlamaCloudError",
    "NotFoundError",
    "Page",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTooLongError",
    "ResponseValidationError",
    "SpecDriftWarning",
    "SyncPager",
    "UnprocessableEntityError",
    "Unset",
    "ValidationError",
    "__version__",
    "file_input",
]
