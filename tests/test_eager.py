"""Eager calls of solvers and operators compile once and are reused: a second call
with new arrays traces nothing (neither JAX nor the function's Python body runs again)."""

import contextlib
import sys

import jax
import jax.monitoring
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlops as jl
import jaxlops.avo.poststack
from jaxlops.avo.poststack import PoststackInversion, PoststackLinearModelling

_TRACE_EVENT = "/jax/core/compile/jaxpr_trace_duration"


@contextlib.contextmanager
def count_traces():
    """Count the functions JAX traces into jaxprs inside the block."""
    count = [0]

    def listener(event, duration, **kwargs):
        if event == _TRACE_EVENT:
            count[0] += 1

    jax.monitoring.register_event_duration_secs_listener(listener)
    try:
        yield count
    finally:
        jax.monitoring.unregister_event_duration_listener(listener)


@pytest.fixture
def body_runs(monkeypatch):
    """Count the runs of a function's Python body through a helper it calls: ``body_runs(module, name)``."""
    count = [0]

    def watch(module, name):
        helper = getattr(module, name)

        def counted(*args, **kwargs):
            count[0] += 1
            return helper(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
        return count

    return watch


def _poststack_problem(rng, nt0=30, nx=4):
    wav = np.array([-0.1, 0.3, 1.0, 0.3, -0.1])
    m = np.cumsum(rng.standard_normal((nt0, nx)) * 0.1, axis=0)
    d = np.asarray(PoststackLinearModelling(wav, nt0, spatdims=nx) @ m)
    return wav, m, d


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(explicit=True),
        dict(explicit=True, epsI=1e-2),
        dict(explicit=False, iter_lim=20),
        dict(epsR=0.5, iter_lim=20),
        dict(epsR=0.5, epsRL1=0.05, niter_outer=2, niter_inner=2, iter_lim=5),
    ],
    ids=["explicit", "explicit-epsI", "lsqr", "regularised", "blocky"],
)
def test_poststack_inversion_second_eager_call_traces_nothing(kwargs, rng, body_runs):
    wav, m, d = _poststack_problem(rng)
    runs = body_runs(jaxlops.avo.poststack, "check_wavelet")
    PoststackInversion(d, wav, m0=0.9 * m, **kwargs)
    first_runs = runs[0]
    with count_traces() as traces:
        second, _ = PoststackInversion(2 * d, wav, m0=1.1 * m, **kwargs)
    assert first_runs > 0 and runs[0] == first_runs and traces[0] == 0
    expected, _ = jax.jit(lambda d, m0: PoststackInversion(d, wav, m0=m0, **kwargs))(2 * d, 1.1 * m)
    np.testing.assert_allclose(second, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("solver", [jl.cg, jl.cgls, jl.lsqr, jl.fista])
def test_solver_second_eager_call_traces_nothing(solver, rng, body_runs):
    A = rng.standard_normal((12, 12))
    Op = jl.MatrixMult(A @ A.T + 12 * np.eye(12))
    kwargs = dict(eps=0.1) if solver is jl.fista else {}
    runs = body_runs(sys.modules[solver.__module__], "prepare")
    solver(Op, rng.standard_normal(12), niter=5, **kwargs)
    other = jl.MatrixMult(A @ A.T + 13 * np.eye(12))  # same structure, new values
    with count_traces() as traces:
        result = solver(other, rng.standard_normal(12), niter=5, **kwargs)
    assert traces[0] == 0 and runs[0] == 1 and int(result.niter) > 0


def test_operator_second_eager_application_traces_nothing(rng):
    Op = jl.FirstDerivative((6, 5), axis=1) @ jl.Diagonal(rng.standard_normal(5), dims=(6, 5))
    Op @ rng.standard_normal((6, 5))
    with count_traces() as traces:
        Op @ rng.standard_normal((6, 5))
    assert traces[0] == 0


def test_settings_are_checked_with_their_values():
    Op = jl.Identity(4)
    with pytest.raises(ValueError, match="cgls: damp must be finite and non-negative"):
        jl.cgls(Op, jnp.ones(4), damp=-1.0)
    with pytest.raises(TypeError, match="cgls: niter must be an int"):
        jl.cgls(Op, jnp.ones(4), niter=2.5)


def test_dottest_runs_eagerly(capsys, rng):
    wav, m, d = _poststack_problem(rng)
    PoststackInversion(d, wav, m0=m, explicit=True, dottest=True)
    assert "Dot test" in capsys.readouterr().out
