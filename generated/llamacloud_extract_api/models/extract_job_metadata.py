from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extracted_field_metadata import ExtractedFieldMetadata


T = TypeVar("T", bound="ExtractJobMetadata")


@_attrs_define
class ExtractJobMetadata:
    """Extraction metadata."""

    field_metadata: ExtractedFieldMetadata | None | Unset = UNSET
    """ Per-field metadata (citations, confidence, reasoning) """
    parse_job_id: None | str | Unset = UNSET
    """ Reference to the ParseJob ID used for parsing """
    parse_tier: None | str | Unset = UNSET
    """ Parse tier used for parsing the document """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field_metadata: dict[str, Any] | None | Unset
        if isinstance(self.field_metadata, Unset):
            field_metadata = UNSET
        elif isinstance(self.field_metadata, ExtractedFieldMetadata):
            field_metadata = self.field_metadata.to_dict()
        else:
            field_metadata = self.field_metadata

        parse_job_id: None | str | Unset
        if isinstance(self.parse_job_id, Unset):
            parse_job_id = UNSET
        else:
            parse_job_id = self.parse_job_id

        parse_tier: None | str | Unset
        if isinstance(self.parse_tier, Unset):
            parse_tier = UNSET
        else:
            parse_tier = self.parse_tier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        if field_metadata is not UNSET:
            field_dict["field_metadata"] = field_metadata
        if parse_job_id is not UNSET:
            field_dict["parse_job_id"] = parse_job_id
        if parse_tier is not UNSET:
            field_dict["parse_tier"] = parse_tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _field_metadata_sent = d.pop("field_metadata", UNSET)
        field_metadata: ExtractedFieldMetadata | None | Unset
        if _field_metadata_sent is None or _field_metadata_sent is UNSET:
            field_metadata = _field_metadata_sent
        else:

            def _parse_field_metadata(data: object) -> ExtractedFieldMetadata | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    field_metadata_type_0 = ExtractedFieldMetadata.from_dict(data)

                    return field_metadata_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("ExtractedFieldMetadata | None | Unset", data)

            field_metadata = _parse_field_metadata(_field_metadata_sent)

        parse_job_id: None | str | Unset = d.pop("parse_job_id", UNSET)

        parse_tier: None | str | Unset = d.pop("parse_tier", UNSET)

        extract_job_metadata = cls(
            field_metadata=field_metadata,
            parse_job_id=parse_job_id,
            parse_tier=parse_tier,
        )

        extract_job_metadata.additional_properties = d
        return extract_job_metadata

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
from ..models.extracted_field_metadata import ExtractedFieldMetadata  # noqa: E402
