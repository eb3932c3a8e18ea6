"""What is special to the derivative operators: bad input, short axes at the edges,
Laplacian weights and directions as pytree leaves."""

import jax
import jax.numpy as jnp
import numpy as np
import pylops
import pytest

from jaxlops.basicoperators.directionalderivative import FirstDirectionalDerivative, SecondDirectionalDerivative
from jaxlops.basicoperators.firstderivative import FirstDerivative
from jaxlops.basicoperators.gradient import Gradient
from jaxlops.basicoperators.laplacian import Laplacian
from jaxlops.basicoperators.secondderivative import SecondDerivative
from jaxlops.utils import check_operator

KINDS = r"\('forward', 'centered', 'backward'\)"

BAD = [
    (
        lambda: FirstDerivative(5, kind="central"),
        ValueError,
        rf"FirstDerivative: kind must be one of {KINDS}, got 'central'",
    ),
    (lambda: SecondDerivative(5, kind=None), ValueError, rf"SecondDerivative: kind must be one of {KINDS}, got None"),
    (lambda: Laplacian((3, 4), kind="fwd"), ValueError, r"Laplacian: kind must be one of .*got 'fwd'"),
    (lambda: Gradient((3, 4), kind="x"), ValueError, r"Gradient: kind must be one of .*got 'x'"),
    (lambda: FirstDirectionalDerivative((3, 4), [1, 0], kind="x"), ValueError, r"FirstDirectionalDerivative: kind"),
    (lambda: FirstDerivative(5, order=4), ValueError, r"FirstDerivative: order must be one of \(3, 5\), got 4"),
    (lambda: FirstDerivative(5, order=True), ValueError, r"FirstDerivative: order must be one of \(3, 5\), got True"),
    (lambda: FirstDerivative((3, 4), axis=2), ValueError, r"FirstDerivative: axis=2 is out of range for an array of 2"),
    (lambda: SecondDerivative((3, 4), axis=-3), ValueError, r"SecondDerivative: axis=-3 is out of range"),
    (lambda: Laplacian((3, 4), axes=(0, 2)), ValueError, r"Laplacian: axes=2 is out of range"),
    (lambda: Laplacian(5), ValueError, r"Laplacian: axes=-2 is out of range for an array of 1"),
    (lambda: FirstDerivative(5, axis=0.0), TypeError, r"FirstDerivative: axis must be an int, got 0.0"),
    (lambda: FirstDerivative((3, 0)), ValueError, r"FirstDerivative: dims must be a non-empty tuple of positive ints"),
    (lambda: Gradient("ab"), TypeError, r"Gradient: dims must be an int or a tuple of ints"),
    (
        lambda: FirstDerivative(5, sampling=0.0),
        ValueError,
        r"FirstDerivative: sampling must be finite and non-zero, got 0.0",
    ),
    (
        lambda: SecondDerivative(5, sampling=np.inf),
        ValueError,
        r"SecondDerivative: sampling must be finite and non-zero, got inf",
    ),
    (lambda: FirstDerivative(5, sampling="1"), TypeError, r"FirstDerivative: sampling must be a real number, got '1'"),
    (
        lambda: FirstDerivative(5, sampling=None),
        TypeError,
        r"FirstDerivative: sampling must be a real number, got None",
    ),
    (
        lambda: Laplacian((3, 4), sampling=(1.0, np.nan)),
        ValueError,
        r"Laplacian: sampling must be finite and non-zero, got nan",
    ),
    (lambda: Gradient((3, 4), sampling=(1.0, 0.0)), ValueError, r"Gradient: sampling must be finite and non-zero"),
    (
        lambda: Gradient((3, 4), sampling=(1.0, 2.0, 3.0)),
        ValueError,
        r"Gradient: sampling must be a number or one number per axis of dims=\(3, 4\), got \(1.0, 2.0, 3.0\)",
    ),
    (
        lambda: Laplacian((3, 4), weights=(1.0,)),
        ValueError,
        r"Laplacian: axes, weights and sampling must have the same length.*weights of shape \(1,\)",
    ),
    (
        lambda: Laplacian((3, 4), axes=(0, 1, 1)),
        ValueError,
        r"Laplacian: axes, weights and sampling must have the same length, got axes=\(0, 1, 1\)",
    ),
    (lambda: Laplacian((3, 4), axes=0), TypeError, r"Laplacian: axes must be a sequence, got 0"),
    (
        lambda: FirstDerivative(1, edge=True),
        ValueError,
        r"FirstDerivative: edge=True with order=3 needs dims\[0\] >= 2, got dims=\(1,\)",
    ),
    (
        lambda: FirstDerivative((4, 2), edge=True, order=5),
        ValueError,
        r"FirstDerivative: edge=True with order=5 needs dims\[1\] >= 3, got dims=\(4, 2\)",
    ),
    (
        lambda: SecondDerivative((2, 4), axis=0, edge=True),
        ValueError,
        r"SecondDerivative: edge=True needs dims\[0\] >= 3",
    ),
    (lambda: Laplacian((4, 2), edge=True), ValueError, r"Laplacian: edge=True needs dims\[1\] >= 3, got dims=\(4, 2\)"),
    (lambda: Gradient((1, 4), edge=True), ValueError, r"Gradient: edge=True needs dims\[0\] >= 2"),
    (
        lambda: FirstDirectionalDerivative((3, 4), [1.0, 0.0, 0.0]),
        ValueError,
        r"FirstDirectionalDerivative: v must be one direction of shape \(2,\) "
        r"or one per grid point of shape \(2, 3, 4\), got shape \(3,\)",
    ),
    (
        lambda: SecondDirectionalDerivative((3, 4), np.ones((2, 3, 3))),
        ValueError,
        r"SecondDirectionalDerivative: v must be one direction .* got shape \(2, 3, 3\)",
    ),
    (
        lambda: FirstDirectionalDerivative((3, 4), 1.0),
        ValueError,
        r"FirstDirectionalDerivative: v must be .*got shape \(\)",
    ),
    (
        lambda: FirstDirectionalDerivative((3, 4), [1, 0], dtype="int32"),
        TypeError,
        r"FirstDirectionalDerivative: dtype must be a floating or complex dtype",
    ),
]


@pytest.mark.parametrize("build, error, match", BAD)
def test_bad_input(build, error, match):
    with pytest.raises(error, match=match):
        build()


@pytest.mark.parametrize("kind", ["forward", "backward"])
def test_edge_only_changes_centered(kind, rng):
    x = rng.standard_normal(6)
    for Op in (FirstDerivative, SecondDerivative):
        np.testing.assert_array_equal(Op(6, kind=kind, edge=True) @ x, Op(6, kind=kind) @ x)
    # PyLops ignores edge for forward/backward, also on axes too short for the centered edge stencils
    assert np.all(np.asarray(FirstDerivative(1, kind=kind, edge=True).todense()) == 0)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize(
    "Op, kwargs", [(FirstDerivative, dict(order=5)), (FirstDerivative, {}), (SecondDerivative, {})]
)
def test_short_axes_without_edge_are_zero_like_pylops(Op, kwargs, n):
    np.testing.assert_array_equal(Op(n, **kwargs).todense(), getattr(pylops, Op.__name__)(n, **kwargs).todense())


def test_order5_edge_on_three_samples_has_a_true_adjoint():
    # The 3-point edge stencils meet in the middle sample: the forward is PyLops', the adjoint its
    # exact transpose (PyLops' own adjoint counts the middle row twice there).
    Op, POp = FirstDerivative(3, edge=True, order=5), pylops.FirstDerivative(3, edge=True, order=5)
    A = np.asarray(Op.todense())
    np.testing.assert_allclose(A, POp.todense(), rtol=1e-15)
    np.testing.assert_allclose(np.asarray(Op.H.todense()), A.T, rtol=1e-15)
    assert check_operator(Op)


def test_real_operator_on_complex_input(rng):
    x = rng.standard_normal((4, 5)) + 1j * rng.standard_normal((4, 5))
    for Op in (FirstDerivative((4, 5), order=5, edge=True), Laplacian((4, 5)), Gradient((4, 5))):
        y = Op @ x
        assert jnp.iscomplexobj(y)
        np.testing.assert_allclose(y, (Op @ x.real) + 1j * (Op @ x.imag), rtol=1e-12)


def test_laplacian_weights_are_a_differentiable_leaf(rng):
    x = rng.standard_normal((4, 5))

    def energy(w):
        return jnp.sum((Laplacian((4, 5), weights=w) @ x) ** 2)

    w = jnp.array([1.5, -0.5])
    D0, D1 = (np.asarray(SecondDerivative((4, 5), axis=a) @ x) for a in (0, 1))
    y = w[0] * D0 + w[1] * D1
    np.testing.assert_allclose(jax.grad(energy)(w), [2 * np.sum(y * D0), 2 * np.sum(y * D1)], rtol=1e-10)
    batched = jax.vmap(lambda w: Laplacian((4, 5), weights=w) @ x)(jnp.array([[1.0, 0.0], [0.0, 2.0]]))
    np.testing.assert_allclose(batched, np.stack([D0, 2 * D1]), rtol=1e-12)


def test_directions_are_a_leaf(rng):
    traces = []

    @jax.jit
    def apply(op, x):
        traces.append(1)
        return op @ x

    x = rng.standard_normal((4, 5))
    Gx = np.asarray(Gradient((4, 5)) @ x)
    np.testing.assert_allclose(apply(FirstDirectionalDerivative((4, 5), [1.0, 0.0]), x), Gx[0], rtol=1e-12)
    np.testing.assert_allclose(apply(FirstDirectionalDerivative((4, 5), [0.0, 2.0]), x), 2 * Gx[1], rtol=1e-12)
    assert len(traces) == 1
    v = rng.standard_normal((3, 2, 4, 5))
    batched = jax.vmap(lambda v: SecondDirectionalDerivative((4, 5), v) @ x)(jnp.asarray(v))
    for vi, yi in zip(v, batched):
        np.testing.assert_allclose(yi.ravel(), pylops.SecondDirectionalDerivative((4, 5), vi) @ x.ravel(), rtol=1e-10)
