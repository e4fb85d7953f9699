from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.json_object import JsonObject


T = TypeVar("T", bound="File")


@_attrs_define
class File:
    """Schema for a file."""

    id: UUID
    """ Unique identifier """
    name: str
    external_file_id: str
    """ The ID of the file in the external system """
    project_id: UUID
    """ The ID of the project that the file belongs to """
    created_at: datetime.datetime | None | Unset = UNSET
    """ Creation datetime """
    updated_at: datetime.datetime | None | Unset = UNSET
    """ Update datetime """
    file_size: int | None | Unset = UNSET
    """ Size of the file in bytes """
    file_type: None | str | Unset = UNSET
    """ File type (e.g. pdf, docx, etc.) """
    last_modified_at: datetime.datetime | None | Unset = UNSET
    """ The last modified time of the file """
    resource_info: JsonObject | None | Unset = UNSET
    """ Resource information for the file """
    permission_info: JsonObject | None | Unset = UNSET
    """ Permission information for the file """
    data_source_id: None | Unset | UUID = UNSET
    """ The ID of the data source that the file belongs to """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        if not isinstance(self.id, Unset):
            id = str(self.id)

        if not isinstance(self.name, Unset):
            name = self.name

        if not isinstance(self.external_file_id, Unset):
            external_file_id = self.external_file_id

        if not isinstance(self.project_id, Unset):
            project_id = str(self.project_id)

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

        file_size: int | None | Unset
        if isinstance(self.file_size, Unset):
            file_size = UNSET
        else:
            file_size = self.file_size

        file_type: None | str | Unset
        if isinstance(self.file_type, Unset):
            file_type = UNSET
        else:
            file_type = self.file_type

        last_modified_at: None | str | Unset
        if isinstance(self.last_modified_at, Unset):
            last_modified_at = UNSET
        elif isinstance(self.last_modified_at, datetime.datetime):
            last_modified_at = self.last_modified_at.isoformat()
        else:
            last_modified_at = self.last_modified_at

        resource_info: dict[str, Any] | None | Unset
        if isinstance(self.resource_info, Unset):
            resource_info = UNSET
        elif isinstance(self.resource_info, JsonObject):
            resource_info = self.resource_info.to_dict()
        else:
            resource_info = self.resource_info

        permission_info: dict[str, Any] | None | Unset
        if isinstance(self.permission_info, Unset):
            permission_info = UNSET
        elif isinstance(self.permission_info, JsonObject):
            permission_info = self.permission_info.to_dict()
        else:
            permission_info = self.permission_info

        data_source_id: None | str | Unset
        if isinstance(self.data_source_id, Unset):
            data_source_id = UNSET
        elif isinstance(self.data_source_id, UUID):
            data_source_id = str(self.data_source_id)
        else:
            data_source_id = self.data_source_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        if not isinstance(self.id, Unset):
            field_dict["id"] = id
        if not isinstance(self.name, Unset):
            field_dict["name"] = name
        if not isinstance(self.external_file_id, Unset):
            field_dict["external_file_id"] = external_file_id
        if not isinstance(self.project_id, Unset):
            field_dict["project_id"] = project_id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if file_size is not UNSET:
            field_dict["file_size"] = file_size
        if file_type is not UNSET:
            field_dict["file_type"] = file_type
        if last_modified_at is not UNSET:
            field_dict["last_modified_at"] = last_modified_at
        if resource_info is not UNSET:
            field_dict["resource_info"] = resource_info
        if permission_info is not UNSET:
            field_dict["permission_info"] = permission_info
        if data_source_id is not UNSET:
            field_dict["data_source_id"] = data_source_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        if "id" in d:
            id = UUID(d.pop("id"))
        else:
            id = cast(Any, UNSET)

        name = d.pop("name", UNSET)

        external_file_id = d.pop("external_file_id", UNSET)

        if "project_id" in d:
            project_id = UUID(d.pop("project_id"))
        else:
            project_id = cast(Any, UNSET)

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

        file_size: int | None | Unset = d.pop("file_size", UNSET)

        file_type: None | str | Unset = d.pop("file_type", UNSET)

        _last_modified_at_sent = d.pop("last_modified_at", UNSET)
        last_modified_at: datetime.datetime | None | Unset
        if _last_modified_at_sent is None or _last_modified_at_sent is UNSET:
            last_modified_at = _last_modified_at_sent
        else:

            def _parse_last_modified_at(data: object) -> datetime.datetime | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, str):
                        raise TypeError()
                    last_modified_at_type_0 = datetime.datetime.fromisoformat(data)

                    return last_modified_at_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("datetime.datetime | None | Unset", data)

            last_modified_at = _parse_last_modified_at(_last_modified_at_sent)

        _resource_info_sent = d.pop("resource_info", UNSET)
        resource_info: JsonObject | None | Unset
        if _resource_info_sent is None or _resource_info_sent is UNSET:
            resource_info = _resource_info_sent
        else:

            def _parse_resource_info(data: object) -> JsonObject | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    resource_info_type_0 = JsonObject.from_dict(data)

                    return resource_info_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("JsonObject | None | Unset", data)

            resource_info = _parse_resource_info(_resource_info_sent)

        _permission_info_sent = d.pop("permission_info", UNSET)
        permission_info: JsonObject | None | Unset
        if _permission_info_sent is None or _permission_info_sent is UNSET:
            permission_info = _permission_info_sent
        else:

            def _parse_permission_info(data: object) -> JsonObject | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    permission_info_type_0 = JsonObject.from_dict(data)

                    return permission_info_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("JsonObject | None | Unset", data)

            permission_info = _parse_permission_info(_permission_info_sent)

        _data_source_id_sent = d.pop("data_source_id", UNSET)
        data_source_id: None | Unset | UUID
        if _data_source_id_sent is None or _data_source_id_sent is UNSET:
            data_source_id = _data_source_id_sent
        else:

            def _parse_data_source_id(data: object) -> None | Unset | UUID:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, str):
                        raise TypeError()
                    data_source_id_type_0 = UUID(data)

                    return data_source_id_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("None | Unset | UUID", data)

            data_source_id = _parse_data_source_id(_data_source_id_sent)

        file = cls(
            id=id,
            name=name,
            external_file_id=external_file_id,
            project_id=project_id,
            created_at=created_at,
            updated_at=updated_at,
            file_size=file_size,
            file_type=file_type,
            last_modified_at=last_modified_at,
            resource_info=resource_info,
            permission_info=permission_info,
            data_source_id=data_source_id,
        )

        file.additional_properties = d
        return file

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
from ..models.json_object import JsonObject  # noqa: E402
