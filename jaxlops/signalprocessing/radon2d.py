"""Two-dimensional Radon transform."""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops._validation import as_dtype, numel
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Radon2D"]

_NAME = "Radon2D"
_KINDS = ("linear", "parabolic", "hyperbolic")
_IN_BOUNDS = dict(mode="promise_in_bounds")  # the table only holds indices in [0, nh * nt]

# The curves t(x; t0, px) of PyLops, in unitless axes (sampling 1): same formulas, same operation order.
_CURVES = {
    "linear": lambda x, t, px: t + px * x,
    "parabolic": lambda x, t, px: t + px * x**2,
    "hyperbolic": lambda x, t, px: np.sqrt(t**2 + (x / px) ** 2),
}


def _as_axis(arg, value, min_size):
    """``value`` as a 1-D NumPy array of finite real numbers, its dtype kept (PyLops computes in it)."""
    axis = np.asarray(value)
    if axis.dtype == object or not (np.issubdtype(axis.dtype, np.integer) or np.issubdtype(axis.dtype, np.floating)):
        raise TypeError(f"{_NAME}: {arg} must be a 1-D array of real numbers, got an array of dtype {axis.dtype}")
    if axis.ndim != 1 or axis.size < min_size:
        raise ValueError(f"{_NAME}: {arg} must be a 1-D array of at least {min_size} sample(s), got shape {axis.shape}")
    if not np.all(np.isfinite(axis)):
        raise ValueError(f"{_NAME}: {arg} must hold finite values, got {axis}")
    return axis


def _curve_table(kind, x, px, nt):
    """``t(x_ih; it, px_ip)`` for every ``(ip, it, ih)``: shape ``(npx, nt, nh)``."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if callable(kind):  # any user function of scalar t0 and px: call it as PyLops does
            return np.stack([np.stack([np.asarray(kind(x, it, p)) for it in range(nt)]) for p in px])
        # PyLops passes t as a Python int, which takes the dtype of px * x: so does this arange.
        t = np.arange(nt).astype(np.result_type(px.dtype, x.dtype))
        return _CURVES[kind](x[None, None, :], t[None, :, None], px[:, None, None])


class Radon2D(LinearOperator):
    r"""Two-dimensional Radon transform: spread along (adjoint: stack over) curves.

    Parameters
    ----------
    taxis : array_like
        Time axis, uniformly increasing, at least 2 samples (only its size and
        step are used).
    haxis : array_like
        Spatial axis, at least 2 samples. Only its first step is used when
        ``centeredh=True``; its values (divided by that step) when ``False``.
    pxaxis : array_like
        Slowness (linear), curvature (parabolic) or velocity-like
        (hyperbolic) parameter :math:`p_x` of each curve; finite.
    kind : {"linear", "parabolic", "hyperbolic"} or callable, optional
        Curve family, or a function ``f(x, t0, px)`` of the unitless spatial
        axis (an array), time sample ``t0`` (an int) and unitless ``px`` (a
        scalar) returning the unitless times of the curve (an array), as in PyLops.
    centeredh : bool, optional
        Use a spatial axis centred on zero (``arange(nh) - nh // 2``, shifted
        by half a sample when ``nh`` is even) instead of ``haxis``.
    interp : bool, optional
        Linear interpolation between the two time samples around each curve
        (``True``) or truncation to the sample below (``False``).
    onthefly : bool, optional
        Accepted for PyLops compatibility; results do not depend on it. In
        PyLops it trades memory for speed by recomputing the curves at each
        application; here the curves are always tabulated at construction.
    dtype : str or numpy.dtype, optional
        Operator dtype (real or complex).

    Attributes
    ----------
    table : jax.Array
        Pytree leaf, ``int32`` of shape ``(npx, nt, nh)``: the flat data index
        ``ih * nt + it`` of the sample below each curve, or ``nh * nt`` (a
        discarded slot) where the curve leaves the time axis.
    dtable : jax.Array or None
        Pytree leaf (``interp=True``), real counterpart of ``dtype``, shape
        ``(npx, nt, nh)``: the fractional part :math:`w` of each curve time.

    Notes
    -----
    Axes are made unitless as in PyLops: :math:`x = h / \Delta h` (or the
    centred axis) and :math:`p = p_x \Delta h / \Delta t`. For model sample
    :math:`(p, t_0)` and trace :math:`x` the curve time is
    :math:`t = t_0 + p x` (linear), :math:`t_0 + p x^2` (parabolic) or
    :math:`\sqrt{t_0^2 + x^2 / p^2}` (hyperbolic), with :math:`i = \lfloor t
    \rfloor`, :math:`w = t - i`. The forward spreads the model,

    .. math:: d(x, i) \mathrel{+}= (1 - w)\, m(p, t_0), \quad d(x, i + 1) \mathrel{+}= w\, m(p, t_0),

    for every curve point with :math:`0 \le t < n_t - 1` (without
    interpolation: :math:`d(x, i) \mathrel{+}= m(p, t_0)` for :math:`0 \le t < n_t`),
    and the adjoint stacks the data along the same curves with the same
    weights (its exact transpose: same table). The table and weights are
    computed once with NumPy at construction, in the dtype of the axes as
    PyLops does, so the indices are identical to PyLops'. The forward is one
    scatter-add and the adjoint one gather over all :math:`(p, t_0, x)` at
    once; the table costs :math:`n_{p_x} n_t n_h` integers (and as many weights).

    PyLops equivalent: ``pylops.signalprocessing.Radon2D(taxis, haxis, pxaxis, kind, centeredh, interp,
    onthefly, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, numpy as np
    >>> from jaxlops.signalprocessing.radon2d import Radon2D
    >>> R = Radon2D(np.arange(4.0), np.arange(3.0), np.array([0.0, 1.0]), dtype="float32")
    >>> m = jnp.zeros((2, 4)).at[1, 1].set(1.0)  # one dipping event: t = 1 + x
    >>> R @ m
    Array([[1., 0., 0., 0.],
           [0., 1., 0., 0.],
           [0., 0., 1., 0.]], dtype=float32)
    >>> R.H @ (R @ m)
    Array([[1., 1., 1., 0.],
           [0., 3., 0., 0.]], dtype=float32)
    """

    taxis: tuple = static_field()
    haxis: tuple = static_field()
    pxaxis: tuple = static_field()
    kind: object = static_field(default="linear")
    centeredh: bool = static_field(default=True)
    interp: bool = static_field(default=True)
    onthefly: bool = static_field(default=False)
    dtype: object = static_field(default="float64")
    table: jax.Array = dataclasses.field(init=False, default=None)
    dtable: jax.Array = dataclasses.field(init=False, default=None)

    def __post_init__(self):
        kind = self.kind
        if isinstance(kind, str):
            if kind not in _KINDS:
                raise ValueError(f"{_NAME}: kind must be one of {_KINDS} or a callable, got {kind!r}")
        elif not callable(kind):
            raise TypeError(f"{_NAME}: kind must be one of {_KINDS} or a callable, got {kind!r}")
        taxis = _as_axis("taxis", self.taxis, 2)
        haxis = _as_axis("haxis", self.haxis, 2)
        pxaxis = _as_axis("pxaxis", self.pxaxis, 1)
        steps = np.diff(taxis)
        if steps[0] <= 0 or not np.allclose(steps, steps[0], rtol=1e-3, atol=0):
            raise ValueError(
                f"{_NAME}: taxis must be uniformly increasing, got steps from {steps.min()} to {steps.max()}"
            )
        if haxis[1] == haxis[0]:
            raise ValueError(f"{_NAME}: haxis must have distinct first two samples (its step), got {haxis[:2]}")
        centeredh, interp = bool(self.centeredh), bool(self.interp)
        dtype = as_dtype(_NAME, self.dtype)
        nt, nh, npx = taxis.size, haxis.size, pxaxis.size

        # Unitless axes, exactly as PyLops computes them.
        dh, dt = np.abs(haxis[1] - haxis[0]), np.abs(taxis[1] - taxis[0])
        px = pxaxis * (dh / dt)
        x = np.arange(nh) - nh // 2 + ((nh + 1) % 2) / 2 if centeredh else haxis / dh
        tdec = _curve_table(kind, x, px, nt)
        valid = (tdec >= 0) & (tdec < nt - interp)  # False for NaN (hyperbolic, px = 0)
        it = np.where(valid, tdec, 0).astype(int)
        table = np.where(valid, np.arange(nh) * nt + it, nh * nt)
        real = np.finfo(dtype).dtype
        self._set(
            taxis=tuple(taxis.tolist()),
            haxis=tuple(haxis.tolist()),
            pxaxis=tuple(pxaxis.tolist()),
            centeredh=centeredh,
            interp=interp,
            onthefly=bool(self.onthefly),
            dims=(npx, nt),
            dimsd=(nh, nt),
            dtype=dtype,
            table=jnp.asarray(table, dtype=jnp.int32),
            dtable=jnp.asarray(np.where(valid, tdec - it, 0), dtype=real) if interp else None,
        )

    def _matvec(self, x):
        dtype = jnp.result_type(self.dtype, x.dtype)
        n = numel(self.dimsd)
        v = x.astype(dtype)[:, :, None]
        # Row n is a spare slot for the curve points outside the time axis.
        if self.dtable is None:
            y = jnp.zeros(n + 1, dtype).at[self.table].add(jnp.broadcast_to(v, self.table.shape), **_IN_BOUNDS)
            return y[:n].reshape(self.dimsd)
        # One scatter of (below, above) pairs is faster on XLA CPU than two scatters.
        pairs = jnp.stack([(1 - self.dtable) * v, self.dtable * v], axis=-1)
        y = jnp.zeros((n + 1, 2), dtype).at[self.table].add(pairs, **_IN_BOUNDS)
        return (y[:n, 0] + jnp.pad(y[: n - 1, 1], (1, 0))).reshape(self.dimsd)

    def _rmatvec(self, y):
        dtype = jnp.result_type(self.dtype, y.dtype)
        y = jnp.pad(y.astype(dtype).reshape(-1), (0, 2))  # spare slots n, n + 1 read as zeros
        below = y.at[self.table].get(**_IN_BOUNDS)
        if self.dtable is None:
            return below.sum(-1)
        above = y.at[self.table + 1].get(**_IN_BOUNDS)
        return ((1 - self.dtable) * below + self.dtable * above).sum(-1)
