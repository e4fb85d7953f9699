"""`random.Random`, with the draws the generator makes most often done in one Python call instead of two or three.

A million-job dataset makes tens of millions of draws, and `choice` and `randrange` each go through a Python
helper (`_randbelow`) before reaching the C generator: about a fifth of the generator's time. These versions take
the same bits from the same Mersenne Twister and keep the same rejection rule, so a seed gives exactly the data
`random.Random` gives (the tests compare the two, draw for draw, on the running Python).
"""

from __future__ import annotations

import random
from typing import Protocol, TypeVar

T = TypeVar("T", covariant=True)


class _Choosable(Protocol[T]):
    def __len__(self) -> int: ...
    def __getitem__(self, index: int, /) -> T: ...


class Draws(random.Random):
    """A seeded generator whose `choice` and `randrange` are the standard ones, made cheaper."""

    def choice(self, seq: _Choosable[T]) -> T:
        size = len(seq)
        if not size:
            raise IndexError("Cannot choose from an empty sequence")
        bits, width = self.getrandbits, size.bit_length()  # random.Random's rule: n.bit_length() bits, retried
        drawn = bits(width)
        while drawn >= size:
            drawn = bits(width)
        return seq[drawn]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:  # two assignments, not a tuple made and unpacked: this runs a few times per record
            low, high = 0, start
        else:
            low, high = start, stop
        size = high - low
        if step != 1 or size <= 0 or low.__class__ is not int or high.__class__ is not int:
            return super().randrange(start, stop, step)  # the standard errors and the stepped form
        bits, width = self.getrandbits, size.bit_length()
        drawn = bits(width)
        while drawn >= size:
            drawn = bits(width)
        return low + drawn
