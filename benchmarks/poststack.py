"""jaxlops' PoststackInversion against PyLops' on the same inputs, float64, compilation timed apart.

Run: ``python benchmarks/poststack.py [--repeat 3] [--blocky-traces N]``. On the 550 x 267
section of the PyLops tutorial (``../shared/data/poststack_model.npz`` when present, else a
synthetic section of that size), 41-tap 20 Hz Ricker wavelet, the tutorial's arguments:

1. the spatially regularised inversion (``epsR=50``, ``damp=1e-2``, ``iter_lim=80``: LSQR);
2. the blocky inversion (``epsR=0.4``, ``epsRL1=0.1``, ``mu=0.1``, 5 x 10 Split Bregman
   iterations of 5 LSQR steps); PyLops on ``--blocky-traces`` traces (all by default); then
   with PyLops' defaults (3 x 5 Split Bregman iterations, LSQR to SciPy's tolerances) on 20
   traces of 275 samples (every other sample);
3. the explicit trace-by-trace inversion, noise-free data (SVD, ``cond=1e-8``) and noisy data
   (``epsI=4e-2``: a Cholesky factorisation here, SciPy's ``lstsq`` in PyLops).

For each: jaxlops' compile time, its best run time over ``--repeat`` runs, PyLops' best time
(one run for the blocky inversion), their ratio and the relative difference of the two models.
"""

from __future__ import annotations

import argparse
import pathlib
import time
import warnings

import jax
import numpy as np
import pylops
from pylops.utils.wavelets import ricker
from scipy.signal import filtfilt

from jaxlops import PoststackInversion
from jaxlops._demo import synthetic_section

MODEL = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "poststack_model.npz"


def _section():
    if MODEL.exists():
        return np.log(np.load(MODEL)["model"][:, ::3]), f"PyLops tutorial model ({MODEL.name})"
    return np.log(synthetic_section(550, 267)), "synthetic section (the tutorial model is not here)"


def _best(fun, repeat):
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        out = fun()
        best = min(best, time.perf_counter() - start)
    return best, out


def _pylops(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convmtx's FutureWarning
        return pylops.avo.poststack.PoststackInversion(*args, **kwargs)[0]


def compare(label, data, wav, m0, repeat, pylops_traces=None, pylops_repeat=None, **kwargs):
    """Time one ``PoststackInversion`` call in both libraries and print a line."""
    invert = jax.jit(lambda d, w, m0: PoststackInversion(d, w, m0=m0, **kwargs)[0])
    start = time.perf_counter()
    compiled = invert.lower(data, wav, m0).compile()
    compile_s = time.perf_counter() - start
    run_s, minv = _best(lambda: jax.block_until_ready(compiled(data, wav, m0)), repeat)
    ntr = data.shape[1] if pylops_traces is None else min(pylops_traces, data.shape[1])
    pylops_s, pminv = _best(lambda: _pylops(data[:, :ntr], wav, m0=m0[:, :ntr], **kwargs), pylops_repeat or repeat)
    pylops_s *= data.shape[1] / ntr
    note = "" if ntr == data.shape[1] else f"  (PyLops on {ntr} traces, x{data.shape[1] / ntr:.1f})"
    diff = np.linalg.norm(np.asarray(minv)[:, :ntr] - pminv) / np.linalg.norm(pminv)
    print(f"{label:<40}{compile_s:9.2f}{run_s:10.3f}{pylops_s:10.3f}{pylops_s / run_s:10.1f}{diff:12.1e}{note}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best kept)")
    parser.add_argument("--blocky-traces", type=int, default=None, help="traces PyLops' blocky inversion runs on")
    args = parser.parse_args(argv)
    jax.config.update("jax_enable_x64", True)

    m, source = _section()
    nz, nx = m.shape
    wav = ricker(np.arange(21) * 0.004, 20)[0] / 2
    PPop = pylops.avo.poststack.PoststackLinearModelling(wav, nt0=nz, spatdims=nx)
    d = (PPop @ m.ravel()).reshape(nz, nx)
    dn = d + np.random.default_rng(0).normal(0, 1e-2, d.shape)
    mback = filtfilt(np.ones(60) / 60, 1, m, axis=0)
    mback = filtfilt(np.ones(50) / 50, 1, mback, axis=1)

    print(f"{jax.devices()[0]}, float64, {nz} x {nx} {source}, {wav.size}-tap wavelet; seconds, best of {args.repeat}")
    print(f"{'inversion':<40}{'compile':>9}{'jaxlops':>10}{'PyLops':>10}{'PyLops/jl':>10}{'model diff':>12}")
    compare("regularised (epsR, LSQR, 80 it.)", dn, wav, mback, args.repeat, epsR=50.0, damp=1e-2, iter_lim=80)
    compare("blocky (epsRL1, Split Bregman)", dn, wav, mback, args.repeat, args.blocky_traces, pylops_repeat=1,
            epsR=0.4, epsRL1=0.1, mu=0.1, niter_outer=5, niter_inner=10, iter_lim=5, damp=1e-3)
    small = (slice(None, None, 2), slice(100, 120))
    compare("blocky, PyLops' defaults, 275 x 20", dn[small], wav, mback[small], 1, epsR=0.4, epsRL1=0.1)
    compare("trace by trace, noise-free (SVD)", d, wav, mback, args.repeat, explicit=True, cond=1e-8)
    compare("trace by trace, noisy (epsI)", dn, wav, mback, args.repeat, explicit=True, epsI=4e-2)


if __name__ == "__main__":
    main()
