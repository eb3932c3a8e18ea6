"""Checks and index helpers shared by the interpolation operators (Interp, Bilinear)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["concrete", "check_finite", "check_unique", "along_axis", "floor_and_weight"]


def concrete(value):
    """``value`` as a NumPy array, or ``None`` when it is traced (its values are unknown)."""
    return None if isinstance(value, jax.core.Tracer) else np.asarray(value)


def check_finite(name, arg, values):
    """Raise a ``ValueError`` if the (concrete) positions ``values`` hold NaN or infinity."""
    if not np.issubdtype(values.dtype, np.number) or np.issubdtype(values.dtype, np.complexfloating):
        raise TypeError(f"{name}: {arg} must hold real numbers, got an array of dtype {values.dtype}")
    bad = values[~np.isfinite(values)]
    if bad.size:
        raise ValueError(f"{name}: {arg} must hold finite positions, got {bad[0]}")


def check_unique(name, arg, values, axis=None):
    """Raise a ``ValueError`` naming the first repeated value (or column when ``axis=1``)."""
    unique, counts = np.unique(values, axis=axis, return_counts=True)
    if np.any(counts > 1):
        first = unique[np.argmax(counts > 1)] if axis is None else unique[:, np.argmax(counts > 1)]
        raise ValueError(f"{name}: {arg} must hold unique positions, got {first.tolist()} more than once")


def along_axis(v, axis, ndim):
    """Reshape the 1-D ``v`` to broadcast along ``axis`` of an ``ndim``-dimensional array."""
    return v.reshape((-1,) + (1,) * (ndim - 1 - axis))


def floor_and_weight(positions, last, dtype):
    """Left sample ``min(floor(p), last)`` and the weight ``p - left`` of the right one.

    Computed in float64 with NumPy when ``positions`` is concrete, so that the
    weights are exact before the cast to ``dtype``, whatever JAX's precision.
    """
    real = np.finfo(dtype).dtype
    if isinstance(positions, np.ndarray):
        positions = positions.astype(np.float64)
        left = np.minimum(np.floor(positions), last)
        return jnp.asarray(left.astype(int)), jnp.asarray((positions - left).astype(real).astype(dtype))
    left = jnp.minimum(jnp.floor(positions), last)
    return left.astype(int), (positions - left).astype(real).astype(dtype)
