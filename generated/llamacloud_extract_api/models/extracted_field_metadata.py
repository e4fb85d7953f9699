from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.json_object import JsonObject


T = TypeVar("T", bound="ExtractedFieldMetadata")


@_attrs_define
class ExtractedFieldMetadata:
    """Metadata for extracted fields including document, page, and row level info."""

    document_metadata: JsonObject | None | Unset = UNSET
    """ Document-level metadata (citations, confidence) keyed by field name """
    page_metadata: list[JsonObject] | None | Unset = UNSET
    """ Per-page metadata when extraction_target is per_page """
    row_metadata: list[JsonObject] | None | Unset = UNSET
    """ Per-row metadata when extraction_target is per_table_row """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document_metadata: dict[str, Any] | None | Unset
        if isinstance(self.document_metadata, Unset):
            document_metadata = UNSET
        elif isinstance(self.document_metadata, JsonObject):
            document_metadata = self.document_metadata.to_dict()
        else:
            document_metadata = self.document_metadata

        page_metadata: list[dict[str, Any]] | None | Unset
        if isinstance(self.page_metadata, Unset):
            page_metadata = UNSET
        elif isinstance(self.page_metadata, list):
            page_metadata = []
            for page_metadata_type_0_item_data in self.page_metadata:
                page_metadata_type_0_item = page_metadata_type_0_item_data.to_dict()
                page_metadata.append(page_metadata_type_0_item)

        else:
            page_metadata = self.page_metadata

        row_metadata: list[dict[str, Any]] | None | Unset
        if isinstance(self.row_metadata, Unset):
            row_metadata = UNSET
        elif isinstance(self.row_metadata, list):
            row_metadata = []
            for row_metadata_type_0_item_data in self.row_metadata:
                row_metadata_type_0_item = row_metadata_type_0_item_data.to_dict()
                row_metadata.append(row_metadata_type_0_item)

        else:
            row_metadata = self.row_metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        if document_metadata is not UNSET:
            field_dict["document_metadata"] = document_metadata
        if page_metadata is not UNSET:
            field_dict["page_metadata"] = page_metadata
        if row_metadata is not UNSET:
            field_dict["row_metadata"] = row_metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _document_metadata_sent = d.pop("document_metadata", UNSET)
        document_metadata: JsonObject | None | Unset
        if _document_metadata_sent is None or _document_metadata_sent is UNSET:
            document_metadata = _document_metadata_sent
        else:

            def _parse_document_metadata(data: object) -> JsonObject | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    document_metadata_type_0 = JsonObject.from_dict(data)

                    return document_metadata_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("JsonObject | None | Unset", data)

            document_metadata = _parse_document_metadata(_document_metadata_sent)

        _page_metadata_sent = d.pop("page_metadata", UNSET)
        page_metadata: list[JsonObject] | None | Unset
        if _page_metadata_sent is None or _page_metadata_sent is UNSET:
            page_metadata = _page_metadata_sent
        else:

            def _parse_page_metadata(data: object) -> list[JsonObject] | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, list):
                        raise TypeError()
                    page_metadata_type_0 = []
                    _page_metadata_type_0 = data
                    for page_metadata_type_0_item_data in _page_metadata_type_0:
                        page_metadata_type_0_item = JsonObject.from_dict(page_metadata_type_0_item_data)

                        page_metadata_type_0.append(page_metadata_type_0_item)

                    return page_metadata_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("list[JsonObject] | None | Unset", data)

            page_metadata = _parse_page_metadata(_page_metadata_sent)

        _row_metadata_sent = d.pop("row_metadata", UNSET)
        row_metadata: list[JsonObject] | None | Unset
        if _row_metadata_sent is None or _row_metadata_sent is UNSET:
            row_metadata = _row_metadata_sent
        else:

            def _parse_row_metadata(data: object) -> list[JsonObject] | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, list):
                        raise TypeError()
                    row_metadata_type_0 = []
                    _row_metadata_type_0 = data
                    for row_metadata_type_0_item_data in _row_metadata_type_0:
                        row_metadata_type_0_item = JsonObject.from_dict(row_metadata_type_0_item_data)

                        row_metadata_type_0.append(row_metadata_type_0_item)

                    return row_metadata_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("list[JsonObject] | None | Unset", data)

            row_metadata = _parse_row_metadata(_row_metadata_sent)

        extracted_field_metadata = cls(
            document_metadata=document_metadata,
            page_metadata=page_metadata,
            row_metadata=row_metadata,
        )

        extracted_field_metadata.additional_properties = d
        return extracted_field_metadata

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
