from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.extract_state import ExtractState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_config import ExtractConfig
    from ..models.file import File
    from ..models.json_object import JsonObject


T = TypeVar("T", bound="ExtractRun")


@_attrs_define
class ExtractRun:
    """Schema for an extraction run."""

    id: UUID
    """ The id of the extraction run """
    extraction_agent_id: UUID
    """ The id of the extraction agent """
    data_schema: JsonObject
    """ A JSON object whose values are any JSON values. """
    config: ExtractConfig
    """ Additional parameters for the extraction agent. """
    file: File
    """ Schema for a file. """
    status: ExtractState
    created_at: datetime.datetime | None | Unset = UNSET
    """ Creation datetime """
    updated_at: datetime.datetime | None | Unset = UNSET
    """ Update datetime """
    error: None | str | Unset = UNSET
    """ The error that occurred during extraction """
    job_id: None | Unset | UUID = UNSET
    """ The id of the job that the extraction run belongs to """
    data: JsonObject | None | Unset = UNSET
    """ The data extracted from the file """
    extraction_metadata: JsonObject | None | Unset = UNSET
    """ The metadata extracted from the file """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        if not isinstance(self.id, Unset):
            id = str(self.id)

        if not isinstance(self.extraction_agent_id, Unset):
            extraction_agent_id = str(self.extraction_agent_id)

        if not isinstance(self.data_schema, Unset):
            data_schema = self.data_schema.to_dict()

        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        if not isinstance(self.file, Unset):
            file = self.file.to_dict()

        if not isinstance(self.status, Unset):
            status = self.status.value

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        job_id: None | str | Unset
        if isinstance(self.job_id, Unset):
            job_id = UNSET
        elif isinstance(self.job_id, UUID):
            job_id = str(self.job_id)
        else:
            job_id = self.job_id

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, JsonObject):
            data = self.data.to_dict()
        else:
            data = self.data

        extraction_metadata: dict[str, Any] | None | Unset
        if isinstance(self.extraction_metadata, Unset):
            extraction_metadata = UNSET
        elif isinstance(self.extraction_metadata, JsonObject):
            extraction_metadata = self.extraction_metadata.to_dict()
        else:
            extraction_metadata = self.extraction_metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        if not isinstance(self.id, Unset):
            field_dict["id"] = id
        if not isinstance(self.extraction_agent_id, Unset):
            field_dict["extraction_agent_id"] = extraction_agent_id
        if not isinstance(self.data_schema, Unset):
            field_dict["data_schema"] = data_schema
        if not isinstance(self.config, Unset):
            field_dict["config"] = config
        if not isinstance(self.file, Unset):
            field_dict["file"] = file
        if not isinstance(self.status, Unset):
            field_dict["status"] = status
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if error is not UNSET:
            field_dict["error"] = error
        if job_id is not UNSET:
            field_dict["job_id"] = job_id
        if data is not UNSET:
            field_dict["data"] = data
        if extraction_metadata is not UNSET:
            field_dict["extraction_metadata"] = extraction_metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        if "id" in d:
            id = UUID(d.pop("id"))
        else:
            id = cast(Any, UNSET)

        if "extraction_agent_id" in d:
            extraction_agent_id = UUID(d.pop("extraction_agent_id"))
        else:
            extraction_agent_id = cast(Any, UNSET)

        if "data_schema" in d:
            data_schema = JsonObject.from_dict(d.pop("data_schema"))
        else:
            data_schema = cast(Any, UNSET)

        if "config" in d:
            config = ExtractConfig.from_dict(d.pop("config"))
        else:
            config = cast(Any, UNSET)

        if "file" in d:
            file = File.from_dict(d.pop("file"))
        else:
            file = cast(Any, UNSET)

        if "status" in d:
            status = ExtractState(d.pop("status"))
        else:
            status = cast(Any, UNSET)

        _created_at_sent = d.pop("created_at", UNSET)
        created_at: datetime.datetime | None | Unset
        if _created_at_sent is None or _created_at_sent is UNSET:
            created_at = _created_at_sent
        else:

            def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, str):
                        raise TypeError()
                    created_at_type_0 = datetime.datetime.fromisoformat(data)

                    return created_at_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("datetime.datetime | None | Unset", data)

            created_at = _parse_created_at(_created_at_sent)

        _updated_at_sent = d.pop("updated_at", UNSET)
        updated_at: datetime.datetime | None | Unset
        if _updated_at_sent is None or _updated_at_sent is UNSET:
            updated_at = _updated_at_sent
        else:

            def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, str):
                        raise TypeError()
                    updated_at_type_0 = datetime.datetime.fromisoformat(data)

                    return updated_at_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("datetime.datetime | None | Unset", data)

            updated_at = _parse_updated_at(_updated_at_sent)

        error: None | str | Unset = d.pop("error", UNSET)

        _job_id_sent = d.pop("job_id", UNSET)
        job_id: None | Unset | UUID
        if _job_id_sent is None or _job_id_sent is UNSET:
            job_id = _job_id_sent
        else:

            def _parse_job_id(data: object) -> None | Unset | UUID:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, str):
                        raise TypeError()
                    job_id_type_0 = UUID(data)

                    return job_id_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("None | Unset | UUID", data)

            job_id = _parse_job_id(_job_id_sent)

        _data_sent = d.pop("data", UNSET)
        data: JsonObject | None | Unset
        if _data_sent is None or _data_sent is UNSET:
            data = _data_sent
        else:

            def _parse_data(data: object) -> JsonObject | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    data_type_0 = JsonObject.from_dict(data)

                    return data_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("JsonObject | None | Unset", data)

            data = _parse_data(_data_sent)

        _extraction_metadata_sent = d.pop("extraction_metadata", UNSET)
        extraction_metadata: JsonObject | None | Unset
        if _extraction_metadata_sent is None or _extraction_metadata_sent is UNSET:
            extraction_metadata = _extraction_metadata_sent
        else:

            def _parse_extraction_metadata(data: object) -> JsonObject | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    extraction_metadata_type_0 = JsonObject.from_dict(data)

                    return extraction_metadata_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("JsonObject | None | Unset", data)

            extraction_metadata = _parse_extraction_metadata(_extraction_metadata_sent)

        extract_run = cls(
            id=id,
            extraction_agent_id=extraction_agent_id,
            data_schema=data_schema,
            config=config,
            file=file,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            error=error,
            job_id=job_id,
            data=data,
            extraction_metadata=extraction_metadata,
        )

        extract_run.additional_properties = d
        return extract_run

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
from ..models.extract_config import ExtractConfig  # noqa: E402
from ..models.file import File  # noqa: E402
from ..models.json_object import JsonObject  # noqa: E402
