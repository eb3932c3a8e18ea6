"""1-D convolution operator."""

from __future__ import annotations

import operator

import jax
import jax.numpy as jnp

from jaxlops._validation import as_array, as_axis, as_dims, holding_dtype
from jaxlops.linearoperator import LinearOperator, static_field
from jaxlops.signalprocessing.convolvend import _check_method, _pad, _valid, check_symmetry, symmetric_part

__all__ = ["Convolve1D"]

_METHODS = (None, "direct", "fft", "overlapadd")
# method=None: "direct" up to _AUTO_TAPS taps, keyed by (complex dtype, long axis), a long
# axis holding at least _OVERLAP_MIN filter lengths; beyond, "overlapadd" along a long axis,
# "fft" along a shorter one. Measured on a 2-core Xeon (forward + adjoint): direct runs at
# least 1.3 times faster up to these lengths, e.g. 550 x 267 along its 550 samples, float64:
# direct 0.3, 0.8, 1.5 ms with 11, 41, 81 taps, fft 1.8-1.9 ms (equal at 97 taps);
# complex128: direct 1.9, 3.9, 6.5 ms with 11, 21, 41 taps, fft 3.7-3.9 ms; 1e6 samples,
# float64: direct 8, 11.5 ms with 41, 97 taps, overlap-add 15-20 ms; complex128: direct 23,
# 45 ms with 41, 81 taps, overlap-add 29, 41 ms. Nearer the crossover the FFT methods win
# on compile time: a vmapped value_and_grad through cgls compiles in 1-1.7 s with "fft",
# 1.6-2.1 s with "direct" (at any filter length: see convolvend._TAPS_PER_PASS).
_AUTO_TAPS = {(False, False): 64, (False, True): 96, (True, False): 16, (True, True): 48}
_OVERLAP_MIN = 32


def _auto_method(nh, n, dtype):
    long = n >= _OVERLAP_MIN * nh
    if nh <= _AUTO_TAPS[(jnp.issubdtype(dtype, jnp.complexfloating), long)]:
        return "direct"
    return "overlapadd" if long else "fft"


class Convolve1D(LinearOperator):
    r"""1-D convolution with a filter along ``axis``.

    Parameters
    ----------
    dims : int or tuple of int
        Model shape.
    h : array_like
        1-D filter, or an array with ``len(dims)`` axes whose length along
        the others is 1 or that of ``dims`` (one filter per trace). It is a
        pytree leaf, differentiable. A filter longer than ``dims[axis]``
        makes the data longer than the model: it has ``len(h)`` samples
        along ``axis``.
    offset : int, optional
        Index of the centre of the filter; at most ``len(h) - 1`` (at most
        ``dims[axis] - 1`` for a filter longer than ``dims[axis]``).
    axis : int, optional
        Axis along which the convolution is applied.
    method : {None, "direct", "fft", "overlapadd"}, optional
        ``"direct"``: sums of shifted copies of the input, up to 48 taps
        per pass of a compiled loop (its compile time does not grow with
        the filter); ``"fft"``: one real FFT along ``axis`` of length
        ``dims[axis] + len(h) - 1`` rounded up to a 5-smooth number;
        ``"overlapadd"``: FFTs of blocks about eight filter lengths long.
        ``None`` chooses by speed on CPU, run and compile time: along an
        axis at least 32 filter lengths long, ``"direct"`` up to 96 taps
        (48 for a complex dtype), else ``"overlapadd"``; along a shorter
        axis, ``"direct"`` up to 64 taps (16 complex), else ``"fft"``.
        Up to these lengths ``"direct"`` runs at least 1.3 times faster;
        nearer the crossover the FFT methods compile faster (by 1-2 s in a
        differentiated, vmapped solver loop). ``Op.method`` holds the
        method used.
    dtype : str or numpy.dtype, optional
        Operator dtype: ``h`` is cast to it (to its complex counterpart
        when ``h`` is complex).
    symmetry : {None, "even", "odd"}, optional
        Declares the filter symmetric along ``axis``, ``h == flip(h)``
        (``"even"``, e.g. a zero-phase wavelet such as a Ricker), or
        antisymmetric, ``h == -flip(h)`` (``"odd"``). The ``"direct"``
        method then multiplies each pair of taps once: up to about 1.4
        times faster. The operator convolves with the filter's (anti)symmetric
        part, :math:`(h \pm \mathrm{flip}(h))/2`, which is ``h`` itself,
        sample for sample, when the declaration holds; it is checked
        (to 64 machine epsilons of ``max |h|``) when ``h`` is concrete,
        not when it is traced. Gradients with respect to ``h`` are those
        of that part. Keyword only; not in PyLops.

    Notes
    -----
    With :math:`o` the offset, along ``axis``,

    .. math:: y_n = \sum_m h_{n + o - m} x_m, \qquad
              x_m = \sum_n \bar h_{n + o - m} y_n \;\text{(adjoint: correlation)},

    with zeros outside the filter and outside the model, at every edge.

    PyLops equivalent: ``pylops.signalprocessing.Convolve1D(dims, h, offset, axis, method, dtype)``.
    PyLops' adjoint does not conjugate a complex filter and, for a filter
    with one trace per axis, flips its last axis rather than ``axis``;
    here the adjoint is the exact conjugate transpose in both cases.
    PyLops allows ``"direct"`` only for 1-D models, and its ``"overlapadd"``
    fails; here every method works for every shape.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.signalprocessing.convolve1d import Convolve1D
    >>> C = Convolve1D(5, jnp.array([1.0, 2.0, 3.0]), offset=1, dtype="float32")
    >>> C @ jnp.array([0.0, 0.0, 1.0, 0.0, 0.0])
    Array([0., 1., 2., 3., 0.], dtype=float32)
    >>> C.H @ jnp.array([0.0, 0.0, 1.0, 0.0, 0.0])
    Array([0., 3., 2., 1., 0.], dtype=float32)
    """

    dims: tuple = static_field()
    h: jax.Array
    offset: int = static_field(default=0)
    axis: int = static_field(default=-1)
    method: str = static_field(default=None)
    dtype: object = static_field(default="float64")
    symmetry: str = static_field(default=None, kw_only=True)

    def __post_init__(self):
        name = type(self).__name__
        dims = as_dims(name, "dims", self.dims)
        axis = as_axis(name, self.axis, len(dims))
        h = as_array(name, "h", self.h)
        if h.ndim == 1:
            nh = h.shape[0]
        elif h.ndim == len(dims) and all(h.shape[a] in (1, n) for a, n in enumerate(dims) if a != axis):
            nh = h.shape[axis]
        else:
            raise ValueError(
                f"{name}: h must be 1-D, or have len(dims)={len(dims)} axes of length 1 or dims={dims} "
                f"except along axis={axis}, got shape {h.shape}"
            )
        if nh == 0:
            raise ValueError(f"{name}: h must not be empty, got shape {h.shape}")
        try:
            offset = operator.index(self.offset)
        except TypeError:
            raise TypeError(f"{name}: offset must be an int, got {self.offset!r}") from None
        n = dims[axis]
        limit, what = (n - 1, "dims[axis] - 1") if nh > n else (nh - 1, "len(h) - 1")
        if offset > limit:
            raise ValueError(f"{name}: offset must be at most {what} = {limit}, got {offset}")
        method = _check_method(name, self.method, _METHODS)
        dimsd = dims[:axis] + (max(n, nh),) + dims[axis + 1 :]
        dtype = holding_dtype(name, self.dtype, h)
        method = _auto_method(nh, max(n, nh), dtype) if method is None else method
        symmetry = check_symmetry(name, self.symmetry, h, axis if h.ndim > 1 else 0)
        self._set(dims=dims, dimsd=dimsd, h=h.astype(dtype), offset=offset, axis=axis, method=method, dtype=dtype,
                  symmetry=symmetry)

    def _filter(self):
        """The filter as applied (its declared symmetric part), with ``len(dims)`` axes."""
        h = symmetric_part(self.h, self.axis if self.h.ndim > 1 else 0, self.symmetry)
        if h.ndim == 1:
            return h.reshape([-1 if a == self.axis else 1 for a in range(len(self.dims))])
        return h

    def _convolve(self, x, adjoint):
        g, a, o = self._filter(), self.axis, self.offset
        k, n, nd = g.shape[a], self.dims[a], self.dimsd[a]
        x = x.astype(jnp.result_type(self.dtype, x.dtype))
        widths = [(0, 0)] * len(self.dims)
        if adjoint:
            g = jnp.flip(jnp.conj(g), axis=a)
            widths[a] = (o, n + k - 1 - nd - o)
        else:
            widths[a] = (k - 1 - o, nd - n + o)
        return _valid(_pad(x, widths), g, (a,), self.method, self.symmetry)

    def _matvec(self, x):
        return self._convolve(x, adjoint=False)

    def _rmatvec(self, y):
        return self._convolve(y, adjoint=True)
