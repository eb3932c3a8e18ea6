"""Operator from a pair of functions."""

from __future__ import annotations

from collections.abc import Callable

from jaxlops._validation import as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["FunctionOperator"]


class FunctionOperator(LinearOperator):
    r"""Linear operator from a forward and an adjoint function.

    Parameters
    ----------
    matvec : callable
        Forward: takes an array shaped ``dims``, returns an array of ``N``
        samples (it is reshaped to ``dimsd``). Must be written in ``jnp``.
    rmatvec : callable
        Hermitian adjoint: takes an array shaped ``dimsd``, returns an array of
        ``M`` samples. This is what ``jax.grad`` and ``jax.vjp`` use: a wrong
        adjoint gives wrong gradients (``jaxlops.utils.dottest`` catches it).
    dims : int or tuple of int
        Model shape.
    dimsd : int or tuple of int, optional
        Data shape; ``dims`` when ``None``.
    dtype : str or numpy.dtype, optional
        Operator dtype; JAX's default float when ``None``.

    Notes
    -----
    The functions are static: they are hashed by identity, so passing new
    ``lambda``\ s makes ``jax.jit`` recompile. Arrays they close over are
    compiled in as constants; to trace or differentiate with respect to an
    array, write a :class:`~jaxlops.LinearOperator` subclass with the array as
    a field instead.

    PyLops equivalent: ``pylops.FunctionOperator(f, fc, N, M)`` (flat vectors
    and sizes there; shapes here).

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> Op = jl.FunctionOperator(lambda x: jnp.cumsum(x),
    ...                          lambda y: jnp.cumsum(y[::-1])[::-1], 3)
    >>> Op @ jnp.ones(3, dtype="float32")
    Array([1., 2., 3.], dtype=float32)
    """

    # The functions cannot be stored as ``matvec``/``rmatvec``: those names are
    # the methods that apply the operator.
    matvec_fn: Callable = static_field()
    rmatvec_fn: Callable = static_field()

    def __init__(self, matvec, rmatvec, dims, dimsd=None, dtype=None):
        for arg, fn in (("matvec", matvec), ("rmatvec", rmatvec)):
            if not callable(fn):
                raise TypeError(f"FunctionOperator: {arg} must be callable, got {fn!r}")
        dims = as_dims("FunctionOperator", "dims", dims)
        dimsd = dims if dimsd is None else as_dims("FunctionOperator", "dimsd", dimsd)
        self._set(
            matvec_fn=matvec,
            rmatvec_fn=rmatvec,
            dims=dims,
            dimsd=dimsd,
            dtype=as_dtype("FunctionOperator", dtype),
        )

    def _matvec(self, x):
        return self.matvec_fn(x).reshape(self.dimsd)

    def _rmatvec(self, y):
        return self.rmatvec_fn(y).reshape(self.dims)
