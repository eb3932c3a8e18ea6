"""The post-stack modelling operator: a time derivative, then a (non-)stationary wavelet."""

from __future__ import annotations

import operator

import jax
import jax.numpy as jnp
from jax import lax

from jaxlops._validation import as_array, as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["PoststackModelling", "check_wavelet", "dense_matrix"]

KINDS = ("centered", "forward")
_UNROLL = 8  # taps per pass of the convolution loop: fastest on a 2-core CPU, 1 to 16 measured


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


def _derivative(x, kind, adjoint):
    """PyLops' ``FirstDerivative(axis=0, sampling=1, kind, edge=False)`` and its adjoint, along axis 0.

    Written with concatenations: XLA fuses them with a preceding convolution
    without recomputing it (a difference of two zero-paddings makes it
    recompute the convolution, five times slower).
    """
    edge = jnp.zeros((1,) + x.shape[1:], x.dtype)
    if kind == "forward":  # y_i = x_{i+1} - x_i, 0 at the end
        if adjoint:
            return jnp.concatenate([-x[:1], x[:-2] - x[1:-1], x[-2:-1]])
        return jnp.concatenate([x[1:] - x[:-1], edge])
    h = 0.5 * x  # centered: y_i = (x_{i+1} - x_{i-1}) / 2 inside, 0 at both ends
    if adjoint:
        if x.shape[0] == 3:
            return jnp.concatenate([-h[1:2], edge, h[1:2]])
        return jnp.concatenate([-h[1:3], h[1:-3] - h[3:-1], h[-3:-1]])
    return jnp.concatenate([edge, h[2:] - h[:-2], edge])


def _convolve(x, wav, adjoint):
    r"""The wavelet convolution along axis 0 (model sample :math:`j` spreads through wavelet :math:`j`).

    Forward :math:`y_t = \sum_k w_{t-k+r,\,k}\, x_{t-k+r}`, adjoint
    :math:`x_j = \sum_k \bar w_{j,k}\, y_{j+k-r}`, with :math:`r` = ``nwav // 2``,
    :math:`w_{j,k} = w_k` for a stationary wavelet and zeros beyond the edges.
    A compiled loop over the taps adds shifted slices of the zero-padded input,
    ``_UNROLL`` taps per pass: the loop makes XLA materialise the result, which
    a following convolution or derivative then reads once (summing all taps
    in one fused expression makes XLA recompute it in the consumer, 5-10 times
    slower), and the compilation time does not grow with ``nwav``.
    """
    n, nwav = x.shape[0], wav.shape[-1]
    r = nwav // 2
    pad = [(r, r)] + [(0, 0)] * (x.ndim - 1)
    xp = jnp.pad(x, pad)
    column = (-1,) + (1,) * (x.ndim - 1)
    if wav.ndim == 2:  # the forward shifts each model sample with its own wavelet: pad the wavelets alike
        wav = wav if adjoint else jnp.pad(wav, ((r, r), (0, 0)))
    wav = jnp.conj(wav) if adjoint else wav

    def add_tap(k, out):
        start = k if adjoint else 2 * r - k
        tap = wav[k] if wav.ndim == 1 else lax.dynamic_index_in_dim(wav, k, axis=1, keepdims=False)
        if wav.ndim == 2:
            tap = (tap if adjoint else lax.dynamic_slice_in_dim(tap, start, n)).reshape(column)
        return out + tap * lax.dynamic_slice_in_dim(xp, start, n)

    out = jnp.zeros(x.shape, jnp.result_type(x, wav))
    return lax.fori_loop(0, nwav, add_tap, out, unroll=_UNROLL)


class PoststackModelling(LinearOperator):
    r"""Post-stack modelling :math:`\mathbf{d} = \mathbf{W}\mathbf{D}\mathbf{m}` as one operator.

    :math:`\mathbf{D}` is the first derivative along time (axis 0) and
    :math:`\mathbf{W}` the convolution with ``wav`` (stationary, 1-D) or with
    one wavelet per model time sample (2-D, ``(nt0, nwav)``). Built by
    :func:`jaxlops.avo.poststack.PoststackLinearModelling` with
    ``explicit=False``; ``wav`` is a pytree leaf (traceable, batchable,
    differentiable).

    Both directions are a derivative (concatenated slices) and a compiled
    loop over the wavelet taps; see ``_convolve`` and ``_derivative`` for why
    (XLA fusion on CPU). PyLops equivalent: ``Convolve1D(dims, wav,
    offset=len(wav) // 2, axis=0) * FirstDerivative(dims, axis=0, kind=kind)``
    for a 1-D ``wav``, ``MatrixMult(nonstationary_convmtx(wav, ...)) *
    FirstDerivative(...)`` for a 2-D one.
    """

    wav: jax.Array
    dims: tuple = static_field()
    kind: str = static_field(default="centered")
    dtype: object = static_field(default=None)

    def __post_init__(self):
        name = "PoststackModelling"
        dims = as_dims(name, "dims", self.dims)
        wav = check_wavelet(name, self.wav, as_nt0(name, dims[0]))
        dtype = as_dtype(name, wav.dtype if self.dtype is None else self.dtype)
        self._set(wav=wav.astype(dtype), dims=dims, dimsd=dims, kind=check_kind(name, self.kind), dtype=dtype)

    def _matvec(self, x):
        x = x.astype(jnp.result_type(self.dtype, x.dtype))
        return _convolve(_derivative(x, self.kind, False), self.wav, False)

    def _rmatvec(self, y):
        y = y.astype(jnp.result_type(self.dtype, y.dtype))
        return _derivative(_convolve(y, self.wav, True), self.kind, True)


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
    return _derivative(W.T, kind, adjoint=True).T
