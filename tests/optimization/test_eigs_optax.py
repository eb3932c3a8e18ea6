"""power_iteration, eigs, cond, div and optax_minimize."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pylops
import pytest
from pylops.optimization.eigs import power_iteration as pylops_power_iteration

import jaxlops as jl


@pytest.fixture
def matrices(rng):
    A = rng.standard_normal((30, 20))
    return A, A.T @ A, rng.standard_normal((20, 20))


def test_power_iteration_matches_pylops(matrices):
    A, S, _ = matrices
    ours = jl.power_iteration(jl.MatrixMult(S), niter=300, tol=1e-12, dtype="float64")
    theirs = pylops_power_iteration(pylops.MatrixMult(S), niter=300, tol=1e-12, dtype="float64")
    np.testing.assert_allclose(ours.maxeig, theirs[0], rtol=1e-8)
    np.testing.assert_allclose(ours.maxeig, np.linalg.eigvalsh(S).max(), rtol=1e-8)
    complex_ = jl.power_iteration(jl.MatrixMult(S, dtype="complex128"), niter=300, tol=1e-12, dtype="complex128")
    np.testing.assert_allclose(complex_.maxeig, np.linalg.eigvalsh(S).max(), rtol=1e-8)


def test_eigs_and_cond_match_dense_linear_algebra(matrices):
    A, S, N = matrices
    np.testing.assert_allclose(jl.MatrixMult(S).eigs(neigs=3, symmetric=True), np.linalg.eigvalsh(S)[::-1][:3],
                               rtol=1e-10)
    np.testing.assert_allclose(jl.MatrixMult(A).eigs(neigs=3), np.linalg.svd(A, compute_uv=False)[:3], rtol=1e-10)
    expected = sorted(np.linalg.eigvals(N), key=abs)[::-1][:3]
    np.testing.assert_allclose(np.abs(jl.MatrixMult(N).eigs(neigs=3, niter=20)), np.abs(expected), rtol=1e-8)
    np.testing.assert_allclose(jl.MatrixMult(A).cond(niter=20), np.linalg.cond(A), rtol=1e-8)
    np.testing.assert_allclose(jl.MatrixMult(S).cond(symmetric=True, niter=20), np.linalg.cond(S), rtol=1e-8)
    # an exact invariant subspace early on (identity) must not give spurious zeros
    np.testing.assert_allclose(jl.Identity(6).eigs(neigs=3, symmetric=True, niter=6), np.ones(3), rtol=1e-12)
    with pytest.raises(ValueError, match="eigs: which must be 'LM' or 'SM'"):
        jl.Identity(3).eigs(which="LA")


def test_div_solves_like_pylops(matrices):
    A, _, _ = matrices
    y = A @ np.arange(20.0)
    np.testing.assert_allclose(jl.MatrixMult(A) / y, pylops.MatrixMult(A).div(y, niter=100), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(jl.MatrixMult(A).div(y), np.arange(20.0), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("optimizer", [optax.adam(0.05), optax.lbfgs()], ids=["adam", "lbfgs"])
def test_optax_minimize_nonlinear_inversion(rng, optimizer):
    A = jl.MatrixMult(rng.standard_normal((40, 20)))
    x_true = rng.uniform(-1, 1, 20)
    y = A @ jnp.sin(x_true)
    objective = lambda x: 0.5 * jnp.sum((A @ jnp.sin(x) - y) ** 2)  # noqa: E731
    result = jl.optax_minimize(objective, jnp.zeros(20), optimizer, niter=400, tol=1e-8)
    np.testing.assert_allclose(result.x, x_true, atol=1e-4)
    assert result.cost[0] == objective(jnp.zeros(20)) and result.cost[-1] < 1e-8
    batched = jax.vmap(lambda y: jl.optax_minimize(
        lambda x: 0.5 * jnp.sum((A @ jnp.sin(x) - y) ** 2), jnp.zeros(20), optimizer, niter=400, tol=1e-8).x)
    np.testing.assert_allclose(batched(jnp.stack([y, A @ jnp.sin(x_true / 2)]))[1], x_true / 2, atol=1e-4)


def test_optax_minimize_bad_input():
    with pytest.raises(TypeError, match="optax_minimize: optimizer must be an optax.GradientTransformation"):
        jl.optax_minimize(jnp.sum, jnp.zeros(2), "adam")
    with pytest.raises(ValueError, match="optax_minimize: niter must be non-negative"):
        jl.optax_minimize(jnp.sum, jnp.zeros(2), optax.sgd(0.1), niter=-2)
