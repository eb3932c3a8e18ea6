"""Real-part operator."""

from __future__ import annotations

import jax.numpy as jnp

from jaxlops._validation import as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Real"]


class Real(LinearOperator):
    r"""The real part of the model; the adjoint embeds real data as complex.

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape.
    dtype : str or numpy.dtype, optional
        Operator dtype, complex as in PyLops. A real dtype is accepted, as
        PyLops does, and makes ``Real`` the identity on real vectors.

    Notes
    -----
    .. math:: y_i = \Re\{x_i\}, \quad x_i = \Re\{y_i\} + 0i \;\text{(adjoint)}.

    The forward returns the real dtype of matching precision, the adjoint a
    complex one. ``Real`` is only real-linear (``complex_linear`` is
    ``False``): its adjoint is for the real inner product
    :math:`\Re\langle \mathbf{u}, \mathbf{v} \rangle`, and ``jax.grad``
    through it agrees with ``jnp.real``.

    PyLops equivalent: ``pylops.Real(dims, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> R = jl.Real(2, dtype="complex64")
    >>> R @ jnp.array([1 + 2j, 3 - 4j], dtype="complex64")
    Array([1., 3.], dtype=float32)
    >>> R.H @ jnp.array([1.0, 3.0], dtype="float32")
    Array([1.+0.j, 3.+0.j], dtype=complex64)
    """

    complex_linear = False

    dims: tuple = static_field()
    dtype: object = static_field(default="complex128")

    def __post_init__(self):
        dims = as_dims("Real", "dims", self.dims)
        self._set(dims=dims, dimsd=dims, dtype=as_dtype("Real", self.dtype))

    def _matvec(self, x):
        return jnp.real(x.astype(jnp.result_type(self.dtype, x.dtype)))

    def _rmatvec(self, y):
        return jnp.real(y).astype(jnp.result_type(self.dtype, y.dtype))
