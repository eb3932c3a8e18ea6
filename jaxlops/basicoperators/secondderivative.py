"""Second derivative operator."""

from __future__ import annotations

from jaxlops._validation import as_axis, as_dims, as_dtype
from jaxlops.basicoperators.firstderivative import (
    _apply_stencil,
    _as_sampling,
    _check_kind,
    _check_length,
    _compute_dtype,
)
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["SecondDerivative"]

# Same layout as the first-derivative stencils (see firstderivative.py).
_TAPS = ((-1, 1.0), (0, -2.0), (1, 1.0))
_SECOND = {
    ("forward", False): (tuple((k + 1, c) for k, c in _TAPS), 0, 2, ()),
    ("backward", False): (tuple((k - 1, c) for k, c in _TAPS), 2, 0, ()),
    ("centered", False): (_TAPS, 1, 1, ()),
    ("centered", True): (
        _TAPS, 1, 1, ((0, ((0, 1.0), (1, -2.0), (2, 1.0))), (-1, ((-3, 1.0), (-2, -2.0), (-1, 1.0)))),
    ),
}  # fmt: skip


def _second_stencil(kind, edge):
    """The second-derivative stencil; ``edge`` only matters for centered."""
    return _SECOND[(kind, bool(edge) and kind == "centered")]


class SecondDerivative(LinearOperator):
    r"""Second derivative along ``axis`` by finite differences.

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape.
    axis : int, optional
        Axis along which the derivative is taken.
    sampling : float, optional
        Sampling step :math:`\Delta x`; finite and non-zero.
    kind : {"centered", "forward", "backward"}, optional
        Stencil (see Notes).
    edge : bool, optional
        Centered only: apply the stencil of the neighbouring sample at the
        first and last samples (``True``, needs ``dims[axis] >= 3``) or leave
        them at zero (``False``).
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    Along ``axis``, the 3-point stencil

    .. math:: y_i = \frac{x_{i+1} - 2x_i + x_{i-1}}{\Delta x^2}

    is centered on sample :math:`i` (``kind="centered"``, first and last
    samples zero unless ``edge=True``), or placed at sample :math:`i-1`
    (``kind="forward"``: :math:`y_i = (x_{i+2} - 2x_{i+1} + x_i)/\Delta x^2`,
    last two samples zero) or at sample :math:`i+1` (``kind="backward"``,
    first two samples zero). With ``edge=True``, :math:`y_0` and
    :math:`y_{n-1}` repeat the stencils of :math:`y_1` and :math:`y_{n-2}`,
    as in PyLops. The adjoint applies the transposed stencil.

    PyLops equivalent: ``pylops.SecondDerivative(dims, axis, sampling, kind, edge, dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> D2 = jl.SecondDerivative(5, sampling=0.5, dtype="float32")
    >>> D2 @ jnp.array([0.0, 1.0, 4.0, 9.0, 16.0])
    Array([0., 8., 8., 8., 0.], dtype=float32)
    """

    dims: tuple = static_field()
    axis: int = static_field(default=-1)
    sampling: float = static_field(default=1.0)
    kind: str = static_field(default="centered")
    edge: bool = static_field(default=False)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        name = "SecondDerivative"
        dims = as_dims(name, "dims", self.dims)
        axis = as_axis(name, self.axis, len(dims))
        kind = _check_kind(name, self.kind)
        edge = bool(self.edge)
        _check_length(name, dims, axis, _second_stencil(kind, edge))
        self._set(
            dims=dims,
            dimsd=dims,
            axis=axis,
            sampling=_as_sampling(name, self.sampling),
            edge=edge,
            dtype=as_dtype(name, self.dtype),
        )

    def _matvec(self, x):
        stencil = _second_stencil(self.kind, self.edge)
        return _apply_stencil(_compute_dtype(self, x), self.axis, stencil, 1 / self.sampling**2)

    def _rmatvec(self, y):
        stencil = _second_stencil(self.kind, self.edge)
        return _apply_stencil(_compute_dtype(self, y), self.axis, stencil, 1 / self.sampling**2, adjoint=True)
