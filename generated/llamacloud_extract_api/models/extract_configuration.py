from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.extract_tier import ExtractTier
from ..models.extraction_target import ExtractionTarget
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.json_object import JsonObject


T = TypeVar("T", bound="ExtractConfiguration")


@_attrs_define
class ExtractConfiguration:
    """Extract configuration combining parse and extract settings."""

    data_schema: JsonObject
    """ A JSON object whose values are any JSON values. """
    target_pages: None | str | Unset = UNSET
    """ Comma-separated page numbers or ranges to process (1-based). Omit to process all pages. """
    max_pages: int | None | Unset = UNSET
    """ Maximum number of pages to process. Omit for no limit. """
    lang: str | Unset = "en"
    """ ISO 639-1 language code for the document """
    tier: ExtractTier | Unset = UNSET
    extract_version: str | Unset = "latest"
    """ Extract algorithm version. Use 'latest' or a date string. """
    extraction_target: ExtractionTarget | Unset = UNSET
    system_prompt: None | str | Unset = UNSET
    """ Custom system prompt to guide extraction behavior """
    cite_sources: bool | Unset = False
    """ Include citations in results """
    confidence_scores: bool | Unset = False
    """ Include confidence scores in results """
    parse_tier: None | str | Unset = UNSET
    """ Parse tier to use before extraction (fast, cost_effective, or agentic) """
    parse_config_id: None | str | Unset = UNSET
    """ Saved parse configuration ID to control how the document is parsed before extraction """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        if not isinstance(self.data_schema, Unset):
            data_schema = self.data_schema.to_dict()

        target_pages: None | str | Unset
        if isinstance(self.target_pages, Unset):
            target_pages = UNSET
        else:
            target_pages = self.target_pages

        max_pages: int | None | Unset
        if isinstance(self.max_pages, Unset):
            max_pages = UNSET
        else:
            max_pages = self.max_pages

        lang = self.lang

        tier: str | Unset = UNSET
        if not isinstance(self.tier, Unset):
            tier = self.tier.value

        extract_version = self.extract_version

        extraction_target: str | Unset = UNSET
        if not isinstance(self.extraction_target, Unset):
            extraction_target = self.extraction_target.value

        system_prompt: None | str | Unset
        if isinstance(self.system_prompt, Unset):
            system_prompt = UNSET
        else:
            system_prompt = self.system_prompt

        cite_sources = self.cite_sources

        confidence_scores = self.confidence_scores

        parse_tier: None | str | Unset
        if isinstance(self.parse_tier, Unset):
            parse_tier = UNSET
        else:
            parse_tier = self.parse_tier

        parse_config_id: None | str | Unset
        if isinstance(self.parse_config_id, Unset):
            parse_config_id = UNSET
        else:
            parse_config_id = self.parse_config_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        if not isinstance(self.data_schema, Unset):
            field_dict["data_schema"] = data_schema
        if target_pages is not UNSET:
            field_dict["target_pages"] = target_pages
        if max_pages is not UNSET:
            field_dict["max_pages"] = max_pages
        if lang is not UNSET:
            field_dict["lang"] = lang
        if tier is not UNSET:
            field_dict["tier"] = tier
        if extract_version is not UNSET:
            field_dict["extract_version"] = extract_version
        if extraction_target is not UNSET:
            field_dict["extraction_target"] = extraction_target
        if system_prompt is not UNSET:
            field_dict["system_prompt"] = system_prompt
        if cite_sources is not UNSET:
            field_dict["cite_sources"] = cite_sources
        if confidence_scores is not UNSET:
            field_dict["confidence_scores"] = confidence_scores
        if parse_tier is not UNSET:
            field_dict["parse_tier"] = parse_tier
        if parse_config_id is not UNSET:
            field_dict["parse_config_id"] = parse_config_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        if "data_schema" in d:
            data_schema = JsonObject.from_dict(d.pop("data_schema"))
        else:
            data_schema = cast(Any, UNSET)

        target_pages: None | str | Unset = d.pop("target_pages", UNSET)

        max_pages: int | None | Unset = d.pop("max_pages", UNSET)

        lang = d.pop("lang", UNSET)

        _tier = d.pop("tier", UNSET)
        tier: ExtractTier | Unset
        if isinstance(_tier, Unset):
            tier = UNSET
        else:
            tier = ExtractTier(_tier)

        extract_version = d.pop("extract_version", UNSET)

        _extraction_target = d.pop("extraction_target", UNSET)
        extraction_target: ExtractionTarget | Unset
        if isinstance(_extraction_target, Unset):
            extraction_target = UNSET
        else:
            extraction_target = ExtractionTarget(_extraction_target)

        system_prompt: None | str | Unset = d.pop("system_prompt", UNSET)

        cite_sources = d.pop("cite_sources", UNSET)

        confidence_scores = d.pop("confidence_scores", UNSET)

        parse_tier: None | str | Unset = d.pop("parse_tier", UNSET)

        parse_config_id: None | str | Unset = d.pop("parse_config_id", UNSET)

        extract_configuration = cls(
            data_schema=data_schema,
            target_pages=target_pages,
            max_pages=max_pages,
            lang=lang,
            tier=tier,
            extract_version=extract_version,
            extraction_target=extraction_target,
            system_prompt=system_prompt,
            cite_sources=cite_sources,
            confidence_scores=confidence_scores,
            parse_tier=parse_tier,
            parse_config_id=parse_config_id,
        )

        extract_configuration.additional_properties = d
        return extract_configuration

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
