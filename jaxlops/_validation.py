"""Normalisation of static arguments, with errors that name the culprit."""

from __future__ import annotations

import math
import operator

import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["as_dims", "as_axis", "as_dtype", "as_array", "as_sizes", "holding_dtype", "result_dtype", "numel"]


def numel(dims):
    """Number of samples in an array shaped ``dims``."""
    return math.prod(dims)


def as_dims(name, arg, value):
    """``value`` (an int or a sequence of ints) as a tuple of positive ints."""
    try:
        dims = (operator.index(value),) if np.ndim(value) == 0 else tuple(map(operator.index, value))
    except TypeError:
        raise TypeError(f"{name}: {arg} must be an int or a tuple of ints, got {value!r}") from None
    if not dims or any(d <= 0 for d in dims):
        raise ValueError(f"{name}: {arg} must be a non-empty tuple of positive ints, got {dims}")
    return dims


def as_axis(name, axis, ndim, arg="axis"):
    """``axis`` as a non-negative int below ``ndim``."""
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"{name}: {arg} must be an int, got {axis!r}") from None
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}: {arg}={axis} is out of range for an array of {ndim} dimension(s)")
    return axis % ndim


def as_dtype(name, dtype):
    """``dtype`` as the NumPy dtype JAX computes in (float64 is float32 without x64)."""
    if dtype is None:
        dtype = jnp.zeros(()).dtype
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name}: dtype must be a NumPy dtype, got {dtype!r}") from None
    if not jnp.issubdtype(dtype, jnp.inexact):
        raise TypeError(f"{name}: dtype must be a floating or complex dtype, got {dtype}")
    return np.dtype(jax.dtypes.canonicalize_dtype(dtype))


def as_array(name, arg, value):
    """``value`` as a JAX array of a floating or complex dtype (ints become floats)."""
    array = jnp.asarray(value)
    if not jnp.issubdtype(array.dtype, jnp.inexact):
        array = array.astype(jnp.result_type(float))
    return array


def result_dtype(*dtypes):
    """The dtype an operator computes in, from its ``dtype`` argument and its arrays."""
    return np.dtype(jax.dtypes.canonicalize_dtype(jnp.result_type(*dtypes)))


def holding_dtype(name, dtype, array):
    """The dtype of an operator built on ``array``: the precision of ``dtype``,
    made complex when ``array`` is complex. The operator casts ``array`` to it.
    """
    dtype = as_dtype(name, dtype)
    if jnp.issubdtype(array.dtype, jnp.complexfloating):
        dtype = result_dtype(dtype, jnp.complex64)  # float32 -> complex64, float64 -> complex128
    return dtype


def as_sizes(name, N, M):
    """PyLops' ``N, M`` (data and model sizes, both ints or both shapes; ``M=None``
    means ``N``) as ``(N, M, dimsd, dims)``, sequences made hashable tuples.
    """
    M_ = N if M is None else M
    if isinstance(N, int) != isinstance(M_, int):
        raise TypeError(f"{name}: N and M must both be ints or both be tuples, got N={N!r}, M={M_!r}")
    dimsd, dims = as_dims(name, "N", N), as_dims(name, "M", M_)
    return (N if isinstance(N, int) else dimsd, M if M is None or isinstance(M, int) else dims, dimsd, dims)


def as_count(name, arg, value, minimum):
    """``value`` as an int of at least ``minimum``."""
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError(f"{name}: {arg} must be an int, got {value!r}") from None
    if value < minimum:
        raise ValueError(f"{name}: {arg} must be at least {minimum}, got {value}")
    return value
