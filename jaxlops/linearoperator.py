"""The ``LinearOperator`` base class: pytree registration, shapes and algebra.

A concrete operator is a frozen dataclass that declares its fields and writes
``_matvec`` (forward) and ``_rmatvec`` (Hermitian adjoint) as pure ``jnp`` code
on arrays shaped ``dims`` and ``dimsd``. Everything else comes from here.
"""

from __future__ import annotations

import abc
import dataclasses
import functools
import numbers
import typing

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops._primitive import apply
from jaxlops._validation import numel

__all__ = ["LinearOperator", "static_field", "aslinearoperator"]


def static_field(**kwargs):
    """A dataclass field holding static configuration (pytree metadata, not a leaf).

    Fields declared without it are pytree children: arrays, operators, or
    tuples of operators. Static values must be hashable and compare by value
    (ints, tuples, strings, dtypes, functions); changing one recompiles.
    """
    return dataclasses.field(metadata={"static": True}, **kwargs)


_SHAPE_ATTRIBUTES = ("dims", "dimsd", "dtype")


@functools.cache
def _field_names(cls):
    """Names of the pytree children and of the static values of an operator class.

    ``dims``, ``dimsd`` and ``dtype`` are always static, declared as fields or
    only set in ``__post_init__``.
    """
    fields = dataclasses.fields(cls)
    children = tuple(f.name for f in fields if not f.metadata.get("static", False))
    static = tuple(f.name for f in fields if f.metadata.get("static", False))
    static += tuple(name for name in _SHAPE_ATTRIBUTES if name not in children + static)
    return children, static


def _flatten(op):
    children, static = _field_names(type(op))
    return (
        tuple(getattr(op, name) for name in children),
        tuple(getattr(op, name) for name in static),
    )


def _unflatten(cls, static_values, child_values):
    # Bypass __init__: leaves may be tracers, batched arrays or placeholders
    # that construction-time validation must not see.
    op = object.__new__(cls)
    children, static = _field_names(cls)
    for name, value in zip(children + static, tuple(child_values) + tuple(static_values)):
        object.__setattr__(op, name, value)
    return op


@typing.dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, static_field))
def _child_operators(op):
    """The operators held in ``op``'s fields (directly or in tuples and lists)."""
    for field in dataclasses.fields(op):
        value = getattr(op, field.name, None)
        for item in value if isinstance(value, tuple | list) else (value,):
            for sub in item if isinstance(item, tuple | list) else (item,):
                if isinstance(sub, LinearOperator):
                    yield sub


class LinearOperator(abc.ABC):
    """Base class of every jaxlops operator.

    Subclasses are made frozen dataclasses and registered as JAX pytrees
    automatically: array fields (and sub-operators) are leaves, fields made
    with :func:`static_field` are static metadata. A subclass defines

    * the static attributes ``dims`` (model shape), ``dimsd`` (data shape) and
      ``dtype``, normalised in ``__post_init__`` (use ``self._set``);
    * ``_matvec(x)``: forward, ``x`` shaped ``dims`` -> shaped ``dimsd``;
    * ``_rmatvec(y)``: Hermitian adjoint, ``y`` shaped ``dimsd`` -> ``dims``.

    Applying an operator (``Op @ x``, ``Op.matvec(x)``, ``Op(x)``, ``Op * x``)
    accepts a flat vector of length ``M`` or an array shaped ``dims`` and
    returns the same kind (flat in, flat out). Where ``dims`` is 1-D and
    ``dimsd`` is not, ``Op.matvec(x)`` is flat and ``Op @ x`` is shaped
    ``dimsd``, as in PyLops 2. It works under ``jax.jit``,
    ``jax.vmap`` (over inputs and operator leaves), ``jax.grad``/``jax.vjp``
    (which use the hand-written ``_rmatvec``), ``jax.jvp``/``jax.jacfwd``,
    ``jax.hessian`` and ``jax.linear_transpose``.

    Inputs follow NumPy type promotion: a real operator applied to a complex
    vector acts on its real and imaginary parts and returns a complex vector;
    integer inputs are cast to the operator's ``dtype``.

    Attributes
    ----------
    shape : tuple of int
        ``(N, M)``, the sizes of the data and model vectors.
    dims, dimsd : tuple of int
        Model and data shapes.
    dtype : numpy.dtype
        The dtype the operator computes in (``float64`` is ``float32`` unless
        ``jax_enable_x64`` is set, as everywhere in JAX).

    Examples
    --------
    >>> import jax, jax.numpy as jnp
    >>> import jaxlops as jl
    >>> class Twice(jl.LinearOperator):
    ...     n: int = jl.static_field()
    ...     def __post_init__(self):
    ...         self._set(dims=(self.n,), dimsd=(self.n,), dtype=jnp.dtype("float32"))
    ...     def _matvec(self, x):
    ...         return 2 * x
    ...     def _rmatvec(self, y):
    ...         return 2 * y
    >>> Op = Twice(3)
    >>> Op @ jnp.ones(3)
    Array([2., 2., 2.], dtype=float32)
    """

    __array_ufunc__ = None  # NumPy defers `array * Op` to our reflected methods

    @property
    def complex_linear(self):
        """``False`` for operators that are only real-linear (``Real``, ``Imag``,
        ``Conj``, ``toreal()``): their adjoint is for the real inner product
        ``Re <u, v>``. An operator built from others (``A @ B``, ``VStack``, ...)
        is complex-linear when all of them are."""
        return all(child.complex_linear for child in _child_operators(self))

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(frozen=True, eq=False, repr=False)(cls)
        jax.tree_util.register_pytree_node(cls, _flatten, functools.partial(_unflatten, cls))

    # -- to be written by subclasses -----------------------------------------

    @abc.abstractmethod
    def _matvec(self, x):
        """Forward: ``x`` shaped ``dims`` -> array shaped ``dimsd``."""

    @abc.abstractmethod
    def _rmatvec(self, y):
        """Hermitian adjoint: ``y`` shaped ``dimsd`` -> array shaped ``dims``."""

    def _set(self, **values):
        """Set (normalised) fields from ``__post_init__`` of a frozen operator."""
        for name, value in values.items():
            object.__setattr__(self, name, value)

    # -- shapes ----------------------------------------------------------------

    @property
    def shape(self):
        """``(N, M)``: number of data samples by number of model samples."""
        return (numel(self.dimsd), numel(self.dims))

    def __repr__(self):
        try:
            n, m = self.shape
        except AttributeError:  # construction failed before the shapes were set
            return f"<{type(self).__name__} (incomplete)>"
        return f"<{n}x{m} {type(self).__name__}, dims={self.dims}, dimsd={self.dimsd}, dtype={self.dtype}>"

    # -- application -----------------------------------------------------------

    def matvec(self, x):
        """Apply the operator to ``x`` (flat, length ``M``, or shaped ``dims``)."""
        return self._apply(x, adjoint=False)

    def rmatvec(self, y):
        """Apply the adjoint to ``y`` (flat, length ``N``, or shaped ``dimsd``)."""
        return self._apply(y, adjoint=True)

    def _apply(self, x, adjoint, shaped_first=False):
        """Apply to a flat or ``dims``-shaped ``x``; the output follows the input.

        When ``dims`` is 1-D a 1-D input is both: ``matvec``/``rmatvec`` read
        it as flat (flat output), ``@`` as shaped (output shaped ``dimsd``),
        as PyLops 2 does.
        """
        dims_in = self.dimsd if adjoint else self.dims
        x = jnp.asarray(x)
        if not jnp.issubdtype(x.dtype, jnp.inexact):
            x = x.astype(self.dtype)
        if shaped_first and x.shape == dims_in:
            return apply(self, x, adjoint)
        if x.shape == (numel(dims_in),):
            return apply(self, x, adjoint).reshape(-1)
        if x.shape == dims_in:
            return apply(self, x, adjoint)
        method = "rmatvec" if adjoint else "matvec"
        raise ValueError(
            f"{type(self).__name__}.{method}: dimension mismatch, expected an input of "
            f"shape ({numel(dims_in)},) or {dims_in}, got {x.shape}"
        )

    def matmat(self, X):
        """Apply the operator to each column of ``X`` shaped ``(M, K)``."""
        return self._apply_columns(X, self.matvec, self.shape[1], "matmat")

    def rmatmat(self, Y):
        """Apply the adjoint to each column of ``Y`` shaped ``(N, K)``."""
        return self._apply_columns(Y, self.rmatvec, self.shape[0], "rmatmat")

    def _apply_columns(self, X, fun, rows, method):
        X = jnp.asarray(X)
        if X.ndim != 2 or X.shape[0] != rows:
            raise ValueError(
                f"{type(self).__name__}.{method}: expected a 2-D array with {rows} rows, got shape {X.shape}"
            )
        return jax.vmap(fun, in_axes=1, out_axes=1)(X)

    def dot(self, x):
        """``Op @ x``: an operator gives the product operator, an array the result.

        A flat vector or an array shaped ``dims`` is a vector (``matvec``); a
        2-D array with ``M`` rows is a set of columns (``matmat``).
        """
        if isinstance(x, LinearOperator):
            return ProductOperator(self, x)
        x = jnp.asarray(x)
        if x.ndim == 2 and x.shape[0] == self.shape[1] and x.shape != self.dims:
            return self.matmat(x)
        return self._apply(x, adjoint=False, shaped_first=True)

    __matmul__ = dot
    __call__ = dot

    def __mul__(self, other):
        if _is_scalar(other):
            return ScaledOperator(self, other)
        return self.dot(other)

    def __rmul__(self, other):
        if _is_scalar(other):
            return ScaledOperator(self, other)
        return NotImplemented

    def __truediv__(self, other):
        if _is_scalar(other):
            return ScaledOperator(self, 1 / jnp.asarray(other))
        return self.div(other)

    def div(self, y, niter=100):
        """Solve ``Op x = y`` in the least-squares sense with :func:`~jaxlops.lsqr` (``Op / y``),
        stopping as SciPy's ``lsqr``, which PyLops calls here (``atol = btol = 1e-8``)."""
        from jaxlops.optimization.lsqr import lsqr

        return lsqr(self, y, niter=niter, stopping="scipy").x

    def eigs(self, neigs=None, symmetric=False, niter=None, which="LM"):
        """A few eigenvalues (singular values if rectangular): see :func:`jaxlops.optimization.eigs.eigs`."""
        from jaxlops.optimization.eigs import eigs

        return eigs(self, neigs=neigs, symmetric=symmetric, niter=niter, which=which)

    def cond(self, **kwargs_eig):
        """Condition number: see :func:`jaxlops.optimization.eigs.cond`."""
        from jaxlops.optimization.eigs import cond

        return cond(self, **kwargs_eig)

    def __neg__(self):
        return ScaledOperator(self, -1)

    def __add__(self, other):
        if isinstance(other, LinearOperator):
            return SumOperator(self, other)
        return NotImplemented

    def __sub__(self, other):
        if isinstance(other, LinearOperator):
            return SumOperator(self, -other)
        return NotImplemented

    def __pow__(self, p):
        return PowerOperator(self, p)

    # -- derived operators -----------------------------------------------------

    @property
    def H(self):
        """The Hermitian adjoint operator."""
        return AdjointOperator(self)

    @property
    def T(self):
        """The transpose operator (no conjugation)."""
        return TransposeOperator(self)

    def adjoint(self):
        """The Hermitian adjoint operator (same as ``Op.H``)."""
        return self.H

    def transpose(self):
        """The transpose operator (same as ``Op.T``)."""
        return self.T

    def conj(self):
        """The complex-conjugate operator."""
        return ConjOperator(self)

    def toreal(self, forw=True, adj=True):
        """Keep the real part of the forward (``forw``) and/or adjoint (``adj``) output."""
        return RealImagOperator(self, forw=forw, adj=adj, real=True)

    def toimag(self, forw=True, adj=True):
        """Keep the imaginary part of the forward and/or adjoint output."""
        return RealImagOperator(self, forw=forw, adj=adj, real=False)

    def apply_columns(self, cols):
        """The operator restricted to the model samples (columns) ``cols``."""
        from jaxlops.basicoperators.restriction import Restriction

        return self @ Restriction(self.shape[1], cols, dtype=self.dtype).H

    def todense(self):
        """The dense ``(N, M)`` matrix of the operator."""
        return self.matmat(jnp.eye(self.shape[1], dtype=self.dtype))


def aslinearoperator(Op):
    """Return ``Op`` if it is a jaxlops operator, a :class:`MatrixMult` if it is a matrix."""
    if isinstance(Op, LinearOperator):
        return Op
    from jaxlops.basicoperators.matrixmult import MatrixMult

    A = jnp.asarray(Op)
    return MatrixMult(A, dtype=A.dtype)


def _is_scalar(value):
    if isinstance(value, numbers.Number):
        return True
    return isinstance(value, (np.ndarray, np.generic, jax.Array)) and np.ndim(value) == 0


# The algebra needs the base class, and the base class returns algebra nodes.
from jaxlops._algebra import (  # noqa: E402
    AdjointOperator,
    ConjOperator,
    PowerOperator,
    ProductOperator,
    RealImagOperator,
    ScaledOperator,
    SumOperator,
    TransposeOperator,
)
