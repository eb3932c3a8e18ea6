"""jaxlops' PoststackInversion against PyLops' as a user calls them: eagerly, float64, one run.

Run: ``python benchmarks/poststack.py [--repeat 3] [--markdown]
[--seeds N [--perturb K] [--pylops-explicit] [--no-timing]]``.
On the 550 x 267 section of the PyLops tutorial (``../shared/data/poststack_model.npz`` when
present, else a synthetic section of that size), with the tutorial's 41-tap 20 Hz Ricker wavelet
(halved), noisy data ``dn`` and a smoothed background ``mback``:

1. blocky: ``PoststackInversion(dn[:, 120:140], wav, m0=mback[:, 120:140], explicit=False,
   epsR=0.5, epsRL1=0.05, mu=1.0, niter_outer=10, niter_inner=5)`` (Split Bregman, its inner
   LSQR with SciPy's defaults and stopping tests, as PyLops);
2. explicit trace by trace: ``explicit=True, epsI=1e-2, simultaneous=False`` on every trace;
3. regularised: ``epsR=50, damp=1e-2, iter_lim=80`` (LSQR on the Laplacian-stacked operator);
4. explicit, noise-free data, default ``cond``: the accuracy of the default cutoff.

With ``--seeds N``, the blocky inversion is also run on N noise realisations (seeds 0 to N - 1)
in both libraries, and both model errors are reported per seed and on average
(``poststack-blocky_seeds``). Split Bregman's 50 inner LSQR solves of about 700 iterations each
amplify rounding: the two libraries stop within a few iterations of each other, and their
models then differ by up to a few per cent, in either direction; one realisation says little
about accuracy.
``--perturb K`` runs each realisation K times, the first as it is and the others multiplied by
``1 + 1e-15 z`` (``z`` standard normal, seeded): perturbations at the level of rounding, which
show the spread of outcomes each library's own rounding gives on that realisation; the table
then holds each library's mean and range over the K runs.
``--pylops-explicit`` adds a third column: PyLops' same call with ``explicit=True``, which runs
the same Split Bregman on the same modelling operator applied as a dense matrix. Its rounding
differs from PyLops' matrix-free operator, as jaxlops' does: the spread between PyLops' two
variants is the yardstick for the difference between the two libraries.

For each: the first eager call (compiles), the best of ``--repeat`` later eager calls (of more,
up to 30, for calls under a second: about a second of calls), the same call under ``jax.jit``
(alternating with the eager ones), PyLops' best time (as many calls), the ratio PyLops /
jaxlops (eager) and both model errors ``|m - m_true| / |m_true|``.
"""

from __future__ import annotations

import argparse
import pathlib
import time
import warnings

import jax
import numpy as np
import pylops
from _results import save
from pylops.utils.wavelets import ricker
from scipy.signal import filtfilt

from jaxlops import PoststackInversion
from jaxlops._demo import synthetic_section

MODEL = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "poststack_model.npz"


def _section():
    if MODEL.exists():
        return np.log(np.load(MODEL)["model"][:, ::3]), f"PyLops tutorial model ({MODEL.name})"
    return np.log(synthetic_section(550, 267)), "synthetic section (the tutorial model is not here)"


# Calls shorter than a second are repeated until about a second of calls is timed (at most 30):
# the best of three 15 ms calls on a busy two-core machine can be off by half.
_TIMED_S, _MAX_CALLS = 1.0, 30


def _calls(seconds, repeat):
    """How many times to time a call that takes ``seconds``: ``repeat``, or more for short calls."""
    return max(repeat, min(_MAX_CALLS, int(_TIMED_S / max(seconds, 1e-9))))


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


def _error(m, mtrue):
    return np.linalg.norm(np.asarray(m) - mtrue) / np.linalg.norm(mtrue)


def compare(label, data, wav, m0, mtrue, repeat, **kwargs):
    """Time one ``PoststackInversion`` call in both libraries; return the row of figures."""

    def eager():
        return jax.block_until_ready(PoststackInversion(data, wav, m0=m0, **kwargs))

    start = time.perf_counter()
    eager()
    first_s = time.perf_counter() - start
    # The same call: the wavelet an argument (a constant would let XLA fold the matrix away), both outputs.
    jitted = jax.jit(lambda d, w, m0: PoststackInversion(d, w, m0=m0, **kwargs))
    jax.block_until_ready(jitted(data, wav, m0))
    # Eager and jitted calls alternate, so that a slow spell of the machine does not favour either.
    eager_s = jit_s = np.inf
    done = 0
    while done < _calls(eager_s, repeat):
        run_s, (minv, _) = _best(eager, 1)
        eager_s = min(eager_s, run_s)
        jit_s = min(jit_s, _best(lambda: jax.block_until_ready(jitted(data, wav, m0)), 1)[0])
        done += 1
    pylops_s, pminv = _best(lambda: _pylops(data, wav, m0=m0, **kwargs), 1)
    more = _calls(pylops_s, repeat) - 1
    pylops_s = min(pylops_s, _best(lambda: _pylops(data, wav, m0=m0, **kwargs), more)[0] if more else np.inf)
    return dict(label=label, first=first_s, eager=eager_s, jit=jit_s, pylops=pylops_s,
                error=_error(minv, mtrue), pylops_error=_error(pminv, mtrue))


def _range_column(column):
    """The range column beside a model-error column: "PyLops model error" -> "PyLops range"."""
    return column.replace("model error", "range")


def blocky_seeds(d, wav, mback, m, window, seeds, kwargs, perturb=1, pylops_explicit=False):
    """Both libraries' blocky model errors on ``seeds`` noise realisations of ``d``, each run
    ``perturb`` times (as it is, then perturbed at the level of rounding): mean and range.
    With ``pylops_explicit``, also PyLops' same call with ``explicit=True``."""
    variants = {"model error": lambda dk: PoststackInversion(dk, wav, m0=mback[window], **kwargs)[0],
                "PyLops model error": lambda dk: _pylops(dk, wav, m0=mback[window], **kwargs)}
    if pylops_explicit:
        variants["PyLops explicit model error"] = lambda dk: _pylops(dk, wav, m0=mback[window],
                                                                     **{**kwargs, "explicit": True})
    rows = []
    for seed in range(seeds):
        dn = (d + np.random.default_rng(seed).normal(0, 1e-2, d.shape))[window]
        errors = {key: [] for key in variants}
        for k in range(perturb):
            dk = dn if k == 0 else dn * (1 + 1e-15 * np.random.default_rng((seed, k)).standard_normal(dn.shape))
            for key, invert in variants.items():
                errors[key].append(_error(jax.block_until_ready(invert(dk)), m[window]))
        row = {"noise seed": seed, **{key: float(np.mean(e)) for key, e in errors.items()}}
        if perturb > 1:
            row["runs"] = perturb
            row.update({_range_column(key): f"{min(e):.4f}-{max(e):.4f}" for key, e in errors.items()})
        rows.append(row)
    mean = {"noise seed": "mean", **{key: float(np.mean([r[key] for r in rows])) for key in variants}}
    if perturb > 1:
        mean.update({"runs": seeds * perturb, **{_range_column(key): "" for key in variants}})
    return rows + [mean]


def timed(d, dn, wav, mback, m, window, blocky, repeat, markdown, model):
    """The timed table: the four calls in both libraries (``poststack``)."""
    rows = [
        compare("blocky, 20 traces", dn[window], wav, mback[window], m[window], repeat, **blocky),
        compare("explicit trace by trace, epsI", dn, wav, mback, m, repeat,
                explicit=True, epsI=1e-2, simultaneous=False),
        compare("regularised, LSQR 80 it.", dn, wav, mback, m, repeat, epsR=50.0, damp=1e-2, iter_lim=80),
        compare("explicit, noise-free, default cond", d, wav, mback, m, repeat, explicit=True),
    ]
    print(f"{jax.devices()[0]}, float64, {model}, {wav.size}-tap wavelet; "
          f"seconds, best of {repeat} (of up to 30 for calls under 1 s); eager = the plain call, "
          "jit = the same call in jax.jit")
    print(f"{'inversion':<36}{'1st call':>9}{'eager':>9}{'jit':>9}{'eager/jit':>10}{'PyLops':>9}"
          f"{'PyLops/eager':>13}{'error':>9}{'PyLops error':>13}")
    for r in rows:
        print(f"{r['label']:<36}{r['first']:9.2f}{r['eager']:9.3f}{r['jit']:9.3f}{r['eager'] / r['jit']:10.2f}"
              f"{r['pylops']:9.3f}{r['pylops'] / r['eager']:12.1f}x{r['error']:9.4f}{r['pylops_error']:13.4f}")
    save("poststack", dict(device=str(jax.devices()[0]), dtype="float64", model=model,
                           wavelet=f"{wav.size} taps", repeat=repeat),
         [{"inversion": r["label"], "first call (s)": r["first"], "eager (s)": r["eager"], "jit (s)": r["jit"],
           "PyLops (s)": r["pylops"], "PyLops / eager": r["pylops"] / r["eager"], "model error": r["error"],
           "PyLops model error": r["pylops_error"]} for r in rows])
    if markdown:
        print("\n| inversion | first call | eager | jit | PyLops | PyLops / eager | model error (PyLops) |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            print(f"| {r['label']} | {r['first']:.2f} s | {r['eager']:.3f} s | {r['jit']:.3f} s | {r['pylops']:.3f} s "
                  f"| {r['pylops'] / r['eager']:.1f}x | {r['error']:.4f} ({r['pylops_error']:.4f}) |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best kept)")
    parser.add_argument("--markdown", action="store_true", help="also print the table in Markdown")
    parser.add_argument("--seeds", type=int, default=0,
                        help="also compare the blocky model errors over this many noise realisations")
    parser.add_argument("--perturb", type=int, default=1,
                        help="with --seeds: runs per realisation, all but the first perturbed at rounding level")
    parser.add_argument("--pylops-explicit", action="store_true",
                        help="with --seeds: also PyLops' call with explicit=True (its dense modelling matrix)")
    parser.add_argument("--no-timing", action="store_true", help="with --seeds: skip the timed table")
    args = parser.parse_args(argv)
    if args.no_timing and not args.seeds:
        parser.error("--no-timing leaves nothing to run without --seeds")
    if args.pylops_explicit and not args.seeds:
        parser.error("--pylops-explicit applies to the --seeds table: give --seeds N")
    if args.perturb < 1:
        parser.error(f"--perturb must be at least 1, got {args.perturb}")
    jax.config.update("jax_enable_x64", True)

    m, source = _section()
    nz, nx = m.shape
    wav = ricker(np.arange(21) * 0.004, 20)[0] / 2
    PPop = pylops.avo.poststack.PoststackLinearModelling(wav, nt0=nz, spatdims=nx)
    d = (PPop @ m.ravel()).reshape(nz, nx)
    dn = d + np.random.default_rng(0).normal(0, 1e-2, d.shape)
    mback = filtfilt(np.ones(60) / 60, 1, m, axis=0)
    mback = filtfilt(np.ones(50) / 50, 1, mback, axis=1)

    window = np.s_[:, 120:140]
    blocky = dict(explicit=False, epsR=0.5, epsRL1=0.05, mu=1.0, niter_outer=10, niter_inner=5)
    if not args.no_timing:
        timed(d, dn, wav, mback, m, window, blocky, args.repeat, args.markdown, f"{nz} x {nx} {source}")
    if args.seeds:
        seeds = blocky_seeds(d, wav, mback, m, window, args.seeds, blocky, args.perturb, args.pylops_explicit)
        columns = [key for key in seeds[0] if key.endswith("model error")]
        names = {"model error": "jaxlops", "PyLops model error": "PyLops",
                 "PyLops explicit model error": "PyLops explicit=True"}
        print(f"\nblocky model error over {args.seeds} noise realisations, {args.perturb} run(s) each "
              f"({', '.join(names[c] for c in columns)}; mean and range over the runs):")
        for r in seeds:
            ranges = [value for key, value in r.items() if key.endswith("range")]
            print(f"  seed {r['noise seed']!s:>4}: " + "  ".join(f"{r[c]:.4f}" for c in columns)
                  + (f"   ranges {'  '.join(ranges)}" if any(ranges) else ""))
        save("poststack-blocky_seeds", dict(device=str(jax.devices()[0]), dtype="float64",
                                            model=f"{nz} x {nx} {source}, traces 120-139"), seeds)


if __name__ == "__main__":
    main()
