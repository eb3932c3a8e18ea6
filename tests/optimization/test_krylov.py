"""cg, cgls, lsqr and the least-squares inversions: PyLops parity, transformations,
gradients, status codes and bad input."""

import jax
import jax.numpy as jnp
import numpy as np
import pylops
import pytest
from pylops.optimization import basic as pbasic
from pylops.optimization import leastsquares as pls

import jaxlops as jl
from jaxlops import Status


def _problem(rng, n, m, dtype):
    A = rng.standard_normal((n, m))
    y = rng.standard_normal(n)
    if np.dtype(dtype).kind == "c":
        A, y = A + 1j * rng.standard_normal((n, m)), y + 1j * rng.standard_normal(n)
    return A.astype(dtype), y.astype(dtype)


def _close(a, b, rtol=1e-8):
    a, b = np.asarray(a), np.asarray(b)
    assert np.abs(a - b).max() <= rtol * max(np.abs(b).max(), 1e-300), np.abs(a - b).max()


SHAPES = {"square": (20, 20), "over": (30, 20), "under": (15, 20)}
CONFIGS = [pytest.param(s, d, damp, x0, id=f"{s}-{d}-damp{damp}-{'x0' if x0 else 'zero'}")
           for s in SHAPES for d in ("float64", "complex128") for damp, x0 in ((0.0, False), (0.4, False), (0.0, True))]


@pytest.mark.parametrize("shape, dtype, damp, with_x0", CONFIGS)
def test_cgls_and_lsqr_iterates_match_pylops(rng, shape, dtype, damp, with_x0):
    A, y = _problem(rng, *SHAPES[shape], dtype)
    x0 = rng.standard_normal(A.shape[1]).astype(dtype) if with_x0 else None
    Op, POp = jl.MatrixMult(A, dtype=dtype), pylops.MatrixMult(A, dtype=dtype)
    ours = jl.cgls(Op, y, x0=x0, niter=6, damp=damp, tol=0.0)
    theirs = pbasic.cgls(POp, y, x0=x0, niter=6, damp=damp, tol=0.0)
    _close(ours.x, theirs[0])
    _close(ours.cost, theirs[-1])
    assert int(ours.niter) == theirs[2] == 6 and ours.message == "max iterations"
    ours = jl.lsqr(Op, y, x0=x0, niter=6, damp=damp, atol=0.0, btol=0.0)
    theirs = pbasic.lsqr(POp, y, x0=x0, niter=6, damp=damp, atol=0.0, btol=0.0)
    _close(ours.x, theirs[0])
    _close(ours.cost, theirs[-1])


@pytest.mark.parametrize("dtype", ["float64", "complex128"])
def test_cg_iterates_match_pylops(rng, dtype):
    A, y = _problem(rng, 30, 20, dtype)
    S = A.conj().T @ A
    for x0, damp in ((None, 0.0), (rng.standard_normal(20).astype(dtype), 0.5)):
        ours = jl.cg(jl.MatrixMult(S, dtype=dtype), y[:20], x0=x0, niter=7, damp=damp, tol=0.0)
        theirs = pbasic.cg(pylops.MatrixMult(S, dtype=dtype), y[:20], x0=x0, niter=7, damp=damp, tol=0.0)
        _close(ours.x, theirs[0])
        _close(ours.cost, theirs[-1])


@pytest.mark.parametrize("rule", ["rtol", "rtol1"])
def test_relative_stopping_rules_match_pylops(rule):
    rng = np.random.default_rng(0)
    A, y = _problem(rng, 30, 20, "float64")
    S = A.T @ A
    # cgls' residual levels off near 0.55 ||y|| on this problem; cg's goes to zero.
    for solver, Op, POp, data, level in ((jl.cgls, jl.MatrixMult(A), pylops.MatrixMult(A), y, 0.56),
                                         (jl.cg, jl.MatrixMult(S), pylops.MatrixMult(S), y[:20], 0.1)):
        ours = solver(Op, data, niter=20, tol=0.0, **{rule: level})
        theirs = getattr(pbasic, solver.__name__)(POp, data, niter=20, tol=0.0, **{rule: level})
        niter = len(theirs[-1]) - 1
        assert 0 < niter < 20 and int(ours.niter) == niter and ours.message == "converged", solver.__name__
        _close(ours.x, theirs[0])


def test_inversions_match_pylops(rng):
    A, y = _problem(rng, 30, 20, "float64")
    R, d = _problem(rng, 15, 20, "float64")
    w = rng.uniform(1, 2, 30)
    J = jl.MatrixMult(A), jl.MatrixMult(R), jl.Diagonal(w), jl.Diagonal(np.arange(1.0, 21.0))
    P = pylops.MatrixMult(A), pylops.MatrixMult(R), pylops.Diagonal(w), pylops.Diagonal(np.arange(1.0, 21.0))
    kw = dict(niter=8, tol=0.0)
    args = lambda ops: ((ops[0], y, [ops[1]]), dict(Weight=ops[2], dataregs=[d], epsRs=[0.7]))  # noqa: E731
    (a, k), (pa, pk) = args(J), args(P)
    _close(jl.normal_equations_inversion(*a, **k, epsI=0.3, **kw).x,
           pls.normal_equations_inversion(*pa, **pk, epsI=0.3, engine="pylops", **kw)[0])
    _close(jl.regularized_inversion(*a, **k, **kw).x, pls.regularized_inversion(*pa, **pk, engine="pylops", **kw)[0])
    _close(jl.preconditioned_inversion(J[0], y, J[3], **kw).x,
           pls.preconditioned_inversion(P[0], y, P[3], engine="pylops", **kw)[0], rtol=1e-10)


def test_jit_compiles_once_for_two_data_sets(rng):
    A, y = _problem(rng, 30, 20, "float64")
    traces = []

    @jax.jit
    def solve(op, y):
        traces.append(1)
        return jl.cgls(op, y, niter=60, tol=0.0)

    first, second = solve(jl.MatrixMult(A), y), solve(jl.MatrixMult(2 * A), 3 * y)
    assert len(traces) == 1
    _close(second.x, 1.5 * first.x, rtol=1e-6)


_D = jl.FirstDerivative(20)
_VMAPPED = {
    "cgls": jl.cgls,
    "lsqr": jl.lsqr,
    "cg": lambda Op, y, **kw: jl.cg(Op.H @ Op + jl.Identity(20), Op.rmatvec(y), **kw),
    "normal_equations_inversion": lambda Op, y, **kw: jl.normal_equations_inversion(
        Op, y, [_D], epsI=0.1, epsRs=[0.5], **kw),
    "regularized_inversion": lambda Op, y, **kw: jl.regularized_inversion(Op, y, [_D], epsRs=[0.5], **kw),
    "preconditioned_inversion": lambda Op, y, **kw: jl.preconditioned_inversion(Op, y, jl.CausalIntegration(20),
                                                                                 **kw),
}


@pytest.mark.parametrize("solver", _VMAPPED.values(), ids=_VMAPPED)
def test_vmap_matches_separate_solves(rng, solver):
    A, _ = _problem(rng, 30, 20, "float64")
    Ys, X0s = rng.standard_normal((4, 30)), rng.standard_normal((4, 20))
    Ys[1] = 0.0  # converges at once: its x must stay put while the others iterate
    As = np.stack([A, 2 * A, A + 1, A - 1])
    batched = jax.vmap(lambda a, y, x0: solver(jl.MatrixMult(a), y, x0=x0, niter=15))(As, Ys, X0s)
    for i in range(4):
        single = solver(jl.MatrixMult(As[i]), Ys[i], x0=X0s[i], niter=15)
        _close(batched.x[i], single.x, rtol=1e-9)
        assert int(batched.niter[i]) == int(single.niter) and int(batched.status[i]) == int(single.status)


def _fd_check(f, args, directions, rtol=1e-5):
    grads = jax.grad(f, argnums=tuple(range(len(args))))(*args)
    analytic = sum(jnp.sum(jnp.real(jnp.conj(g) * d)) for g, d in zip(grads, directions))
    eps = 1e-6
    plus = f(*[a + eps * d for a, d in zip(args, directions)])
    minus = f(*[a - eps * d for a, d in zip(args, directions)])
    np.testing.assert_allclose(analytic, (plus - minus) / (2 * eps), rtol=rtol)


@pytest.mark.parametrize("solver", ["cgls", "lsqr", "cg", "regularized_inversion"])
def test_gradients_match_finite_differences(rng, solver):
    A, y = _problem(rng, 30, 20, "float64")
    R, _ = _problem(rng, 10, 20, "float64")
    solve = {
        "cgls": lambda A, y, e: jl.cgls(jl.MatrixMult(A), y, damp=e, niter=100, tol=0.0),
        "lsqr": lambda A, y, e: jl.lsqr(jl.MatrixMult(A), y, damp=e, niter=100, atol=0.0, btol=0.0),
        "cg": lambda A, y, e: jl.cg(jl.MatrixMult(A.T @ A), A.T @ y, damp=e, niter=100, tol=0.0),
        "regularized_inversion": lambda A, y, e: jl.regularized_inversion(
            jl.MatrixMult(A), y, [jl.MatrixMult(R)], epsRs=[e], niter=100, tol=0.0
        ),
    }[solver]
    f = lambda A, y, e: jnp.sum(jnp.sin(solve(A, y, e).x))  # noqa: E731
    directions = (rng.standard_normal(A.shape), rng.standard_normal(30), 1.0)
    _fd_check(f, (A, y, 0.3), directions)


def test_gradient_of_a_tiny_cotangent_in_float32(rng):
    A, y = _problem(rng, 30, 20, "float32")
    Op = jl.MatrixMult(A, dtype="float32")
    g = jax.grad(lambda y: 1e-30 * jnp.sum(jl.cgls(Op, y, niter=40).x))(jnp.asarray(y))
    g_unit = jax.grad(lambda y: jnp.sum(jl.cgls(Op, y, niter=40).x))(jnp.asarray(y))
    assert np.all(np.isfinite(g)) and np.abs(g_unit).max() > 0
    np.testing.assert_allclose(g * 1e30, g_unit, rtol=1e-3)


class TestStatus:
    def test_zero_data_and_exact_start_give_no_nan(self, rng):
        A, y = _problem(rng, 30, 20, "float64")
        Op = jl.MatrixMult(A)
        for solver in (jl.cgls, jl.lsqr):
            zero = solver(Op, np.zeros(30), niter=5)
            assert np.all(zero.x == 0) and zero.status == Status.CONVERGED and int(zero.niter) == 0
            exact = solver(Op, Op @ np.ones(20), x0=np.ones(20), niter=5)
            assert np.all(np.isfinite(exact.x)) and exact.status == Status.CONVERGED
            _close(exact.x, np.ones(20))
        assert jl.cg(jl.MatrixMult(A.T @ A), np.zeros(20)).status == Status.CONVERGED

    def test_breakdown_non_finite_and_max_iterations(self, rng):
        indefinite = jl.Diagonal(np.array([1.0, -1.0, 2.0]))
        result = jl.cg(indefinite, np.array([1.0, 3.0, 1.0]), niter=10)
        assert result.status == Status.BREAKDOWN and result.message == "breakdown"
        A, y = _problem(rng, 30, 20, "float64")
        y[3] = np.inf
        result = jl.cgls(jl.MatrixMult(A), y, niter=5)
        assert result.status == Status.NON_FINITE and np.all(np.isfinite(result.x))
        result = jl.cgls(jl.MatrixMult(A), np.nan_to_num(y, posinf=1.0), niter=3)
        assert result.status == Status.MAX_ITERATIONS and int(result.niter) == 3

    @pytest.mark.parametrize("bad", [np.nan, np.inf])
    def test_non_finite_operator_is_reported_and_x_stays_finite(self, rng, bad):
        # cg, cgls and lsqr check only their cost each iteration: the bad entry has to reach it
        A, y = _problem(rng, 30, 20, "float64")
        A[4, 7] = bad
        for solver, Op in ((jl.cgls, jl.MatrixMult(A)), (jl.lsqr, jl.MatrixMult(A)),
                           (jl.cg, jl.MatrixMult(A.T @ np.nan_to_num(A, nan=1.0, posinf=1.0)))):
            result = solver(Op, y if Op.shape[0] == 30 else y[:20], niter=10)
            assert result.status == Status.NON_FINITE, solver.__name__
            assert np.all(np.isfinite(result.x)), solver.__name__

    def test_show_prints_a_log(self, rng, capsys):
        A, y = _problem(rng, 30, 20, "float64")
        jl.cgls(jl.MatrixMult(A), y, niter=3, show=True).x.block_until_ready()
        jax.effects_barrier()
        out = capsys.readouterr().out
        assert "CGLS" in out and "Op: 30 rows, 20 columns" in out and "stopped after 3 iterations" in out
        # Settings traced inside a compiled solve are printed as numbers
        jax.jit(lambda y, d: jl.cgls(jl.MatrixMult(A), y, niter=3, damp=d, show=True).x)(y, 0.25)
        jax.effects_barrier()
        out = capsys.readouterr().out
        assert "damp = 0.25  tol = 0.0001  niter = 3" in out and "Tracer" not in out

    def test_callback_sees_every_iterate(self, rng):
        A, y = _problem(rng, 30, 20, "float64")
        seen = []
        jl.cgls(jl.MatrixMult(A), y, niter=4, tol=0.0, callback=lambda x: seen.append(np.asarray(x)))
        jax.effects_barrier()
        assert len(seen) == 4


class TestBadInput:
    Op = jl.MatrixMult(np.ones((3, 2)))

    @pytest.mark.parametrize("kwargs, error, match", [
        (dict(niter=-1), ValueError, "cgls: niter must be non-negative"),
        (dict(niter=2.5), TypeError, "cgls: niter must be an int"),
        (dict(damp=-1.0), ValueError, "cgls: damp must be finite and non-negative"),
        (dict(tol=np.nan), ValueError, "cgls: tol must be finite"),
        (dict(x0=np.ones(3)), ValueError, r"cgls: x0 must have shape \(2,\)"),
        (dict(x0=np.ones(2) * 1j), TypeError, "cgls: x0 is complex"),
    ])
    def test_cgls_arguments(self, kwargs, error, match):
        with pytest.raises(error, match=match):
            jl.cgls(self.Op, np.ones(3), **kwargs)

    def test_data_shape_and_operators(self):
        with pytest.raises(ValueError, match=r"lsqr: y must have shape \(3,\)"):
            jl.lsqr(self.Op, np.ones(4))
        with pytest.raises(ValueError, match="cg: Op must be square"):
            jl.cg(self.Op, np.ones(3))
        with pytest.raises(TypeError, match="Op must be a jaxlops LinearOperator"):
            jl.cgls(np.ones((3, 2)), np.ones(3))
        with pytest.raises(ValueError, match="epsRs has 2 values but there are 1 Regs"):
            jl.regularized_inversion(self.Op, np.ones(3), [jl.Identity(2)], epsRs=[1.0, 2.0])
        with pytest.raises(ValueError, match=r"Regs\[0\] has 3 columns, expected 2"):
            jl.normal_equations_inversion(self.Op, np.ones(3), [jl.Identity(3)])


def test_preconditioners_cut_iterations_and_keep_the_solution(rng):
    A = rng.standard_normal((30, 20)) * np.logspace(0, 3, 20)
    S, b, y = A.T @ A, rng.standard_normal(20), A @ rng.standard_normal(20)
    plain = jl.cg(jl.MatrixMult(S), b, niter=200, tol=1e-20)
    jacobi = jl.cg(jl.MatrixMult(S), b, niter=200, tol=1e-20, M=jl.Diagonal(1 / np.diag(S)))
    assert int(jacobi.niter) < int(plain.niter)
    _close(jacobi.x, np.linalg.solve(S, b), rtol=1e-9)
    scaling = jl.Diagonal(1 / np.linalg.norm(A, axis=0))
    for solver in (jl.cgls, jl.lsqr):
        plain, right = solver(jl.MatrixMult(A), y, niter=200), solver(jl.MatrixMult(A), y, niter=200, P=scaling)
        assert int(right.niter) < int(plain.niter)
        _close(right.x, np.linalg.lstsq(A, y, rcond=None)[0], rtol=1e-6)
    with pytest.raises(ValueError, match=r"cg: M must be a LinearOperator of shape \(20, 20\)"):
        jl.cg(jl.MatrixMult(S), b, M=jl.Identity(3))
