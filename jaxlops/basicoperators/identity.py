"""Identity operator (with zero-padding or truncation when not square)."""

from __future__ import annotations

import jax.numpy as jnp

from jaxlops._validation import as_dtype, as_sizes
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Identity"]


def _fit(x, shape):
    """``x`` truncated or zero-padded at the end of each axis to ``shape``."""
    x = x[tuple(slice(0, n) for n in shape)]
    return jnp.pad(x, [(0, n - m) for n, m in zip(shape, x.shape)])


class Identity(LinearOperator):
    r"""Identity, or the leading block of one when data and model sizes differ.

    Parameters
    ----------
    N : int or tuple of int
        Data size (or shape, ``dimsd``).
    M : int or tuple of int, optional
        Model size (or shape, ``dims``); ``N`` when ``None``. ``N`` and ``M``
        must both be ints or both be tuples of the same length.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    For :math:`N = M`, :math:`\mathbf{y} = \mathbf{x}`. For :math:`N < M` the
    forward keeps the first :math:`N` samples (per axis) and the adjoint
    zero-pads; for :math:`N > M` the forward zero-pads and the adjoint keeps
    the first :math:`M` samples.

    PyLops equivalent: ``pylops.Identity(N, M, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> jl.Identity(4, 2, dtype="float32") @ jnp.array([1.0, 2.0])
    Array([1., 2., 0., 0.], dtype=float32)
    """

    N: object = static_field()
    M: object = static_field(default=None)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        N, M, dimsd, dims = as_sizes("Identity", self.N, self.M)
        if len(dims) != len(dimsd):
            raise ValueError(f"Identity: N={dimsd} and M={dims} must have the same number of dimensions")
        self._set(N=N, M=M, dims=dims, dimsd=dimsd, dtype=as_dtype("Identity", self.dtype))

    def _matvec(self, x):
        return x if self.dims == self.dimsd else _fit(x, self.dimsd)

    def _rmatvec(self, y):
        return y if self.dims == self.dimsd else _fit(y, self.dims)
