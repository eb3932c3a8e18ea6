"""``python -m jaxlops demo``: post-stack seismic inversion of a synthetic section, timed against PyLops.

Builds a 2-D acoustic-impedance section in code (layers, a fault, a wedge),
models noisy post-stack data with :func:`jaxlops.PoststackLinearModelling`,
then inverts it three ways with :func:`jaxlops.PoststackInversion`: trace by
trace (one dense solve for every trace), with a spatial Laplacian (LSQR) and
blocky (Split Bregman). Each inversion is called as a user would, eagerly:
its first call compiles it and later calls reuse the program; both times are
printed, with the time of the same call to PyLops on NumPy.
"""

from __future__ import annotations

import time
import warnings

import jax
import numpy as np
from pylops.utils.wavelets import ricker
from scipy.ndimage import gaussian_filter

from jaxlops.avo.poststack import PoststackInversion, PoststackLinearModelling

__all__ = ["demo", "synthetic_section"]

DT = 0.004  # time sampling, s
PYLOPS_BLOCKY_TRACES = 50  # PyLops' blocky inversion is timed on this many traces, scaled to all


def synthetic_section(nz, nx, seed=0):
    """Acoustic impedance ``(nz, nx)``: gently folded layers, a wedge pinching out, a normal fault."""
    rng = np.random.default_rng(seed)
    z, x = np.arange(nz)[:, None] / nz, np.arange(nx)[None, :] / nx
    fault = x > 0.62 + 0.35 * (z - 0.5)  # hanging wall, right of a fault dipping to the right
    zz = z - 0.07 * fault  # the hanging wall slipped down
    nlayers = 14
    tops = np.sort(np.linspace(0.06, 0.94, nlayers - 1) + rng.uniform(-0.025, 0.025, nlayers - 1))
    fold = 0.04 * np.sin(2 * np.pi * (x + 0.15)) + 0.05 * x
    layer = (zz[..., None] > tops + fold[..., None]).sum(-1)
    ai = (6000 + 2500 * np.arange(nlayers) / nlayers + rng.normal(0, 700, nlayers))[layer]  # harder with depth
    wedge_top = 0.68 + fold
    thickness = np.clip(0.12 * (x - 0.08) / 0.6, 0, 0.12)
    ai = np.where((zz >= wedge_top) & (zz < wedge_top + thickness), 0.92 * ai.min(), ai)  # a soft sand
    return np.broadcast_to(ai, (nz, nx)).copy()


def _relative_error(m, mtrue):
    return float(np.linalg.norm(np.asarray(m) - mtrue) / np.linalg.norm(mtrue))


def _step(label, invert, args, mtrue, pylops_seconds=None):
    """Call ``invert(*args)`` as a user would, eagerly: the first call compiles, later ones reuse the
    program. Print both times, the model error and PyLops' time for the same call."""
    start = time.perf_counter()
    jax.block_until_ready(invert(*args))
    first_s = time.perf_counter() - start
    run_s = np.inf
    for _ in range(2):
        start = time.perf_counter()
        minv = np.asarray(jax.block_until_ready(invert(*args))[0])
        run_s = min(run_s, time.perf_counter() - start)
    error = _relative_error(minv, mtrue)
    print(f"  {label:<36} first call (compiles) {first_s:5.2f} s   run {run_s:6.3f} s   model error {error:.4f}")
    if pylops_seconds is not None:
        seconds, note = pylops_seconds()
        print(f"  {'  same with PyLops (NumPy, float64)':<36} {'':>28} run {seconds:6.3f} s   "
              f"speed-up {seconds / run_s:5.3g}x{note}")
    return minv


def _pylops_timer(data, wav, m0, ntraces=None, **kwargs):
    """A function timing PyLops' ``PoststackInversion`` on the first ``ntraces`` traces (all by
    default), scaled to all: its cost grows about linearly with the traces (a little slower, so the
    scaled time is a slight overestimate, about 5% from 48 to 300 traces)."""
    nx = data.shape[1]
    ntr = nx if ntraces is None else min(ntraces, nx)

    def seconds():
        import pylops

        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convmtx's FutureWarning
            pylops.avo.poststack.PoststackInversion(data[:, :ntr], wav, m0=m0[:, :ntr], **kwargs)
        elapsed = time.perf_counter() - start
        note = "" if ntr == nx else f" (PyLops timed on {ntr} of {nx} traces, scaled by {nx / ntr:.3g})"
        return elapsed * nx / ntr, note

    return seconds


def demo(size=300, noise=0.2, output="jaxlops_poststack_demo.png", compare=True, seed=0):
    """Run the post-stack inversion demo and save the figure to ``output``; return the figure's path."""
    nz = nx = size
    started = time.perf_counter()
    dtype = jax.numpy.zeros(()).dtype
    print(f"Post-stack seismic inversion with jaxlops on {jax.default_backend()}, {dtype} (JAX's default)")

    print(f"1. Model: {nz} x {nx} acoustic-impedance (AI) section with layers, a wedge and a fault; m = ln(AI)")
    mtrue = np.log(synthetic_section(nz, nx, seed))
    mback = gaussian_filter(mtrue, (nz / 25, nx / 15), mode="nearest")
    error = _relative_error(mback, mtrue)
    print(f"  background (the model smoothed): model error |m - m_true| / |m_true| = {error:.4f}")

    half = min(21, size // 4) | 1  # odd: ricker builds 2 * half - 1 taps
    wav = ricker(np.arange(half) * DT, 20)[0] / 2  # 20 Hz, 41 taps; / 2: zero-offset reflectivity
    print(f"2. Data: PoststackLinearModelling, 20 Hz Ricker wavelet ({wav.size} taps), "
          f"noise {noise:g} x the data's standard deviation")
    d = np.asarray(PoststackLinearModelling(wav, nt0=nz, spatdims=nx) @ mtrue.astype(dtype))
    dn = (d + noise * d.std() * np.random.default_rng(seed + 1).standard_normal(d.shape)).astype(dtype)

    print("3. PoststackInversion, called eagerly: the first call compiles, the next ones reuse the program")
    steps = [  # title, label, PoststackInversion's arguments, starting model, traces PyLops is timed on
        ("Trace by trace", "trace by trace (explicit=True, epsI)", dict(explicit=True, epsI=5e-3), None, None),
        ("Spatially regularised", "spatially regularised (epsR, LSQR)", dict(epsR=0.2, damp=1e-2, iter_lim=80),
         "Trace by trace", None),
        ("Blocky", "blocky (epsRL1, Split Bregman)", dict(epsR=0.2, epsRL1=0.05, mu=1.0, niter_outer=5,
                                                          niter_inner=10, iter_lim=5, damp=1e-3),
         None, PYLOPS_BLOCKY_TRACES),
    ]
    results = {}
    for title, label, kwargs, start_from, ntraces in steps:
        m0 = mback if start_from is None else results[start_from]

        def invert(d, m0, kwargs=kwargs):
            return PoststackInversion(d, wav, m0=m0, **kwargs)

        timer = _pylops_timer(dn.astype(float), wav, m0.astype(float), ntraces, **kwargs) if compare else None
        results[title] = _step(label, invert, (dn, m0), mtrue, timer)

    print("4. Figure")
    path = _figure(output, dn, mtrue, mback, results)
    print(f"  saved {path}" if path else "  matplotlib is not installed: no figure (pip install matplotlib)")
    print(f"Done in {time.perf_counter() - started:.1f} s.")
    return path


def _figure(output, data, mtrue, mback, inversions):
    try:
        import matplotlib
        from PIL import Image
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = {"Noisy data": data, "True model ln(AI)": mtrue, "Background": mback, **inversions}
    fig, axes = plt.subplots(2, 3, figsize=(12, 7.5), dpi=72, sharex=True, sharey=True, layout="constrained")
    clip = np.percentile(np.abs(data), 99)
    for ax, (title, image) in zip(axes.ravel(), panels.items()):
        if title == "Noisy data":
            shown = ax.imshow(image, cmap="gray", vmin=-clip, vmax=clip, aspect="auto")
        else:
            shown = ax.imshow(image, cmap="viridis", vmin=mtrue.min(), vmax=mtrue.max(), aspect="auto")
            if title != "True model ln(AI)":
                title += f"  (error {_relative_error(image, mtrue):.4f})"
        ax.set_title(title, fontsize=10)
    fig.colorbar(shown, ax=axes, shrink=0.6, label="ln(AI)")
    for ax in axes[:, 0]:
        ax.set_ylabel("time sample")
    for ax in axes[-1]:
        ax.set_xlabel("trace")
    fig.suptitle("jaxlops post-stack inversion (PoststackInversion)")
    fig.canvas.draw()
    image = Image.fromarray(np.asarray(fig.canvas.buffer_rgba())).convert("RGB")
    plt.close(fig)
    image.quantize(colors=256).save(output, optimize=True)  # a palette: a third of the size, no visible change
    return output
