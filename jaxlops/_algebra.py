"""Operators built by the algebra of the base class: ``A @ B``, ``A + B``,
``c * A``, ``A.H``, ``A.T``, ``A.conj()``, ``A ** p``, ``A.toreal()``.

Each is a small pytree operator holding its operands; nothing is evaluated
until it is applied. Operands are applied through ``apply`` (the primitive, on
arrays shaped ``dims``/``dimsd``) so that each keeps its own differentiation
rule; the public ``matvec`` would read a 1-D input as flat.
"""

from __future__ import annotations

import operator

import jax
import jax.numpy as jnp

from jaxlops._primitive import apply
from jaxlops._validation import result_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = [
    "AdjointOperator",
    "ConjOperator",
    "PowerOperator",
    "ProductOperator",
    "RealImagOperator",
    "ScaledOperator",
    "SumOperator",
    "TransposeOperator",
]


def _name(op):
    return f"{type(op).__name__} of shape {op.shape}"


class ProductOperator(LinearOperator):
    """``A @ B``: apply ``B`` then ``A``."""

    A: LinearOperator
    B: LinearOperator

    def __post_init__(self):
        if self.A.shape[1] != self.B.shape[0]:
            raise ValueError(
                f"Cannot compose {_name(self.A)} @ {_name(self.B)}: "
                f"A has {self.A.shape[1]} columns but B has {self.B.shape[0]} rows"
            )
        self._set(dims=self.B.dims, dimsd=self.A.dimsd, dtype=result_dtype(self.A.dtype, self.B.dtype))

    def _matvec(self, x):
        return apply(self.A, apply(self.B, x))

    def _rmatvec(self, y):
        return apply(self.B, apply(self.A, y, adjoint=True), adjoint=True)


class SumOperator(LinearOperator):
    """``A + B``."""

    A: LinearOperator
    B: LinearOperator

    def __post_init__(self):
        if self.A.shape != self.B.shape:
            raise ValueError(f"Cannot add {_name(self.A)} and {_name(self.B)}: shapes differ")
        self._set(dims=self.A.dims, dimsd=self.A.dimsd, dtype=result_dtype(self.A.dtype, self.B.dtype))

    def _matvec(self, x):
        return apply(self.A, x) + apply(self.B, x).reshape(self.dimsd)

    def _rmatvec(self, y):
        return apply(self.A, y, adjoint=True) + apply(self.B, y, adjoint=True).reshape(self.dims)


class ScaledOperator(LinearOperator):
    """``scalar * Op``; the scalar is a leaf (it can be traced or differentiated)."""

    Op: LinearOperator
    scalar: jax.Array

    def __post_init__(self):
        scalar = jnp.asarray(self.scalar)
        if scalar.ndim != 0:
            raise ValueError(f"ScaledOperator: scalar must be a scalar, got an array of shape {scalar.shape}")
        dtype = result_dtype(self.Op.dtype, scalar)
        # A strongly typed leaf: a weak Python scalar must not change dtypes later.
        self._set(scalar=scalar.astype(dtype), dims=self.Op.dims, dimsd=self.Op.dimsd, dtype=dtype)

    def _matvec(self, x):
        return self.scalar * apply(self.Op, x)

    def _rmatvec(self, y):
        return jnp.conj(self.scalar) * apply(self.Op, y, adjoint=True)


class AdjointOperator(LinearOperator):
    """``Op.H``: the Hermitian adjoint."""

    Op: LinearOperator

    def __post_init__(self):
        self._set(dims=self.Op.dimsd, dimsd=self.Op.dims, dtype=self.Op.dtype)

    @property
    def H(self):
        return self.Op

    def _matvec(self, x):
        return apply(self.Op, x, adjoint=True)

    def _rmatvec(self, y):
        return apply(self.Op, y)


class TransposeOperator(LinearOperator):
    """``Op.T``: the transpose, ``Op.T @ x = conj(Op.H @ conj(x))``."""

    Op: LinearOperator

    def __post_init__(self):
        self._set(dims=self.Op.dimsd, dimsd=self.Op.dims, dtype=self.Op.dtype)

    @property
    def T(self):
        return self.Op

    def _matvec(self, x):
        return jnp.conj(apply(self.Op, jnp.conj(x), adjoint=True))

    def _rmatvec(self, y):
        return jnp.conj(apply(self.Op, jnp.conj(y)))


class ConjOperator(LinearOperator):
    """``Op.conj()``: ``conj(Op) @ x = conj(Op @ conj(x))``."""

    Op: LinearOperator

    def __post_init__(self):
        self._set(dims=self.Op.dims, dimsd=self.Op.dimsd, dtype=self.Op.dtype)

    def conj(self):
        return self.Op

    def _matvec(self, x):
        return jnp.conj(apply(self.Op, jnp.conj(x)))

    def _rmatvec(self, y):
        return jnp.conj(apply(self.Op, jnp.conj(y), adjoint=True))


class PowerOperator(LinearOperator):
    """``Op ** p``: ``Op`` applied ``p`` times (``p = 0`` is the identity)."""

    Op: LinearOperator
    p: int = static_field()

    def __post_init__(self):
        try:
            p = operator.index(self.p)
        except TypeError:
            raise TypeError(f"PowerOperator: p must be an int, got {self.p!r}") from None
        if p < 0:
            raise ValueError(f"PowerOperator: p must be non-negative, got {p}")
        if self.Op.shape[0] != self.Op.shape[1]:
            raise ValueError(f"PowerOperator: Op must be square, got {_name(self.Op)}")
        dimsd = self.Op.dimsd if p > 0 else self.Op.dims
        self._set(p=p, dims=self.Op.dims, dimsd=dimsd, dtype=self.Op.dtype)

    def _matvec(self, x):
        for _ in range(self.p):
            x = apply(self.Op, x)
        return x

    def _rmatvec(self, y):
        for _ in range(self.p):
            y = apply(self.Op, y, adjoint=True)
        return y.reshape(self.dims)


class RealImagOperator(LinearOperator):
    """``Op.toreal()`` / ``Op.toimag()``: keep the real (imaginary) part of the
    forward output when ``forw`` and of the adjoint output when ``adj``.

    As in PyLops, the adjoint keeps the imaginary part of the conjugate
    (``-imag``), and the dtype is the real counterpart of ``Op.dtype``. The
    forward and adjoint are a real-linear adjoint pair when both are projected.
    """

    Op: LinearOperator
    forw: bool = static_field(default=True)
    adj: bool = static_field(default=True)
    real: bool = static_field(default=True)

    complex_linear = False

    def __post_init__(self):
        self._set(dims=self.Op.dims, dimsd=self.Op.dimsd, dtype=jnp.finfo(self.Op.dtype).dtype)

    def _matvec(self, x):
        y = apply(self.Op, x)
        if not self.forw:
            return y
        return jnp.real(y) if self.real else jnp.imag(y)

    def _rmatvec(self, y):
        x = apply(self.Op, y, adjoint=True)
        if not self.adj:
            return x
        return jnp.real(x) if self.real else -jnp.imag(x)
