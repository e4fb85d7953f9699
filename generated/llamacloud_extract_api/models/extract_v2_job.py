from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_configuration import ExtractConfiguration
    from ..models.extract_job_metadata import ExtractJobMetadata
    from ..models.extract_v2_job_metadata import ExtractV2JobMetadata
    from ..models.json_object import JsonObject


T = TypeVar("T", bound="ExtractV2Job")


@_attrs_define
class ExtractV2Job:
    """An extraction job."""

    id: str
    """ Unique job identifier (job_id) """
    project_id: str
    """ Project this job belongs to """
    document_input_value: str
    """ File ID or parse job ID that was extracted """
    status: str
    """ Current job status.

    - `PENDING` — queued, not yet started
    - `RUNNING` — actively processing
    - `COMPLETED` — finished successfully
    - `FAILED` — terminated with an error
    - `CANCELLED` — cancelled by user """
    created_at: datetime.datetime
    """ Creation timestamp """
    updated_at: datetime.datetime
    """ Last update timestamp """
    configuration_id: None | str | Unset = UNSET
    """ Saved extract configuration ID used for this job, if any """
    configuration: ExtractConfiguration | None | Unset = UNSET
    """ Configuration used for this job """
    error_message: None | str | Unset = UNSET
    """ Error details when status is FAILED """
    extract_result: JsonObject | list[JsonObject] | None | Unset = UNSET
    """ Extracted data conforming to the data_schema. Returns a single object for per_doc, or an array for per_page
    / per_table_row. """
    extract_metadata: ExtractJobMetadata | None | Unset = UNSET
    """ Extraction metadata including per-field info """
    metadata: ExtractV2JobMetadata | None | Unset = UNSET
    """ Custom metadata - limited to enterprise plans. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        if not isinstance(self.id, Unset):
            id = self.id

        if not isinstance(self.project_id, Unset):
            project_id = self.project_id

        if not isinstance(self.document_input_value, Unset):
            document_input_value = self.document_input_value

        if not isinstance(self.status, Unset):
            status = self.status

        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        configuration_id: None | str | Unset
        if isinstance(self.configuration_id, Unset):
            configuration_id = UNSET
        else:
            configuration_id = self.configuration_id

        configuration: dict[str, Any] | None | Unset
        if isinstance(self.configuration, Unset):
            configuration = UNSET
        elif isinstance(self.configuration, ExtractConfiguration):
            configuration = self.configuration.to_dict()
        else:
            configuration = self.configuration

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        extract_result: dict[str, Any] | list[dict[str, Any]] | None | Unset
        if isinstance(self.extract_result, Unset):
            extract_result = UNSET
        elif isinstance(self.extract_result, JsonObject):
            extract_result = self.extract_result.to_dict()
        elif isinstance(self.extract_result, list):
            extract_result = []
            for extract_result_type_1_item_data in self.extract_result:
                extract_result_type_1_item = extract_result_type_1_item_data.to_dict()
                extract_result.append(extract_result_type_1_item)

        else:
            extract_result = self.extract_result

        extract_metadata: dict[str, Any] | None | Unset
        if isinstance(self.extract_metadata, Unset):
            extract_metadata = UNSET
        elif isinstance(self.extract_metadata, ExtractJobMetadata):
            extract_metadata = self.extract_metadata.to_dict()
        else:
            extract_metadata = self.extract_metadata

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, ExtractV2JobMetadata):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        if not isinstance(self.id, Unset):
            field_dict["id"] = id
        if not isinstance(self.project_id, Unset):
            field_dict["project_id"] = project_id
        if not isinstance(self.document_input_value, Unset):
            field_dict["document_input_value"] = document_input_value
        if not isinstance(self.status, Unset):
            field_dict["status"] = status
        if not isinstance(self.created_at, Unset):
            field_dict["created_at"] = created_at
        if not isinstance(self.updated_at, Unset):
            field_dict["updated_at"] = updated_at
        if configuration_id is not UNSET:
            field_dict["configuration_id"] = configuration_id
        if configuration is not UNSET:
            field_dict["configuration"] = configuration
        if error_message is not UNSET:
            field_dict["error_message"] = error_message
        if extract_result is not UNSET:
            field_dict["extract_result"] = extract_result
        if extract_metadata is not UNSET:
            field_dict["extract_metadata"] = extract_metadata
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        project_id = d.pop("project_id", UNSET)

        document_input_value = d.pop("document_input_value", UNSET)

        status = d.pop("status", UNSET)

        if "created_at" in d:
            created_at = datetime.datetime.fromisoformat(d.pop("created_at"))
        else:
            created_at = cast(Any, UNSET)

        if "updated_at" in d:
            updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))
        else:
            updated_at = cast(Any, UNSET)

        configuration_id: None | str | Unset = d.pop("configuration_id", UNSET)

        _configuration_sent = d.pop("configuration", UNSET)
        configuration: ExtractConfiguration | None | Unset
        if _configuration_sent is None or _configuration_sent is UNSET:
            configuration = _configuration_sent
        else:

            def _parse_configuration(data: object) -> ExtractConfiguration | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    configuration_type_0 = ExtractConfiguration.from_dict(data)

                    return configuration_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("ExtractConfiguration | None | Unset", data)

            configuration = _parse_configuration(_configuration_sent)

        error_message: None | str | Unset = d.pop("error_message", UNSET)

        _extract_result_sent = d.pop("extract_result", UNSET)
        extract_result: JsonObject | list[JsonObject] | None | Unset
        if _extract_result_sent is None or _extract_result_sent is UNSET:
            extract_result = _extract_result_sent
        else:

            def _parse_extract_result(data: object) -> JsonObject | list[JsonObject] | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    extract_result_type_0 = JsonObject.from_dict(data)

                    return extract_result_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, list):
                        raise TypeError()
                    extract_result_type_1 = []
                    _extract_result_type_1 = data
                    for extract_result_type_1_item_data in _extract_result_type_1:
                        extract_result_type_1_item = JsonObject.from_dict(extract_result_type_1_item_data)

                        extract_result_type_1.append(extract_result_type_1_item)

                    return extract_result_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("JsonObject | list[JsonObject] | None | Unset", data)

            extract_result = _parse_extract_result(_extract_result_sent)

        _extract_metadata_sent = d.pop("extract_metadata", UNSET)
        extract_metadata: ExtractJobMetadata | None | Unset
        if _extract_metadata_sent is None or _extract_metadata_sent is UNSET:
            extract_metadata = _extract_metadata_sent
        else:

            def _parse_extract_metadata(data: object) -> ExtractJobMetadata | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    extract_metadata_type_0 = ExtractJobMetadata.from_dict(data)

                    return extract_metadata_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("ExtractJobMetadata | None | Unset", data)

            extract_metadata = _parse_extract_metadata(_extract_metadata_sent)

        _metadata_sent = d.pop("metadata", UNSET)
        metadata: ExtractV2JobMetadata | None | Unset
        if _metadata_sent is None or _metadata_sent is UNSET:
            metadata = _metadata_sent
        else:

            def _parse_metadata(data: object) -> ExtractV2JobMetadata | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    metadata_type_0 = ExtractV2JobMetadata.from_dict(data)

                    return metadata_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("ExtractV2JobMetadata | None | Unset", data)

            metadata = _parse_metadata(_metadata_sent)

        extract_v2_job = cls(
            id=id,
            project_id=project_id,
            document_input_value=document_input_value,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            configuration_id=configuration_id,
            configuration=configuration,
            error_message=error_message,
            extract_result=extract_result,
            extract_metadata=extract_metadata,
            metadata=metadata,
        )

        extract_v2_job.additional_properties = d
        return extract_v2_job

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# Imported here, once, rather than inside the methods on every call: these models may import this one.
from ..models.extract_configuration import ExtractConfiguration  # noqa: E402
from ..models.extract_job_metadata import ExtractJobMetadata  # noqa: E402
from ..models.extract_v2_job_metadata import ExtractV2JobMetadata  # noqa: E402
from ..models.json_object import JsonObject  # noqa: E402
