"""Two-dimensional sliding-window transform."""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops._validation import as_count, as_dims
from jaxlops.linearoperator import LinearOperator, static_field
from jaxlops.signalprocessing._windows import (
    as_plane_dims,
    as_window_operator,
    check_taper,
    fold,
    slidingsteps,
    taper2d,
    unfold,
    windows_apply,
)

__all__ = ["Sliding2D", "sliding2d_design"]

_NAME = "Sliding2D"


def sliding2d_design(dimsd, nwin, nover, nop, verb=True):
    """Windows of a :class:`Sliding2D`: PyLops' ``sliding2d_design`` (``verb`` is ignored, as in PyLops 2).

    Returns ``(nwins, dims, mwins_inends, dwins_inends)``: the number of windows, the model shape,
    and the (starts, ends) of the model and data windows along the first axis, as NumPy arrays.
    """
    dimsd = as_dims("sliding2d_design", "dimsd", dimsd)
    dwin_ins = slidingsteps("sliding2d_design", dimsd[0], nwin, nover)
    dims = (len(dwin_ins) * nop[0], nop[1])
    mwin_ins = slidingsteps("sliding2d_design", dims[0], nop[0], 0)
    return len(dwin_ins), dims, (mwin_ins, mwin_ins + nop[0]), (dwin_ins, dwin_ins + nwin)


class Sliding2D(LinearOperator):
    r"""Apply ``Op`` to overlapping windows along the first axis, tapered and summed.

    Parameters
    ----------
    Op : LinearOperator
        Transform of one window, from ``(dims[0] // nwins, dims[1])`` to
        ``(nwin, dimsd[1])`` samples; or of all windows at once (then
        ``Op.shape[1] == prod(dims)``, PyLops' ``simOp``). A pytree child.
    dims : tuple of int
        Model shape ``(nwins * nop0, nt)``, e.g. from :func:`sliding2d_design`.
    dimsd : tuple of int
        Data shape (2-D).
    nwin : int
        Number of samples of a window (along the first axis).
    nover : int
        Number of samples shared by two neighbouring windows, below ``nwin``
        (at most ``nwin / 2`` with a taper).
    tapertype : {"hanning", "cosine", "cosinesquare", "cosinesqrt", None}, optional
        Taper of the overlapping edges of each window (none for ``None``).
    savetaper : bool, optional
        Accepted for PyLops compatibility; results do not depend on it (the
        tapers of all windows are always stored).

    Attributes
    ----------
    taps : jax.Array or None
        Pytree leaf, real, shape ``(nwins, nwin, 1)``: the taper of each
        window (constant along the second axis).
    simOp : bool
        ``Op`` acts on all windows at once.

    Notes
    -----
    With windows :math:`w` starting at :math:`s_w = w\,(n_{win} - n_{over})`,
    tapers :math:`\tau_w` (PyLops' ``taper2d``, with the outer edge of the
    first and last windows untapered) and :math:`\mathbf{x}_w` the model of
    window :math:`w` (``dims`` is ``(nwins, dims[0] // nwins, dims[1])``),

    .. math:: \mathbf{y}[s_w + i, :] \mathrel{+}= \tau_w[i]\, (\mathbf{Op}\,\mathbf{x}_w)[i, :], \quad
              \mathbf{x}_w = \mathbf{Op}^H (\tau_w\, \mathbf{y}[s_w : s_w + n_{win}, :]) \;\text{(adjoint)}.

    ``Op`` is applied to all windows in one batched call. The overlap-add
    adds, for each of the (at most) :math:`\lceil n_{win} / (n_{win} - n_{over}) \rceil`
    windows that overlap a sample, one slice covering all windows; beyond 4
    it is one scatter-add, faster then. The adjoint is one gather. Rows after
    the last window are left at zero (as in PyLops).

    PyLops equivalent: ``pylops.signalprocessing.Sliding2D(Op, dims, dimsd, nwin, nover, tapertype, savetaper)``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.basicoperators.identity import Identity
    >>> from jaxlops.signalprocessing.sliding2d import Sliding2D
    >>> S = Sliding2D(Identity(4, dtype="float32"), (4, 2), (3, 2), nwin=2, nover=1, tapertype=None)
    >>> S @ jnp.ones((2, 2, 2))
    Array([[1., 1.],
           [2., 2.],
           [1., 1.]], dtype=float32)
    """

    Op: LinearOperator
    dims: tuple = static_field()
    dimsd: tuple = static_field()
    nwin: int = static_field()
    nover: int = static_field()
    tapertype: str = static_field(default="hanning")
    savetaper: bool = static_field(default=True)
    taps: jax.Array = dataclasses.field(init=False, default=None)
    simOp: bool = static_field(init=False, default=False)
    starts: tuple = static_field(init=False, default=None)

    def __post_init__(self):
        dims, dimsd = as_plane_dims(_NAME, self.dims, self.dimsd)
        nwin, nover = as_count(_NAME, "nwin", self.nwin, 1), as_count(_NAME, "nover", self.nover, 0)
        starts = slidingsteps(_NAME, dimsd[0], nwin, nover)
        check_taper(_NAME, self.tapertype, nwin, nover)
        nwins = len(starts)
        if dims[0] % nwins:
            raise ValueError(f"{_NAME}: dims[0]={dims[0]} must be a multiple of the number of windows, {nwins}")
        model, data = dims[0] // nwins * dims[1], nwin * dimsd[1]
        Op, simop = as_window_operator(_NAME, self.Op, (model, dims[0] * dims[1]), (data, nwins * data))
        taps = None
        if self.tapertype is not None:
            tap = taper2d(dimsd[1], nwin, nover, self.tapertype)[:, :1]  # constant along axis 1
            first, last = tap.copy(), tap.copy()
            first[:nover], last[-nover:] = 1, 1  # `last[-0:]` is all of it, as in PyLops
            taps = np.stack([first, *[tap] * (nwins - 2), last][:nwins])
            taps = jnp.asarray(taps, dtype=np.finfo(Op.dtype).dtype)
        self._set(
            Op=Op,
            dims=(nwins, dims[0] // nwins, dims[1]),
            dimsd=dimsd,
            nwin=nwin,
            nover=nover,
            savetaper=bool(self.savetaper),
            taps=taps,
            simOp=simop,
            starts=tuple(starts.tolist()),
            dtype=Op.dtype,
        )

    def _matvec(self, x):
        nwins = self.dims[0]
        y = windows_apply(self.Op, self.simOp, x, nwins).reshape(nwins, self.nwin, self.dimsd[1])
        if self.taps is not None:
            y = self.taps * y
        return fold(y, self.nwin - self.nover, self.dimsd[0])

    def _rmatvec(self, y):
        nwins = self.dims[0]
        windows = unfold(y, nwins, self.nwin, self.nwin - self.nover)
        if self.taps is not None:
            windows = self.taps * windows
        return windows_apply(self.Op, self.simOp, windows, nwins, adjoint=True).reshape(self.dims)
