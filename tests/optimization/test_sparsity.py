"""ista, fista, splitbregman, irls and omp: PyLops parity, jit/vmap, edge cases, bad input, gradients."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pylops
import pylops.optimization.sparsity as pls
import pytest

import jaxlops as jl
from jaxlops.optimization._driver import Status
from jaxlops.optimization.irls import irls
from jaxlops.optimization.omp import omp
from jaxlops.optimization.sparsity import fista, ista
from jaxlops.optimization.splitbregman import splitbregman

RTOL = 1e-8  # float64 parity with PyLops
FINISHED = (Status.CONVERGED, Status.MAX_ITERATIONS)


def _mm(A):
    return jl.MatrixMult(jnp.asarray(A), dtype=A.dtype)


def _pmm(A):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyLops warns when it casts a complex matrix
        return pylops.MatrixMult(A, dtype=A.dtype)


def _sparse_problem(dtype="float64", n=8, m=12, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, m))
    x = np.zeros(m)
    x[[2, 7]] = [1.0, -2.0]
    if np.dtype(dtype).kind == "c":
        A = A + 1j * rng.standard_normal((n, m))
        x = x * np.exp(1j * rng.uniform(0, 2 * np.pi, m))
    return A.astype(dtype), (A @ x).astype(dtype), 1.0 / np.linalg.norm(A, 2) ** 2


def _close(actual, expected, rtol=RTOL):
    actual, expected = np.asarray(actual), np.asarray(expected)
    scale = max(np.abs(expected).max(), 1e-300)
    np.testing.assert_array_less(np.abs(actual - expected).max() / scale, rtol)


# -- PyLops parity ---------------------------------------------------------------------------


THRESHKINDS = ["soft", "hard", "half", "soft-percentile", "hard-percentile", "half-percentile"]


@pytest.mark.parametrize("name", ["ista", "fista"])
@pytest.mark.parametrize("threshkind", THRESHKINDS)
def test_ista_fista_parity(name, threshkind):
    A, y, alpha = _sparse_problem()
    perc = 30 if threshkind.endswith("percentile") else None
    kw = dict(niter=15, eps=0.5, alpha=alpha, threshkind=threshkind, perc=perc)
    xp, niter, cost = getattr(pls, name)(_pmm(A), y, **kw)
    result = {"ista": ista, "fista": fista}[name](_mm(A), y, **kw)
    _close(result.x, xp)
    assert int(result.niter) == niter and result.cost.shape == (16,)
    _close(result.cost[1:], cost)


@pytest.mark.parametrize("name", ["ista", "fista"])
@pytest.mark.parametrize("threshkind", ["soft", "hard", "half"])
def test_ista_fista_parity_complex_sop_decay_x0(name, threshkind):
    A, y, alpha = _sparse_problem("complex128")
    rng = np.random.default_rng(1)
    S = np.linalg.qr(rng.standard_normal((12, 12)))[0][:, :10].astype("complex128")
    decay = np.linspace(1.0, 0.5, 12)
    x0 = rng.standard_normal(12) + 1j * rng.standard_normal(12)
    kw = dict(x0=x0, niter=12, eps=0.3, alpha=alpha, threshkind=threshkind, decay=decay)
    xp, niter, cost = getattr(pls, name)(_pmm(A), y, SOp=_pmm(S), **kw)
    result = {"ista": ista, "fista": fista}[name](_mm(A), y, SOp=_mm(S), **kw)
    _close(result.x, xp)
    _close(result.cost[1:], cost)


@pytest.mark.parametrize("name", ["ista", "fista"])
@pytest.mark.parametrize("stop", [dict(tol=1e-2), dict(rtol=0.3), dict(rtol1=0.5)])
def test_ista_fista_stopping_parity(name, stop):
    A, y, alpha = _sparse_problem()
    kw = dict(niter=200, eps=0.5, alpha=alpha, **stop)
    xp, niter, _ = getattr(pls, name)(_pmm(A), y, **kw)
    result = {"ista": ista, "fista": fista}[name](_mm(A), y, **kw)
    assert 1 <= niter < 200 and int(result.niter) == niter
    assert result.status == Status.CONVERGED
    _close(result.x, xp)


def test_perc_with_a_plain_rule_is_the_threshold():
    A, y, _ = _sparse_problem()
    kw = dict(niter=5, alpha=0.01, perc=99.5, threshkind="hard")
    _close(ista(_mm(A), y, **kw).x, pls.ista(_pmm(A), y, **kw)[0])


def test_ista_alpha_from_power_iteration():
    A, y, alpha = _sparse_problem()
    estimated = ista(_mm(A), y, niter=30, eps=0.5)
    _close(estimated.x, ista(_mm(A), y, niter=30, eps=0.5, alpha=alpha).x, rtol=1e-3)


FIXED_INNER = dict(iter_lim=4, atol=0, btol=0)


@pytest.mark.parametrize("dtype, restart, inner", [
    ("float64", False, FIXED_INNER), ("complex128", True, FIXED_INNER),
    ("float64", False, dict(atol=1e-4, btol=1e-4)),  # inner solves that stop on SciPy's tests
])
def test_splitbregman_parity(dtype, restart, inner):
    A, _, _ = _sparse_problem(dtype, n=10, m=8)
    rng = np.random.default_rng(2)
    y = A @ np.cumsum(rng.standard_normal(8) > 1.0)
    D = np.diff(np.eye(8), axis=0).astype(dtype)
    L = rng.standard_normal((5, 8)).astype(dtype)
    dL = rng.standard_normal(5).astype(dtype)
    kw = dict(x0=rng.standard_normal(8).astype(dtype), niter_outer=4, niter_inner=2, mu=0.7, epsRL1s=[0.3],
              epsRL2s=[0.2], dataregsL2=[dL], tau=0.9, restart=restart, **inner)
    xp, niter, cost = pls.splitbregman(_pmm(A), y, [_pmm(D)], RegsL2=[_pmm(L)], **kw)
    result = splitbregman(_mm(A), y, [_mm(D)], RegsL2=[_mm(L)], **kw)
    assert int(result.niter) == niter == 4
    _close(result.x, xp)
    _close(result.cost[1:], cost)


@pytest.mark.parametrize("kind, warm, threshR, inner", [
    ("data", False, False, FIXED_INNER), ("datamodel", True, True, FIXED_INNER), ("model", True, True, FIXED_INNER),
    ("data", True, True, FIXED_INNER),
    ("data", True, True, dict(atol=1e-3, btol=1e-3)),  # inner solves that stop on SciPy's tests
])
def test_irls_parity(kind, warm, threshR, inner):
    rng = np.random.default_rng(3)
    A = rng.standard_normal((12, 6))
    y = A @ rng.standard_normal(6)
    y[3] += 5.0  # an outlier
    if kind == "model":
        A, y = A.T, rng.standard_normal(6)
    x0 = rng.standard_normal(A.shape[1])
    kw = dict(x0=x0, nouter=4, warm=warm, threshR=threshR, epsR=1e-3, epsI=0.1, kind=kind, **inner)
    xp, niter = pls.irls(_pmm(A), y, **kw)
    result = irls(_mm(A), y, **kw)
    assert int(result.niter) == niter == 4
    _close(result.x, xp)


@pytest.mark.parametrize("dtype, niter_inner, normalizecols, optimal_coeff", [
    ("float64", 40, False, False), ("complex128", 40, True, False),
    ("float64", 0, True, False), ("complex128", 0, False, True),
])
def test_omp_parity(dtype, niter_inner, normalizecols, optimal_coeff):
    A, y, _ = _sparse_problem(dtype, n=10, m=20)
    A = A * np.random.default_rng(4).uniform(0.5, 2.0, 20)  # unequal column norms
    y = A @ np.where(np.isin(np.arange(20), [2, 7, 13]), [1.5] * 20, 0).astype(dtype)
    kw = dict(niter_outer=6, niter_inner=niter_inner, sigma=1e-8, normalizecols=normalizecols,
              optimal_coeff=optimal_coeff)
    xp, niter, cost = pls.omp(_pmm(A), y, **kw)
    result = omp(_mm(A), y, **kw)
    assert int(result.niter) == niter
    np.testing.assert_array_equal(np.flatnonzero(result.x), np.flatnonzero(xp))
    _close(result.x, xp)
    _close(result.cost[: niter + 1], cost, rtol=1e-6)


# -- one table of the solvers for the shared checks ----------------------------------------------


def _cases():
    A, _, alpha = _sparse_problem()
    D = _mm(np.diff(np.eye(12), axis=0))
    return {
        "ista": lambda Op, y, **kw: ista(Op, y, niter=30, eps=0.5, alpha=alpha, **kw),
        "fista": lambda Op, y, **kw: fista(Op, y, niter=30, eps=0.5, alpha=alpha, threshkind="half", **kw),
        "splitbregman": lambda Op, y, **kw: splitbregman(Op, y, [D], niter_outer=3, niter_inner=2, epsRL1s=[0.1],
                                                         niter=5, **kw),
        "irls": lambda Op, y, **kw: irls(Op, y, nouter=5, epsR=1e-2, epsI=0.1, niter=8, **kw),
        "omp": lambda Op, y, **kw: omp(Op, y, niter_outer=4, niter_inner=10, **kw),
    }


CASES = _cases()


@pytest.fixture
def problem():
    A, y, _ = _sparse_problem()
    return _mm(A), jnp.asarray(y)


@pytest.mark.parametrize("name", CASES)
def test_jit_traces_once(name, problem):
    Op, y = problem
    traces = []

    @jax.jit
    def solve(Op, y):
        traces.append(1)
        return CASES[name](Op, y)

    first, second = solve(Op, y), solve(Op, 2.0 * y + 0.1)
    assert len(traces) == 1
    assert not np.allclose(first.x, second.x)


@pytest.mark.parametrize("name", CASES)
def test_vmap_over_y(name, problem):
    Op, y = problem
    ys = jnp.stack([y, jnp.zeros_like(y), 0.3 * y[::-1]])
    batched = jax.vmap(lambda y: CASES[name](Op, y))(ys)
    for i in range(3):
        single = CASES[name](Op, ys[i])  # compiled once (the solvers jit their loop), then reused
        _close(batched.x[i], single.x)  # batched products round differently
        assert int(batched.niter[i]) == int(single.niter) and int(batched.status[i]) == int(single.status)


@pytest.mark.parametrize("name", CASES)
def test_vmap_over_operators_and_x0(name):
    A, y, _ = _sparse_problem()
    rng = np.random.default_rng(1)
    As = jnp.asarray(np.stack([A, 0.9 * A, A + 0.05 * rng.standard_normal(A.shape)]))
    ys = jnp.asarray(np.stack([y, y[::-1], 0.5 * y]))
    x0s = jnp.asarray(0.1 * rng.standard_normal((3, A.shape[1])))
    start = {} if name == "omp" else {"x0": x0s}  # omp has no starting guess

    def solve(a, y, **kw):
        return CASES[name](_mm(a), y, **kw)

    batched = jax.vmap(solve)(As, ys, **start)
    for i in range(3):
        single = solve(As[i], ys[i], **({} if name == "omp" else {"x0": x0s[i]}))
        _close(batched.x[i], single.x)
        assert int(batched.niter[i]) == int(single.niter) and int(batched.status[i]) == int(single.status)


@pytest.mark.parametrize("name", CASES)
def test_zero_data(name, problem):
    Op, y = problem
    result = CASES[name](Op, jnp.zeros_like(y)) if name != "irls" else irls(Op, jnp.zeros_like(y), nouter=3)
    np.testing.assert_array_equal(result.x, 0)
    assert np.all(np.isfinite(result.cost)) and int(result.status) in FINISHED


def test_zero_model_irls_and_zero_residual_weights():
    A, y, _ = _sparse_problem()
    for kw in (dict(kind="model"), dict(kind="data", epsR=0.0), dict(kind="data", epsR=0.0, threshR=True)):
        Op = _mm(A.T) if kw["kind"] == "model" else _mm(A)
        result = irls(Op, jnp.zeros(Op.shape[0]), nouter=3, **kw)
        assert np.all(np.isfinite(result.x)) and int(result.status) in FINISHED


@pytest.mark.parametrize("name", CASES)
def test_non_finite_data(name, problem):
    Op, y = problem
    result = CASES[name](Op, y.at[0].set(jnp.nan))
    assert result.status == Status.NON_FINITE
    assert np.all(np.isfinite(result.x))


@pytest.mark.parametrize("name", CASES)
def test_show_and_callback(name, problem, capsys):
    Op, y = problem
    seen = []
    result = CASES[name](Op, y, show=True, callback=lambda x: seen.append(np.asarray(x)))
    jax.effects_barrier()
    out = capsys.readouterr().out
    assert "stopped after" in out and out.count("\n") > int(result.niter) and "Tracer" not in out
    assert len(seen) == int(result.niter)
    np.testing.assert_allclose(seen[-1], np.asarray(result.x).ravel(), rtol=1e-12)


def test_exact_start_and_early_stop():
    A, y, alpha = _sparse_problem()
    solution = fista(_mm(A), y, niter=2000, eps=0.5, alpha=alpha, tol=0.0).x
    restarted = ista(_mm(A), y, x0=solution, niter=50, eps=0.5, alpha=alpha, tol=1e-12)
    assert restarted.status == Status.CONVERGED and int(restarted.niter) < 50
    assert np.all(np.isfinite(restarted.cost))
    exact = omp(_mm(A), y, niter_outer=10)
    assert exact.status == Status.CONVERGED and int(exact.niter) == 2


# -- bad input ------------------------------------------------------------------------------------


def _bad_inputs():
    A, y, _ = _sparse_problem()
    Op, D = _mm(A), _mm(np.diff(np.eye(12), axis=0))
    return [
        (lambda: ista(Op, y, niter=-1), ValueError, r"ista: niter must be non-negative"),
        (lambda: ista(Op, y, eps=-1.0), ValueError, r"ista: eps must be finite and non-negative"),
        (lambda: fista(Op, y, tol=-1.0), ValueError, r"fista: tol"),
        (lambda: ista(Op, y, alpha=-1.0), ValueError, r"ista: alpha"),
        (lambda: ista(Op, y, threshkind="medium"), ValueError, r"ista: threshkind must be one of 'hard', 'soft'"),
        (lambda: fista(Op, y, threshkind="soft-percentile"), ValueError, r"fista: perc must be given"),
        (lambda: ista(Op, y, threshkind="soft-percentile", perc=120), ValueError, r"ista: perc"),
        (lambda: ista(Op, y, niter=5, decay=np.ones(3)), ValueError, r"ista: decay"),
        (lambda: ista(Op, y, SOp=_mm(np.eye(5))), ValueError, r"ista: SOp must have 12 rows"),
        (lambda: ista(Op, y[:5]), ValueError, r"ista: y must have shape \(8,\)"),
        (lambda: fista(Op, y, x0=np.zeros(5)), ValueError, r"fista: x0 must have shape \(12,\)"),
        (lambda: ista(Op, y, x0=np.zeros(12, complex)), TypeError, r"ista: x0 is complex"),
        (lambda: splitbregman(Op, y, [D, D], epsRL1s=[0.1]), ValueError, r"splitbregman: epsRL1s must hold one"),
        (lambda: splitbregman(Op, y, [D]), ValueError, r"splitbregman: epsRL1s"),
        (lambda: splitbregman(Op, y, D, epsRL1s=[0.1]), TypeError, r"splitbregman: RegsL1 must be a list"),
        (lambda: splitbregman(Op, y, [_mm(np.eye(5))], epsRL1s=[0.1]), ValueError, r"splitbregman: RegsL1\[0\]"),
        (lambda: splitbregman(Op, y, [D], epsRL1s=[0.1], mu=-1.0), ValueError, r"splitbregman: mu"),
        (lambda: splitbregman(Op, y, [D], epsRL1s=[0.1], niter_inner=-2), ValueError, r"splitbregman: niter"),
        (lambda: splitbregman(Op, y, [D], epsRL1s=[0.1], foo=1), TypeError, r"splitbregman: unexpected keyword"),
        (lambda: splitbregman(Op, y, [D], epsRL1s=[0.1], RegsL2=[D], epsRL2s=[0.1], dataregsL2=[]), ValueError,
         r"splitbregman: dataregsL2"),
        (lambda: irls(Op, y, kind="both"), ValueError, r"irls: kind must be one of 'data', 'model', 'datamodel'"),
        (lambda: irls(Op, y, epsR=-1.0), ValueError, r"irls: epsR"),
        (lambda: irls(Op, y, nouter=-1), ValueError, r"irls: niter"),
        (lambda: irls(Op, y, damp=0.1), TypeError, r"irls: unexpected keyword"),
        (lambda: omp(Op, y, sigma=-1.0), ValueError, r"omp: sigma"),
        (lambda: omp(Op, y, niter_inner=-1), ValueError, r"omp: niter"),
        (lambda: omp(Op, y, normalizecols=True, Opbasis=_mm(np.eye(3))), ValueError, r"omp: Opbasis"),
        (lambda: omp(Op, np.zeros(3)), ValueError, r"omp: y must have shape"),
    ]


@pytest.mark.parametrize("index", range(len(_bad_inputs())))
def test_bad_input(index):
    call, error, match = _bad_inputs()[index]
    with pytest.raises(error, match=match):
        call()


# -- gradients ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ista", "fista"])
@pytest.mark.parametrize("threshkind", ["soft", "hard"])
def test_gradient_wrt_y_and_eps(name, threshkind):
    A, y, alpha = _sparse_problem()
    w = np.random.default_rng(5).standard_normal(12)
    solver = {"ista": ista, "fista": fista}[name]

    @jax.jit
    def loss(y, eps):
        return jnp.sum(w * solver(_mm(A), y, niter=3000, eps=eps, alpha=alpha, tol=0.0, threshkind=threshkind).x)

    grad_y, grad_eps = jax.grad(loss, (0, 1))(jnp.asarray(y), 0.5)
    h = 1e-6
    fd = [(loss(y + h * e, 0.5) - loss(y - h * e, 0.5)) / (2 * h) for e in np.eye(8)]
    np.testing.assert_allclose(grad_y, fd, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(grad_eps, (loss(y, 0.5 + h) - loss(y, 0.5 - h)) / (2 * h), rtol=1e-5, atol=1e-7)
    tangent = jax.jvp(lambda y: loss(y, 0.5), (jnp.asarray(y),), (jnp.ones(8),))[1]
    np.testing.assert_allclose(tangent, grad_y.sum(), rtol=1e-10)


def test_gradient_complex_soft():
    A, y, alpha = _sparse_problem("complex128")
    w = np.random.default_rng(6).standard_normal(12)

    @jax.jit
    def loss(yr, yi):
        x = ista(_mm(A), yr + 1j * yi, niter=4000, eps=0.5, alpha=alpha, tol=0.0).x
        return jnp.sum(w * jnp.real(x)) + jnp.sum(jnp.imag(x))

    grads = jax.grad(loss, (0, 1))(y.real, y.imag)
    h = 1e-6
    for part, grad in enumerate(grads):
        shift = [np.zeros(8), np.zeros(8)]
        fd = []
        for e in np.eye(8):
            shift[part] = h * e
            plus, minus = loss(y.real + shift[0], y.imag + shift[1]), loss(y.real - shift[0], y.imag - shift[1])
            fd.append((plus - minus) / (2 * h))
        np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-7)


def test_gradient_wrt_operator_and_vmap():
    A, y, alpha = _sparse_problem()
    w = np.arange(12.0)

    @jax.jit
    def loss(A, y):
        return jnp.sum(w * fista(jl.MatrixMult(A), y, niter=2000, eps=0.5, alpha=alpha, tol=0.0).x)

    direction, h = np.random.default_rng(7).standard_normal(A.shape), 1e-6
    fd = (loss(A + h * direction, y) - loss(A - h * direction, y)) / (2 * h)
    np.testing.assert_allclose(jnp.sum(jax.grad(loss)(jnp.asarray(A), y) * direction), fd, rtol=1e-6)
    batched = jax.vmap(jax.grad(loss, 1), (None, 0))(jnp.asarray(A), jnp.stack([y, 2 * y]))
    np.testing.assert_allclose(batched[1], jax.grad(loss, 1)(jnp.asarray(A), 2 * y), rtol=1e-10, atol=1e-12)


def test_forward_mode_through_iterations():
    A, y, alpha = _sparse_problem()

    def solve(y):
        return ista(_mm(A), y, niter=40, eps=0.5, alpha=alpha, threshkind="half").x

    direction, h = np.random.default_rng(8).standard_normal(8), 1e-6
    tangent = jax.jvp(solve, (jnp.asarray(y),), (jnp.asarray(direction),))[1]
    np.testing.assert_allclose(tangent, (solve(y + h * direction) - solve(y - h * direction)) / (2 * h), atol=1e-6)


def test_gradient_with_a_support_larger_than_the_data():
    A, y, alpha = _sparse_problem()
    w = np.random.default_rng(9).standard_normal(12)
    x, vjp = jax.vjp(lambda y: ista(_mm(A), y, niter=200, eps=0.1, alpha=alpha).x, jnp.asarray(y))
    support = np.flatnonzero(x)
    assert support.size > A.shape[0]  # not converged: the normal matrix on the support is singular
    expected = np.linalg.pinv(A[:, support]).T @ w[support]  # the minimum-norm least-squares derivative
    np.testing.assert_allclose(vjp(jnp.asarray(w))[0], expected, rtol=1e-6, atol=1e-9)
