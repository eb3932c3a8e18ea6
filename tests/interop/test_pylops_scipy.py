"""from_pylops, to_pylops, to_scipy and backend.device: round trips, solvers both ways, bad input."""

import jax
import jax.numpy as jnp
import numpy as np
import pylops
import pytest
import scipy.sparse.linalg
from pylops.signalprocessing import ChirpRadon2D, Seislet
from pylops.waveeqprocessing import MDC

import jaxlops as jl
from jaxlops.interop import PyLopsOperator, from_pylops, to_pylops, to_scipy
from jaxlops.utils import backend, check_operator
from jaxlops.utils.dottest import random_vector


def _jaxlops_ops(rng):
    A = rng.standard_normal((7, 5)) + 1j * rng.standard_normal((7, 5))
    return {
        "real": jl.FirstDerivative((4, 6), axis=1) @ jl.Diagonal(jnp.asarray(rng.standard_normal(6)), dims=(4, 6)),
        "complex": jl.MatrixMult(A),
    }


@pytest.mark.parametrize("kind", ["real", "complex"])
def test_to_pylops_dottest_and_cgls(rng, kind):
    Op = _jaxlops_ops(rng)[kind]
    POp = to_pylops(Op)
    assert isinstance(POp, pylops.LinearOperator) and POp.shape == Op.shape and POp.dims == Op.dims
    complexflag = 3 if kind == "complex" else 0
    assert pylops.utils.dottest(POp, *Op.shape, complexflag=complexflag, rtol=1e-10)
    y = np.asarray(random_vector(rng, Op.shape[0], Op.dtype))
    x_pylops = pylops.optimization.basic.cgls(POp, y, x0=np.zeros(Op.shape[1], Op.dtype), niter=15, tol=0.0)[0]
    np.testing.assert_allclose(x_pylops, jl.cgls(Op, y, niter=15, tol=0.0).x, rtol=1e-8, atol=1e-10)
    X = np.asarray(random_vector(rng, (Op.shape[1], 3), Op.dtype))
    np.testing.assert_allclose(POp.matmat(X), Op.matmat(X), rtol=1e-12)
    np.testing.assert_allclose((POp.H @ y), Op.rmatvec(y), rtol=1e-12)


@pytest.mark.parametrize("kind", ["real", "complex"])
def test_to_scipy_lsqr(rng, kind):
    Op = _jaxlops_ops(rng)[kind]
    S = to_scipy(Op)
    assert isinstance(S, scipy.sparse.linalg.LinearOperator) and S.shape == Op.shape and S.dtype == Op.dtype
    y = np.asarray(random_vector(rng, Op.shape[0], Op.dtype))
    x_scipy = scipy.sparse.linalg.lsqr(S, y, damp=0.5, atol=1e-14, btol=1e-14, iter_lim=200)[0]
    np.testing.assert_allclose(x_scipy, jl.cgls(Op, y, niter=200, damp=0.5, tol=1e-28).x, rtol=1e-6, atol=1e-9)
    assert S.matvec(np.ones((Op.shape[1], 1), Op.dtype)).shape == (Op.shape[0], 1)
    Y = np.asarray(random_vector(rng, (Op.shape[0], 2), Op.dtype))
    np.testing.assert_allclose(S.H @ Y, Op.H.matmat(Y), rtol=1e-12)
    with pytest.raises(TypeError, match="to_scipy: Op must be a jaxlops LinearOperator"):
        to_scipy(np.eye(2))


def _pylops_ops(rng):
    """Three PyLops operators jaxlops does not implement, small enough for the dense checks."""
    t, x = np.arange(16) * 0.004, np.arange(8) * 10.0
    return {
        "ChirpRadon2D": ChirpRadon2D(t, x, 1e-4, dtype="float64"),
        "Seislet": Seislet(rng.uniform(-1e-3, 1e-3, (8, 16)), sampling=(10.0, 0.004)),
        "MDC": MDC(rng.standard_normal((9, 4, 3)), nt=17, nv=1, dt=0.004, dr=1.0, twosided=True),
    }


@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")  # inside PyLops' MDC
@pytest.mark.parametrize("name", ["ChirpRadon2D", "Seislet", "MDC"])
def test_from_pylops_contract_and_jitted_cgls(rng, name):
    POp = _pylops_ops(rng)[name]
    Op = from_pylops(POp)
    assert isinstance(Op, PyLopsOperator) and Op.dims == tuple(POp.dims) and Op.dimsd == tuple(POp.dimsd)
    assert check_operator(Op)
    y = POp @ rng.standard_normal(POp.shape[1])
    x = jax.jit(lambda op, y: jl.cgls(op, y, niter=10, tol=0.0).x)(Op, y)
    x_pylops = pylops.optimization.basic.cgls(POp, y, x0=np.zeros(POp.shape[1]), niter=10, tol=0.0)[0]
    np.testing.assert_allclose(x, x_pylops, rtol=1e-8, atol=1e-10 * np.abs(x_pylops).max())


def test_from_pylops_batch_is_one_matmat_and_gradient_uses_rmatvec(rng):
    A = rng.standard_normal((5, 3)) + 1j * rng.standard_normal((5, 3))
    POp = pylops.MatrixMult(A, dtype="complex128")
    calls = []
    matmat = POp.matmat
    POp.matmat = lambda X: calls.append(X.shape) or matmat(X)
    Op = from_pylops(POp)
    X = np.asarray(random_vector(rng, (4, 3), "complex128"))
    np.testing.assert_allclose(jax.jit(jax.vmap(Op.matvec))(X), X @ A.T, rtol=1e-12)
    assert calls == [(3, 4)]
    y = np.asarray(random_vector(rng, 5, "complex128"))
    grad = jax.grad(lambda x: 0.5 * jnp.sum(jnp.abs(Op @ x - y) ** 2))(X[0])
    np.testing.assert_allclose(grad, np.conj(A.conj().T @ (A @ X[0] - y)), rtol=1e-10)
    # A real PyLops operator on a complex vector acts on both parts, as jaxlops operators do.
    R = from_pylops(pylops.MatrixMult(A.real))
    np.testing.assert_allclose(R @ X[0], A.real @ X[0], rtol=1e-12)


def test_round_trips_and_dtypes():
    Op = jl.Diagonal(jnp.arange(1.0, 4.0))
    assert from_pylops(to_pylops(Op)) is Op
    POp = pylops.Diagonal(np.arange(1.0, 4.0), dtype="float32")
    assert to_pylops(from_pylops(POp)) is POp
    assert from_pylops(POp).dtype == np.float32
    assert (from_pylops(POp) @ np.ones(3, np.float32)).dtype == np.float32
    S = from_pylops(scipy.sparse.linalg.aslinearoperator(np.arange(6.0).reshape(3, 2)))
    np.testing.assert_allclose(S @ np.ones(2), [1.0, 5.0, 9.0])
    assert not from_pylops(pylops.Real(3, dtype="complex128")).complex_linear


def test_from_pylops_to_pylops_errors():
    with pytest.raises(TypeError, match="from_pylops: Op must be a pylops.LinearOperator, got int"):
        from_pylops(3)
    with pytest.raises(TypeError, match="from_pylops: Op is already a jaxlops operator"):
        from_pylops(jl.Identity(3))
    with pytest.raises(TypeError, match="to_pylops: Op must be a jaxlops LinearOperator, got ndarray"):
        to_pylops(np.eye(3))


def test_backend_device():
    expected = "gpu" if any(d.platform == "gpu" for d in jax.devices()) else "cpu"
    assert backend.device() == expected
