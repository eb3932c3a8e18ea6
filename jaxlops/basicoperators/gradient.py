"""Gradient operator."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from jaxlops._validation import as_dims, as_dtype
from jaxlops.basicoperators.firstderivative import (
    _apply_stencil,
    _as_sampling,
    _check_kind,
    _check_length,
    _compute_dtype,
    _first_stencil,
)
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Gradient"]


def _gradient_config(name, dims, sampling, edge, kind):
    """Normalised ``(dims, sampling, edge, kind)`` of a gradient: one sampling step per axis."""
    dims = as_dims(name, "dims", dims)
    if np.ndim(sampling) == 0:
        sampling = (sampling,) * len(dims)
    elif np.ndim(sampling) != 1 or len(sampling) != len(dims):
        raise ValueError(f"{name}: sampling must be a number or one number per axis of dims={dims}, got {sampling!r}")
    sampling = tuple(_as_sampling(name, s) for s in sampling)
    kind = _check_kind(name, kind)
    edge = bool(edge)
    for axis in range(len(dims)):
        _check_length(name, dims, axis, _first_stencil(kind, edge, 3))
    return dims, sampling, edge, kind


def _derivatives(op, x):
    """The first derivatives of ``x`` along each of its axes (``op`` holds sampling, edge and kind)."""
    stencil = _first_stencil(op.kind, op.edge, 3)
    return [_apply_stencil(x, axis, stencil, 1 / s) for axis, s in enumerate(op.sampling)]


def _derivatives_adjoint(op, ys):
    """The sum of the adjoint first derivatives of ``ys[axis]`` along each axis."""
    stencil = _first_stencil(op.kind, op.edge, 3)
    return sum(
        _apply_stencil(y, axis, stencil, 1 / s, adjoint=True) for axis, (y, s) in enumerate(zip(ys, op.sampling))
    )


class Gradient(LinearOperator):
    r"""Gradient: the first derivatives along every axis, stacked.

    Parameters
    ----------
    dims : int or tuple of int
        Model shape.
    sampling : float or tuple of float, optional
        Sampling step of each axis (one number is used for all of them);
        finite and non-zero.
    edge : bool, optional
        Centered only: reduced-order stencils at the edges, as in
        :class:`FirstDerivative` (needs every axis at least 2 long).
    kind : {"centered", "forward", "backward"}, optional
        Stencil of the first derivatives.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    With :math:`D_a` the :class:`FirstDerivative` (``order=3``) along axis
    :math:`a` of an :math:`n`-dimensional model,

    .. math:: \mathbf{y} = \begin{bmatrix} D_0 \mathbf{x} \\ \vdots \\ D_{n-1} \mathbf{x} \end{bmatrix},
              \quad \mathbf{x} = \sum_a D_a^H \mathbf{y}_a \;\text{(adjoint)};

    the data is shaped ``(len(dims), *dims)``.

    PyLops equivalent: ``pylops.Gradient(dims, sampling, edge, kind, dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> G = jl.Gradient((2, 3), kind="forward", dtype="float32")
    >>> G @ jnp.array([[0.0, 1.0, 2.0], [3.0, 5.0, 7.0]])
    Array([[[3., 4., 5.],
            [0., 0., 0.]],
    <BLANKLINE>
           [[1., 1., 0.],
            [2., 2., 0.]]], dtype=float32)
    """

    dims: tuple = static_field()
    sampling: tuple = static_field(default=1.0)
    edge: bool = static_field(default=False)
    kind: str = static_field(default="centered")
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        dims, sampling, edge, kind = _gradient_config("Gradient", self.dims, self.sampling, self.edge, self.kind)
        self._set(
            dims=dims,
            dimsd=(len(dims), *dims),
            sampling=sampling,
            edge=edge,
            kind=kind,
            dtype=as_dtype("Gradient", self.dtype),
        )

    def _matvec(self, x):
        return jnp.stack(_derivatives(self, _compute_dtype(self, x)))

    def _rmatvec(self, y):
        y = _compute_dtype(self, y)
        return _derivatives_adjoint(self, [y[axis] for axis in range(len(self.dims))])
