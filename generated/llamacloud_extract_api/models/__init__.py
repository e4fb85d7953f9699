"""Contains all the data models used in inputs/outputs"""

from .authentication_error import AuthenticationError
from .extract_config import ExtractConfig
from .extract_configuration import ExtractConfiguration
from .extract_job_metadata import ExtractJobMetadata
from .extract_job_status import ExtractJobStatus
from .extract_job_usage import ExtractJobUsage
from .extract_mode import ExtractMode
from .extract_run import ExtractRun
from .extract_state import ExtractState
from .extract_tier import ExtractTier
from .extract_v2_job import ExtractV2Job
from .extract_v2_job_metadata import ExtractV2JobMetadata
from .extract_v2_job_query_response import ExtractV2JobQueryResponse
from .extracted_field_metadata import ExtractedFieldMetadata
from .extraction_target import ExtractionTarget
from .file import File
from .http_validation_error import HTTPValidationError
from .json_object import JsonObject
from .validation_error import ValidationError

__all__ = (
    "AuthenticationError",
    "ExtractConfig",
    "ExtractConfiguration",
    "ExtractedFieldMetadata",
    "ExtractionTarget",
    "ExtractJobMetadata",
    "ExtractJobStatus",
    "ExtractJobUsage",
    "ExtractMode",
    "ExtractRun",
    "ExtractState",
    "ExtractTier",
    "ExtractV2Job",
    "ExtractV2JobMetadata",
    "ExtractV2JobQueryResponse",
    "File",
    "HTTPValidationError",
    "JsonObject",
    "ValidationError",
)
