"""N-dimensional convolution operator, and the convolution kernels that
Convolve1D, Convolve2D, Smoothing1D and Smoothing2D share."""

from __future__ import annotations

import math
import operator

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from jaxlops._validation import as_array, as_axis, as_dims, holding_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["ConvolveND"]

_METHODS = ("auto", "direct", "fft")
# "direct" adds shifted copies of the input as one pairwise sum per pass of a compiled loop:
# along the filter's last axis, up to _TAPS_PER_PASS taps in one pass (longer filters: passes
# of equal length, the few taps left over added before the loop); a multi-dimensional filter by
# whole rows, up to _BLOCK taps per pass. Measured on a 2-core Xeon, forward + adjoint of the
# post-stack operator (41 taps along axis 0): one pass 117 us against 184 us with passes of 16
# at 550 x 20, 1.07 ms against 1.37 ms at 550 x 267 (float64; float32 0.55 against 0.79 ms);
# 81 taps, 550 x 267: 1.6 ms in two passes of 40, 3.1 ms in passes of 16. Compile time stays
# flat: a vmapped value_and_grad through cgls (8 x 300 samples) compiles in 1.8, 2.1 and 1.6 s
# with 41, 47 and 81 taps (2.5, 2.9, 3.5 s in passes of 16; 12 s with 81 taps in one pass).
# lax.conv_general_dilated runs 1.2-2 times slower in float64 and 15-50 times slower in float32.
_TAPS_PER_PASS = 48
_BLOCK = 16
# method="auto" takes "direct" up to this many taps, "fft" above: the crossovers
# measured on a 2-core Xeon at 512x512, forward + adjoint (float64: direct 1.5, 1.7,
# 2.9, 4.2, 6.1, 7.6 ms with 3x3 to 13x13 taps, fft 9-10 ms; beyond 10x10 direct's gain
# falls under 2x while its cost grows with the filter; complex128: direct 3.8, 8.3, 15.5,
# 26 ms with 3x3 to 9x9, fft 16-17.5 ms).
_AUTO_TAPS = {False: 100, True: 64}  # keyed by "complex dtype"
# Overlap-add blocks: FFTs of about this many filter lengths (4 to 64 run alike).
_OA_FACTOR = 8
# A filter's spectrum comes from DFT matrices of at most this many entries each
# (FFT length times filter length), else from an FFT of the zero-padded filter.
_DFT_ENTRIES = 1 << 18


def _fast_length(n):
    """The smallest 2^a 3^b 5^c >= n: the FFT lengths XLA transforms fastest."""
    best = 1 << (n - 1).bit_length()
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            p = p35
            while p < n:
                p *= 2
            best, p35 = min(best, p), p35 * 3
        p5 *= 5
    return best


def _pad(x, widths):
    """Zero-pad ``x`` by ``(low, high)`` per axis; negative widths crop."""
    return lax.pad(x, jnp.zeros((), x.dtype), [(lo, hi, 0) for lo, hi in widths])


def _valid(x, g, axes, method, symmetry=None):
    r"""Valid part of the convolution of ``x`` with ``g`` along ``axes``,
    :math:`y_n = \sum_k g_k x_{n + K - 1 - k}`, shorter than ``x`` by ``K - 1``.

    ``g`` has ``x.ndim`` axes: the kernel lengths ``K`` along ``axes``, 1 or
    the length of ``x`` along the others (one filter per trace). With one
    axis, ``symmetry="even"`` or ``"odd"`` states that ``g`` equals
    ``flip(g)`` or ``-flip(g)`` along it: the direct method then adds (or
    subtracts) the two samples each pair of taps reads and multiplies once.
    """
    g = g.astype(jnp.result_type(x.dtype, g.dtype))
    x = x.astype(g.dtype)
    if not axes:
        return g * x
    if method == "fft":
        return _fft(x, g, axes)
    if method == "overlapadd":
        return _overlap_add(x, g, axes[0])
    if symmetry is not None and len(axes) == 1:
        return _paired_shift_add(x, g, axes[0], symmetry)
    return _shift_add(x, g, axes)


SYMMETRIES = (None, "even", "odd")


def check_symmetry(name, symmetry, h, axis):
    """``symmetry`` checked: one of :data:`SYMMETRIES`, and, for a concrete ``h``, holding along
    ``axis`` to 64 machine epsilons of ``max |h|`` (a traced ``h`` is not checked: the operators
    use its :func:`symmetric_part`)."""
    if symmetry not in SYMMETRIES:
        raise ValueError(f"{name}: symmetry must be one of {SYMMETRIES}, got {symmetry!r}")
    if symmetry is None or isinstance(h, jax.core.Tracer):
        return symmetry
    h = np.asarray(h)
    mirrored = np.flip(h, axis) if symmetry == "even" else -np.flip(h, axis)
    scale = np.max(np.abs(h), initial=0.0)
    tol = 64 * np.finfo(np.result_type(h.dtype, np.float32)).eps * scale
    worst = np.max(np.abs(h - mirrored), initial=0.0)
    if worst > tol:
        rule = "h == flip(h)" if symmetry == "even" else "h == -flip(h)"
        raise ValueError(f"{name}: symmetry={symmetry!r} needs {rule} along the filter axis, but h differs from "
                         f"that by up to {worst:.3g} (max |h| = {scale:.3g})")
    return symmetry


def symmetric_part(g, axis, symmetry):
    """``(g + flip(g)) / 2`` (``"even"``) or ``(g - flip(g)) / 2`` (``"odd"``) along ``axis``;
    ``g`` itself, exactly, when it has that symmetry (``symmetry=None``: ``g``)."""
    if symmetry is None:
        return g
    flipped = jnp.flip(g, axis=axis)
    return (g + flipped) / 2 if symmetry == "even" else (g - flipped) / 2


def _paired_shift_add(x, g, axis, symmetry):
    """:func:`_shift_add` along one axis for a filter with ``symmetry``: taps ``k`` and
    ``K - 1 - k`` share a coefficient, so each pair costs one addition and one product. The
    direct convolution is bound by its loads (a sample and a coefficient per tap); pairing
    halves the coefficient loads: 19 against 25-28 us for 43 taps at 550 x 20, float64, on
    one core of a 2-core Xeon. Only the first half of ``g`` is read: the callers pass a filter
    with the symmetry (:func:`symmetric_part` of theirs)."""
    x = lax.optimization_barrier(x)
    ntaps = g.shape[axis]
    out = list(x.shape)
    out[axis] -= ntaps - 1

    def shifted(start):
        return lax.dynamic_slice_in_dim(x, start, out[axis], axis=axis)

    def coefficient(k):
        return lax.dynamic_slice_in_dim(g, k, 1, axis=axis)

    def pair(k):
        """Taps ``k`` and ``ntaps - 1 - k`` (``k`` an int or a loop index)."""
        near, far = shifted(k), shifted(ntaps - 1 - k)
        return coefficient(k) * (far + near if symmetry == "even" else far - near)

    y = _tap_sum(pair, ntaps // 2, out, x.dtype, _TAPS_PER_PASS // 2) if ntaps > 1 else jnp.zeros(out, x.dtype)
    if ntaps % 2 and symmetry == "even":  # the middle tap (an odd filter's is 0)
        y = y + coefficient(ntaps // 2) * shifted(ntaps // 2)
    return y


def _tree_sum(terms):
    """Pairwise sum: independent additions, where a running sum chains them."""
    while len(terms) > 1:
        pairs = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        terms = pairs + terms[len(pairs) * 2 :]
    return terms[0]


def _tap_sum(term, ntaps, shape, dtype, per_pass=_BLOCK):
    """``sum(term(k) for k in range(ntaps))``, ``per_pass`` terms at most per pass of a compiled loop.

    ``term(k)`` is tap ``k`` (or a few) times its shifted copy of the input,
    ``k`` an int or a traced loop index: the direct kernel of the convolution
    operators (here) and of
    :class:`~jaxlops.signalprocessing.NonStationaryConvolve1D`. Its input
    should be materialised (``lax.optimization_barrier``): otherwise XLA may
    fuse the producer (e.g. the forward convolution, in an
    adjoint-after-forward) into every shifted read and recompute it once per tap.
    """
    if ntaps <= per_pass:
        return _tree_sum([term(k) for k in range(ntaps)])
    # as many passes as blocks of per_pass terms, of equal length: fewer terms left over (compile time)
    npass = -(-ntaps // per_pass)
    block = ntaps // npass
    rest = [term(k) for k in range(npass * block, ntaps)]
    y = _tree_sum(rest) if rest else jnp.zeros(shape, dtype)
    return lax.fori_loop(0, npass, lambda b, y: y + _tree_sum([term(b * block + c) for c in range(block)]), y)


def _shift_add(x, g, axes):
    """Sums of shifted copies of ``x`` (:func:`_tap_sum`): along the last filter axis, taps
    written out; along the others, a loop index (taps there cost divisions, i.e. compile time)."""
    x = lax.optimization_barrier(x)
    *outer, last = axes
    outer_shape = [g.shape[a] for a in outer]
    out = [n - g.shape[a] + 1 if a in axes else n for a, n in enumerate(x.shape)]
    tap_shape = [1 if a in axes else n for a, n in enumerate(g.shape)]

    def tap(o, j):
        """Tap ``j`` along the last filter axis of filter row ``o`` (C order over the other axes)."""
        g_start, x_start = [0] * x.ndim, [0] * x.ndim
        for i, a in enumerate(axes):
            if a == last:
                ka = j
            elif i == len(outer) - 1:
                ka = o
            else:
                step = math.prod(outer_shape[i + 1 :])
                ka, o = o // step, o % step
            g_start[a], x_start[a] = ka, g.shape[a] - 1 - ka
        return lax.dynamic_slice(g, g_start, tap_shape) * lax.dynamic_slice(x, x_start, out)

    nrows, ntaps = math.prod(outer_shape), g.shape[last]
    if ntaps > _BLOCK:  # a long last axis: passes along it, row by row
        return _tree_sum([_tap_sum(lambda j, o=o: tap(o, j), ntaps, out, x.dtype, _TAPS_PER_PASS)
                          for o in range(nrows)])

    def row(o):
        return _tree_sum([tap(o, j) for j in range(ntaps)])

    return _tap_sum(row, nrows, out, x.dtype, per_pass=max(1, _BLOCK // ntaps))


def _fft(x, g, axes):
    lengths = [_fast_length(x.shape[a]) for a in axes]
    real = not jnp.iscomplexobj(x)
    spectrum = _spectrum(g, axes, lengths, real)
    if real:
        y = jnp.fft.irfftn(jnp.fft.rfftn(x, lengths, axes) * spectrum, lengths, axes)
    else:
        y = jnp.fft.ifftn(jnp.fft.fftn(x, lengths, axes) * spectrum, lengths, axes)
    for a in axes:
        y = lax.slice_in_dim(y, g.shape[a] - 1, x.shape[a], axis=a)
    return y


def _spectrum(g, axes, lengths, real):
    """``rfftn(g, lengths, axes)`` (``fftn`` if not ``real``) of a short filter, as
    products with DFT matrices: a fraction of the cost of transforming its zero padding."""
    if any(n * g.shape[a] > _DFT_ENTRIES for a, n in zip(axes, lengths)):
        return jnp.fft.rfftn(g, lengths, axes) if real else jnp.fft.fftn(g, lengths, axes)
    dtype = jnp.result_type(g.dtype, jnp.complex64)
    for i, (a, n) in enumerate(zip(axes, lengths)):
        nfreq = n // 2 + 1 if real and i == len(axes) - 1 else n
        dft = np.exp(-2j * np.pi * np.outer(np.arange(g.shape[a]), np.arange(nfreq)) / n)
        g = jnp.moveaxis(jnp.tensordot(g, dft.astype(dtype), ([a], [0]), precision=lax.Precision.HIGHEST), -1, a)
    return g


def _overlap_add(x, g, axis):
    """Block-wise FFT convolution along one axis: each block of ``x`` is convolved
    with ``g`` by FFTs of a few times the filter length, and the overlaps added."""
    x, g = jnp.moveaxis(x, axis, -1), jnp.moveaxis(g, axis, -1)
    n, k = x.shape[-1], g.shape[-1]
    length = _fast_length(_OA_FACTOR * k)
    block = length - k + 1
    nblocks = -(-n // block)
    xb = _pad(x, [(0, 0)] * (x.ndim - 1) + [(0, nblocks * block - n)]).reshape(*x.shape[:-1], nblocks, block)
    spectrum = _spectrum(g, (g.ndim - 1,), (length,), not jnp.iscomplexobj(x))[..., None, :]
    if jnp.iscomplexobj(x):
        yb = jnp.fft.ifft(jnp.fft.fft(xb, length) * spectrum, length)
    else:
        yb = jnp.fft.irfft(jnp.fft.rfft(xb, length) * spectrum, length)
    # The last k - 1 samples of each block's output overlap the next block.
    tails = _pad(yb[..., :-1, block : block + k - 1], [(0, 0)] * (x.ndim - 1) + [(1, 0), (0, block - k + 1)])
    y = (yb[..., :block] + tails).reshape(*x.shape[:-1], nblocks * block)
    return jnp.moveaxis(y[..., k - 1 : n], -1, axis)


def _check_method(name, method, methods):
    if method not in methods:
        raise ValueError(f"{name}: method must be one of {methods}, got {method!r}")
    return method


class ConvolveND(LinearOperator):
    r"""N-dimensional convolution with a compact filter along ``axes``.

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape.
    h : array_like
        Filter, with one axis per entry of ``axes``, or one per axis of
        ``dims`` (then, as in PyLops, it is convolved along every axis and
        ``axes`` is not used). It is a pytree leaf, differentiable.
    offset : tuple of int, optional
        Index of the centre of the filter along each of its axes; zeros
        when ``None``.
    axes : tuple of int, optional
        Axes of ``dims`` along which the filter runs; all when ``None``.
    method : {"fft", "direct", "auto"}, optional
        ``"fft"``: products of (real) FFTs of lengths ``dims + h.shape - 1``
        rounded up to 5-smooth numbers; ``"direct"``: sums of shifted copies
        of the input, a compiled loop over the filter (at most 16 taps per
        pass over the data); ``"auto"`` (or ``None``): ``"direct"`` up to 100
        taps (64 for a complex dtype), the crossovers measured on CPU.
        ``Op.method`` holds the method used.
    dtype : str or numpy.dtype, optional
        Operator dtype: ``h`` is cast to it (to its complex counterpart
        when ``h`` is complex).

    Notes
    -----
    With :math:`\mathbf{o}` the offset and :math:`\mathbf{n}` a multi-index,

    .. math:: y_\mathbf{n} = \sum_\mathbf{m} h_{\mathbf{n} + \mathbf{o} - \mathbf{m}} x_\mathbf{m},
              \qquad x_\mathbf{m} = \sum_\mathbf{n} \bar h_{\mathbf{n} + \mathbf{o} - \mathbf{m}} y_\mathbf{n}
              \;\text{(adjoint: correlation with the conjugate filter)},

    with zeros outside the filter and outside the model, at every edge.

    PyLops equivalent: ``pylops.signalprocessing.ConvolveND(dims, h, offset, axes, method, dtype)``.
    PyLops reshapes (rather than transposes) a filter given with unsorted
    ``axes``; here ``h``'s axis ``i`` always runs along ``axes[i]``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.signalprocessing.convolvend import ConvolveND
    >>> Op = ConvolveND((2, 4), jnp.array([[1.0, 2.0]]), offset=(0, 1), method="direct", dtype="float32")
    >>> Op @ jnp.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    Array([[1., 2., 0., 0.],
           [0., 0., 1., 2.]], dtype=float32)
    >>> Op.H @ jnp.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    Array([[0., 2., 1., 0.],
           [0., 0., 0., 2.]], dtype=float32)
    """

    dims: tuple = static_field()
    h: jax.Array
    offset: tuple = static_field(default=None)
    axes: tuple = static_field(default=(-2, -1))
    method: str = static_field(default="fft")
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        name = type(self).__name__
        dims = as_dims(name, "dims", self.dims)
        if self.axes is None:
            axes = tuple(range(len(dims)))
        else:
            axes = tuple(as_axis(name, a, len(dims), "axes") for a in _ints(name, "axes", self.axes))
        if len(set(axes)) != len(axes):
            raise ValueError(f"{name}: axes must be distinct, got {self.axes}")
        h = as_array(name, "h", self.h)
        if h.ndim not in (len(axes), len(dims)) or h.size == 0:
            raise ValueError(
                f"{name}: h must be a non-empty array with len(axes)={len(axes)} or len(dims)={len(dims)} "
                f"dimensions, got shape {h.shape}"
            )
        offset = (0,) * h.ndim if self.offset is None else _ints(name, "offset", self.offset)
        if len(offset) != h.ndim:
            raise ValueError(f"{name}: offset must hold one int per axis of h ({h.ndim}), got {self.offset}")
        method = "auto" if self.method is None else _check_method(name, self.method, _METHODS)
        dtype = holding_dtype(name, self.dtype, h)
        self._set(dims=dims, dimsd=dims, h=h.astype(dtype), offset=offset, axes=axes, dtype=dtype)
        if method == "auto":
            taps = math.prod(self._kernel_shape())
            method = "direct" if taps <= _AUTO_TAPS[jnp.issubdtype(dtype, jnp.complexfloating)] else "fft"
        self._set(method=method)

    def _placed(self):
        """The filter and offsets along every axis of ``dims``: (filter, offsets)."""
        if self.h.ndim == len(self.dims):
            return self.h, self.offset
        order = sorted(range(len(self.axes)), key=lambda i: self.axes[i])
        shape, offset = [1] * len(self.dims), [0] * len(self.dims)
        for i, a in enumerate(self.axes):
            shape[a], offset[a] = self.h.shape[i], self.offset[i]
        return jnp.transpose(self.h, order).reshape(shape), offset

    def _kernel_shape(self):
        return self._placed()[0].shape

    def _convolve(self, x, adjoint):
        g, offset = self._placed()
        x = x.astype(jnp.result_type(self.dtype, x.dtype))
        if adjoint:
            g = jnp.flip(jnp.conj(g))
            widths = [(o, k - 1 - o) for k, o in zip(g.shape, offset)]
        else:
            widths = [(k - 1 - o, o) for k, o in zip(g.shape, offset)]
        axes = tuple(a for a, k in enumerate(g.shape) if k > 1)
        return _valid(_pad(x, widths), g, axes, self.method)

    def _matvec(self, x):
        return self._convolve(x, adjoint=False)

    def _rmatvec(self, y):
        return self._convolve(y, adjoint=True)


def _ints(name, arg, value):
    """``value`` as a tuple of ints."""
    try:
        return tuple(map(operator.index, value))
    except TypeError:
        raise TypeError(f"{name}: {arg} must be a sequence of ints, got {value!r}") from None
