"""Bilinear interpolation over the first two axes."""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops._validation import as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field
from jaxlops.signalprocessing._sampling import check_finite, check_unique, concrete, floor_and_weight

__all__ = ["Bilinear"]


class Bilinear(LinearOperator):
    r"""Bilinear interpolation at fractional positions over the first two axes of the model.

    Parameters
    ----------
    iava : array_like
        Array of shape ``(2, N)``: the fractional positions (row, column) of
        the ``N`` data samples in the first two axes of the model, unique
        pairs, with ``0 <= iava[0] < dims[0] - 1`` and ``0 <= iava[1] < dims[1] - 1``.
    dims : tuple of int
        Model shape, at least 2-D; the data is shaped ``(N, *dims[2:])``.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Attributes
    ----------
    iava_t, iava_l : jax.Array
        Indices of the samples above and left of each position (the samples
        below and right are ``iava_t + 1`` and ``iava_l + 1``).
    weights_tb, weights_lr : jax.Array
        Fractional parts of the positions: weights of the samples below and right.

    Notes
    -----
    With :math:`t_i = \lfloor l^0_i \rfloor`, :math:`u_i = \lfloor l^1_i \rfloor`,
    :math:`w_i = l^0_i - t_i` and :math:`v_i = l^1_i - u_i`,

    .. math::
        y_i = (1 - w_i)(1 - v_i)\, x_{t_i, u_i} + (1 - w_i) v_i\, x_{t_i, u_i + 1}
            + w_i (1 - v_i)\, x_{t_i + 1, u_i} + w_i v_i\, x_{t_i + 1, u_i + 1},

    applied to every trailing sample; the adjoint scatter-adds the four
    weighted data values back to the four neighbours. The indices and
    weights are leaves: operators built with different positions of the same
    length share one compiled function. The indices and weights are computed
    in float64 with NumPy when ``iava`` is concrete; when it is traced (built
    under ``jax.jit``) they are computed in JAX's precision and nothing is checked.

    PyLops equivalent: ``pylops.signalprocessing.Bilinear(iava, dims, dtype=dtype)``
    (PyLops raises an ``IndexError`` when applied with positions outside the
    ranges above; here construction raises a ``ValueError``).

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.signalprocessing.bilinear import Bilinear
    >>> Op = Bilinear([[0.5, 1.0], [0.5, 0.25]], (3, 3), dtype="float32")
    >>> Op @ jnp.arange(9.0).reshape(3, 3)
    Array([2.  , 3.25], dtype=float32)
    >>> Op.H @ jnp.array([1.0, 0.0])
    Array([[0.25, 0.25, 0.  ],
           [0.25, 0.25, 0.  ],
           [0.  , 0.  , 0.  ]], dtype=float32)
    """

    iava: dataclasses.InitVar[jax.Array]
    dims: tuple = static_field()
    dtype: object = static_field(default="float64")
    iava_t: jax.Array = dataclasses.field(init=False)
    iava_l: jax.Array = dataclasses.field(init=False)
    weights_tb: jax.Array = dataclasses.field(init=False)
    weights_lr: jax.Array = dataclasses.field(init=False)

    def __post_init__(self, iava):
        name = "Bilinear"
        dims = as_dims(name, "dims", self.dims)
        if len(dims) < 2:
            raise ValueError(f"{name}: dims must have at least 2 dimensions, got {dims}")
        dtype = as_dtype(name, self.dtype)
        values = concrete(iava)
        if np.ndim(iava) != 2 or np.shape(iava)[0] != 2 or np.shape(iava)[1] == 0:
            raise ValueError(f"{name}: iava must be an array of shape (2, N) with N > 0, got shape {np.shape(iava)}")
        if values is not None:
            check_finite(name, "iava", values)
            for i in (0, 1):
                bad = values[i][(values[i] < 0) | (values[i] >= dims[i] - 1)]
                if bad.size:
                    raise ValueError(
                        f"{name}: iava[{i}] must hold positions in [0, {dims[i] - 1}) (dims[{i}] - 1, so that "
                        f"the next sample exists) for dims={dims}, got {bad[0]}"
                    )
            check_unique(name, "iava", values, axis=1)
            iava = values
        elif not jnp.issubdtype(iava.dtype, jnp.inexact):
            iava = iava.astype(jnp.result_type(float))
        iava_t, weights_tb = floor_and_weight(iava[0], dims[0] - 2, dtype)
        iava_l, weights_lr = floor_and_weight(iava[1], dims[1] - 2, dtype)
        self._set(
            dims=dims,
            dimsd=(iava_t.shape[0], *dims[2:]),
            dtype=dtype,
            iava_t=iava_t,
            iava_l=iava_l,
            weights_tb=weights_tb,
            weights_lr=weights_lr,
        )

    def _weights(self):
        """The four weights, shaped to broadcast against the data (top-left, top-right, bottom-left, bottom-right)."""
        shape = (-1,) + (1,) * (len(self.dimsd) - 1)
        w, v = self.weights_tb.reshape(shape), self.weights_lr.reshape(shape)
        return (1 - w) * (1 - v), (1 - w) * v, w * (1 - v), w * v

    def _corners(self):
        t, l = self.iava_t, self.iava_l
        return (t, l), (t, l + 1), (t + 1, l), (t + 1, l + 1)

    def _matvec(self, x):
        return sum(w * x[idx] for w, idx in zip(self._weights(), self._corners()))

    def _rmatvec(self, y):
        weights = [jnp.conj(w) * y for w in self._weights()]
        x = jnp.zeros(self.dims, weights[0].dtype)
        for w, idx in zip(weights, self._corners()):
            x = x.at[idx].add(w)
        return x
