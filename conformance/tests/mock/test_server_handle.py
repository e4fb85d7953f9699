"""`MockServer` is a handle on what a running server serves: its `dataset` is what the next request sees, however
the data was swapped in (Python or the admin API over HTTP), so expected results computed from it hold."""

from __future__ import annotations

import httpx

from llamacloud_conformance.mock import Dataset, running_mock
from llamacloud_conformance.spec import snapshots
from llamacloud_conformance.spec.document import Spec


def _listed_ids(server_url: str, api_key: str) -> list[str]:
    response = httpx.get(
        server_url + "/api/v2/extract", params={"page_size": 100}, headers={"Authorization": f"Bearer {api_key}"}
    )
    assert response.status_code == 200, response.text
    return [job["id"] for job in response.json()["items"]]


def test_the_dataset_follows_a_put_over_http() -> None:
    with running_mock(dataset=Dataset.generate(seed=1, jobs=30, runs=5), api_key="k") as server:
        before = server.dataset
        answer = httpx.put(
            server.base_url + "/_mock/dataset",
            json={"seed": 2, "jobs": 12, "runs": 3},
            headers={"Authorization": f"Bearer {server.admin_token}"},
        )
        assert answer.status_code == 200, answer.text
        now = server.dataset
        assert now is not before
        assert now.default_project_id == answer.json()["default_project_id"]
        assert len(now.select_jobs()) == 12
        expected = [job["id"] for job in now.select_jobs()]
        assert _listed_ids(server.base_url, server.api_key) == expected
        assert f"jobs={len(now.jobs)}," in repr(server)


def test_the_dataset_follows_add_records_and_use_dataset() -> None:
    first = Dataset.generate(seed=3, jobs=10, runs=2)
    with running_mock(dataset=first, api_key="k") as server:
        assert server.dataset is first
        server.add_records(jobs=[{**first.select_jobs()[0], "id": "ext-added-while-serving"}])
        assert "ext-added-while-serving" in {job["id"] for job in server.dataset.select_jobs()}
        assert "ext-added-while-serving" in _listed_ids(server.base_url, server.api_key)
        second = Dataset.generate(seed=4, jobs=10, runs=2)
        server.use_dataset(second)
        assert server.dataset is second


def test_one_spec_per_snapshot_however_it_is_named() -> None:
    """A server compares a new dataset's spec with its own by identity (`PUT /_mock/dataset` on a server started
    without naming its snapshot was a 500 while the default and its name loaded two copies)."""
    assert Spec.load() is Spec.load(snapshots.default_name())
