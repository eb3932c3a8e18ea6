"""Cases: Convolve1D, Convolve2D, ConvolveND, Smoothing1D and Smoothing2D.

PyLops' Convolve1D adjoint neither conjugates a complex filter nor, for a
filter with one trace per axis, flips it along ``axis`` (it flips the last
axis); its ConvolveND reshapes a filter given with unsorted ``axes`` instead
of transposing it. The references below use PyLops where it is right: the
adjoint comes from PyLops' operator with the conjugate filter, a filter along
axis 0 is applied along the last axis of the transposed model, and unsorted
axes are sorted with the filter transposed to match.
"""

import numpy as np
import pylops

from jaxlops.basicoperators.smoothing1d import Smoothing1D
from jaxlops.basicoperators.smoothing2d import Smoothing2D
from jaxlops.signalprocessing.convolve1d import Convolve1D
from jaxlops.signalprocessing.convolve2d import Convolve2D
from jaxlops.signalprocessing.convolvend import ConvolveND

from . import Case

SP = pylops.signalprocessing
FEW = ("float32", "complex128")


def _random(rng, shape, dtype):
    x = rng.standard_normal(shape)
    if np.issubdtype(np.dtype(dtype), np.complexfloating):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


class _ExactAdjoint(pylops.LinearOperator):
    """PyLops' ``forward``, with the adjoint of ``adjoint`` (PyLops' Convolve1D with the conjugate filter)."""

    def __init__(self, forward, adjoint):
        super().__init__(dtype=forward.dtype, dims=forward.dims, dimsd=forward.dimsd, clinear=True)
        self.forward, self.adjoint_op = forward, adjoint

    def _matvec(self, x):
        return self.forward._matvec(x)

    def _rmatvec(self, y):
        return self.adjoint_op._rmatvec(y)


def _pylops_convolve1d(dims, h, offset, axis, dtype):
    if h.ndim > 1 and axis % h.ndim != h.ndim - 1:
        # PyLops flips the last axis of h: apply it along the last axis of the transposed model.
        axis = axis % h.ndim
        perm = [a for a in range(h.ndim) if a != axis] + [axis]
        dimsd = tuple(max(n, h.shape[a]) if a == axis else n for a, n in enumerate(dims))
        T, Td = (pylops.Transpose(d, perm, dtype=dtype) for d in (dims, dimsd))
        return Td.H @ _pylops_convolve1d(tuple(dims[a] for a in perm), np.transpose(h, perm), offset, -1, dtype) @ T
    forward = SP.Convolve1D(dims, h, offset=offset, axis=axis, dtype=dtype)
    return _ExactAdjoint(forward, SP.Convolve1D(dims, h.conj(), offset=offset, axis=axis, dtype=dtype))


def _convolve1d(dims, hshape, offset=0, axis=-1, method=None, symmetry=None):
    def build(dtype, rng):
        h = _random(rng, hshape, dtype)
        if symmetry is not None:  # a filter with the declared symmetry along the filter axis
            faxis = axis if h.ndim > 1 else 0
            h = (h + np.flip(h, faxis)) / 2 if symmetry == "even" else (h - np.flip(h, faxis)) / 2
        Op = Convolve1D(dims, h, offset=offset, axis=axis, method=method, dtype=dtype, symmetry=symmetry)
        return Op, _pylops_convolve1d(dims, h, offset, axis, dtype)

    return build


def _convolvend(cls, dims, hshape, offset, axes, method, pylops_cls=None):
    def build(dtype, rng):
        h = _random(rng, hshape, dtype)
        Op = cls(dims, h, offset=offset, axes=axes, method=method, dtype=dtype)
        theirs = pylops_cls or getattr(SP, cls.__name__)
        if axes is not None and h.ndim < np.size(dims) and list(axes) != sorted(axes):
            order = np.argsort(axes)
            h, axes_, offset_ = np.transpose(h, order), tuple(np.sort(axes)), tuple(np.asarray(offset)[order])
            return Op, theirs(dims, h, offset=offset_, axes=axes_, method=method, dtype=dtype)
        return Op, theirs(dims, h, offset=offset, axes=axes, method=method, dtype=dtype)

    return build


def _smoothing(cls, theirs, *args, **kwargs):
    def build(dtype, rng):
        return cls(*args, dtype=dtype, **kwargs), theirs(*args, dtype=dtype, **kwargs)

    return build


CASES = [
    Case("Convolve1D-1d-odd", _convolve1d(9, 3, offset=1)),
    Case("Convolve1D-1d-even-fft", _convolve1d(9, 4, offset=3, method="fft")),
    Case("Convolve1D-1d-negative-offset-oa", _convolve1d(9, 4, offset=-2, method="overlapadd")),
    Case("Convolve1D-long-direct", _convolve1d(5, 8, offset=4, method="direct")),
    Case("Convolve1D-long-fft", _convolve1d(4, 7, offset=0, method="fft"), FEW),
    Case("Convolve1D-2d-axis0", _convolve1d((9, 4), 4, offset=1, axis=0, method="direct"), FEW),
    Case("Convolve1D-2d-axis1-fft", _convolve1d((4, 9), 3, offset=0, axis=1, method="fft"), FEW),
    Case("Convolve1D-3d-axis1-oa", _convolve1d((3, 8, 2), 3, offset=2, axis=1, method="overlapadd"), FEW),
    Case("Convolve1D-3d-axis2", _convolve1d((2, 3, 7), 5, offset=2, axis=-1)),
    Case("Convolve1D-traces-axis1", _convolve1d((4, 9), (4, 3), offset=1, axis=1, method="fft"), FEW),
    Case("Convolve1D-traces-axis0", _convolve1d((9, 4), (3, 4), offset=1, axis=0)),
    Case("Convolve1D-traces-xla", _convolve1d((2, 135), (2, 130), offset=60, method="direct"), FEW),
    Case("Convolve1D-xla", _convolve1d(140, 131, offset=70, method="direct"), FEW),
    Case("Convolve1D-even-direct", _convolve1d(15, 7, offset=3, method="direct", symmetry="even")),
    Case("Convolve1D-odd-2d-axis0", _convolve1d((12, 3), 6, offset=2, axis=0, method="direct", symmetry="odd")),
    Case("Convolve1D-even-long-loop", _convolve1d(140, 101, offset=50, method="direct", symmetry="even"), FEW),
    Case("Convolve1D-odd-traces-fft", _convolve1d((4, 9), (4, 5), offset=2, axis=1, method="fft", symmetry="odd"),
         FEW),
    Case("Convolve1D-even-traces-axis0", _convolve1d((9, 4), (5, 4), offset=2, axis=0, symmetry="even"), FEW),
    Case("Convolve2D-2d-fft", _convolvend(Convolve2D, (6, 5), (3, 3), (1, 1), (-2, -1), "fft")),
    Case("Convolve2D-2d-even-direct", _convolvend(Convolve2D, (6, 5), (2, 4), (0, 3), (-2, -1), "direct"), FEW),
    Case("Convolve2D-offset-outside", _convolvend(Convolve2D, (5, 6), (3, 2), (-1, 2), (0, 1), "auto"), FEW),
    Case("Convolve2D-long-filter", _convolvend(Convolve2D, (5, 6), (7, 2), (3, 0), (0, 1), "fft"), FEW),
    Case("Convolve2D-3d-axes02", _convolvend(Convolve2D, (3, 5, 4), (3, 2), (1, 0), (0, 2), "direct"), FEW),
    Case("Convolve2D-3d-axes20", _convolvend(Convolve2D, (3, 5, 4), (2, 3), (0, 2), (2, 0), "fft"), FEW),
    Case("Convolve2D-xla", _convolvend(Convolve2D, (13, 12), (12, 11), (6, 5), (0, 1), "direct"), FEW),
    Case("ConvolveND-3d-fft", _convolvend(ConvolveND, (3, 4, 5), (2, 3, 2), (1, 1, 0), None, "fft")),
    Case("ConvolveND-3d-full-h", _convolvend(ConvolveND, (3, 4, 5), (2, 3, 2), (1, 2, 1), (-2, -1), "direct"), FEW),
    Case("ConvolveND-3d-axes01", _convolvend(ConvolveND, (4, 3, 5), (3, 2), (2, 0), (0, 1), "auto"), FEW),
    Case("ConvolveND-1d", _convolvend(ConvolveND, 7, (3,), (1,), (0,), "fft"), FEW),
    Case("Smoothing1D-1d", _smoothing(Smoothing1D, pylops.Smoothing1D, 3, 9)),
    Case("Smoothing1D-3d-even", _smoothing(Smoothing1D, pylops.Smoothing1D, 4, (3, 7, 2), axis=1), FEW),
    Case("Smoothing1D-long", _smoothing(Smoothing1D, pylops.Smoothing1D, 6, 5), FEW),
    Case("Smoothing2D-2d", _smoothing(Smoothing2D, pylops.Smoothing2D, (3, 5), (6, 7))),
    Case("Smoothing2D-3d-axes20", _smoothing(Smoothing2D, pylops.Smoothing2D, (2, 3), (4, 3, 5), axes=(2, 0)), FEW),
    Case("Smoothing2D-2d-axes10", _smoothing(Smoothing2D, pylops.Smoothing2D, (3, 1), (4, 5), axes=(1, 0)), FEW),
]
