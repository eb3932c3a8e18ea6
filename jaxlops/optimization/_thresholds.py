"""Thresholding rules of the sparsity solvers, and argument helpers they share.

The rules are PyLops' (``pylops.optimization.cls_sparsity``), constants
included, written without data-dependent shapes so that they run inside a
compiled loop.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops.linearoperator import LinearOperator
from jaxlops.optimization._checks import as_niter, as_nonnegative

__all__ = [
    "THRESHKINDS",
    "as_operators",
    "as_percentile",
    "as_positive",
    "as_threshkind",
    "hard_threshold",
    "half_threshold",
    "inner_lsqr_settings",
    "soft_threshold",
    "threshold",
]

THRESHKINDS = ("hard", "soft", "half", "hard-percentile", "soft-percentile", "half-percentile")


def soft_threshold(x, thresh):
    r"""Proximal operator of :math:`\tau\|\mathbf{x}\|_1`: shrink moduli by ``thresh``, keep phases."""
    modulus = jnp.abs(x)
    shrunk = jnp.maximum(modulus - thresh, 0)
    if jnp.iscomplexobj(x):
        # exp(i angle(x)), with the phase of 0 taken as 1 (as NumPy's angle(0) = 0).
        return shrunk * jnp.where(modulus > 0, x / jnp.where(modulus > 0, modulus, 1), 1)
    return shrunk * jnp.sign(x)


def hard_threshold(x, thresh):
    r"""Proximal operator of :math:`\tau\|\mathbf{x}\|_0`: zero where :math:`|x| \le \sqrt{2\tau}`."""
    return jnp.where(jnp.abs(x) <= jnp.sqrt(2 * thresh), 0, x)


def half_threshold(x, thresh):
    r"""Proximal operator of :math:`\tau\|\mathbf{x}\|_{1/2}^{1/2}` (Xu et al., 2012), as PyLops."""
    modulus = jnp.abs(x)
    nonzero = modulus > 0
    arg = jnp.where(nonzero, (thresh / 8.0) * (jnp.where(nonzero, modulus, 1) / 3.0) ** (-1.5), 1)
    phi = 2.0 / 3.0 * jnp.arccos(jnp.clip(arg, -1.0, 1.0))
    x1 = 2.0 / 3.0 * x * (1.0 + jnp.cos(2.0 * np.pi / 3.0 - phi))
    return jnp.where(modulus <= (54.0 ** (1.0 / 3.0) / 4.0) * thresh ** (2.0 / 3.0), 0, x1)


def threshold(kind, x, thresh, perc):
    """Apply rule ``kind`` with threshold ``thresh`` or, for a percentile rule, keep ``perc`` % of ``x``."""
    if kind.endswith("-percentile"):
        level = jnp.percentile(jnp.abs(x), 100 - perc)
        if kind == "hard-percentile":
            return hard_threshold(x, 0.5 * level**2)
        if kind == "soft-percentile":
            return soft_threshold(x, level)
        return half_threshold(x, (4.0 / 54 ** (1.0 / 3.0) * level) ** 1.5)
    return {"hard": hard_threshold, "soft": soft_threshold, "half": half_threshold}[kind](x, thresh)


def as_threshkind(solver, threshkind):
    """``threshkind`` checked against :data:`THRESHKINDS`."""
    if threshkind not in THRESHKINDS:
        raise ValueError(f"{solver}: threshkind must be one of {', '.join(map(repr, THRESHKINDS))}, got {threshkind!r}")
    return threshkind


def as_positive(solver, arg, value, dtype):
    """A positive real parameter as a scalar array of ``dtype``; checked when concrete."""
    value = as_nonnegative(solver, arg, value, dtype)
    if not isinstance(value, jax.core.Tracer) and float(value) == 0:
        raise ValueError(f"{solver}: {arg} must be positive, got 0")
    return value


def as_operators(solver, arg, ops, ncols):
    """A sequence of operators with ``ncols`` columns as a tuple."""
    if isinstance(ops, LinearOperator) or not isinstance(ops, (list, tuple)):
        raise TypeError(f"{solver}: {arg} must be a list of LinearOperators, got {type(ops).__name__}")
    for i, op in enumerate(ops):
        if not isinstance(op, LinearOperator):
            raise TypeError(f"{solver}: {arg}[{i}] must be a LinearOperator, got {type(op).__name__}")
        if op.shape[1] != ncols:
            raise ValueError(f"{solver}: {arg}[{i}] must have {ncols} columns to match Op, got shape {op.shape}")
    return tuple(ops)


_LSQR_DEFAULTS = {"damp": 0.0, "atol": 1e-6, "btol": 1e-6, "conlim": 1e8}


def inner_lsqr_settings(solver, kwargs, ncols, dtype, allowed=("damp", "atol", "btol", "conlim")):
    """Settings of the inner :func:`~jaxlops.optimization.lsqr.lsqr` from a solver's ``**kwargs``.

    PyLops solves these problems with SciPy's ``lsqr``, so the settings are
    SciPy's: defaults ``atol = btol = 1e-6``, ``conlim = 1e8`` and
    ``2 * ncols`` iterations (the callers also ask for its stopping tests,
    ``stopping="scipy"``). The iteration count is ``niter`` (jaxlops) or
    ``iter_lim`` (SciPy).
    """
    kwargs = dict(kwargs)
    if "iter_lim" in kwargs:
        if "niter" in kwargs:
            raise TypeError(f"{solver}: give the inner lsqr niter or iter_lim, not both")
        kwargs["niter"] = kwargs.pop("iter_lim")
    unknown = sorted(set(kwargs) - set(allowed) - {"niter"})
    if unknown:
        raise TypeError(
            f"{solver}: unexpected keyword argument(s) {unknown} for the inner lsqr; "
            f"allowed: {sorted(set(allowed) | {'niter', 'iter_lim'})}"
        )
    niter = as_niter(solver, kwargs.pop("niter", 2 * ncols))
    settings = {k: as_nonnegative(solver, k, kwargs.get(k, _LSQR_DEFAULTS[k]), dtype) for k in allowed}
    return settings, niter


def as_percentile(solver, threshkind, perc):
    """``perc`` as a float in [0, 100] (static), required by the percentile rules."""
    if not threshkind.endswith("-percentile"):
        return None if perc is None else float(perc)
    if perc is None:
        raise ValueError(f"{solver}: perc must be given with threshkind={threshkind!r}")
    try:
        perc = float(perc)
    except (TypeError, jax.errors.ConcretizationTypeError):
        raise TypeError(f"{solver}: perc must be a number, got {perc!r}") from None
    if not (math.isfinite(perc) and 0 <= perc <= 100):
        raise ValueError(f"{solver}: perc must be between 0 and 100, got {perc}")
    return perc
