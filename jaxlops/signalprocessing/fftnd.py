"""N-dimensional FFT operator."""

from __future__ import annotations

import warnings

from jaxlops._validation import as_dims
from jaxlops.linearoperator import static_field
from jaxlops.signalprocessing._fourier import BaseFFT, as_bool, as_norm, nd_arguments, nd_frequencies

__all__ = ["FFTND"]


class FFTND(BaseFFT):
    r"""Fast Fourier Transform along several ``axes``.

    Parameters
    ----------
    dims : int or tuple of int
        Model shape.
    axes : int or tuple of int, optional
        Axes along which the FFT is applied (distinct).
    nffts : int or tuple of int, optional
        Number of samples of the transform along each axis (one value for all
        axes; ``None``, alone or as an entry, means ``dims[axis]``): the model
        is zero-padded (or, with a warning, truncated).
    sampling : float or tuple of float, optional
        Sampling step along each axis (sets the frequencies ``fs``).
    norm : {"ortho", "none", "1/n"}, optional
        Scaling of forward and adjoint: :math:`1/\sqrt{N_F}` both ways
        (unitary), none, or :math:`1/N_F` both ways, with :math:`N_F` the
        product of ``nffts``.
    real : bool, optional
        Real model: ``rfftn`` forward (``nffts[-1] // 2 + 1`` bins along the
        last of ``axes``), ``irfftn`` adjoint, real adjoint output.
    ifftshift_before, fftshift_after : bool or tuple of bool, optional
        Apply ``ifftshift`` to the model before, ``fftshift`` to the data
        after the FFT, along all or each of ``axes``.
    dtype : str or numpy.dtype, optional
        Model dtype. The operator dtype is its complex counterpart; a real
        ``dtype`` (or ``real=True``) makes the model real: the forward takes
        the real part of its input and the adjoint returns a real array.

    Attributes
    ----------
    fs : tuple of numpy.ndarray
        Frequencies along each of ``axes``.
    rdtype, cdtype : numpy.dtype
        Dtypes of the model (adjoint output) and of the data (forward output).
    clinear : bool
        ``False`` for a real model: the operator is then only real-linear.

    Notes
    -----
    The N-dimensional discrete Fourier transform (``norm="ortho"``)

    .. math:: y_{\mathbf{k}} = \frac{1}{\sqrt{N_F}} \sum_{\mathbf{n}} x_{\mathbf{n}}
              e^{-j 2\pi \sum_i k_i n_i / N_{F,i}},

    its adjoint the inverse FFT cropped (or zero padded) to ``dims``. With
    ``real=True`` the bins other than zero and Nyquist along the last of
    ``axes`` are multiplied by :math:`\sqrt{2}` (divided in the adjoint). A
    real model with ``real=False`` uses ``rfftn`` and Hermitian symmetry, as
    :class:`FFT` does.

    PyLops equivalent: ``pylops.signalprocessing.FFTND(dims, axes, nffts, sampling, norm, real,
    ifftshift_before, fftshift_after, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.signalprocessing.fftnd import FFTND
    >>> F = FFTND((2, 2, 2), norm="none", dtype="complex64")
    >>> (F @ jnp.ones((2, 2, 2)))[0, 0, 0]
    Array(8.+0.j, dtype=complex64)
    """

    dims: tuple = static_field()
    axes: tuple = static_field(default=(-3, -2, -1))
    nffts: tuple = static_field(default=None)
    sampling: tuple = static_field(default=1.0)
    norm: str = static_field(default="ortho")
    real: bool = static_field(default=False)
    ifftshift_before: tuple = static_field(default=False)
    fftshift_after: tuple = static_field(default=False)
    dtype: object = static_field(default="complex128")

    _NAME = "FFTND"

    def __post_init__(self):
        name = self._NAME
        self._check(as_dims(name, "dims", self.dims), self.axes)
        dims, axes, nffts, sampling, ishift, fshift = nd_arguments(
            name, self.dims, self.axes, self.nffts, self.sampling, self.ifftshift_before, self.fftshift_after
        )
        real = as_bool(name, "real")(self.real)
        if real and fshift[-1]:
            warnings.warn(
                f"{name}: fftshift_after on the last axis with real=True shifts a one-sided spectrum", stacklevel=3
            )
        self._set(
            axes=axes,
            nffts=nffts,
            sampling=sampling,
            norm=as_norm(name, self.norm),
            real=real,
            ifftshift_before=ishift,
            fftshift_after=fshift,
        )
        self._setup(name, dims, axes, nffts, real, self.dtype)

    def _check(self, dims, axes):
        """Extra checks of the subclasses."""

    def _plan(self):
        return (
            self.axes,
            self.nffts,
            tuple(ax for ax, s in zip(self.axes, self.ifftshift_before) if s),
            tuple(ax for ax, s in zip(self.axes, self.fftshift_after) if s),
        )

    @property
    def fs(self):
        return nd_frequencies(self.nffts, self.sampling, self.real, self.fftshift_after)
