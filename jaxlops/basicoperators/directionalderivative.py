"""First and second directional derivative operators."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from jaxlops._validation import as_array, holding_dtype, numel
from jaxlops.basicoperators.firstderivative import _compute_dtype
from jaxlops.basicoperators.gradient import _derivatives, _derivatives_adjoint, _gradient_config
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["FirstDirectionalDerivative", "SecondDirectionalDerivative"]


class _DirectionalDerivative(LinearOperator):
    """Fields, checks and the first directional derivative shared by both operators."""

    dims: tuple = static_field()
    v: jax.Array
    sampling: tuple = static_field(default=1.0)
    edge: bool = static_field(default=False)
    kind: str = static_field(default="centered")
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        name = type(self).__name__
        dims, sampling, edge, kind = _gradient_config(name, self.dims, self.sampling, self.edge, self.kind)
        v = as_array(name, "v", self.v)
        if not (v.shape == (len(dims),) or (v.ndim > 1 and v.size == len(dims) * numel(dims))):
            raise ValueError(
                f"{name}: v must be one direction of shape {(len(dims),)} or one per grid point of shape "
                f"{(len(dims), *dims)}, got shape {v.shape}"
            )
        dtype = holding_dtype(name, self.dtype, v)
        v = v.astype(dtype).reshape((len(dims),) + dims * (v.ndim > 1))
        self._set(dims=dims, dimsd=dims, v=v, sampling=sampling, edge=edge, kind=kind, dtype=dtype)

    def _first(self, x):
        return sum(self.v[a] * d for a, d in enumerate(_derivatives(self, x)))

    def _first_adjoint(self, y):
        return _derivatives_adjoint(self, [jnp.conj(self.v[a]) * y for a in range(len(self.dims))])


class FirstDirectionalDerivative(_DirectionalDerivative):
    r"""First derivative along a direction: the gradient projected on ``v``.

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape.
    v : array_like
        One direction, of shape ``(len(dims),)``, or one direction per grid
        point, of shape ``(len(dims), *dims)``. It is a pytree leaf cast to
        the operator dtype (its complex counterpart when ``v`` is complex).
    sampling : float or tuple of float, optional
        Sampling step of each axis (one number is used for all of them).
    edge : bool, optional
        Centered only: reduced-order stencils at the edges, as in :class:`Gradient`.
    kind : {"centered", "forward", "backward"}, optional
        Stencil of the first derivatives.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    With :math:`D_a` the first derivative along axis :math:`a` (see :class:`Gradient`),

    .. math:: \mathbf{y} = \sum_a \mathbf{v}_a \odot D_a \mathbf{x}
              = \nabla \mathbf{x} \cdot \mathbf{v}, \quad
              \mathbf{x} = \sum_a D_a^H (\bar{\mathbf{v}}_a \odot \mathbf{y}) \;\text{(adjoint)},

    where :math:`\mathbf{v}_a` is a number or an array shaped ``dims``.

    PyLops equivalent: ``pylops.FirstDirectionalDerivative(dims, v, sampling, edge, kind, dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> D = jl.FirstDirectionalDerivative((2, 3), jnp.array([0.6, 0.8]), kind="forward", dtype="float32")
    >>> D @ jnp.array([[0.0, 1.0, 2.0], [3.0, 5.0, 7.0]])
    Array([[2.6000001, 3.2      , 3.       ],
           [1.6      , 1.6      , 0.       ]], dtype=float32)
    """

    def _matvec(self, x):
        return self._first(_compute_dtype(self, x))

    def _rmatvec(self, y):
        return self._first_adjoint(_compute_dtype(self, y))


class SecondDirectionalDerivative(_DirectionalDerivative):
    r"""Second derivative along a direction (the directional Laplacian).

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape.
    v : array_like
        One direction, of shape ``(len(dims),)``, or one direction per grid
        point, of shape ``(len(dims), *dims)``. It is a pytree leaf cast to
        the operator dtype (its complex counterpart when ``v`` is complex).
    sampling : float or tuple of float, optional
        Sampling step of each axis (one number is used for all of them).
    edge : bool, optional
        Centered only: reduced-order stencils at the edges, as in :class:`Gradient`.
    kind : {"centered", "forward", "backward"}, optional
        Stencil of the first derivatives.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    With :math:`D_\mathbf{v}` the :class:`FirstDirectionalDerivative`,

    .. math:: \mathbf{y} = -D_\mathbf{v}^H D_\mathbf{v} \mathbf{x};

    the operator is Hermitian: its adjoint is itself.

    PyLops equivalent: ``pylops.SecondDirectionalDerivative(dims, v, sampling, edge, kind, dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> D2 = jl.SecondDirectionalDerivative((3, 3), jnp.array([1.0, 0.0]), kind="forward", dtype="float32")
    >>> D2 @ jnp.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [4.0, 4.0, 4.0]])
    Array([[ 1.,  1.,  1.],
           [ 2.,  2.,  2.],
           [-3., -3., -3.]], dtype=float32)
    """

    def _matvec(self, x):
        return -self._first_adjoint(self._first(_compute_dtype(self, x)))

    def _rmatvec(self, y):
        return self._matvec(y)
