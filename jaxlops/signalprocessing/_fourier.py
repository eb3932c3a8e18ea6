"""Pieces shared by the Fourier operators (FFT, FFT2D, FFTND, Shift): argument
normalisation, frequencies and the forward/adjoint transforms."""

from __future__ import annotations

import math
import operator
import warnings

import jax.numpy as jnp
import numpy as np
from jax import lax

from jaxlops._validation import as_axis, as_dims, as_dtype, result_dtype
from jaxlops.linearoperator import LinearOperator, static_field

NORMS = ("ortho", "none", "1/n")


def as_norm(name, norm):
    """PyLops' ``norm`` (``"ortho"``, ``"none"`` or ``"1/n"``, the last in any case)."""
    if not isinstance(norm, str):
        raise TypeError(f"{name}: norm must be a string, one of {NORMS}, got {norm!r}")
    if norm in ("ortho", "none") or norm.lower() == "1/n":
        return norm.lower()
    hint = {
        "backward": ' (no scaling of the forward transform is norm="none")',
        "forward": ' (1/n scaling of the forward transform is norm="1/n")',
    }.get(norm, "")
    raise ValueError(f"{name}: norm must be one of {NORMS}, got {norm!r}{hint}")


def as_float(name, arg, value):
    """``value`` as a finite, non-zero float (a sampling step)."""
    try:
        if isinstance(value, (str, bytes)):
            raise TypeError
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: {arg} must be a real number, got {value!r}") from None
    if not math.isfinite(value) or value == 0:
        raise ValueError(f"{name}: {arg} must be finite and non-zero, got {value}")
    return value


def as_size(name, arg, value, default):
    """``value`` (``None`` means ``default``) as a positive int."""
    if value is None:
        return default
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError(f"{name}: {arg} must be an int or None, got {value!r}") from None
    if value <= 0:
        raise ValueError(f"{name}: {arg} must be positive, got {value}")
    return value


def per_axis(name, arg, value, naxes, convert):
    """A scalar repeated ``naxes`` times or a sequence of ``naxes`` values, each converted."""
    values = (value,) * naxes if np.ndim(value) == 0 else tuple(value)
    if len(values) != naxes:
        raise ValueError(f"{name}: {arg} must have one value per axis ({naxes}), got {value!r}")
    return tuple(convert(v) for v in values)


def as_bool(name, arg, per_axis=False):
    """A converter of ``value`` to a bool (NumPy bools included) for ``arg``."""
    expected = "a bool or a sequence of bools" if per_axis else "a bool"

    def convert(value):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name}: {arg} must be {expected}, got {value!r}")
        return bool(value)

    return convert


def warn_short(name, dims, axes, nffts, stacklevel):
    """Warn, as PyLops, when the FFT truncates the model (``stacklevel`` points at the user's call)."""
    short = [ax for ax, n in zip(axes, nffts) if n < dims[ax]]
    if short:
        warnings.warn(
            f"{name}: nfft smaller than dims along axes {short}: the signal is truncated before the FFT",
            stacklevel=stacklevel,
        )


def freqs(n, sampling, real, shift=False):
    """Sample frequencies of an ``n``-point (real) FFT, as PyLops' ``f``."""
    f = np.fft.rfftfreq(n, d=sampling) if real else np.fft.fftfreq(n, d=sampling)
    return np.fft.fftshift(f) if shift else f


def real_dtype(dtype):
    return np.dtype(jnp.finfo(dtype).dtype)


def fit(x, axis, n):
    """Crop or zero-pad ``x`` at the end of ``axis`` to ``n`` samples."""
    m = x.shape[axis]
    if n < m:
        return lax.slice_in_dim(x, 0, n, axis=axis)
    if n > m:
        return jnp.pad(x, [(0, n - m if a == axis else 0) for a in range(x.ndim)])
    return x


def along(v, axis, ndim, dtype):
    """A NumPy vector as a constant of ``dtype`` broadcasting along ``axis``."""
    return jnp.asarray(v.reshape((-1,) + (1,) * (ndim - 1 - axis)), dtype=dtype)


class BaseFFT(LinearOperator):
    """FFT along ``_plan()[0]`` axes; subclasses declare fields, normalise them and give the plan.

    ``_plan()`` returns ``(axes, nffts, ifftshift axes, fftshift axes)``; the
    subclass also has ``dims``, ``norm``, ``real`` and sets ``dtype`` (complex) and
    ``rdtype`` (PyLops' ``rdtype``: real when ``real`` or a real ``dtype`` was given).
    """

    rdtype: object = static_field(default=None, init=False)

    @property
    def cdtype(self):
        """Complex dtype of the forward output (the operator dtype)."""
        return self.dtype

    @property
    def clinear(self):
        """``False`` when the model is taken real (``real=True`` or a real ``dtype``)."""
        return bool(jnp.issubdtype(self.rdtype, jnp.complexfloating))

    @property
    def complex_linear(self):
        return self.clinear

    def _setup(self, name, dims, axes, nffts, real, dtype):
        """Set ``dims``, ``dimsd``, ``dtype`` and ``rdtype`` from the normalised arguments."""
        if len(set(axes)) != len(axes):
            raise ValueError(f"{name}: axes must be distinct, got {axes}")
        warn_short(name, dims, axes, nffts, stacklevel=5)
        dimsd = list(dims)
        for ax, n in zip(axes, nffts):
            dimsd[ax] = n
        if real:
            dimsd[axes[-1]] = nffts[-1] // 2 + 1
        dtype = as_dtype(name, dtype)
        cdtype = result_dtype(dtype, jnp.complex64)
        rdtype = real_dtype(dtype) if real else dtype
        self._set(dims=dims, dimsd=tuple(dimsd), dtype=cdtype, rdtype=rdtype)

    def _scaled(self, y, adjoint):
        """``y`` times the scale of the norm (the same both ways; the adjoint's includes the
        N_F that the inverse FFT divides by) and, for the real FFT, PyLops' sqrt(2) (1/sqrt(2)
        in the adjoint) on the bins but DC and Nyquist along the last axis."""
        axes, nffts, _, _ = self._plan()
        n = math.prod(nffts)
        scale = {"ortho": 1 / math.sqrt(n), "none": 1.0, "1/n": 1 / n}[self.norm] * (n if adjoint else 1)
        if not self.real:
            return y if scale == 1 else y * scale
        # From an iota rather than a constant vector: no weights to read from memory.
        axis, nfft = axes[-1], nffts[-1]
        k = lax.broadcasted_iota(jnp.int32, [y.shape[axis] if a == axis else 1 for a in range(y.ndim)], axis)
        interior = (k >= 1) & (k <= (nfft - 1) // 2)
        weights = jnp.where(interior, scale * math.sqrt(0.5 if adjoint else 2), scale).astype(real_dtype(y.dtype))
        return y * weights

    def _matvec(self, x):
        axes, nffts, ishift, fshift = self._plan()
        cdtype = result_dtype(self.dtype, x.dtype)
        if ishift:
            x = jnp.fft.ifftshift(x, axes=ishift)
        if self.clinear:
            y = jnp.fft.fftn(x.astype(cdtype), s=nffts, axes=axes)
        else:
            y = jnp.fft.rfftn(jnp.real(x).astype(real_dtype(cdtype)), s=nffts, axes=axes)
        y = self._scaled(y, adjoint=False)
        if not self.clinear and not self.real:
            # The spectrum of a real model: its other half by Hermitian symmetry.
            y = hermitian_full(y, axes, nffts)
        return jnp.fft.fftshift(y, axes=fshift) if fshift else y

    def _rmatvec(self, y):
        axes, nffts, ishift, fshift = self._plan()
        y = y.astype(result_dtype(self.dtype, y.dtype))
        if fshift:
            y = jnp.fft.ifftshift(y, axes=fshift)
        if not self.clinear and not self.real:
            # The real part of the inverse FFT is the inverse real FFT of the Hermitian part.
            y = hermitian_half(y, axes, nffts)
        y = self._scaled(y, adjoint=True)
        if self.clinear:
            x = jnp.fft.ifftn(y, s=nffts, axes=axes)
        else:
            x = jnp.fft.irfftn(y, s=nffts, axes=axes)
        for ax in axes:
            x = fit(x, ax, self.dims[ax])
        return jnp.fft.fftshift(x, axes=ishift) if ishift else x


def _negated(y, axes, nffts):
    """``y`` at the negated frequencies (index ``-k`` modulo ``n``) along ``axes``."""
    for ax, n in zip(axes, nffts):
        y = jnp.take(y, -np.arange(n) % n, axis=ax)
    return y


def hermitian_full(half, axes, nffts):
    """The full spectrum of a real signal from its real FFT (``rfftn``) along ``axes``."""
    n, last = nffts[-1], axes[-1]
    # Bins n//2+1 .. n-1 of the last axis are the conjugates of bins n - k.
    rest = jnp.take(half, n - np.arange(n // 2 + 1, n), axis=last)
    rest = jnp.conj(_negated(rest, axes[:-1], nffts[:-1]))
    return jnp.concatenate([half, rest], axis=last)


def hermitian_half(y, axes, nffts):
    """Bins ``0 .. n//2`` along the last of ``axes`` of the Hermitian part of ``y``."""
    h = nffts[-1] // 2 + 1
    head = lax.slice_in_dim(y, 0, h, axis=axes[-1])
    mirror = jnp.take(y, -np.arange(h) % nffts[-1], axis=axes[-1])
    return (head + jnp.conj(_negated(mirror, axes[:-1], nffts[:-1]))) / 2


def nd_arguments(name, dims, axes, nffts, sampling, ifftshift_before, fftshift_after):
    """FFT2D/FFTND arguments normalised: ``dims``, then per-axis tuples of axes, nffts,
    samplings, ifftshift and fftshift flags (scalars repeated over the axes)."""
    dims = as_dims(name, "dims", dims)
    axes = tuple(as_axis(name, ax, len(dims), "axes") for ax in ((axes,) if np.ndim(axes) == 0 else axes))
    if not axes:
        raise ValueError(f"{name}: axes must name at least one axis, got {axes}")
    naxes = len(axes)
    nffts = tuple(
        as_size(name, "nffts", n, dims[ax]) for ax, n in zip(axes, per_axis(name, "nffts", nffts, naxes, lambda n: n))
    )
    sampling = per_axis(name, "sampling", sampling, naxes, lambda s: as_float(name, "sampling", s))
    ishift = per_axis(name, "ifftshift_before", ifftshift_before, naxes, as_bool(name, "ifftshift_before", True))
    fshift = per_axis(name, "fftshift_after", fftshift_after, naxes, as_bool(name, "fftshift_after", True))
    return dims, axes, nffts, sampling, ishift, fshift


def nd_frequencies(nffts, sampling, real, fshift):
    """PyLops' ``fs`` of FFT2D/FFTND: one frequency vector per axis, the last one-sided when ``real``."""
    last = len(nffts) - 1
    return tuple(freqs(n, d, real and i == last, s) for i, (n, d, s) in enumerate(zip(nffts, sampling, fshift)))
