"""Laplacian operator."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops._validation import as_array, as_axis, as_dims, holding_dtype
from jaxlops.basicoperators.firstderivative import (
    _apply_stencil,
    _as_sampling,
    _check_kind,
    _check_length,
    _compute_dtype,
)
from jaxlops.basicoperators.secondderivative import _second_stencil
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Laplacian"]


def _as_tuple(name, arg, value):
    if np.ndim(value) != 1:
        raise TypeError(f"{name}: {arg} must be a sequence, got {value!r}")
    return tuple(value)


class Laplacian(LinearOperator):
    r"""Weighted sum of second derivatives along several axes.

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape.
    axes : tuple of int, optional
        Axes along which the second derivatives are taken.
    weights : array_like, optional
        Weight of each axis, one per axis in ``axes``. It is a pytree leaf
        cast to the operator dtype (its complex counterpart when ``weights``
        is complex): it can be traced, batched and differentiated.
    sampling : tuple of float, optional
        Sampling step of each axis in ``axes``; finite and non-zero.
    edge : bool, optional
        Centered only: apply the stencil at the edges as
        :class:`SecondDerivative` does.
    kind : {"centered", "forward", "backward"}, optional
        Stencil of the second derivatives.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    With :math:`D^2_a` the :class:`SecondDerivative` along axis :math:`a`
    and :math:`w_a` its weight,

    .. math:: \mathbf{y} = \sum_a w_a D^2_a \mathbf{x}, \quad
              \mathbf{x} = \sum_a \bar w_a (D^2_a)^H \mathbf{y} \;\text{(adjoint)};

    in 2-D with unit weights and sampling, the centered Laplacian is
    :math:`y_{i,j} = x_{i+1,j} + x_{i-1,j} + x_{i,j+1} + x_{i,j-1} - 4x_{i,j}`.

    PyLops equivalent: ``pylops.Laplacian(dims, axes, weights, sampling, edge, kind, dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> L = jl.Laplacian((3, 3), dtype="float32")
    >>> L @ jnp.zeros((3, 3)).at[1, 1].set(1.0)
    Array([[ 0.,  0.,  0.],
           [ 0., -4.,  0.],
           [ 0.,  0.,  0.]], dtype=float32)
    """

    dims: tuple = static_field()
    axes: tuple = static_field(default=(-2, -1))
    weights: jax.Array = (1.0, 1.0)
    sampling: tuple = static_field(default=(1.0, 1.0))
    edge: bool = static_field(default=False)
    kind: str = static_field(default="centered")
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        name = "Laplacian"
        dims = as_dims(name, "dims", self.dims)
        axes = tuple(as_axis(name, ax, len(dims), "axes") for ax in _as_tuple(name, "axes", self.axes))
        weights = as_array(name, "weights", self.weights)
        sampling = _as_tuple(name, "sampling", self.sampling)
        if not len(axes) == weights.size == len(sampling) or weights.ndim != 1:
            raise ValueError(
                f"{name}: axes, weights and sampling must have the same length, got axes={self.axes}, "
                f"weights of shape {weights.shape}, sampling={self.sampling}"
            )
        sampling = tuple(_as_sampling(name, s) for s in sampling)
        kind = _check_kind(name, self.kind)
        edge = bool(self.edge)
        for ax in axes:
            _check_length(name, dims, ax, _second_stencil(kind, edge))
        dtype = holding_dtype(name, self.dtype, weights)
        self._set(
            dims=dims,
            dimsd=dims,
            axes=axes,
            weights=weights.astype(dtype),
            sampling=sampling,
            edge=edge,
            dtype=dtype,
        )

    def _laplacian(self, x, adjoint):
        x = _compute_dtype(self, x)
        stencil = _second_stencil(self.kind, self.edge)
        weights = jnp.conj(self.weights) if adjoint else self.weights
        return sum(
            weights[i] * _apply_stencil(x, ax, stencil, 1 / s**2, adjoint)
            for i, (ax, s) in enumerate(zip(self.axes, self.sampling))
        )

    def _matvec(self, x):
        return self._laplacian(x, adjoint=False)

    def _rmatvec(self, y):
        return self._laplacian(y, adjoint=True)
