"""Diagonal operator."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from jaxlops._validation import as_array, as_axis, as_dims, holding_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Diagonal"]


class Diagonal(LinearOperator):
    r"""Element-wise multiplication by a vector along one axis of the model.

    Parameters
    ----------
    diag : array_like
        The diagonal, of length ``dims[axis]``. It is a pytree leaf: it can be
        traced, batched with ``jax.vmap`` and differentiated.
    dims : int or tuple of int, optional
        Model (and data) shape; ``(diag.size,)`` when ``None``.
    axis : int, optional
        Axis of ``dims`` that ``diag`` runs along.
    dtype : str or numpy.dtype, optional
        Operator dtype: ``diag`` is cast to it (to its complex counterpart
        when ``diag`` is complex).

    Notes
    -----
    With the diagonal :math:`d` broadcast along ``axis``,

    .. math:: y_{\ldots i \ldots} = d_i x_{\ldots i \ldots},
              \quad x_{\ldots i \ldots} = \bar d_i y_{\ldots i \ldots}
              \;\text{(adjoint)}.

    PyLops equivalent: ``pylops.Diagonal(diag, dims, axis, dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> D = jl.Diagonal(jnp.array([1.0, 2.0, 3.0]), dtype="float32")
    >>> D @ jnp.ones(3)
    Array([1., 2., 3.], dtype=float32)
    """

    diag: jax.Array
    dims: tuple = static_field(default=None)
    axis: int = static_field(default=-1)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        diag = as_array("Diagonal", "diag", self.diag)
        if diag.ndim != 1:
            diag = diag.reshape(-1)
        dims = (diag.size,) if self.dims is None else as_dims("Diagonal", "dims", self.dims)
        axis = as_axis("Diagonal", self.axis, len(dims))
        if diag.size != dims[axis]:
            raise ValueError(
                f"Diagonal: diag has {diag.size} elements but dims[{self.axis}] of dims={dims} is {dims[axis]}"
            )
        dtype = holding_dtype("Diagonal", self.dtype, diag)
        diag = diag.astype(dtype)
        self._set(diag=diag, dims=dims, dimsd=dims, axis=axis, dtype=dtype)

    def _along_axis(self, d):
        return d.reshape((-1,) + (1,) * (len(self.dims) - 1 - self.axis))

    def _matvec(self, x):
        return self._along_axis(self.diag) * x

    def _rmatvec(self, y):
        return self._along_axis(jnp.conj(self.diag)) * y
