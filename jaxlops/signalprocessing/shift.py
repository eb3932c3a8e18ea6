"""Fractional shift operator (phase shift in the Fourier domain)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from jaxlops._validation import as_array, as_axis, as_dims, as_dtype, result_dtype
from jaxlops.linearoperator import LinearOperator, static_field
from jaxlops.signalprocessing._fourier import along, as_bool, as_float, as_size, fit, freqs, real_dtype, warn_short

__all__ = ["Shift"]


class Shift(LinearOperator):
    r"""Shift by a (fractional) ``shift`` along ``axis``, as a phase shift in the Fourier domain.

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape.
    shift : float or array_like
        Shift, in the units of ``sampling``: one for all traces, or one per
        trace (an array shaped ``dims`` without ``axis``). It is a pytree leaf
        (real, in the precision of ``dtype``): it can be traced, batched with
        ``jax.vmap`` and differentiated.
    axis : int, optional
        Axis along which the model is shifted.
    nfft : int, optional
        Number of samples of the FFT (``dims[axis]`` when ``None``).
    sampling : float, optional
        Sampling step :math:`\Delta t`.
    real : bool, optional
        Real model (``rfft``/``irfft``): with a complex ``dtype`` the forward
        then takes the real part of its input and returns a real array.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    With :math:`\mathbf{F}` the FFT along ``axis`` (see :class:`FFT`) and
    :math:`t_S` the shift,

    .. math:: \mathbf{y} = \mathbf{F}^H \operatorname{diag}\left(e^{-j 2\pi f t_S}\right) \mathbf{F} \mathbf{x},

    a circular shift of the (zero-padded to ``nfft``) model; the adjoint
    shifts by :math:`-t_S`. A real model (real ``dtype`` or ``real=True``) is
    shifted with ``rfft``/``irfft``, which gives the real part of the complex
    shift. A real ``dtype`` applied to a complex vector shifts its real and
    imaginary parts (PyLops keeps the real part only).

    PyLops equivalent: ``pylops.signalprocessing.Shift(dims, shift, axis, nfft, sampling, real,
    dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.signalprocessing.shift import Shift
    >>> S = Shift(4, 1.0, dtype="float32")
    >>> S @ jnp.array([1.0, 2.0, 3.0, 4.0])
    Array([4., 1., 2., 3.], dtype=float32)
    """

    dims: tuple = static_field()
    shift: jax.Array
    axis: int = static_field(default=-1)
    nfft: int = static_field(default=None)
    sampling: float = static_field(default=1.0)
    real: bool = static_field(default=False)
    dtype: object = static_field(default="complex128")

    def __post_init__(self):
        name = "Shift"
        dims = as_dims(name, "dims", self.dims)
        axis = as_axis(name, self.axis, len(dims))
        nfft = as_size(name, "nfft", self.nfft, dims[axis])
        warn_short(name, dims, (axis,), (nfft,), stacklevel=4)
        dtype = as_dtype(name, self.dtype)
        shift = as_array(name, "shift", self.shift)
        if jnp.iscomplexobj(shift):
            raise TypeError(f"{name}: shift must be real, got an array of dtype {shift.dtype}")
        traces = dims[:axis] + dims[axis + 1 :]
        if shift.size == 1:
            shift = shift.reshape(())
        elif shift.shape != traces:
            raise ValueError(
                f"{name}: shift must be a scalar or one value per trace, an array of shape {traces} "
                f"(dims={dims} without axis {axis}), got shape {shift.shape}"
            )
        self._set(
            dims=dims,
            dimsd=dims,
            shift=shift.astype(real_dtype(dtype)),
            axis=axis,
            nfft=nfft,
            sampling=as_float(name, "sampling", self.sampling),
            real=as_bool(name, "real")(self.real),
            dtype=dtype,
        )

    @property
    def complex_linear(self):
        return not (self.real and jnp.issubdtype(self.dtype, jnp.complexfloating))

    def _phase(self, real, sign, dtype):
        r""":math:`e^{\mp j 2\pi f t_S}` along ``axis`` (one-sided when ``real``)."""
        ndim = len(self.dims)
        f = along(freqs(self.nfft, self.sampling, real), self.axis, ndim, real_dtype(dtype))
        shift = self.shift if self.shift.ndim == 0 else jnp.expand_dims(self.shift, self.axis)
        angle = (sign * 2 * np.pi) * f * shift.astype(f.dtype)
        return lax.complex(jnp.cos(angle), jnp.sin(angle))

    def _shift(self, x, sign):
        dtype = result_dtype(self.dtype, x.dtype)
        n, axis = self.nfft, self.axis - len(self.dims)  # from the end: x may carry a leading batch axis
        if not self.complex_linear:
            x = jnp.real(x)  # real=True with a complex dtype: the real part, as PyLops
        real_operator = not jnp.issubdtype(self.dtype, jnp.complexfloating)
        if jnp.iscomplexobj(x) and real_operator:
            # A real operator on a complex vector: its real and imaginary parts, in one batch.
            y = self._shift(jnp.stack([x.real, x.imag]), sign)
            return lax.complex(y[0], y[1])
        if not real_operator and self.complex_linear:
            x = x.astype(dtype)
            y = jnp.fft.ifft(jnp.fft.fft(x, n=n, axis=axis) * self._phase(False, sign, dtype), n=n, axis=axis)
        else:
            # Real model: the real part of the complex shift is the one-sided (rfft) shift, with
            # the Nyquist bin reduced to its real part by irfft as Re(ifft) does.
            x = x.astype(real_dtype(dtype))
            y = jnp.fft.irfft(jnp.fft.rfft(x, n=n, axis=axis) * self._phase(True, sign, dtype), n=n, axis=axis)
        return fit(y, y.ndim + axis, self.dims[axis])

    def _matvec(self, x):
        return self._shift(x, -1)

    def _rmatvec(self, y):
        return self._shift(y, 1)
