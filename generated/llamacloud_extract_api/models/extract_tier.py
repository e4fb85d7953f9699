from enum import StrEnum
from typing import Self


class ExtractTier(StrEnum):
    AGENTIC = "agentic"
    COST_EFFECTIVE = "cost_effective"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        """Keep a value that this client does not know yet instead of failing the whole response.

        The API adds enum values over time (a new status, a new tier); a client generated from an older spec
        must still read the response. The unknown value becomes a member that is not cached in the class, so
        it compares equal to its string, is written back unchanged, and `is_known()` tells it apart.
        """
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    def is_known(self) -> bool:
        """Whether this value is one the spec declares (False for a value kept by `_missing_`)."""
        return self._value_ in type(self)._value2member_map_
