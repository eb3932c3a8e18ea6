"""jaxlops operators as SciPy linear operators."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import scipy.sparse.linalg

from jaxlops.interop._compiled import apply_flat
from jaxlops.linearoperator import LinearOperator

__all__ = ["to_scipy"]


class _ScipyOperator(scipy.sparse.linalg.LinearOperator):
    def __init__(self, Op):
        self.Op = Op
        super().__init__(dtype=np.dtype(Op.dtype), shape=Op.shape)

    def _run(self, x, adjoint):
        x = np.asarray(x)
        rows = self.shape[1 if adjoint else 0]
        flat = x[:, 0] if x.ndim == 2 and x.shape[1] == 1 else x
        y = np.array(apply_flat(self.Op, jnp.asarray(flat), adjoint=adjoint).block_until_ready())  # writable
        return y.reshape(rows, *x.shape[1:])

    def _matvec(self, x):
        return self._run(x, adjoint=False)

    def _rmatvec(self, y):
        return self._run(y, adjoint=True)

    def _matmat(self, X):
        return self._run(X, adjoint=False)

    def _rmatmat(self, Y):
        return self._run(Y, adjoint=True)

    def _adjoint(self):
        return _ScipyOperator(self.Op.H)


def to_scipy(Op):
    r"""Make a jaxlops operator a ``scipy.sparse.linalg.LinearOperator``.

    ``matvec``, ``rmatvec``, ``matmat`` and ``rmatmat`` take and return NumPy
    arrays and call the compiled jaxlops operator (``matmat`` as one vmapped
    call), so SciPy's iterative solvers (``lsqr``, ``lsmr``, ``cg``, ``gmres``,
    ``eigsh``, ``svds``) run on it.

    Parameters
    ----------
    Op : LinearOperator
        The jaxlops operator.

    Returns
    -------
    scipy.sparse.linalg.LinearOperator
        Shape ``Op.shape``, dtype ``Op.dtype``; its adjoint ``.H`` is ``Op.H``.

    Notes
    -----
    PyLops equivalent: PyLops operators are SciPy linear operators already
    (``pylops.LinearOperator`` subclasses ``scipy.sparse.linalg.LinearOperator``).

    Examples
    --------
    >>> import numpy as np, scipy, jax.numpy as jnp, jaxlops as jl
    >>> from jaxlops.interop import to_scipy
    >>> S = to_scipy(jl.Diagonal(jnp.array([1.0, 2.0, 4.0]), dtype="float32"))
    >>> S.matvec(np.ones(3, dtype="float32"))
    array([1., 2., 4.], dtype=float32)
    >>> scipy.sparse.linalg.lsqr(S, np.array([1.0, 2.0, 4.0]))[0].round(6)
    array([1., 1., 1.])
    """
    if not isinstance(Op, LinearOperator):
        raise TypeError(f"to_scipy: Op must be a jaxlops LinearOperator, got {type(Op).__name__}")
    return _ScipyOperator(Op)
