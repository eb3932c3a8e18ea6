"""Complex-conjugate operator."""

from __future__ import annotations

import jax.numpy as jnp

from jaxlops._validation import as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Conj"]


class Conj(LinearOperator):
    r"""The complex conjugate of the model; it is its own adjoint.

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape.
    dtype : str or numpy.dtype, optional
        Operator dtype, complex as in PyLops. With a real dtype ``Conj`` is
        the identity on real vectors.

    Notes
    -----
    .. math:: y_i = \Re\{x_i\} - i\,\Im\{x_i\}, \quad
              x_i = \Re\{y_i\} - i\,\Im\{y_i\} \;\text{(adjoint)}.

    ``Conj`` is only real-linear (``complex_linear`` is ``False``): its
    adjoint is for the real inner product
    :math:`\Re\langle \mathbf{u}, \mathbf{v} \rangle`, and ``jax.grad``
    through it agrees with ``jnp.conj``.

    PyLops equivalent: ``pylops.Conj(dims, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> jl.Conj(2, dtype="complex64") @ jnp.array([1 + 2j, 3 - 4j], dtype="complex64")
    Array([1.-2.j, 3.+4.j], dtype=complex64)
    """

    complex_linear = False

    dims: tuple = static_field()
    dtype: object = static_field(default="complex128")

    def __post_init__(self):
        dims = as_dims("Conj", "dims", self.dims)
        self._set(dims=dims, dimsd=dims, dtype=as_dtype("Conj", self.dtype))

    def _matvec(self, x):
        return jnp.conj(x.astype(jnp.result_type(self.dtype, x.dtype)))

    def _rmatvec(self, y):
        return jnp.conj(y.astype(jnp.result_type(self.dtype, y.dtype)))
