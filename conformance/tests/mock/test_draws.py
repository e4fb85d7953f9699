"""The generator's cheaper draws are the standard library's draws: a seed gives the data `random.Random` gives."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llamacloud_conformance.mock.draws import Draws

CALLS = st.lists(
    st.one_of(
        st.tuples(st.just("choice"), st.lists(st.integers(), min_size=1, max_size=70)),
        st.tuples(st.just("randrange"), st.integers(1, 2**70)),
        st.tuples(st.just("randrange"), st.tuples(st.integers(-(2**40), 2**40), st.integers(1, 2**40))),
        st.tuples(st.just("random"), st.none()),
    ),
    max_size=60,
)


def _draw(rng: random.Random, call: str, argument: object) -> object:
    if call == "choice":
        return rng.choice(argument)  # type: ignore[arg-type]
    if call == "random":
        return rng.random()
    if isinstance(argument, tuple):
        start, width = argument
        return rng.randrange(start, start + width)
    return rng.randrange(argument)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**64), calls=CALLS)
def test_every_draw_is_the_standard_one(seed: int, calls: list[tuple[str, object]]) -> None:
    fast, standard = Draws(seed), random.Random(seed)
    assert [_draw(fast, *c) for c in calls] == [_draw(standard, *c) for c in calls]
    assert fast.getstate() == standard.getstate()


def test_what_the_standard_library_refuses_is_refused() -> None:
    for rng in (Draws(1), random.Random(1)):
        with pytest.raises(IndexError):
            rng.choice([])
        with pytest.raises(ValueError, match="empty range"):
            rng.randrange(0)
        with pytest.raises(ValueError, match="empty range"):
            rng.randrange(5, 5)
    assert Draws(3).randrange(0, 10, 3) == random.Random(3).randrange(0, 10, 3)
