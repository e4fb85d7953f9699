from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.extract_mode import ExtractMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtractConfig")


@_attrs_define
class ExtractConfig:
    """Additional parameters for the extraction agent."""

    extraction_mode: ExtractMode | Unset = UNSET
    handle_missing: bool | Unset = False
    """ Whether to handle missing fields in the schema. """
    system_prompt: None | str | Unset = UNSET
    """ The system prompt to use for the extraction. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        extraction_mode: str | Unset = UNSET
        if not isinstance(self.extraction_mode, Unset):
            extraction_mode = self.extraction_mode.value

        handle_missing = self.handle_missing

        system_prompt: None | str | Unset
        if isinstance(self.system_prompt, Unset):
            system_prompt = UNSET
        else:
            system_prompt = self.system_prompt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        if extraction_mode is not UNSET:
            field_dict["extraction_mode"] = extraction_mode
        if handle_missing is not UNSET:
            field_dict["handle_missing"] = handle_missing
        if system_prompt is not UNSET:
            field_dict["system_prompt"] = system_prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _extraction_mode = d.pop("extraction_mode", UNSET)
        extraction_mode: ExtractMode | Unset
        if isinstance(_extraction_mode, Unset):
            extraction_mode = UNSET
        else:
            extraction_mode = ExtractMode(_extraction_mode)

        handle_missing = d.pop("handle_missing", UNSET)

        system_prompt: None | str | Unset = d.pop("system_prompt", UNSET)

        extract_config = cls(
            extraction_mode=extraction_mode,
            handle_missing=handle_missing,
            system_prompt=system_prompt,
        )

        extract_config.additional_properties = d
        return extract_config

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
