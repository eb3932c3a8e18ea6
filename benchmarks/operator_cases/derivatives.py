"""Benchmark cases: derivative operators at medium sizes."""

import pylops

from jaxlops.basicoperators.directionalderivative import FirstDirectionalDerivative, SecondDirectionalDerivative
from jaxlops.basicoperators.firstderivative import FirstDerivative
from jaxlops.basicoperators.gradient import Gradient
from jaxlops.basicoperators.laplacian import Laplacian
from jaxlops.basicoperators.secondderivative import SecondDerivative


def cases(dtype, rng):
    """``(name, jaxlops operator, PyLops operator)`` at medium sizes."""
    n2 = (512, 512)
    n1 = 1_000_000
    v = rng.standard_normal((2, *n2)).astype(dtype)

    def same(ours, *args, **kwargs):
        theirs = getattr(pylops, ours.__name__)
        return ours.__name__, ours(*args, **kwargs, dtype=dtype), theirs(*args, **kwargs, dtype=dtype)

    return [
        same(FirstDerivative, n1),
        same(FirstDerivative, n2, axis=0),
        same(FirstDerivative, n2, axis=1, edge=True, order=5),
        same(FirstDerivative, n2, axis=0, kind="forward"),
        same(SecondDerivative, n1),
        same(SecondDerivative, n2, axis=0, edge=True),
        same(SecondDerivative, n2, axis=1, kind="backward"),
        same(Laplacian, n2, edge=True),
        same(Laplacian, n2, weights=(2.0, 0.5), sampling=(0.5, 2.0), kind="forward"),
        same(Gradient, n2),
        same(Gradient, n2, edge=True, kind="backward"),
        same(FirstDirectionalDerivative, n2, v[:, 0, 0]),
        same(FirstDirectionalDerivative, n2, v, edge=True),
        same(SecondDirectionalDerivative, n2, v[:, 0, 0]),
        same(SecondDirectionalDerivative, n2, v, edge=True),
    ]
