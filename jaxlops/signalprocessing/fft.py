"""One-dimensional FFT operator."""

from __future__ import annotations

import warnings

from jaxlops._validation import as_axis, as_dims
from jaxlops.linearoperator import static_field
from jaxlops.signalprocessing._fourier import BaseFFT, as_bool, as_float, as_norm, as_size, freqs

__all__ = ["FFT"]


class FFT(BaseFFT):
    r"""Fast Fourier Transform along one ``axis``.

    Parameters
    ----------
    dims : int or tuple of int
        Model shape.
    axis : int, optional
        Axis along which the FFT is applied.
    nfft : int, optional
        Number of samples of the transform (``dims[axis]`` when ``None``): the
        model is zero-padded (or, with a warning, truncated) to ``nfft``.
    sampling : float, optional
        Sampling step :math:`\Delta t` (sets the frequencies ``f``).
    norm : {"ortho", "none", "1/n"}, optional
        Scaling of forward and adjoint: :math:`1/\sqrt{N_F}` both ways
        (unitary), none, or :math:`1/N_F` both ways.
    real : bool, optional
        Real model: ``rfft`` forward (``nfft // 2 + 1`` bins), ``irfft``
        adjoint, real adjoint output.
    ifftshift_before : bool, optional
        Apply ``ifftshift`` to the model before the FFT.
    fftshift_after : bool, optional
        Apply ``fftshift`` to the data after the FFT.
    dtype : str or numpy.dtype, optional
        Model dtype. The operator dtype is its complex counterpart; a real
        ``dtype`` (or ``real=True``) makes the model real: the forward takes
        the real part of its input and the adjoint returns a real array.

    Attributes
    ----------
    f : numpy.ndarray
        Frequencies of the data samples (``rfftfreq`` when ``real``,
        ``fftshift``-ed when ``fftshift_after``).
    rdtype, cdtype : numpy.dtype
        Dtypes of the model (adjoint output) and of the data (forward output).
    clinear : bool
        ``False`` for a real model: the operator is then only real-linear.

    Notes
    -----
    With :math:`N_F` = ``nfft`` and ``norm="ortho"``,

    .. math:: y_k = \frac{1}{\sqrt{N_F}} \sum_{n=0}^{N_F-1} x_n e^{-j 2\pi k n / N_F},

    and the adjoint is the inverse FFT followed by cropping (or zero padding)
    to ``dims[axis]``. With ``real=True`` the bins other than zero and Nyquist
    are multiplied by :math:`\sqrt{2}` (divided in the adjoint) so that the
    adjoint, for the real inner product, is ``irfft``. A real model with
    ``real=False`` is transformed with ``rfft`` and the rest of the spectrum
    filled in by Hermitian symmetry (its adjoint, the real part of ``ifft``,
    with ``irfft``): half the work of a complex FFT.

    PyLops equivalent: ``pylops.signalprocessing.FFT(dims, axis, nfft, sampling, norm, real,
    ifftshift_before, fftshift_after, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.signalprocessing.fft import FFT
    >>> F = FFT(4, norm="none", dtype="complex64")
    >>> F @ jnp.array([1.0, 2.0, 3.0, 4.0])
    Array([10.+0.j, -2.+2.j, -2.+0.j, -2.-2.j], dtype=complex64)
    >>> FFT(4, real=True, dtype="float32").f
    array([0.  , 0.25, 0.5 ])
    """

    dims: tuple = static_field()
    axis: int = static_field(default=-1)
    nfft: int = static_field(default=None)
    sampling: float = static_field(default=1.0)
    norm: str = static_field(default="ortho")
    real: bool = static_field(default=False)
    ifftshift_before: bool = static_field(default=False)
    fftshift_after: bool = static_field(default=False)
    dtype: object = static_field(default="complex128")

    def __post_init__(self):
        name = "FFT"
        dims = as_dims(name, "dims", self.dims)
        axis = as_axis(name, self.axis, len(dims))
        nfft = as_size(name, "nfft", self.nfft, dims[axis])
        flags = {arg: as_bool(name, arg)(getattr(self, arg)) for arg in ("real", "ifftshift_before", "fftshift_after")}
        if self.real and self.fftshift_after:
            warnings.warn(f"{name}: fftshift_after with real=True shifts a one-sided spectrum", stacklevel=3)
        self._set(
            axis=axis,
            nfft=nfft,
            sampling=as_float(name, "sampling", self.sampling),
            norm=as_norm(name, self.norm),
            **flags,
        )
        self._setup(name, dims, (axis,), (nfft,), self.real, self.dtype)

    def _plan(self):
        axis = (self.axis,)
        return axis, (self.nfft,), axis if self.ifftshift_before else (), axis if self.fftshift_after else ()

    @property
    def f(self):
        return freqs(self.nfft, self.sampling, self.real, self.fftshift_after)
