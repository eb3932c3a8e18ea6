"""Imaginary-part operator."""

from __future__ import annotations

import jax.numpy as jnp
from jax import lax

from jaxlops._validation import as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Imag"]


class Imag(LinearOperator):
    r"""The imaginary part of the model, as real numbers; the adjoint makes
    real data purely imaginary.

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape.
    dtype : str or numpy.dtype, optional
        Operator dtype, complex as in PyLops. A real dtype is accepted, as
        PyLops does, and makes ``Imag`` the zero operator on real vectors.

    Notes
    -----
    .. math:: y_i = \Im\{x_i\}, \quad x_i = 0 + i\,\Re\{y_i\} \;\text{(adjoint)}.

    The forward returns the real dtype of matching precision, the adjoint a
    complex one. ``Imag`` is only real-linear (``complex_linear`` is
    ``False``): its adjoint is for the real inner product
    :math:`\Re\langle \mathbf{u}, \mathbf{v} \rangle`, and ``jax.grad``
    through it agrees with ``jnp.imag``.

    PyLops equivalent: ``pylops.Imag(dims, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> I = jl.Imag(2, dtype="complex64")
    >>> I @ jnp.array([1 + 2j, 3 - 4j], dtype="complex64")
    Array([ 2., -4.], dtype=float32)
    >>> I.H @ jnp.array([2.0, -4.0], dtype="float32")
    Array([0.+2.j, 0.-4.j], dtype=complex64)
    """

    complex_linear = False

    dims: tuple = static_field()
    dtype: object = static_field(default="complex128")

    def __post_init__(self):
        dims = as_dims("Imag", "dims", self.dims)
        self._set(dims=dims, dimsd=dims, dtype=as_dtype("Imag", self.dtype))

    def _matvec(self, x):
        return jnp.imag(x.astype(jnp.result_type(self.dtype, x.dtype)))

    def _rmatvec(self, y):
        dtype = jnp.result_type(self.dtype, y.dtype)
        if not jnp.issubdtype(dtype, jnp.complexfloating):
            return jnp.zeros(self.dims, dtype)  # PyLops: the imaginary part is dropped
        re = jnp.real(y).astype(jnp.finfo(dtype).dtype)
        return lax.complex(jnp.zeros_like(re), re)  # +0 real parts, as PyLops' 0 + 1j * y
