"""Pad operator."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from jaxlops._validation import as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Pad"]


def _as_pad(pad, dims):
    """``pad`` as one ``(before, after)`` pair of non-negative ints per axis of ``dims``."""
    try:
        pairs = np.asarray(pad)
    except ValueError:  # ragged
        pairs = np.empty(0)
    if len(dims) == 1 and pairs.shape == (2,):
        pairs = pairs[None]
    if pairs.shape != (len(dims), 2):
        raise ValueError(
            f"Pad: pad must hold one (before, after) pair per axis of dims={dims}, "
            f"i.e. have shape ({len(dims)}, 2), got {pad!r}"
        )
    if not np.issubdtype(pairs.dtype, np.integer):
        raise TypeError(f"Pad: pad must hold ints, got {pad!r}")
    if (pairs < 0).any():
        raise ValueError(f"Pad: pad must be non-negative, got {pad!r}")
    return tuple((int(before), int(after)) for before, after in pairs)


class Pad(LinearOperator):
    r"""Zero-padding at the start and end of each axis; the adjoint crops.

    Parameters
    ----------
    dims : int or tuple of int
        Model shape.
    pad : tuple
        ``(before, after)`` for a 1-D model, or one such pair per axis of
        ``dims``; the number of zeros added at each end (non-negative ints).
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    Along each axis with :math:`N` model samples and pads :math:`p_b, p_a`,
    the data has :math:`p_b + N + p_a` samples and

    .. math:: y_{p_b + i} = x_i \;(i = 0, \ldots, N-1), \quad
              y_j = 0 \text{ elsewhere}, \quad
              x_i = y_{p_b + i} \;\text{(adjoint)}.

    PyLops equivalent: ``pylops.Pad(dims, pad, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> P = jl.Pad(2, (1, 2), dtype="float32")
    >>> P @ jnp.array([1.0, 2.0])
    Array([0., 1., 2., 0., 0.], dtype=float32)
    >>> P.H @ jnp.arange(5.0)
    Array([1., 2.], dtype=float32)
    """

    dims: tuple = static_field()
    pad: tuple = static_field()
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        dims = as_dims("Pad", "dims", self.dims)
        pad = _as_pad(self.pad, dims)
        dimsd = tuple(before + n + after for n, (before, after) in zip(dims, pad))
        self._set(dims=dims, dimsd=dimsd, pad=pad, dtype=as_dtype("Pad", self.dtype))

    def _matvec(self, x):
        return jnp.pad(x, self.pad)

    def _rmatvec(self, y):
        return y[tuple(slice(before, before + n) for n, (before, _) in zip(self.dims, self.pad))]
