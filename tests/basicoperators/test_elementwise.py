"""What is special to Zero, Real, Imag, Conj, Symmetrize and CausalIntegration:
construction errors, real-dtype Real/Imag/Conj as in PyLops, gradients."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pylops
import pytest

from jaxlops.basicoperators.causalintegration import CausalIntegration
from jaxlops.basicoperators.conj import Conj
from jaxlops.basicoperators.imag import Imag
from jaxlops.basicoperators.real import Real
from jaxlops.basicoperators.symmetrize import Symmetrize
from jaxlops.basicoperators.zero import Zero

BAD = [
    (lambda: Zero((3, 2), 4), TypeError, r"Zero: N and M must both be ints or both be tuples"),
    (lambda: Zero(-3), ValueError, r"Zero: N must be a non-empty tuple of positive ints, got \(-3,\)"),
    (lambda: Zero(3, 0), ValueError, r"Zero: M must be a non-empty tuple of positive ints, got \(0,\)"),
    (lambda: Zero(()), ValueError, r"Zero: N must be a non-empty tuple of positive ints, got \(\)"),
    (lambda: Zero(3, dtype="int32"), TypeError, r"Zero: dtype must be a floating or complex dtype, got int32"),
    *[
        (lambda cls=cls: cls((2, -1)), ValueError, rf"{cls.__name__}: dims must be a non-empty tuple of positive ints")
        for cls in (Real, Imag, Conj, Symmetrize, CausalIntegration)
    ],
    *[
        (lambda cls=cls: cls(()), ValueError, rf"{cls.__name__}: dims must be a non-empty tuple of positive ints")
        for cls in (Real, Imag, Conj, Symmetrize, CausalIntegration)
    ],
    *[
        (lambda cls=cls: cls(2.5), TypeError, rf"{cls.__name__}: dims must be an int or a tuple of ints, got 2.5")
        for cls in (Real, Imag, Conj)
    ],
    *[
        (lambda cls=cls: cls(3, dtype="int64"), TypeError, rf"{cls.__name__}: dtype must be a floating or complex")
        for cls in (Real, Imag, Conj)
    ],
    (lambda: Symmetrize((3, 4), axis=2), ValueError, r"Symmetrize: axis=2 is out of range for an array of 2 dim"),
    (lambda: Symmetrize((3, 4), axis=-3), ValueError, r"Symmetrize: axis=-3 is out of range"),
    (lambda: Symmetrize(3, axis=0.5), TypeError, r"Symmetrize: axis must be an int, got 0.5"),
    (lambda: CausalIntegration((3, 4), axis=2), ValueError, r"CausalIntegration: axis=2 is out of range"),
    (
        lambda: CausalIntegration(5, kind="simpson"),
        ValueError,
        r"CausalIntegration: kind must be one of \('full', 'half', 'trapezoidal'\), got 'simpson'",
    ),
    (
        lambda: CausalIntegration(5, sampling=0.0),
        ValueError,
        r"CausalIntegration: sampling must be .* non-zero, got 0.0",
    ),
    (lambda: CausalIntegration(5, sampling=np.nan), ValueError, r"sampling must be finite and non-zero, got nan"),
    (lambda: CausalIntegration(5, sampling=-np.inf), ValueError, r"sampling must be finite and non-zero, got -inf"),
    (lambda: CausalIntegration(5, sampling="dt"), TypeError, r"CausalIntegration: sampling must be a real number"),
    (
        lambda: CausalIntegration((1, 4), axis=0, removefirst=True),
        ValueError,
        r"CausalIntegration: removefirst=True needs dims\[axis\] >= 2, got dims=\(1, 4\), axis=0",
    ),
]


@pytest.mark.parametrize("make, error, match", BAD, ids=[f"bad-{i}" for i in range(len(BAD))])
def test_elementwise_bad_input(make, error, match):
    with pytest.raises(error, match=match):
        make()


@pytest.mark.parametrize("cls, pcls", [(Real, pylops.Real), (Imag, pylops.Imag), (Conj, pylops.Conj)])
def test_elementwise_real_dtype_as_pylops(cls, pcls, rng):
    """With a real dtype PyLops makes Real and Conj the identity and Imag zero."""
    x, y = rng.standard_normal(6), rng.standard_normal(6)
    Op, POp = cls((2, 3), dtype="float64"), pcls((2, 3), dtype="float64")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyLops casts complex to real in rmatvec
        expected = POp.matvec(x), POp.rmatvec(y)
    for actual, want in zip((Op.matvec(x), Op.rmatvec(y)), expected):
        assert actual.dtype == want.dtype
        np.testing.assert_array_equal(actual, want)


# JAX's gradient of a real loss of z = a + ib is dL/da - i dL/db; with
# L = sum(w Re(Op z) + |Op z|^2) it is, analytically:
GRADIENTS = [
    (Real, jnp.real, lambda z, w: (w + 2 * z.real) + 0j),
    (Imag, jnp.imag, lambda z, w: -1j * (w + 2 * z.imag)),
    (Conj, jnp.conj, lambda z, w: w + 2 * jnp.conj(z)),
]


@pytest.mark.parametrize("cls, part, gradient", GRADIENTS, ids=["Real", "Imag", "Conj"])
def test_elementwise_grad_through_real_linear(cls, part, gradient):
    z = jnp.array([1.0 + 2.0j, 3.0 - 1.0j, -0.5 + 0.25j])
    w = jnp.array([0.5, -2.0, 1.5])

    def loss(f):
        return lambda z: jnp.sum(w * jnp.real(f(z)) + jnp.abs(f(z)) ** 2)

    grad = jax.grad(loss(lambda v: cls(3) @ v))(z)
    np.testing.assert_allclose(grad, gradient(z, w), rtol=1e-12)
    np.testing.assert_allclose(grad, jax.grad(loss(part))(z), rtol=1e-12)
