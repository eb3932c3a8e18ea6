"""Causal integration operator."""

from __future__ import annotations

import math

import jax.numpy as jnp
from jax import lax

from jaxlops._validation import as_axis, as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["CausalIntegration"]

_KINDS = ("full", "half", "trapezoidal")


class CausalIntegration(LinearOperator):
    r"""Causal integration (running sum) along ``axis``.

    Parameters
    ----------
    dims : int or tuple of int
        Model shape.
    axis : int, optional
        Axis along which the model is integrated.
    sampling : float, optional
        Sampling step :math:`\Delta t`; finite and non-zero.
    kind : {"full", "half", "trapezoidal"}, optional
        Integration rule (see Notes).
    removefirst : bool, optional
        Drop the first integrated sample: the data then has
        ``dims[axis] - 1`` samples along ``axis``.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    Along ``axis``, assuming the signal is zero before sample 0, ``kind``
    selects

    .. math::
        y_i = \Delta t \sum_{j=0}^{i} x_j \;\text{(full)}, \quad
        y_i = \Delta t \Big(\sum_{j=0}^{i-1} x_j + \tfrac{x_i}{2}\Big) \;\text{(half)}, \quad
        y_i = \Delta t \Big(\tfrac{x_0}{2} + \sum_{j=1}^{i-1} x_j + \tfrac{x_i}{2}\Big) \;\text{(trapezoidal)},

    with :math:`y_0 = \Delta t\, x_0 / 2` for the trapezoidal rule. The
    adjoint is the corresponding anti-causal (reversed) running sum.

    PyLops equivalent: ``pylops.CausalIntegration(dims, axis, sampling, kind, removefirst, dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> C = jl.CausalIntegration(4, sampling=0.5, dtype="float32")
    >>> C @ jnp.ones(4)
    Array([0.5, 1. , 1.5, 2. ], dtype=float32)
    >>> C.H @ jnp.ones(4)
    Array([2. , 1.5, 1. , 0.5], dtype=float32)
    """

    dims: tuple = static_field()
    axis: int = static_field(default=-1)
    sampling: float = static_field(default=1.0)
    kind: str = static_field(default="full")
    removefirst: bool = static_field(default=False)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        name = "CausalIntegration"
        dims = as_dims(name, "dims", self.dims)
        axis = as_axis(name, self.axis, len(dims))
        if self.kind not in _KINDS:
            raise ValueError(f"{name}: kind must be one of {_KINDS}, got {self.kind!r}")
        try:
            sampling = float(self.sampling)
        except (TypeError, ValueError):
            raise TypeError(f"{name}: sampling must be a real number, got {self.sampling!r}") from None
        if not math.isfinite(sampling) or sampling == 0:
            raise ValueError(f"{name}: sampling must be finite and non-zero, got {sampling}")
        removefirst = bool(self.removefirst)
        if removefirst and dims[axis] < 2:
            raise ValueError(f"{name}: removefirst=True needs dims[axis] >= 2, got dims={dims}, axis={self.axis}")
        dimsd = dims[:axis] + (dims[axis] - removefirst,) + dims[axis + 1 :]
        dtype = as_dtype(name, self.dtype)
        self._set(dims=dims, dimsd=dimsd, axis=axis, sampling=sampling, removefirst=removefirst, dtype=dtype)

    def _matvec(self, x):
        x = jnp.moveaxis(x.astype(jnp.result_type(self.dtype, x.dtype)), self.axis, -1)
        y = jnp.cumsum(x, axis=-1)
        if self.kind != "full":
            y = y - x / 2
        if self.kind == "trapezoidal":
            y = y.at[..., 1:].add(-x[..., :1] / 2)
        if self.removefirst:
            y = y[..., 1:]
        return jnp.moveaxis(self.sampling * y, -1, self.axis)

    def _rmatvec(self, y):
        y = jnp.moveaxis(y.astype(jnp.result_type(self.dtype, y.dtype)), self.axis, -1)
        if self.removefirst:
            y = jnp.pad(y, [(0, 0)] * (y.ndim - 1) + [(1, 0)])
        x = lax.cumsum(y, axis=y.ndim - 1, reverse=True)
        if self.kind != "full":
            x = x - y / 2
        if self.kind == "trapezoidal":
            x = x.at[..., 0].set(jnp.sum(y, axis=-1) / 2)
        return jnp.moveaxis(self.sampling * x, -1, self.axis)
