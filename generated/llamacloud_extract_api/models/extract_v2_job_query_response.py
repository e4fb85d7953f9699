from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_v2_job import ExtractV2Job


T = TypeVar("T", bound="ExtractV2JobQueryResponse")


@_attrs_define
class ExtractV2JobQueryResponse:
    """Paginated list of extraction jobs."""

    items: list[ExtractV2Job]
    """ The list of items. """
    next_page_token: None | str | Unset = UNSET
    """ A token, which can be sent as page_token to retrieve the next page. If this field is omitted, there are no
    subsequent pages. """
    total_size: int | None | Unset = UNSET
    """ The total number of items available. This is only populated when specifically requested. The value may be an
    estimate and can be used for display purposes only. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)

        next_page_token: None | str | Unset
        if isinstance(self.next_page_token, Unset):
            next_page_token = UNSET
        else:
            next_page_token = self.next_page_token

        total_size: int | None | Unset
        if isinstance(self.total_size, Unset):
            total_size = UNSET
        else:
            total_size = self.total_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        if not isinstance(self.items, Unset):
            field_dict["items"] = items
        if next_page_token is not UNSET:
            field_dict["next_page_token"] = next_page_token
        if total_size is not UNSET:
            field_dict["total_size"] = total_size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        if "items" in d:
            items = []
            _items = d.pop("items")
            for items_item_data in _items:
                items_item = ExtractV2Job.from_dict(items_item_data)

                items.append(items_item)
        else:
            items = cast(Any, UNSET)

        next_page_token: None | str | Unset = d.pop("next_page_token", UNSET)

        total_size: int | None | Unset = d.pop("total_size", UNSET)

        extract_v2_job_query_response = cls(
            items=items,
            next_page_token=next_page_token,
            total_size=total_size,
        )

        extract_v2_job_query_response.additional_properties = d
        return extract_v2_job_query_response

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
from ..models.extract_v2_job import ExtractV2Job  # noqa: E402
