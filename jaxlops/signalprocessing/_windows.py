"""Window bookkeeping shared by Sliding2D and Patch2D: window starts, PyLops' tapers, and
applying a sub-operator to every window at once."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops._primitive import apply
from jaxlops._validation import as_dims
from jaxlops.basicoperators._stacking import as_operator

__all__ = [
    "as_plane_dims",
    "TAPERS",
    "as_window_operator",
    "check_taper",
    "fold",
    "slidingsteps",
    "taper",
    "taper2d",
    "unfold",
    "windows_apply",
]

TAPERS = ("hanning", "cosine", "cosinesquare", "cosinesqrt", None)


def as_plane_dims(name, dims, dimsd):
    """``dims`` and ``dimsd`` as 2-D shapes (the model and data of a 2-D windowing operator)."""
    dims, dimsd = as_dims(name, "dims", dims), as_dims(name, "dimsd", dimsd)
    for arg, shape in (("dims", dims), ("dimsd", dimsd)):
        if len(shape) != 2:
            raise ValueError(f"{name}: {arg} must be 2-D, got {shape}")
    return dims, dimsd


def slidingsteps(name, ntr, nwin, nover, axis=""):
    """Start indices of the windows of ``nwin`` samples overlapping by ``nover`` over ``ntr`` samples
    (``axis``: the suffix naming the axis in messages, e.g. ``"[1]"``)."""
    if nwin > ntr:
        raise ValueError(f"{name}: nwin{axis}={nwin} is bigger than the data ({ntr} samples)")
    if nover >= nwin:
        raise ValueError(f"{name}: nover{axis}={nover} must be smaller than nwin{axis}={nwin}")
    return np.arange(0, ntr - nwin + 1, nwin - nover, dtype=int)


def check_taper(name, tapertype, nwin, nover, axis=""):
    """Raise unless ``tapertype`` is known and its tapers fit in a window (PyLops: ``2 nover <= nwin``)."""
    if not (tapertype is None or (isinstance(tapertype, str) and tapertype in TAPERS)):
        raise ValueError(f"{name}: tapertype must be one of {TAPERS}, got {tapertype!r}")
    if tapertype is not None and 2 * nover > nwin:
        raise ValueError(f"{name}: tapering needs nover{axis} <= nwin{axis} / 2, got nover={nover}, nwin={nwin}")


def taper(nmask, ntap, tapertype):
    """PyLops' 1-D taper (``pylops.utils.tapers.taper``), same formulas."""
    if tapertype == "hanning":
        start = np.hanning(ntap * 2 - 1)[:ntap]
    elif tapertype in ("cosine", "cosinesquare", "cosinesqrt"):
        ntap = 0 if ntap == 1 else ntap
        exponent = {"cosine": 1, "cosinesquare": 2, "cosinesqrt": 0.5}[tapertype]
        half = (ntap * 2 - 2) / 2
        with np.errstate(divide="ignore", invalid="ignore"):
            start = (0.5 * (np.cos((np.arange(ntap * 2 - 1) - half) * np.pi / half) + 1.0)) ** exponent
        start = start[:ntap]
    else:
        return np.ones(nmask)
    return np.concatenate([start, np.ones(nmask - 2 * ntap), np.flipud(start)])


def taper2d(nt, nmask, ntap, tapertype):
    """PyLops' ``taper2d``: shape ``(nmask, nt)``, tapered along axis 0 (``ntap`` an int) or both."""
    if isinstance(ntap, tuple):
        return np.outer(taper(nmask, ntap[0], tapertype), taper(nt, ntap[1], tapertype))
    return np.tile(taper(nmask, ntap, tapertype)[:, np.newaxis], (1, nt))


def as_window_operator(name, Op, model_sizes, data_sizes):
    """``Op`` as an operator and whether it acts on all windows at once (PyLops' ``simOp``).

    ``model_sizes`` / ``data_sizes``: ``(one window, all windows)`` sizes of model and data.
    """
    Op = as_operator(name, "Op", Op)
    simop = Op.shape[1] == model_sizes[1]
    expected = (data_sizes[1], model_sizes[1]) if simop else (data_sizes[0], model_sizes[0])
    if Op.shape != expected:
        raise ValueError(
            f"{name}: Op must map one window, shape {(data_sizes[0], model_sizes[0])}, or all windows at once, "
            f"shape {(data_sizes[1], model_sizes[1])}, got shape {Op.shape} (run the design function for dims)"
        )
    return Op, simop


def windows_apply(Op, simop, x, nwindows, adjoint=False):
    """``Op`` (its adjoint) on each of the ``nwindows`` windows of ``x`` (in C order), as one batched call.

    Returns an array shaped ``(nwindows, window size)``.
    """
    if simop:
        return apply(Op, x.reshape(-1), adjoint).reshape(nwindows, -1)
    return jax.vmap(lambda w: apply(Op, w, adjoint).reshape(-1))(x.reshape(nwindows, -1))


# Up to this many windows overlapping one sample, `fold` adds shifted slices; beyond, it scatters
# (on XLA CPU, 2 overlapping windows: 2x faster for rows of 512, 3x for 64 x 64 patches).
_MAX_SLICE_ADDS = 4


def fold(windows, step, n, axis=0):
    """Overlap-add: ``windows`` has its windows along ``axis`` and their samples along ``axis + 1``;
    window ``w`` starts at sample ``w * step`` of an axis of ``n`` samples (samples after the last
    window are zero), which replaces those two axes. Its transpose is ``unfold``.
    """
    before, (nw, nwin), after = windows.shape[:axis], windows.shape[axis : axis + 2], windows.shape[axis + 2 :]
    k = -(-nwin // step)  # windows overlapping one sample, at most
    if k > _MAX_SLICE_ADDS:
        index = (slice(None),) * axis + (_rows(nw, nwin, step),)
        return jnp.zeros((*before, n, *after), windows.dtype).at[index].add(windows)
    # Cut each window into k chunks of `step` samples: chunk j of window w lands on chunk w + j.
    pad = [(0, 0)] * (axis + 1) + [(0, k * step - nwin)] + [(0, 0)] * len(after)
    chunks = jnp.pad(windows, pad).reshape(*before, nw, k, step, *after)
    out = jnp.zeros((*before, nw + k - 1, step, *after), windows.dtype)
    at = (slice(None),) * axis
    for j in range(k):  # over the overlap multiplicity only: each add covers every window at once
        out = out.at[(*at, slice(j, j + nw))].add(chunks[(*at, slice(None), j)])
    out = out.reshape(*before, (nw + k - 1) * step, *after)[(*at, slice(0, n))]
    return jnp.pad(out, [(0, 0)] * axis + [(0, n - out.shape[axis])] + [(0, 0)] * len(after))


def unfold(y, nw, nwin, step):
    """The windows of ``y`` along axis 0, ``(nw, nwin, ...)``: the transpose of ``fold``."""
    return y[_rows(nw, nwin, step)]


def _rows(nw, nwin, step):
    return np.arange(nw)[:, None] * step + np.arange(nwin)
