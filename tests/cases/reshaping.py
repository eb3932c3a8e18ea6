"""Cases: Transpose, Flip, Roll, Pad, Restriction and Sum."""

import pylops

from jaxlops.basicoperators.flip import Flip
from jaxlops.basicoperators.pad import Pad
from jaxlops.basicoperators.restriction import Restriction
from jaxlops.basicoperators.roll import Roll
from jaxlops.basicoperators.sum import Sum
from jaxlops.basicoperators.transpose import Transpose

from . import Case


def _both(ours, theirs, *args, **kwargs):
    """Build both operators with the same arguments."""

    def build(dtype, rng):
        return ours(*args, dtype=dtype, **kwargs), theirs(*args, dtype=dtype, **kwargs)

    return build


def _grid(name, ours, theirs, configs):
    """One case per ``(label, args, kwargs)`` in ``configs``."""
    return [Case(f"{name}-{label}", _both(ours, theirs, *args, **kwargs)) for label, args, kwargs in configs]


_AXES = [((7,), 0), ((3, 5), 0), ((3, 5), 1), ((2, 3, 4), 0), ((2, 3, 4), 1), ((2, 3, 4), -1)]

CASES = [
    *_grid("Flip", Flip, pylops.Flip, [(f"{dims}-axis{ax}", (dims,), dict(axis=ax)) for dims, ax in _AXES]),
    *_grid(
        "Roll",
        Roll,
        pylops.Roll,
        [
            ("1d", (7,), {}),
            ("2d-axis0-large", ((3, 5),), dict(axis=0, shift=7)),
            ("2d-axis1-negative", ((3, 5),), dict(axis=1, shift=-2)),
            ("3d-axis1", ((2, 3, 4),), dict(axis=1, shift=2)),
            ("3d-axis2-large-negative", ((2, 3, 4),), dict(axis=-1, shift=-9)),
        ],
    ),
    *_grid(
        "Pad",
        Pad,
        pylops.Pad,
        [
            ("1d", (5, (2, 3)), {}),
            ("1d-pairs", (5, [(0, 1)]), {}),
            ("3d", ((2, 3, 4), ((1, 1), (0, 2), (3, 0))), {}),
        ],
    ),
    *_grid(
        "Restriction",
        Restriction,
        pylops.Restriction,
        [
            ("1d", (8, [1, 3, 4, 6]), {}),
            ("1d-unsorted", (8, [5, 0, 7, 2]), {}),
            ("1d-repeated", (8, [2, 2, 5, 0, 5, 5]), {}),
            ("3d-axis0", ((4, 3, 2), [3, 1]), dict(axis=0)),
            ("3d-axis1-repeated", ((4, 3, 2), [2, 0, 2, 2]), dict(axis=1)),
            ("3d-axis2-unsorted", ((4, 3, 5), [4, 0, 3]), dict(axis=-1)),
        ],
    ),
    *_grid("Sum", Sum, pylops.Sum, [(f"3d-axis{ax}", ((2, 3, 4),), dict(axis=ax)) for ax in (0, 1, -1)]),
    *_grid("Sum", Sum, pylops.Sum, [("1d-axis0", (6,), dict(axis=0)), ("2d-axis0", ((3, 5),), dict(axis=0))]),
    *_grid(
        "Transpose",
        Transpose,
        pylops.Transpose,
        [
            ("2d", ((3, 5), (1, 0)), {}),
            ("3d-120", ((2, 3, 4), (1, 2, 0)), {}),
            ("3d-201", ((2, 3, 4), (2, 0, 1)), {}),
            ("3d-negative", ((2, 3, 4), (0, -1, 1)), {}),
        ],
    ),
]
