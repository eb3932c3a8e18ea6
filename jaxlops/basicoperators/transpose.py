"""Transpose operator."""

from __future__ import annotations

import numpy as np

from jaxlops._validation import as_axis, as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Transpose"]


class Transpose(LinearOperator):
    r"""Permute the axes of a multi-dimensional model.

    Parameters
    ----------
    dims : int or tuple of int
        Model shape.
    axes : tuple of int
        Permutation of ``range(len(dims))`` (negative axes allowed): axis
        ``i`` of the data is axis ``axes[i]`` of the model.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    The data has shape ``dimsd[i] = dims[axes[i]]`` and

    .. math:: y_{j_0 \ldots j_{n-1}} = x_{i_0 \ldots i_{n-1}}, \quad
              j_k = i_{\text{axes}[k]}.

    The adjoint applies the inverse permutation.

    PyLops equivalent: ``pylops.Transpose(dims, axes, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> T = jl.Transpose((2, 3), axes=(1, 0), dtype="float32")
    >>> T.dimsd
    (3, 2)
    >>> T @ jnp.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    Array([[1., 4.],
           [2., 5.],
           [3., 6.]], dtype=float32)
    """

    dims: tuple = static_field()
    axes: tuple = static_field()
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        dims = as_dims("Transpose", "dims", self.dims)
        ndim = len(dims)
        if np.ndim(self.axes) != 1:
            raise TypeError(f"Transpose: axes must be a sequence of ints, got {self.axes!r}")
        axes = tuple(as_axis("Transpose", ax, ndim, arg="axes") for ax in self.axes)
        if sorted(axes) != list(range(ndim)):
            raise ValueError(
                f"Transpose: axes must be a permutation of range({ndim}) for dims={dims}, got {tuple(self.axes)}"
            )
        dimsd = tuple(dims[ax] for ax in axes)
        self._set(dims=dims, dimsd=dimsd, axes=axes, dtype=as_dtype("Transpose", self.dtype))

    def _matvec(self, x):
        return x.transpose(self.axes)

    def _rmatvec(self, y):
        return y.transpose(tuple(int(ax) for ax in np.argsort(self.axes)))
