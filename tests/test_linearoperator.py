"""The operator model: pytrees, the differentiation rule, algebra and errors."""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pylops
import pytest

import jaxlops as jl
from jaxlops.utils import check_operator, dottest


def _cumsum_pair(scale=1.0):
    """Forward cumsum with an adjoint scaled by ``scale`` (1: correct)."""
    return (
        lambda x: jnp.cumsum(x),
        lambda y: scale * jnp.flip(jnp.cumsum(jnp.flip(y))),
    )


@pytest.fixture(scope="module")
def wrong():
    return jl.FunctionOperator(*_cumsum_pair(scale=2.0), 6)


@pytest.fixture(scope="module")
def right():
    return jl.FunctionOperator(*_cumsum_pair(), 6)


def _loss(op, x, d):
    return 0.5 * jnp.sum((op @ x - d) ** 2)


class TestHandWrittenAdjointIsTheRule:
    def test_grad_uses_rmatvec(self, wrong, right, rng):
        x, d = rng.standard_normal(6), rng.standard_normal(6)
        g_true = jax.grad(_loss, argnums=1)(right, x, d)
        np.testing.assert_allclose(g_true, np.flip(np.cumsum(np.flip(np.cumsum(x) - d))), rtol=1e-12)
        np.testing.assert_allclose(jax.grad(_loss, argnums=1)(wrong, x, d), 2 * g_true, rtol=1e-12)

    def test_jvp_is_the_true_forward(self, wrong, rng):
        x, t = rng.standard_normal(6), rng.standard_normal(6)
        y, dy = jax.jvp(wrong.matvec, (x,), (t,))
        np.testing.assert_allclose(y, np.cumsum(x), rtol=1e-12)
        np.testing.assert_allclose(dy, np.cumsum(t), rtol=1e-12)

    def test_under_vmap_and_jit_too(self, wrong, right, rng):
        X, D = rng.standard_normal((3, 6)), rng.standard_normal((3, 6))
        grad = jax.jit(jax.vmap(jax.grad(_loss, argnums=1), in_axes=(None, 0, 0)))
        np.testing.assert_allclose(grad(wrong, X, D), 2 * grad(right, X, D), rtol=1e-12)
        batched_loss = jax.grad(lambda op, X: jnp.sum(jax.vmap(lambda x, d: _loss(op, x, d))(X, D)), argnums=1)
        np.testing.assert_allclose(batched_loss(wrong, X), 2 * batched_loss(right, X), rtol=1e-12)

    def test_checks_reject_a_wrong_adjoint(self, wrong):
        with pytest.raises(AssertionError, match="Dot test failed"):
            dottest(wrong)
        assert not dottest(wrong, raiseerror=False)
        # The VJP *is* the hand adjoint, so only the adjoint checks can fail.
        with pytest.raises(AssertionError, match="dot test.*\n.*adjoint dense vs conjugate transpose"):
            check_operator(wrong)

    def test_complex_wrong_adjoint_fails_on_imaginary_part(self):
        A = np.array([[1 + 2j, 3 - 1j], [0.5j, 2]])
        bad = jl.FunctionOperator(lambda x: A @ x, lambda y: A.T @ y, 2, dtype="complex128")  # missing conj
        with pytest.raises(AssertionError, match="Dot test failed"):
            dottest(bad)


def test_jit_compiles_once_for_two_diagonals(rng):
    traces = []

    @jax.jit
    def apply(op, x):
        traces.append(1)
        return op @ x

    x = rng.standard_normal(5)
    d1, d2 = rng.standard_normal(5), rng.standard_normal(5)
    np.testing.assert_allclose(apply(jl.Diagonal(d1), x), d1 * x)
    np.testing.assert_allclose(apply(jl.Diagonal(d2), x), d2 * x)
    assert len(traces) == 1


def test_grad_with_respect_to_operator_leaves(rng):
    x, d = rng.standard_normal(4), rng.standard_normal(3)
    A = rng.standard_normal((3, 4))
    grad_A = jax.grad(lambda op: _loss(op, x, d))(jl.MatrixMult(A))
    np.testing.assert_allclose(grad_A.A, np.outer(A @ x - d, x), rtol=1e-12)
    diag = rng.standard_normal(4)
    grad_diag = jax.grad(lambda v: _loss(jl.Diagonal(v), x, d[:1].repeat(4)))(diag)
    np.testing.assert_allclose(grad_diag, (diag * x - d[0]) * x, rtol=1e-12)


def test_hessian_jacfwd_and_linear_transpose(rng):
    A = rng.standard_normal((5, 3))
    Op = jl.MatrixMult(A) @ jl.Diagonal(np.arange(1.0, 4.0))
    M = A * np.arange(1.0, 4.0)
    x = rng.standard_normal(3)
    np.testing.assert_allclose(jax.hessian(lambda v: 0.5 * jnp.sum((Op @ v) ** 2))(x), M.T @ M, rtol=1e-12)
    np.testing.assert_allclose(jax.jacfwd(Op.matvec)(x), M, rtol=1e-12)
    y = rng.standard_normal(5)
    np.testing.assert_allclose(jax.linear_transpose(Op.matvec, x)(y)[0], M.T @ y, rtol=1e-12)


def test_vmap_over_operator_leaves(rng):
    D, x = rng.standard_normal((4, 6)), rng.standard_normal(6)
    out = jax.vmap(lambda d: jl.Diagonal(d) @ x)(D)
    np.testing.assert_allclose(out, D * x, rtol=1e-12)
    ops = jax.vmap(jl.Diagonal)(D)
    np.testing.assert_allclose(jax.vmap(lambda op: op.H @ x)(ops), D * x, rtol=1e-12)


class TestPytree:
    def test_frozen_and_replace(self):
        D = jl.Diagonal(np.ones(3))
        with pytest.raises(dataclasses.FrozenInstanceError):
            D.diag = np.zeros(3)
        D2 = dataclasses.replace(D, diag=np.arange(3.0))
        np.testing.assert_array_equal(D2 @ np.ones(3), [0.0, 1.0, 2.0])
        with pytest.raises(ValueError, match="Diagonal: diag has 4 elements"):
            dataclasses.replace(D, diag=np.ones(4))

    def test_leaves_are_only_arrays_and_metadata_is_static(self):
        Op = 2.0 * jl.MatrixMult(np.ones((2, 3)), otherdims=(4,)) @ jl.Diagonal(np.ones(3), dims=(3, 4), axis=0).H
        leaves = jax.tree.leaves(Op)
        assert len(leaves) == 3 and all(isinstance(leaf, jax.Array) for leaf in leaves)
        assert jax.tree.structure(Op) == jax.tree.structure(jax.tree.map(lambda a: a + 1, Op))


@pytest.mark.parametrize(
    "build",
    [
        lambda: jl.Real(4, dtype="complex128").H,
        lambda: 2.0 * jl.Imag(4, dtype="complex128") @ jl.Diagonal(np.arange(1.0, 5.0) * 1j),
        lambda: jl.VStack([jl.Identity(4, dtype="complex128"), jl.Conj(4, dtype="complex128")]),
        lambda: jl.BlockDiag([jl.Real(2, dtype="complex128"), jl.Identity(2, dtype="complex128")]).T,
    ],
    ids=["Real.H", "scaled-product", "VStack", "BlockDiag.T"],
)
def test_real_linear_parts_make_composites_real_linear(build):
    Op = build()
    assert not Op.complex_linear
    assert check_operator(Op)
    assert jl.Diagonal(np.ones(4) * 1j).H.complex_linear


class TestApplication:
    def test_flat_in_flat_out_nd_in_nd_out(self, rng):
        Op = jl.Diagonal(np.arange(4.0), dims=(3, 4))
        x = rng.standard_normal((3, 4))
        assert (Op @ x).shape == (3, 4) and (Op @ x.ravel()).shape == (12,)
        np.testing.assert_allclose(Op.H @ x, Op.rmatvec(x.ravel()).reshape(3, 4))

    def test_pylops_style_calls(self, rng):
        A = rng.standard_normal((3, 2))
        Op, POp = jl.MatrixMult(A), pylops.MatrixMult(A)
        x, X = rng.standard_normal(2), rng.standard_normal((2, 5))
        for result in (Op * x, Op(x), Op.dot(x), Op.matvec(x)):
            np.testing.assert_allclose(result, A @ x, rtol=1e-12)
        np.testing.assert_allclose(Op @ X, A @ X, rtol=1e-12)
        np.testing.assert_allclose(Op.rmatmat(A @ X), A.T @ A @ X, rtol=1e-12)
        np.testing.assert_allclose(Op.todense(), POp.todense(), rtol=1e-12)
        np.testing.assert_allclose((-Op / 2).todense(), -A / 2, rtol=1e-12)
        np.testing.assert_allclose((Op.H @ Op) ** 0 @ x, x)
        np.testing.assert_allclose(Op.apply_columns([1]).todense(), POp.apply_columns([1]).todense())

    def test_toreal_toimag_match_pylops(self, rng):
        A = rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2))
        Op, POp = jl.MatrixMult(A, dtype="complex128"), pylops.MatrixMult(A, dtype="complex128")
        x = rng.standard_normal(2) + 1j * rng.standard_normal(2)
        y = rng.standard_normal(3) + 1j * rng.standard_normal(3)
        for kwargs in ({}, {"forw": False}, {"adj": False}):
            for name in ("toreal", "toimag"):
                op, pop = getattr(Op, name)(**kwargs), getattr(POp, name)(**kwargs)
                np.testing.assert_allclose(op @ x, pop @ x, rtol=1e-12)
                np.testing.assert_allclose(op.H @ y, pop.H @ y, rtol=1e-12)

    def test_complex_input_to_real_operator_acts_on_both_parts(self, rng):
        Op = jl.MatrixMult(rng.standard_normal((3, 2)))
        xr, xi = rng.standard_normal(2), rng.standard_normal(2)
        np.testing.assert_allclose(Op @ (xr + 1j * xi), Op @ xr + 1j * (Op @ xi), rtol=1e-12)

    def test_integer_input_is_cast_to_the_operator_dtype(self):
        out = jl.Diagonal(np.ones(3), dtype="float32") @ np.arange(3)
        assert out.dtype == jnp.float32


class TestBadInput:
    def test_wrong_input_shape(self):
        Op = jl.Diagonal(np.ones(2), dims=(2, 2), axis=0)
        with pytest.raises(ValueError, match=r"Diagonal.matvec: dimension mismatch, expected an input of shape "
                           r"\(4,\) or \(2, 2\), got \(5,\)"):
            Op @ np.ones(5)
        with pytest.raises(ValueError, match=r"Diagonal.rmatvec: .* got \(4, 1\)"):
            Op.rmatvec(np.ones((4, 1)))
        with pytest.raises(ValueError, match="matmat: expected a 2-D array with 4 rows"):
            Op.matmat(np.ones((3, 2)))

    def test_incompatible_algebra(self):
        A, B = jl.MatrixMult(np.ones((3, 2))), jl.Identity(3)
        with pytest.raises(ValueError, match=r"Cannot compose MatrixMult of shape \(3, 2\) @ Identity .* 2 columns"):
            A @ B
        with pytest.raises(ValueError, match="Cannot add"):
            A + B
        with pytest.raises(ValueError, match="PowerOperator: Op must be square"):
            A**2
        with pytest.raises(ValueError, match="p must be non-negative"):
            B**-1
        with pytest.raises(TypeError):
            A + 1.0

    def test_construction(self):
        with pytest.raises(ValueError, match=r"Diagonal: diag has 3 elements but dims\[0\]"):
            jl.Diagonal(np.ones(3), dims=(4, 3), axis=0)
        with pytest.raises(ValueError, match="Diagonal: axis=2 is out of range"):
            jl.Diagonal(np.ones(3), dims=(4, 3), axis=2)
        with pytest.raises(ValueError, match="Identity: N must be a non-empty tuple of positive ints"):
            jl.Identity(-3)
        with pytest.raises(ValueError, match="FunctionOperator: dims must be a non-empty"):
            jl.FunctionOperator(jnp.sin, jnp.sin, ())
        with pytest.raises(ValueError, match="MatrixMult: A must be a 2-D matrix"):
            jl.MatrixMult(np.ones(3))
        with pytest.raises(TypeError, match="dtype must be a floating or complex dtype"):
            jl.Identity(3, dtype="int32")

    def test_function_returning_wrong_size_is_caught_at_trace_time(self):
        Op = jl.FunctionOperator(lambda x: x[:-1], lambda y: y, 4)
        with pytest.raises((ValueError, TypeError), match="FunctionOperator|reshape"):
            jax.jit(Op.matvec)(jnp.ones(4))


class TestComposedTransformations:
    """Nested transformations through an operator agree with the same jnp code."""

    @staticmethod
    def _pair(rng):
        A, X, W = rng.standard_normal((4, 5, 3)), rng.standard_normal((4, 3)), rng.standard_normal((4, 5))
        ours = lambda a, x, w: jnp.sum(w * (jl.MatrixMult(a) @ x) ** 2)  # noqa: E731
        plain = lambda a, x, w: jnp.sum(w * (a @ x) ** 2)  # noqa: E731
        return A, X, W, ours, plain

    @pytest.mark.parametrize("argnum", [0, 1])
    def test_vmap_of_grad_and_grad_of_vmap(self, rng, argnum):
        A, X, W, ours, plain = self._pair(rng)
        np.testing.assert_allclose(
            jax.vmap(jax.grad(ours, argnum))(A, X, W), jax.vmap(jax.grad(plain, argnum))(A, X, W), rtol=1e-12
        )
        total = lambda fun: lambda a, x: jnp.sum(jax.vmap(fun)(a, x, W))  # noqa: E731
        np.testing.assert_allclose(
            jax.grad(total(ours), argnum)(A, X), jax.grad(total(plain), argnum)(A, X), rtol=1e-12
        )

    def test_nested_vmap_jacobians_and_hessian_in_leaves(self, rng):
        A, X, W, ours, plain = self._pair(rng)
        out = jax.vmap(jax.vmap(lambda a, x: jl.MatrixMult(a) @ x, in_axes=(None, 0)), in_axes=(0, None))(A, X)
        np.testing.assert_allclose(out, np.einsum("aij,bj->abi", A, X), rtol=1e-12)
        for jac in (jax.jacfwd, jax.jacrev):
            np.testing.assert_allclose(jax.vmap(jac(lambda x, a: jl.MatrixMult(a) @ x))(X, A), A, rtol=1e-12)
        np.testing.assert_allclose(
            jax.hessian(ours)(A[0], X[0], W[0]), jax.hessian(plain)(A[0], X[0], W[0]), rtol=1e-12, atol=1e-12
        )

    def test_complex_gradients(self, rng):
        A = rng.standard_normal((5, 3)) + 1j * rng.standard_normal((5, 3))
        x = rng.standard_normal(3) + 1j * rng.standard_normal(3)
        ours = lambda a, x: jnp.sum(jnp.abs(jl.MatrixMult(a) @ x) ** 2)  # noqa: E731
        plain = lambda a, x: jnp.sum(jnp.abs(a @ x) ** 2)  # noqa: E731
        for argnum in (0, 1):
            np.testing.assert_allclose(jax.grad(ours, argnum)(A, x), jax.grad(plain, argnum)(A, x), rtol=1e-12)
        np.testing.assert_allclose(jax.grad(ours, 1)(A, x.real), jax.grad(plain, 1)(A, x.real), rtol=1e-12)
