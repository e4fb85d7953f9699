"""A stateful mock of the two LlamaCloud list endpoints, driven by the spec (see conformance/README.md).

from llamacloud_conformance.mock import Dataset, FaultRule, running_mock

with running_mock(dataset=Dataset.generate(seed=1, jobs=500, runs=50), api_key="test-key") as server:
    ...  # server.base_url, server.api_key, server.dataset, server.set_faults([...]), server.request_log
"""

from .app import create_app
from .dataset import Dataset, Project, served, served_job
from .faults import FaultRule, FaultSpecError, parse_fault_header
from .frontdoor import ConnectionDropped
from .requestlog import LoggedRequest
from .server import MockServer, running_mock
from .state import PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, MockState

__all__ = [
    "PAGE_SIZE_DEFAULT",
    "PAGE_SIZE_MAX",
    "ConnectionDropped",
    "Dataset",
    "FaultRule",
    "FaultSpecError",
    "LoggedRequest",
    "MockServer",
    "MockState",
    "Project",
    "create_app",
    "parse_fault_header",
    "running_mock",
    "served",
    "served_job",
]
