"""The generator's cheaper draws are the standard library's draws: a seed gives the data `random.Random` gives."""

from __future__ import annotations

import math
import random

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llamacloud_conformance.mock import content
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


# ---- the draws the content spells out (uniform, choice, round) are the standard ones ---------------------------


class _Fixed(random.Random):
    """A generator whose `random()` answers given values (near-ties of the rounding), `getrandbits` zeros."""

    def __init__(self, values: list[float]) -> None:
        super().__init__(0)
        self._values = iter(values)

    def random(self) -> float:
        return next(self._values)

    def getrandbits(self, k: int, /) -> int:
        return 0


def _standard_confidences(rng: random.Random, fields: dict[str, object]) -> dict[str, object]:
    return {
        name: {"confidence": round(rng.uniform(0.5, 1), 3), "citation": [{"page": rng.choice((1, 2, 3))}]}
        for name in fields
    }


FIELDS = st.dictionaries(st.text(max_size=5), st.none(), max_size=8)


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**64), fields=FIELDS)
def test_confidences_are_the_standard_draws(seed: int, fields: dict[str, object]) -> None:
    fast, standard = Draws(seed), random.Random(seed)
    made = content.confidences(fast, fields)
    assert made == _standard_confidences(standard, fields)
    assert orjson.dumps(made) == orjson.dumps(_standard_confidences(random.Random(seed), fields))
    assert fast.getstate() == standard.getstate()


def _near(decimal: float, ulps: int) -> float:
    for _ in range(abs(ulps)):
        decimal = math.nextafter(decimal, math.inf if ulps > 0 else -math.inf)
    return decimal


@settings(max_examples=300, deadline=None)
@given(thousandths=st.integers(500, 999), ulps=st.integers(-60, 60), anywhere=st.floats(0, 1, exclude_max=True))
def test_confidences_round_near_ties_as_round_does(thousandths: int, ulps: int, anywhere: float) -> None:
    """The fast rounding takes `round`'s answer at and around every half-thousandth, and anywhere else."""
    target = _near((thousandths + 0.5) / 1000, ulps)  # a confidence, made from the draw 2 * target - 1
    draws = [d for d in (2 * target - 1, anywhere) if 0 <= d < 1]
    made = content.confidences(_Fixed(draws), dict.fromkeys(map(str, range(len(draws)))))
    expected = [round(0.5 + 0.5 * d, 3) for d in draws]
    assert [v["confidence"] for v in made.values()] == expected  # type: ignore[index]


@settings(max_examples=300, deadline=None)
@given(cents=st.integers(500, 2_499_999), ulps=st.integers(-60, 60), seed=st.integers(0, 2**64))
def test_money_rounds_as_round_does(cents: int, ulps: int, seed: int) -> None:
    amount = _near((cents + 0.5) / 100, ulps)
    draw = (amount - 5) / (25_000 - 5)
    if 0 <= draw < 1:
        assert content._money(_Fixed([draw])) == round(5 + (25_000 - 5) * draw, 2)
    assert content._money(Draws(seed)) == round(random.Random(seed).uniform(5, 25_000), 2)


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**64), count=st.integers(0, len(content._SKILLS)))
def test_skills_are_the_standard_sample(seed: int, count: int) -> None:
    fast, standard = Draws(seed), random.Random(seed)
    assert content._skills(fast, count) == standard.sample(content._SKILLS, count)
    assert fast.getstate() == standard.getstate()
