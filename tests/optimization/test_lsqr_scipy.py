"""lsqr(stopping="scipy") against scipy.sparse.linalg.lsqr: iteration count, istop and x.

The problems are well conditioned (singular values in [1, 2]) unless the test is about
conditioning, so that both libraries stop long before the Krylov space is exhausted: past
that point LSQR runs on rounding noise and any two implementations part ways.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.sparse.linalg as spla

import jaxlops as jl
from jaxlops import Status

ISTOP = {0: Status.CONVERGED, 1: Status.CONVERGED, 2: Status.CONVERGED, 3: Status.BREAKDOWN,
         4: Status.CONVERGED, 5: Status.CONVERGED, 6: Status.BREAKDOWN, 7: Status.MAX_ITERATIONS}
NITER = 60  # one iteration limit for most cases: it is static, a new one compiles a new loop


def _matrix(rng, n, m, dtype, singular_values):
    """An ``n x m`` matrix with the given singular values (``min(n, m)`` of them)."""
    def unitary(k):
        q = rng.standard_normal((k, k))
        if np.dtype(dtype).kind == "c":
            q = q + 1j * rng.standard_normal((k, k))
        return np.linalg.qr(q)[0]

    k = min(n, m)
    return ((unitary(n)[:, :k] * singular_values) @ unitary(m)[:k, :]).astype(dtype)


def _vector(rng, n, dtype):
    v = rng.standard_normal(n)
    if np.dtype(dtype).kind == "c":
        v = v + 1j * rng.standard_normal(n)
    return v.astype(dtype)


def _case(rng, name):
    """``(A, b, x0, kwargs)`` of one problem; the comment says how SciPy stops."""
    well = np.linspace(1.0, 2.0, 40)
    if name == "square":  # consistent: istop 1
        A = _matrix(rng, 30, 30, "float64", well[:30])
        return A, A @ _vector(rng, 30, "float64"), None, {}
    if name == "over":  # inconsistent: istop 2
        return _matrix(rng, 40, 25, "float64", well[:25]), _vector(rng, 40, "float64"), None, dict(atol=1e-7)
    if name == "under-complex":  # consistent, minimum-norm solution: istop 1
        A = _matrix(rng, 20, 30, "complex128", well[:20])
        return A, A @ _vector(rng, 30, "complex128"), None, {}
    if name == "damped-x0-complex":  # bnorm is ||b||, not ||b - A x0|| as in PyLops
        A = _matrix(rng, 40, 25, "complex128", well[:25])
        return A, _vector(rng, 40, "complex128"), _vector(rng, 25, "complex128"), dict(damp=0.5, atol=1e-6, btol=1e-6)
    if name == "conlim":  # condition estimate past conlim: istop 3
        A = _matrix(rng, 40, 25, "float64", np.logspace(0, -4, 25))
        return A, _vector(rng, 40, "float64"), None, dict(conlim=30.0)
    if name == "iter_lim":  # istop 7
        return _matrix(rng, 40, 25, "float64", well[:25]), _vector(rng, 40, "float64"), None, dict(iter_lim=5)
    if name == "zero-rhs":  # b = 0: istop 0 before any iteration
        return _matrix(rng, 40, 25, "float64", well[:25]), np.zeros(40), None, {}
    if name == "rhs-orthogonal-to-range":  # A^H b = 0 exactly, b != 0: istop 0 before any iteration
        A = np.vstack([_matrix(rng, 25, 25, "float64", well[:25]), np.zeros((15, 25))])
        return A, np.concatenate([np.zeros(25), _vector(rng, 15, "float64")]), None, {}
    raise ValueError(name)


CASES = ["square", "over", "under-complex", "damped-x0-complex", "conlim", "iter_lim", "zero-rhs",
         "rhs-orthogonal-to-range"]


@pytest.mark.parametrize("name", CASES)
def test_same_iterations_status_and_solution_as_scipy(rng, name):
    A, b, x0, kwargs = _case(rng, name)
    kwargs = dict(dict(damp=0.0, atol=1e-8, btol=1e-8, conlim=1e8, iter_lim=NITER), **kwargs)
    x, istop, itn = spla.lsqr(A, b, x0=x0, **kwargs)[:3]
    niter = kwargs.pop("iter_lim")
    result = jl.lsqr(jl.MatrixMult(A, dtype=A.dtype), b, x0=x0, niter=niter, stopping="scipy", **kwargs)
    assert int(result.niter) == itn and int(result.status) == ISTOP[istop], (itn, istop)
    scale = max(np.linalg.norm(x), 1e-300)
    assert np.linalg.norm(np.asarray(result.x) - x) <= 1e-8 * scale
    if name == "zero-rhs":
        np.testing.assert_array_equal(result.x, 0)


def test_the_rules_differ_only_in_when_they_stop(rng):
    """PyLops' test2 (relative to the first ||A^H r||) runs on where SciPy's stops."""
    A, b, _, _ = _case(rng, "over")
    Op = jl.MatrixMult(A)
    scipy_rule = jl.lsqr(Op, b, niter=NITER, atol=1e-6, btol=1e-6, stopping="scipy")
    pylops_rule = jl.lsqr(Op, b, niter=NITER, atol=1e-6, btol=1e-6)
    assert 0 < int(scipy_rule.niter) < int(pylops_rule.niter)
    common = jl.lsqr(Op, b, niter=int(scipy_rule.niter), atol=0.0, btol=0.0)
    np.testing.assert_allclose(common.x, scipy_rule.x, rtol=1e-12)


def test_gradient_with_the_scipy_rule(rng):
    A, b, _, _ = _case(rng, "over")
    w = rng.standard_normal(25)
    grad = jax.grad(lambda y: jnp.sum(w * jl.lsqr(jl.MatrixMult(A), y, niter=NITER, stopping="scipy").x))(b)
    np.testing.assert_allclose(grad, np.linalg.pinv(A).T @ w, rtol=1e-7)


def test_bad_stopping_rule(rng):
    A, b, _, _ = _case(rng, "over")
    with pytest.raises(ValueError, match=r"lsqr: stopping must be one of 'pylops', 'scipy', got 'foo'"):
        jl.lsqr(jl.MatrixMult(A), b, stopping="foo")
