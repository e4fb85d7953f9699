"""A newer server: fields and enum values the spec does not know yet still parse, are kept, and can be read."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from llamacloud_extract import UNSET, ExtractConfiguration, ExtractState, ExtractTier, ExtractV2Job


def page_of(*items: dict[str, Any], **extra: Any) -> Any:
    return lambda request: httpx.Response(200, json={"items": list(items), "next_page_token": None, **extra})


def test_unknown_fields_are_kept_at_every_level(kit: Any) -> None:
    item = kit.job(
        1,
        file_input="dfl-1",  # the 2026-04-01 rename, sent alongside
        usage={"credits": 1.5},
        configuration={"data_schema": {"a": {}}, "spreadsheet_mode": True, "sheet_names": ["S1"]},
        metadata={"usage": {"num_pages_billed": 3}, "team": "x"},
    )
    client, _ = kit.client(page_of(item, brand_new_page_field=True))
    (job,) = list(client.jobs.list(expand=["configuration", "usage"]))
    assert job.additional_properties == {"file_input": "dfl-1", "usage": {"credits": 1.5}}
    assert job["file_input"] == "dfl-1"
    assert isinstance(job.configuration, ExtractConfiguration)
    assert job.configuration.additional_properties == {"spreadsheet_mode": True, "sheet_names": ["S1"]}
    assert job.metadata is not None
    assert job.metadata is not UNSET
    assert job.metadata.additional_properties == {"team": "x"}
    assert job.metadata.usage.additional_properties == {"num_pages_billed": 3}  # type: ignore[union-attr]
    assert job.to_dict()["usage"] == {"credits": 1.5}  # and written back unchanged


def test_a_new_job_status_is_kept(kit: Any) -> None:
    client, _ = kit.client(page_of(kit.job(1, status="QUEUED_FOR_REVIEW")))
    (job,) = list(client.jobs.list())
    assert job.status == "QUEUED_FOR_REVIEW"  # `status` is a free string on jobs


def test_a_new_tier_and_target_are_kept_and_marked_unknown(kit: Any) -> None:
    configuration = {"data_schema": {}, "tier": "agentic_plus", "extraction_target": "per_section"}
    client, _ = kit.client(page_of(kit.job(1, configuration=configuration)))
    (job,) = list(client.jobs.list(expand=["configuration"]))
    assert isinstance(job.configuration, ExtractConfiguration)
    tier = job.configuration.tier
    assert isinstance(tier, ExtractTier)
    assert tier == "agentic_plus"
    assert tier.value == "agentic_plus"
    assert not tier.is_known()
    assert ExtractTier.AGENTIC.is_known()
    assert job.configuration.extraction_target == "per_section"
    assert job.to_dict()["configuration"]["tier"] == "agentic_plus"


def test_a_new_run_state_is_kept(kit: Any) -> None:
    client, _ = kit.client(lambda request: httpx.Response(200, json=[kit.run(1, status="PAUSED", extra_field=1)]))
    (run,) = client.runs.list()
    assert isinstance(run.status, ExtractState)
    assert run.status == "PAUSED"
    assert not run.status.is_known()
    assert run.additional_properties == {"extra_field": 1}


def test_an_unknown_value_is_not_confused_with_a_known_one(kit: Any) -> None:
    configuration = {"data_schema": {}, "tier": "cost_effective"}
    client, _ = kit.client(page_of(kit.job(1, configuration=configuration)))
    (job,) = list(client.jobs.list())
    assert isinstance(job, ExtractV2Job)
    assert isinstance(job.configuration, ExtractConfiguration)
    assert job.configuration.tier is ExtractTier.COST_EFFECTIVE


def test_raw_mode_hands_back_the_json_untouched(kit: Any) -> None:
    item = kit.job(1, status="NEW", whatever={"deep": [1, 2]})
    client, _ = kit.client(page_of(item))
    assert list(client.jobs.list(raw=True)) == [item]


def test_async_forward_compatibility(kit: Any) -> None:
    async def go() -> list[Any]:
        client, _ = kit.async_client(lambda request: httpx.Response(200, json=[kit.run(1, status="PAUSED")]))
        async with client:
            return await client.runs.list(raw=True)

    assert asyncio.run(go())[0]["status"] == "PAUSED"
