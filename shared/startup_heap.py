"""Once a service has started, the objects it keeps for its whole life leave the garbage collector's view.

A started service holds about 100,000 tracked objects (modules, pydantic's validators, routes, the driver's
and the broker client's state). Every full (generation 2) collection walked them all, and under load such
a collection held the event loop for 40-120 ms (measured with `gc.callbacks` in `bench.lifecycle`), which
every request and message in flight then waited out. `gc.freeze` moves them to the permanent generation,
which collections skip: a full collection then walks only what requests and messages created since.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect start-up's garbage once (it would never be freed once frozen), then freeze what is left.

    Returns how many objects are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
