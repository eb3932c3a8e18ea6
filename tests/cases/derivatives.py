"""Cases: FirstDerivative, SecondDerivative, Laplacian, Gradient and the directional derivatives."""

import numpy as np
import pylops

from jaxlops.basicoperators.directionalderivative import FirstDirectionalDerivative, SecondDirectionalDerivative
from jaxlops.basicoperators.firstderivative import FirstDerivative
from jaxlops.basicoperators.gradient import Gradient
from jaxlops.basicoperators.laplacian import Laplacian
from jaxlops.basicoperators.secondderivative import SecondDerivative

from . import Case

_SOME = ("float32", "complex128")


def _random(rng, shape, dtype):
    x = rng.standard_normal(shape)
    if np.issubdtype(np.dtype(dtype), np.complexfloating):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def _both(ours, theirs, *args, **kwargs):
    """Build both operators with the same arguments."""

    def build(dtype, rng):
        return ours(*args, dtype=dtype, **kwargs), theirs(*args, dtype=dtype, **kwargs)

    return build


def _case(name, ours, theirs, args, kwargs, dtypes=_SOME):
    return Case(name, _both(ours, theirs, *args, **kwargs), dtypes=dtypes)


def _first(label, dims, dtypes=_SOME, **kwargs):
    return _case(f"FirstDerivative-{label}", FirstDerivative, pylops.FirstDerivative, (dims,), kwargs, dtypes)


def _second(label, dims, dtypes=_SOME, **kwargs):
    return _case(f"SecondDerivative-{label}", SecondDerivative, pylops.SecondDerivative, (dims,), kwargs, dtypes)


def _gradient(label, dims, dtypes=_SOME, **kwargs):
    return _case(f"Gradient-{label}", Gradient, pylops.Gradient, (dims,), kwargs, dtypes)


def _laplacian(label, dims, nweights, dtypes=_SOME, **kwargs):
    def build(dtype, rng):
        w = _random(rng, nweights, dtype) if nweights else (1.0, 1.0)
        return Laplacian(dims, weights=w, dtype=dtype, **kwargs), pylops.Laplacian(
            dims, weights=w, dtype=dtype, **kwargs
        )

    return Case(f"Laplacian-{label}", build, dtypes=dtypes)


def _directional(order, label, dims, per_point, dtypes=_SOME, **kwargs):
    ours, theirs = {
        1: (FirstDirectionalDerivative, pylops.FirstDirectionalDerivative),
        2: (SecondDirectionalDerivative, pylops.SecondDirectionalDerivative),
    }[order]

    def build(dtype, rng):
        v = _random(rng, (len(dims), *dims) if per_point else len(dims), dtype)
        return ours(dims, v, dtype=dtype, **kwargs), theirs(dims, v, dtype=dtype, **kwargs)

    return Case(f"{ours.__name__}-{label}", build, dtypes=dtypes)


CASES = [
    _first("1d-centered3", 9, dtypes=("float32", "float64", "complex64", "complex128")),
    _first(
        "1d-centered5-edge",
        9,
        sampling=0.5,
        edge=True,
        order=5,
        dtypes=("float32", "float64", "complex64", "complex128"),
    ),
    _first("1d-forward", 7, kind="forward", sampling=2.0),
    _first("1d-centered3-edge-short", 2, edge=True),
    _first("1d-centered5-edge-short", 4, edge=True, order=5),
    _first("2d-axis0-backward", (5, 4), axis=0, kind="backward"),
    _first("2d-axis1-centered3-edge", (4, 5), axis=1, edge=True, sampling=0.3),
    _first("2d-axis0-centered5", (7, 3), axis=0, order=5),
    _first("3d-axis0-centered3-edge", (3, 4, 5), axis=0, edge=True),
    _first("3d-axis1-forward", (3, 4, 5), axis=1, kind="forward"),
    _first("3d-axis2-centered5-edge", (3, 4, 6), axis=-1, edge=True, order=5),
    _second("1d-centered", 8, sampling=0.5, dtypes=("float32", "float64", "complex64", "complex128")),
    _second("1d-centered-edge-short", 3, edge=True),
    _second("2d-axis0-forward", (5, 4), axis=0, kind="forward"),
    _second("2d-axis1-backward", (4, 5), axis=1, kind="backward", sampling=2.0),
    _second("2d-axis0-centered-edge", (5, 4), axis=0, edge=True),
    _second("3d-axis1-forward", (3, 4, 5), axis=1, kind="forward"),
    _second("3d-axis2-centered-edge", (3, 4, 5), axis=2, edge=True),
    _laplacian("2d", (4, 5), 0, dtypes=("float32", "float64", "complex64", "complex128")),
    _laplacian("3d-axes02-edge", (4, 3, 5), 2, axes=(0, 2), sampling=(0.5, 2.0), edge=True),
    _laplacian("2d-forward", (5, 4), 2, kind="forward"),
    _laplacian("3d-backward-3axes", (4, 3, 5), 3, axes=(0, 1, -1), sampling=(1.0, 0.5, 2.0), kind="backward"),
    _gradient("2d", (4, 5), dtypes=("float32", "float64", "complex64", "complex128")),
    _gradient("1d-edge", 6, edge=True),
    _gradient("2d-backward-sampling", (5, 4), sampling=(0.5, 2.0), kind="backward"),
    _gradient("3d-forward-edge", (3, 4, 5), sampling=0.5, kind="forward", edge=True),
    _directional(1, "2d", (4, 5), False, dtypes=("float32", "float64", "complex64", "complex128")),
    _directional(1, "2d-per-point-edge", (4, 5), True, edge=True, sampling=(0.5, 2.0)),
    _directional(1, "3d-forward", (3, 4, 5), False, kind="forward"),
    _directional(2, "2d", (4, 5), False, dtypes=("float32", "float64", "complex64", "complex128")),
    _directional(2, "2d-per-point-backward", (5, 4), True, kind="backward"),
    _directional(2, "3d-per-point-edge", (3, 4, 5), True, edge=True, sampling=0.5),
]
