"""Two-dimensional FFT operator."""

from __future__ import annotations

import numpy as np

from jaxlops.linearoperator import static_field
from jaxlops.signalprocessing.fftnd import FFTND

__all__ = ["FFT2D"]


class FFT2D(FFTND):
    r"""Fast Fourier Transform along two ``axes``.

    Parameters
    ----------
    dims : tuple of int
        Model shape (at least two dimensions).
    axes : tuple of int, optional
        The two (distinct) axes along which the FFT is applied.
    nffts : int or tuple of int, optional
        Number of samples of the transform along each axis (one value for
        both; ``None``, alone or as an entry, means ``dims[axis]``): the model
        is zero-padded (or, with a warning, truncated).
    sampling : float or tuple of float, optional
        Sampling step along each axis (sets the frequencies ``f1``, ``f2``).
    norm : {"ortho", "none", "1/n"}, optional
        Scaling of forward and adjoint: :math:`1/\sqrt{N_F}` both ways
        (unitary), none, or :math:`1/N_F` both ways, with :math:`N_F` the
        product of ``nffts``.
    real : bool, optional
        Real model: ``rfft2`` forward (``nffts[1] // 2 + 1`` bins along
        ``axes[1]``), ``irfft2`` adjoint, real adjoint output.
    ifftshift_before, fftshift_after : bool or tuple of bool, optional
        Apply ``ifftshift`` to the model before, ``fftshift`` to the data
        after the FFT, along both or each of ``axes``.
    dtype : str or numpy.dtype, optional
        Model dtype. The operator dtype is its complex counterpart; a real
        ``dtype`` (or ``real=True``) makes the model real: the forward takes
        the real part of its input and the adjoint returns a real array.

    Attributes
    ----------
    f1, f2 : numpy.ndarray
        Frequencies along ``axes[0]`` and ``axes[1]``.
    rdtype, cdtype : numpy.dtype
        Dtypes of the model (adjoint output) and of the data (forward output).
    clinear : bool
        ``False`` for a real model: the operator is then only real-linear.

    Notes
    -----
    The two-dimensional discrete Fourier transform (``norm="ortho"``)

    .. math:: y_{k_1 k_2} = \frac{1}{\sqrt{N_{F,1} N_{F,2}}} \sum_{n_1, n_2} x_{n_1 n_2}
              e^{-j 2\pi (k_1 n_1 / N_{F,1} + k_2 n_2 / N_{F,2})},

    its adjoint the inverse FFT cropped (or zero padded) to ``dims``. With
    ``real=True`` the bins other than zero and Nyquist along ``axes[1]`` are
    multiplied by :math:`\sqrt{2}` (divided in the adjoint).

    PyLops equivalent: ``pylops.signalprocessing.FFT2D(dims, axes, nffts, sampling, norm, real,
    ifftshift_before, fftshift_after, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.signalprocessing.fft2d import FFT2D
    >>> F = FFT2D((2, 3), real=True, dtype="float32")
    >>> F.dimsd, F.f2
    ((2, 2), array([0.        , 0.33333333]))
    >>> jnp.round(F.H @ (F @ jnp.arange(6.0).reshape(2, 3)), 4)
    Array([[0., 1., 2.],
           [3., 4., 5.]], dtype=float32)
    """

    axes: tuple = static_field(default=(-2, -1))

    _NAME = "FFT2D"

    def _check(self, dims, axes):
        if len(dims) < 2:
            raise ValueError(f"FFT2D: dims must have at least two dimensions, got {dims}")
        if np.ndim(axes) != 1 or len(axes) != 2:
            raise ValueError(f"FFT2D: axes must name exactly two axes, got {axes}")

    @property
    def f1(self):
        return self.fs[0]

    @property
    def f2(self):
        return self.fs[1]
