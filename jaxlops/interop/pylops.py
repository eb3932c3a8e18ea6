"""PyLops operators in jaxlops (host callbacks) and jaxlops operators in PyLops."""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pylops
import scipy.sparse.linalg

from jaxlops._validation import as_dims, as_dtype, numel
from jaxlops.interop._compiled import apply_flat
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["PyLopsOperator", "from_pylops", "to_pylops"]


def _host_apply(Op, adjoint, dims_in, dims_out, dtype, x):
    """Apply the PyLops operator on the host to ``x`` shaped ``(*batch, *dims_in)``: one matmat for a batch."""
    x = np.asarray(x)
    batch = x.shape[: x.ndim - len(dims_in)]
    if numel(batch) > 1:
        X = x.reshape(-1, numel(dims_in)).T
        y = (Op.rmatmat(X) if adjoint else Op.matmat(X)).T
    else:
        y = Op.rmatvec(x.ravel()) if adjoint else Op.matvec(x.ravel())
    return np.asarray(y).astype(dtype, copy=False).reshape(*batch, *dims_out)


class PyLopsOperator(LinearOperator):
    r"""A NumPy PyLops operator as a jaxlops operator; build it with :func:`from_pylops`.

    Each application is a host callback (``jax.pure_callback``): it works under
    ``jax.jit`` (solvers included), ``jax.vmap`` (a batch is one ``matmat``
    call) and ``jax.grad``/``jax.jvp`` (through the operator's ``rmatvec`` and
    ``matvec``), but it runs on the CPU in NumPy, with a device-to-host round
    trip per application on a GPU, and cannot be traced through, sharded or
    differentiated with respect to the PyLops operator's own arrays.

    Parameters
    ----------
    Op : pylops.LinearOperator
        The PyLops operator (kept by reference, compared by identity: a new
        operator compiles anew).
    """

    Op: object = static_field()
    clinear: bool = static_field(default=True)

    def __init__(self, Op):
        if not isinstance(Op, pylops.LinearOperator):
            raise TypeError(f"from_pylops: Op must be a pylops.LinearOperator, got {type(Op).__name__}")
        self._set(
            Op=Op,
            clinear=bool(getattr(Op, "clinear", True)),
            dims=as_dims("from_pylops", "Op.dims", Op.dims),
            dimsd=as_dims("from_pylops", "Op.dimsd", Op.dimsd),
            dtype=as_dtype("from_pylops", Op.dtype),
        )

    @property
    def complex_linear(self):
        return self.clinear

    def _matvec(self, x):
        return self._callback(x, adjoint=False)

    def _rmatvec(self, y):
        return self._callback(y, adjoint=True)

    def _callback(self, x, adjoint):
        real_operator = not jnp.issubdtype(self.dtype, jnp.complexfloating)
        if real_operator and jnp.iscomplexobj(x):
            # NumPy promotion, as every jaxlops operator: act on both parts.
            return self._callback(x.real, adjoint) + 1j * self._callback(x.imag, adjoint)
        dtype = jnp.result_type(self.dtype, x.dtype)
        dims_in, dims_out = (self.dimsd, self.dims) if adjoint else (self.dims, self.dimsd)
        host = functools.partial(_host_apply, self.Op, adjoint, dims_in, dims_out, np.dtype(dtype))
        return jax.pure_callback(
            host, jax.ShapeDtypeStruct(dims_out, dtype), x.astype(dtype), vmap_method="expand_dims"
        )


def from_pylops(Op):
    r"""Make a NumPy PyLops operator (or a SciPy linear operator) a jaxlops operator.

    This opens all of PyLops' catalogue to jaxlops' solvers and to JAX
    transformations. The operator runs on the host, in NumPy, through
    ``jax.pure_callback``: see :class:`PyLopsOperator` for what that allows.

    Parameters
    ----------
    Op : pylops.LinearOperator or scipy.sparse.linalg.LinearOperator
        A PyLops operator working on NumPy arrays. An operator made by
        :func:`to_pylops` gives back the jaxlops operator it wraps.

    Returns
    -------
    LinearOperator
        A :class:`PyLopsOperator` with the same ``dims``, ``dimsd`` and
        ``dtype`` (``float64`` becomes ``float32`` unless ``jax_enable_x64``).

    Notes
    -----
    PyLops equivalent: none. ``pylops.JaxOperator`` runs a PyLops operator
    whose code works on JAX arrays; this takes any NumPy operator, on the host.

    Examples
    --------
    >>> import numpy as np, pylops, jax, jaxlops as jl
    >>> from jaxlops.interop import from_pylops
    >>> Op = from_pylops(pylops.LinearRegression(np.arange(4.0), dtype="float32"))
    >>> Op @ np.array([1.0, 2.0], dtype="float32")
    Array([1., 3., 5., 7.], dtype=float32)
    >>> solve = jax.jit(lambda op, y: jl.cgls(op, y, niter=10).x)
    >>> solve(Op, np.array([1.0, 3.0, 5.0, 7.0], dtype="float32")).round(4)
    Array([1., 2.], dtype=float32)
    """
    if isinstance(Op, JaxlopsOperator):
        return Op.Op
    if isinstance(Op, LinearOperator):
        raise TypeError("from_pylops: Op is already a jaxlops operator")
    if isinstance(Op, scipy.sparse.linalg.LinearOperator) and not isinstance(Op, pylops.LinearOperator):
        Op = pylops.aslinearoperator(Op)
    return PyLopsOperator(Op)


class JaxlopsOperator(pylops.LinearOperator):
    """A jaxlops operator as a ``pylops.LinearOperator``; build it with :func:`to_pylops`."""

    def __init__(self, Op):
        self.Op = Op
        super().__init__(
            dtype=np.dtype(Op.dtype),
            dims=Op.dims,
            dimsd=Op.dimsd,
            clinear=Op.complex_linear,
            explicit=False,
            name="J",
        )

    def _run(self, x, adjoint):
        rows = self.shape[1 if adjoint else 0]
        # A writable copy: PyLops' solvers update their vectors in place.
        y = np.array(apply_flat(self.Op, jnp.asarray(x), adjoint=adjoint).block_until_ready())
        return y.reshape(rows, *x.shape[1:])

    def _matvec(self, x):
        return self._run(np.ravel(x), adjoint=False)

    def _rmatvec(self, y):
        return self._run(np.ravel(y), adjoint=True)

    def _matmat(self, X):
        return self._run(np.asarray(X), adjoint=False)

    def _rmatmat(self, Y):
        return self._run(np.asarray(Y), adjoint=True)


def to_pylops(Op):
    r"""Make a jaxlops operator a ``pylops.LinearOperator`` (NumPy in, NumPy out).

    ``matvec``, ``rmatvec``, ``matmat`` and ``rmatmat`` call the compiled
    jaxlops operator (``matmat`` as one vmapped call); the results are
    writable NumPy arrays, so PyLops' solvers, ``dottest`` and operator algebra
    work on it unchanged.

    Parameters
    ----------
    Op : LinearOperator
        The jaxlops operator. An operator made by :func:`from_pylops` gives
        back the PyLops operator it wraps.

    Returns
    -------
    pylops.LinearOperator

    Notes
    -----
    PyLops equivalent: none (the result is a plain ``pylops.LinearOperator``).

    Examples
    --------
    >>> import numpy as np, pylops, jax.numpy as jnp, jaxlops as jl
    >>> from jaxlops.interop import to_pylops
    >>> POp = to_pylops(jl.Diagonal(jnp.array([1.0, 2.0, 4.0]), dtype="float32"))
    >>> POp.matvec(np.ones(3, dtype="float32"))
    array([1., 2., 4.], dtype=float32)
    >>> pylops.optimization.basic.cgls(POp, np.array([1.0, 2.0, 4.0]), niter=5)[0].round(4)
    array([1., 1., 1.])
    """
    if isinstance(Op, PyLopsOperator):
        return Op.Op
    if not isinstance(Op, LinearOperator):
        raise TypeError(f"to_pylops: Op must be a jaxlops LinearOperator, got {type(Op).__name__}")
    return JaxlopsOperator(Op)
