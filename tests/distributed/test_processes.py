"""jaxlops.distributed.launch: a post-stack inversion in two processes joined by jax.distributed
(gloo collectives on the CPU) gives the single-process result."""

import jax
import numpy as np
import pytest

import jaxlops as jl
from jaxlops.distributed import launch
from jaxlops.distributed._processes import ricker_wavelet, synthetic_model

# One worker launches the processes once for every test here.
pytestmark = pytest.mark.xdist_group("processes")

# Few iterations for the traces' length: past the band-limited wavelet's effective rank, noise-free CGLS
# amplifies the rounding of its inner products, whose order of summation differs between one and two
# devices (relative difference 3e-3 after 20 iterations with nt0=32, 4e-16 after 15 with nt0=64).
SHAPE, NITER, EPSR = (64, 4, 6), 15, 0.5


@pytest.fixture(scope="module")
def launched(tmp_path_factory):
    """``{epsR: (model, output path)}`` of two-process runs: CGLS (``None``) and PoststackInversion (``EPSR``)."""
    folder = tmp_path_factory.mktemp("processes")
    runs = {}
    for epsR in (None, EPSR):
        output = folder / f"model-{epsR}.npz"
        try:
            runs[epsR] = launch(2, SHAPE, niter=NITER, epsR=epsR, output=output, timeout=120), output
        except RuntimeError as exc:  # e.g. no gloo CPU collectives in this jaxlib: a failure, not a skip
            pytest.fail(f"two processes joined by jax.distributed (gloo CPU collectives) failed: {exc}", pytrace=False)
    return runs


def _one_process(epsR):
    wav = ricker_wavelet()
    op = jl.PoststackLinearModelling(wav, SHAPE[0], spatdims=SHAPE[1:])
    data = op @ synthetic_model(SHAPE, seed=0)
    if epsR is None:
        return np.asarray(jax.jit(lambda d: jl.cgls(op, d, niter=NITER, tol=0.0).x)(data))
    return np.asarray(jax.jit(lambda d: jl.PoststackInversion(d, wav, epsR=epsR, iter_lim=NITER)[0])(data))


def _relative(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


@pytest.mark.slow
@pytest.mark.parametrize("epsR", [None, EPSR], ids=["cgls", "laplacian"])
def test_two_processes_match_one(launched, epsR):
    model, output = launched[epsR]
    expected = _one_process(epsR)
    assert model.shape == SHAPE and model.dtype == np.float64
    assert _relative(model, expected) < 1e-10, _relative(model, expected)
    with np.load(output) as saved:
        np.testing.assert_array_equal(saved["model"], model)
    assert sorted(p.name for p in output.parent.iterdir()) == ["model-0.5.npz", "model-None.npz"]  # parts removed


def test_wavelet_is_the_documented_ricker():
    t = np.arange(-10, 11) * 0.004
    arg = (np.pi * 20 * t) ** 2
    np.testing.assert_allclose(ricker_wavelet(), (1 - 2 * arg) * np.exp(-arg) / 2, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(num_processes=0), ValueError, "num_processes must be at least 1, got 0"),
        (dict(num_processes=2.0), TypeError, "num_processes must be an int"),
        (dict(num_processes=True), TypeError, "num_processes must be an int"),
        (dict(shape=(32, 4)), TypeError, "shape must be a sequence of 3 ints"),
        (dict(shape="abc"), TypeError, "shape must be a sequence of 3 ints"),
        (dict(shape=(32, 0, 6)), ValueError, "shape must be at least 1, got 0"),
        (dict(shape=(32, 5, 6)), ValueError, r"shape\[1\] \(ny=5\) must be a multiple of num_processes=2"),
        (dict(niter=0), ValueError, "niter must be at least 1"),
        (dict(epsR="1"), TypeError, "epsR must be a real number or None"),
        (dict(epsR=-1.0), ValueError, "epsR must be finite and non-negative, got -1.0"),
        (dict(epsR=float("nan")), ValueError, "epsR must be finite"),
        (dict(output=3), TypeError, "output must be a path"),
        (dict(output="/no/such/folder/model.npz"), ValueError, "output's folder /no/such/folder does not exist"),
        (dict(port=70000), ValueError, "port must be at most 65535, got 70000"),
        (dict(timeout=0), ValueError, "timeout must be positive, got 0"),
        (dict(timeout="1"), TypeError, "timeout must be a number of seconds"),
        (dict(seed=-1), ValueError, "seed must be at least 0, got -1"),
    ],
)
def test_launch_rejects_bad_arguments(kwargs, error, match):
    arguments = dict(num_processes=2, shape=SHAPE) | kwargs
    with pytest.raises(error, match="launch: " + match):
        launch(**arguments)


def test_launch_reports_a_failed_process(tmp_path, monkeypatch):
    # Two CPU devices in the one process: ny=3 is a multiple of the process count, not of the device count.
    monkeypatch.setenv("XLA_FLAGS", "--xla_force_host_platform_device_count=2 --xla_backend_optimization_level=0")
    with pytest.raises(RuntimeError, match=r"(?s)launch: process 0 of 1 failed with return code 1.*"
                       r"poststack_worker: ny=3 .* multiple of the device count 2"):
        launch(1, (32, 3, 6), niter=2, output=tmp_path / "model.npz", timeout=60)
    assert list(tmp_path.iterdir()) == []
