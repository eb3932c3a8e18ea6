"""Multi-dimensional Fredholm integral of the first kind (a batch of matrix products)."""

from __future__ import annotations

import dataclasses
import operator

import jax
import jax.numpy as jnp

from jaxlops._validation import as_array, holding_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Fredholm1"]


class Fredholm1(LinearOperator):
    r"""Fredholm integral of the first kind: one matrix product per slice.

    Parameters
    ----------
    G : array_like
        Kernel of shape ``(nsl, nx, ny)``. It is a pytree leaf (traceable,
        batchable, differentiable).
    nz : int, optional
        Number of columns of the model (and data) in each slice: the model is
        shaped ``(nsl, ny, nz)`` and the data ``(nsl, nx, nz)``.
    saveGt : bool, optional
        Store ``GT``, the conjugate transpose of ``G`` (a second leaf, twice
        the memory), and use it in the adjoint, which is then as fast as the
        forward; with ``False`` the adjoint contracts ``G`` directly (up to
        ~3x slower on CPU when ``nz > 1``). Either way, the same numbers.
    usematmul : bool, optional
        Accepted for compatibility: in PyLops it picks ``matmul`` or a loop
        of ``dot``; here it changes nothing (one batched product either way).
    dtype : str or numpy.dtype, optional
        Operator dtype: ``G`` is cast to it (to its complex counterpart when
        ``G`` is complex).

    Notes
    -----
    For every slice :math:`k`,

    .. math:: d(k, x, z) = \sum_y G(k, x, y)\, m(k, y, z), \quad
              m(k, y, z) = \sum_x \overline{G(k, x, y)}\, d(k, x, z) \;\text{(adjoint)},

    i.e. a block-diagonal matrix with the blocks :math:`\mathbf{G}_k`.

    With ``saveGt=True`` the adjoint reads the leaf ``GT``: derivatives of an
    adjoint application with respect to the operator's leaves land on ``GT``
    (build the operator from ``G`` inside the differentiated function to get
    them with respect to ``G``).

    PyLops equivalent: ``pylops.signalprocessing.Fredholm1(G, nz, saveGt, usematmul, dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.signalprocessing.fredholm1 import Fredholm1
    >>> G = jnp.array([[[1.0, 2.0]], [[3.0, 4.0]]])  # nsl=2, nx=1, ny=2
    >>> Op = Fredholm1(G, dtype="float32")
    >>> Op.dims, Op.dimsd
    ((2, 2, 1), (2, 1, 1))
    >>> Op @ jnp.ones((2, 2, 1))
    Array([[[3.]],
    <BLANKLINE>
           [[7.]]], dtype=float32)
    """

    G: jax.Array
    nz: int = static_field(default=1)
    saveGt: bool = static_field(default=True)
    usematmul: bool = static_field(default=True)
    dtype: object = static_field(default="float64")
    GT: jax.Array = dataclasses.field(init=False)

    def __post_init__(self):
        name = "Fredholm1"
        G = as_array(name, "G", self.G)
        if G.ndim != 3:
            raise ValueError(f"{name}: G must be a 3-D kernel of shape (nsl, nx, ny), got an array of shape {G.shape}")
        try:
            nz = operator.index(self.nz)
        except TypeError:
            raise TypeError(f"{name}: nz must be an int, got {self.nz!r}") from None
        if nz <= 0:
            raise ValueError(f"{name}: nz must be a positive int, got {nz}")
        nsl, nx, ny = G.shape
        dtype = holding_dtype(name, self.dtype, G)
        self._set(
            G=G.astype(dtype),
            GT=jnp.conj(G.astype(dtype)).transpose(0, 2, 1) if self.saveGt else None,
            nz=nz,
            saveGt=bool(self.saveGt),
            usematmul=bool(self.usematmul),
            dims=(nsl, ny, nz),
            dimsd=(nsl, nx, nz),
            dtype=dtype,
        )

    def _matvec(self, x):
        return jnp.matmul(self.G, x)

    def _rmatvec(self, y):
        if self.GT is not None:
            return jnp.matmul(self.GT, y)
        return jnp.einsum("kxy,kxz->kyz", jnp.conj(self.G), y)
