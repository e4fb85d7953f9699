from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_job_usage import ExtractJobUsage


T = TypeVar("T", bound="ExtractV2JobMetadata")


@_attrs_define
class ExtractV2JobMetadata:
    """Job-level metadata."""

    usage: ExtractJobUsage | None | Unset = UNSET
    """ Usage metrics """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        usage: dict[str, Any] | None | Unset
        if isinstance(self.usage, Unset):
            usage = UNSET
        elif isinstance(self.usage, ExtractJobUsage):
            usage = self.usage.to_dict()
        else:
            usage = self.usage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        if usage is not UNSET:
            field_dict["usage"] = usage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _usage_sent = d.pop("usage", UNSET)
        usage: ExtractJobUsage | None | Unset
        if _usage_sent is None or _usage_sent is UNSET:
            usage = _usage_sent
        else:

            def _parse_usage(data: object) -> ExtractJobUsage | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    usage_type_0 = ExtractJobUsage.from_dict(data)

                    return usage_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast("ExtractJobUsage | None | Unset", data)

            usage = _parse_usage(_usage_sent)

        extract_v2_job_metadata = cls(
            usage=usage,
        )

        extract_v2_job_metadata.additional_properties = d
        return extract_v2_job_metadata

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
from ..models.extract_job_usage import ExtractJobUsage  # noqa: E402
