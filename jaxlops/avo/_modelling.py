"""Checks of the post-stack modelling arguments, and its explicit matrix."""

from __future__ import annotations

import operator

import jax.numpy as jnp

from jaxlops._validation import as_array
from jaxlops.basicoperators.firstderivative import FirstDerivative

__all__ = ["as_nt0", "check_kind", "check_wavelet", "dense_matrix"]

KINDS = ("centered", "forward")


def check_wavelet(name, wav, nt0):
    """``wav`` as an array, checked: 1-D, or 2-D with one wavelet per time sample; an odd length."""
    wav = as_array(name, "wav", wav)
    if wav.ndim not in (1, 2):
        raise ValueError(f"{name}: wav must be 1-D (stationary) or 2-D (nt0, nwav) (one wavelet per time sample), "
                         f"got an array of shape {wav.shape}")
    if wav.ndim == 2 and wav.shape[0] != nt0:
        raise ValueError(f"{name}: a 2-D wav must hold nt0={nt0} wavelets (one per time sample), shape "
                         f"({nt0}, nwav), got shape {wav.shape}")
    if wav.shape[-1] % 2 == 0:
        raise ValueError(f"{name}: wav must have an odd number of samples (centred on the middle one), "
                         f"got {wav.shape[-1]}")
    return wav


def check_kind(name, kind):
    if kind not in KINDS:
        raise ValueError(f"{name}: kind must be one of {KINDS}, got {kind!r}")
    return kind


def as_nt0(name, nt0):
    try:
        nt0 = operator.index(nt0)
    except TypeError:
        raise TypeError(f"{name}: nt0 must be an int, got {nt0!r}") from None
    if nt0 < 3:
        raise ValueError(f"{name}: nt0 must be at least 3 (the time derivative needs 3 samples), got {nt0}")
    return nt0


def dense_matrix(wav, nt0, kind):
    r"""The ``(nt0, nt0)`` matrix :math:`\mathbf{W}\mathbf{D}` (PyLops' ``explicit=True`` matrix).

    :math:`W_{tj} = w_{j,\, t-j+r}` (zero outside the wavelet), built from
    ``wav`` with ``jnp`` (so traceable); the derivative is applied to its rows
    by the adjoint derivative: :math:`\mathbf{W}\mathbf{D} = (\mathbf{D}^T\mathbf{W}^T)^T`.
    """
    nwav = wav.shape[-1]
    t = jnp.arange(nt0)
    k = t[:, None] - t[None, :] + nwav // 2
    inside = (k >= 0) & (k < nwav)
    k = jnp.clip(k, 0, nwav - 1)
    taps = wav[k] if wav.ndim == 1 else wav[t[None, :], k]
    W = jnp.where(inside, taps, 0).astype(wav.dtype)
    D = FirstDerivative((nt0, nt0), axis=0, kind=kind, dtype=W.dtype)  # real: its adjoint is its transpose
    return (D.H @ W.T).T
