"""TorchOperator and to_torch: gradients (gradcheck), zero copy, aliasing, bad input."""

import os
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxlops as jl

torch = pytest.importorskip("torch", reason="the torch interop needs PyTorch (pip install 'jaxlops[torch]')")
from jaxlops.interop import TorchOperator, to_torch  # noqa: E402
from jaxlops.interop import torch as interop_torch  # noqa: E402


def _matrix(rng, dtype, shape=(6, 4)):
    A = rng.standard_normal(shape)
    if dtype == "complex128":
        A = A + 1j * rng.standard_normal(shape)
    return jl.MatrixMult(A, dtype=dtype)


def _tensor(shape, dtype, requires_grad=True):
    return torch.randn(shape, dtype=dtype, generator=torch.Generator().manual_seed(0), requires_grad=requires_grad)


@pytest.mark.parametrize("batch", [False, True], ids=["single", "batch"])
@pytest.mark.parametrize(
    "op_dtype, tensor_dtype",
    [
        ("float64", torch.float64),
        ("float64", torch.complex128),
        ("complex128", torch.complex128),
        ("complex128", torch.float64),
    ],
    ids=["real", "real-op-complex-x", "complex", "complex-op-real-x"],
)
def test_gradcheck_operator(rng, op_dtype, tensor_dtype, batch):
    T = TorchOperator(_matrix(rng, op_dtype), batch=batch)
    x = _tensor((3, 4) if batch else (4,), tensor_dtype)
    assert torch.autograd.gradcheck(T.apply, (x,))
    assert torch.autograd.gradcheck(T.adjoint, (_tensor((3, 6) if batch else (6,), tensor_dtype),))


@pytest.mark.parametrize("cls", [jl.Real, jl.Imag, jl.Conj], ids=lambda c: c.__name__)
def test_gradcheck_real_linear_operators(cls):
    # Adjoints for the real inner product: what torch's convention asks of a real-linear map.
    assert torch.autograd.gradcheck(TorchOperator(cls(4, dtype="complex128")).apply, (_tensor(4, torch.complex128),))


def test_gradcheck_shaped_and_second_order(rng):
    Op = jl.FirstDerivative((3, 5), axis=1) @ jl.Diagonal(jnp.asarray(rng.standard_normal(5)), dims=(3, 5), axis=1)
    T = TorchOperator(Op, batch=True)
    x = _tensor((2, 3, 5), torch.float64)
    assert T.apply(x).shape == (2, 3, 5)
    assert torch.autograd.gradcheck(T.apply, (x,))
    assert torch.autograd.gradgradcheck(T.apply, (x,))


@pytest.mark.parametrize("dtype", [torch.float64, torch.complex128])
def test_gradcheck_to_torch_cgls(rng, dtype):
    Op = _matrix(rng, "complex128" if dtype.is_complex else "float64")
    solve = to_torch(lambda y, damp: jl.cgls(Op, y, niter=30, damp=damp, tol=0.0).x)
    y = _tensor(6, dtype)
    damp = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(solve, (y, damp))
    np.testing.assert_allclose(solve(y, damp).detach().numpy(), jl.cgls(Op, y.detach().numpy(), niter=30, damp=0.3).x)


def test_to_torch_several_arguments_and_outputs():
    f = to_torch(lambda a, b, s: (jnp.sin(a) * jnp.conj(b), jnp.sum(jnp.abs(a - b) ** 2) * s))
    a, b = _tensor(5, torch.complex128), _tensor(5, torch.complex128).detach().mul(2).requires_grad_()
    assert torch.autograd.gradcheck(lambda a, b: f(a, b, 1.5), (a, b))
    with torch.no_grad():
        u, v = f(a, b, 1.5)
    assert not u.requires_grad and v.shape == ()


def test_to_torch_errors():
    with pytest.raises(TypeError, match="to_torch: fn must be callable"):
        to_torch(3)
    with pytest.raises(TypeError, match="to_torch: fn must return an array or a tuple of arrays"):
        to_torch(lambda x: {"x": x})(torch.ones(2, dtype=torch.float64))


def test_forward_matches_jax(rng):
    Op = jl.FirstDerivative((4, 5), axis=0, dtype="float32")
    x = np.asarray(rng.standard_normal((2, 4, 5)), dtype="float32")
    expected = np.asarray(jax.vmap(Op.matvec)(x.reshape(2, -1))).reshape(2, 4, 5)
    np.testing.assert_array_equal(TorchOperator(Op, batch=True).apply(torch.from_numpy(x)).numpy(), expected)
    T = TorchOperator(Op)
    np.testing.assert_array_equal(T.apply(torch.from_numpy(x[0]).reshape(-1)).numpy(), Op.matvec(x[0].ravel()))
    np.testing.assert_array_equal(T.adjoint(torch.from_numpy(x[0])).numpy(), Op.H @ x[0])


def test_zero_copy_and_one_batched_call(monkeypatch):
    seen = []

    def spy(op, x, adjoint, batch):
        seen.append((x.unsafe_buffer_pointer(), batch))
        return apply(op, x, adjoint=adjoint, batch=batch)

    apply = interop_torch.apply_shaped
    monkeypatch.setattr(interop_torch, "apply_shaped", spy)
    T = TorchOperator(jl.Diagonal(jnp.arange(1.0, 5.0), dtype="float32"), batch=True)
    x = torch.randn(3, 4, requires_grad=True)
    assert x.data_ptr() % 64 == 0  # torch's allocator aligns; JAX takes such memory as it is
    g = torch.randn(3, 4)
    T.apply(x).backward(g)
    assert seen == [(x.data_ptr(), True), (g.data_ptr(), True)]  # one vmapped call each way, no copy


def test_input_unchanged_and_output_not_aliased():
    T = TorchOperator(jl.Identity(8, dtype="float64"))
    x = torch.randn(8, dtype=torch.float64, requires_grad=True)
    before = x.detach().clone()
    y = T.apply(x)
    assert y.data_ptr() != x.data_ptr()
    y.backward(torch.ones(8, dtype=torch.float64))
    assert torch.equal(x.detach(), before)
    with torch.no_grad():
        y.add_(1.0)  # torch may write into a result: it never reaches the input
    assert torch.equal(x.detach(), before)


def test_copies_when_needed():
    T = TorchOperator(jl.Diagonal(jnp.arange(1.0, 7.0), dtype="complex128"))
    base = torch.randn(12, dtype=torch.complex128)
    for x in (base[::2], base[1:7], base[:6].conj(), -base[:6].conj().imag.to(torch.complex128)):
        expected = np.arange(1.0, 7.0) * x.resolve_conj().resolve_neg().numpy()
        np.testing.assert_allclose(T.apply(x).numpy(), expected)
    g = torch.randn(6, dtype=torch.float64)
    x = torch.randn(6, dtype=torch.float64, requires_grad=True)
    (T.apply(x).real * g).sum().backward()  # expanded, strided gradients come back contiguous
    np.testing.assert_allclose(x.grad.numpy(), np.arange(1.0, 7.0) * g.numpy())


def test_no_grad_context():
    T = TorchOperator(jl.Diagonal(jnp.arange(1.0, 4.0), dtype="float64"))
    x = torch.ones(3, dtype=torch.float64, requires_grad=True)
    with torch.no_grad():
        y = T.apply(x)
    assert not y.requires_grad and torch.equal(y, torch.arange(1.0, 4.0, dtype=torch.float64))


def test_bad_input():
    T = TorchOperator(jl.Diagonal(jnp.ones(2), dims=(2, 2), dtype="float32"))
    with pytest.raises(ValueError, match=r"TorchOperator.apply: x has shape \(5,\), expected \(4\) or \(2, 2\)"):
        T.apply(torch.ones(5))
    with pytest.raises(ValueError, match=r"expected \(batch, 4\)"):
        TorchOperator(T.Op, batch=True).apply(torch.ones(4))
    with pytest.raises(TypeError, match="x has dtype torch.float64, but the operator computes in float32"):
        T.apply(torch.ones(4, dtype=torch.float64))
    with pytest.raises(TypeError, match="x has dtype torch.int64"):
        T.apply(torch.ones(4, dtype=torch.int64))
    with pytest.raises(TypeError, match="y must be a torch.Tensor, got ndarray"):
        T.adjoint(np.ones(4))
    with pytest.raises(ValueError, match="'meta' device"):
        T.apply(torch.ones(4, device="meta"))
    with pytest.raises(TypeError, match="Op must be a jaxlops LinearOperator"):
        TorchOperator(np.eye(3))
    with pytest.raises(TypeError, match="batch must be True or False"):
        TorchOperator(T.Op, batch=1)


_DEFAULTS_SCRIPT = """
import sys
import jax, jax.numpy as jnp, numpy as np
import jaxlops as jl
assert "torch" not in sys.modules, "import jaxlops must not import torch"
import torch
from jaxlops.interop import TorchOperator, to_torch

# The operator's arrays on another device than the tensor: copied there, the result comes back.
Op = jax.device_put(jl.Diagonal(jnp.arange(1.0, 4.0)), jax.devices("cpu")[1])
x = torch.ones(3, requires_grad=True)
y = TorchOperator(Op).apply(x)
y.sum().backward()
assert y.device == x.device and torch.equal(y.detach(), torch.arange(1.0, 4.0)), y
assert torch.equal(x.grad, torch.arange(1.0, 4.0)), x.grad

# JAX's defaults (no float64): double-precision tensors are refused, not rounded.
for call in (lambda t: TorchOperator(jl.Diagonal(jnp.ones(3))).apply(t), lambda t: to_torch(jnp.sin)(t)):
    try:
        call(torch.ones(3, dtype=torch.float64))
    except TypeError as exc:
        assert "float64" in str(exc), exc
    else:
        raise AssertionError("a float64 tensor was accepted without jax_enable_x64")
x = torch.ones(2, requires_grad=True)
solve = to_torch(lambda y: jl.cgls(jl.MatrixMult(np.diag([2.0, 4.0])), y, niter=5).x)
solve(x).sum().backward()
assert torch.allclose(x.grad, torch.tensor([0.5, 0.25])), x.grad
print("ok")
"""


def test_jax_defaults_and_operator_on_another_device():
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=2", JAX_PLATFORMS="cpu")
    env.pop("JAX_ENABLE_X64", None)
    command = [sys.executable, "-c", _DEFAULTS_SCRIPT]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr
