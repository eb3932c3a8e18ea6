"""Two-dimensional patching transform."""

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
    windows_apply,
)

__all__ = ["Patch2D", "patch2d_design"]

_NAME = "Patch2D"


def patch2d_design(dimsd, nwin, nover, nop, verb=True):
    """Patches of a :class:`Patch2D`: PyLops' ``patch2d_design`` (``verb`` is ignored, as in PyLops 2).

    Returns ``(nwins, dims, mwins_inends, dwins_inends)``: the numbers of patches along each axis,
    the model shape, and per axis the (starts, ends) of the model and data patches, as NumPy arrays.
    """
    dimsd = as_dims("patch2d_design", "dimsd", dimsd)
    dwins = [slidingsteps("patch2d_design", dimsd[i], nwin[i], nover[i], f"[{i}]") for i in (0, 1)]
    dims = (len(dwins[0]) * nop[0], len(dwins[1]) * nop[1])
    mwins = [slidingsteps("patch2d_design", dims[i], nop[i], 0, f"[{i}]") for i in (0, 1)]
    return (
        (len(dwins[0]), len(dwins[1])),
        dims,
        tuple((m, m + nop[i]) for i, m in enumerate(mwins)),
        tuple((d, d + nwin[i]) for i, d in enumerate(dwins)),
    )


def _pair(arg, value, minimum):
    try:
        pair = tuple(value)
    except TypeError:
        raise TypeError(f"{_NAME}: {arg} must be a pair of ints, got {value!r}") from None
    if len(pair) != 2:
        raise ValueError(f"{_NAME}: {arg} must be a pair of ints, got {value!r}")
    return tuple(as_count(_NAME, f"{arg}[{i}]", v, minimum) for i, v in enumerate(pair))


def _tapers(tapertype, nwin, nover, nwins0, nwins1, savetaper):
    """The taper of every patch, ``(nwins0, nwins1, *nwin)``, built as PyLops builds them."""
    tap = taper2d(nwin[1], nwin[0], nover, tapertype)
    mid_col = tap[:, nwin[1] // 2][:, np.newaxis]

    def edged(left=False, right=False, top=False, bottom=False):
        # Outer edges take the middle row / column: no taper across the border of the data.
        t = tap.copy()
        if left:
            t[:, : nover[1]] = mid_col
        if right:
            t[:, -nover[1] :] = mid_col  # `-0:` is all columns, as in PyLops
        if top:
            t[: nover[0]] = t[nwin[0] // 2]
        if bottom:
            t[-nover[0] :] = t[nwin[0] // 2]
        return t

    # PyLops' (3, 3) table: [top, middle, bottom] x [left, middle, right].
    table = [[edged(left=j == 0, right=j == 2, top=i == 0, bottom=i == 2) for j in range(3)] for i in range(3)]
    if savetaper:  # PyLops assigns by rows, then columns, then corners: later assignments win
        taps = [[table[1][1]] * nwins1 for _ in range(nwins0)]
        for i, j, row, col in [(0, None, 0, 1), (nwins0 - 1, None, 2, 1), (None, 0, 1, 0), (None, nwins1 - 1, 1, 2)]:
            for a in range(nwins0) if i is None else [i]:
                for b in range(nwins1) if j is None else [j]:
                    taps[a][b] = table[row][col]
        for a, b, row, col in [(0, 0, 0, 0), (0, -1, 0, 2), (-1, 0, 2, 0), (-1, -1, 2, 2)]:
            taps[a][b] = table[row][col]
    else:  # PyLops' if/elif chain: the first window on an axis wins over the last
        side = lambda k, n: 0 if k == 0 else (2 if k == n - 1 else 1)  # noqa: E731
        taps = [[table[side(a, nwins0)][side(b, nwins1)] for b in range(nwins1)] for a in range(nwins0)]
    return np.array(taps)


class Patch2D(LinearOperator):
    r"""Apply ``Op`` to overlapping 2-D patches, tapered and summed.

    Parameters
    ----------
    Op : LinearOperator
        Transform of one patch, from ``nop`` to ``nwin`` samples; or of all
        patches at once (then ``Op.shape[1] == prod(dims)``, PyLops' ``simOp``).
        A pytree child.
    dims : tuple of int
        Model shape ``(nwins0 * nop[0], nwins1 * nop[1])``, e.g. from :func:`patch2d_design`.
    dimsd : tuple of int
        Data shape (2-D).
    nwin : tuple of int
        Number of samples of a patch along each axis.
    nover : tuple of int
        Number of samples shared by neighbouring patches along each axis,
        below ``nwin`` (at most ``nwin / 2`` with a taper).
    nop : tuple of int
        Model samples of a patch along each axis.
    tapertype : {"hanning", "cosine", "cosinesquare", "cosinesqrt", None}, optional
        Taper of the overlapping edges of each patch (none for ``None``).
    savetaper : bool, optional
        Which of PyLops' two taper layouts to reproduce. They agree except
        with a single patch along an axis, where PyLops' ``savetaper=True``
        tapers that patch as a bottom (right) one and ``False`` as a top
        (left) one; both are reproduced exactly. All tapers are stored.
    scalings : sequence of float, optional
        Accepted for PyLops compatibility and, as in PyLops 2, not applied.

    Attributes
    ----------
    taps : jax.Array or None
        Pytree leaf, real, shape ``(nwins0, nwins1, *nwin)``: the taper of each patch.
    simOp : bool
        ``Op`` acts on all patches at once.

    Notes
    -----
    With patches :math:`(a, b)` starting at :math:`(a\,(n_{win,0} - n_{over,0}),
    b\,(n_{win,1} - n_{over,1}))`, tapers :math:`\tau_{ab}` (PyLops' ``taper2d`` with
    the outer edges of the border patches untapered) and :math:`\mathbf{x}_{ab}`
    the model of patch :math:`(a, b)` (``dims`` is ``(nwins0, nwins1, nop0, nop1)``),

    .. math:: \mathbf{y}[\text{patch}_{ab}] \mathrel{+}= \tau_{ab} \odot \mathbf{Op}\,\mathbf{x}_{ab}, \quad
              \mathbf{x}_{ab} = \mathbf{Op}^H (\tau_{ab} \odot \mathbf{y}[\text{patch}_{ab}]) \;\text{(adjoint)}.

    ``Op`` is applied to all patches in one batched call. The overlap-add
    runs along each axis in turn, as in :class:`Sliding2D` (slice-adds over
    the overlap multiplicity, or a scatter-add beyond 4); the adjoint is one
    gather. Samples after the last patch are left at zero (as in PyLops).

    PyLops equivalent: ``pylops.signalprocessing.Patch2D(Op, dims, dimsd, nwin, nover, nop, tapertype,
    savetaper, scalings)``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.basicoperators.identity import Identity
    >>> from jaxlops.signalprocessing.patch2d import Patch2D
    >>> P = Patch2D(Identity(4, dtype="float32"), (4, 4), (3, 3), (2, 2), (1, 1), (2, 2), tapertype=None)
    >>> P @ jnp.ones((2, 2, 2, 2))
    Array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]], dtype=float32)
    """

    Op: LinearOperator
    dims: tuple = static_field()
    dimsd: tuple = static_field()
    nwin: tuple = static_field()
    nover: tuple = static_field()
    nop: tuple = static_field()
    tapertype: str = static_field(default="hanning")
    savetaper: bool = static_field(default=True)
    scalings: tuple = static_field(default=None)
    taps: jax.Array = dataclasses.field(init=False, default=None)
    simOp: bool = static_field(init=False, default=False)
    starts: tuple = static_field(init=False, default=None)

    def __post_init__(self):
        dims, dimsd = as_plane_dims(_NAME, self.dims, self.dimsd)
        nwin, nover, nop = _pair("nwin", self.nwin, 1), _pair("nover", self.nover, 0), _pair("nop", self.nop, 1)
        starts = [slidingsteps(_NAME, dimsd[i], nwin[i], nover[i], f"[{i}]") for i in (0, 1)]
        for i in (0, 1):
            check_taper(_NAME, self.tapertype, nwin[i], nover[i], f"[{i}]")
        nwins = (len(starts[0]), len(starts[1]))
        if dims != (nwins[0] * nop[0], nwins[1] * nop[1]):
            raise ValueError(
                f"{_NAME}: dims={dims} is not consistent with {nwins} patches of nop={nop} model samples "
                f"(expected {(nwins[0] * nop[0], nwins[1] * nop[1])}; see patch2d_design)"
            )
        n = nwins[0] * nwins[1]
        model, data = nop[0] * nop[1], nwin[0] * nwin[1]
        Op, simop = as_window_operator(_NAME, self.Op, (model, n * model), (data, n * data))
        taps = None
        if self.tapertype is not None:
            taps = _tapers(self.tapertype, nwin, nover, *nwins, bool(self.savetaper))
            taps = jnp.asarray(taps, dtype=np.finfo(Op.dtype).dtype)
        scalings = None if self.scalings is None else tuple(float(s) for s in self.scalings)
        self._set(
            Op=Op,
            dims=(*nwins, *nop),
            dimsd=dimsd,
            nwin=nwin,
            nover=nover,
            nop=nop,
            savetaper=bool(self.savetaper),
            scalings=scalings,
            taps=taps,
            simOp=simop,
            starts=tuple(tuple(s.tolist()) for s in starts),
            dtype=Op.dtype,
        )

    def _matvec(self, x):
        (nw0, nw1), (n0, n1), (s0, s1) = self.dims[:2], self.nwin, (w - o for w, o in zip(self.nwin, self.nover))
        y = windows_apply(self.Op, self.simOp, x, nw0 * nw1).reshape(nw0, nw1, n0, n1)
        if self.taps is not None:
            y = self.taps * y
        y = fold(y.transpose(0, 2, 1, 3), s1, self.dimsd[1], axis=2)  # along columns: (nw0, n0, dimsd[1])
        return fold(y, s0, self.dimsd[0])

    def _rmatvec(self, y):
        rows, cols = (np.asarray(s)[:, None] + np.arange(n) for s, n in zip(self.starts, self.nwin))
        windows = y[rows[:, None, :, None], cols[None, :, None, :]]
        if self.taps is not None:
            windows = self.taps * windows
        nwins = self.dims[0] * self.dims[1]
        return windows_apply(self.Op, self.simOp, windows, nwins, adjoint=True).reshape(self.dims)
