"""A started service's long-lived objects leave the garbage collector's walks; start-up garbage is freed."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from shared.startup_heap import freeze_startup_heap


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


@pytest.fixture
def thawed() -> Iterator[None]:
    """The test process's collector as it was: a frozen heap would outlive this test."""
    yield
    gc.unfreeze()


def test_start_up_garbage_is_freed_and_what_the_service_keeps_leaves_the_collections_walk(
    thawed: None,
) -> None:
    # Given a cycle that start-up left behind as garbage, and a structure the service keeps
    garbage_a, garbage_b = _Node(), _Node()
    garbage_a.other, garbage_b.other = garbage_b, garbage_a
    gone = weakref.ref(garbage_a)
    del garbage_a, garbage_b
    kept = {"routes": [_Node() for _ in range(10)]}

    # When the service freezes its start-up heap
    frozen = freeze_startup_heap()

    # Then the garbage was collected, not frozen for good
    assert gone() is None
    # And what it keeps is frozen: no generation a collection walks holds it
    assert frozen >= len(kept["routes"])
    walked = {id(obj) for generation in range(3) for obj in gc.get_objects(generation)}
    assert id(kept) not in walked
    assert not any(id(node) in walked for node in kept["routes"])
