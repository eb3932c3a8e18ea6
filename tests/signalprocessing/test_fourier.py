"""What is special to FFT, FFT2D, FFTND, DCT and Shift: bad input, PyLops' attributes
(frequencies, dtypes, clinear), warnings, and the shift as a differentiable leaf."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pylops
import pytest

from jaxlops.signalprocessing.dct import DCT
from jaxlops.signalprocessing.fft import FFT
from jaxlops.signalprocessing.fft2d import FFT2D
from jaxlops.signalprocessing.fftnd import FFTND
from jaxlops.signalprocessing.shift import Shift

sp = pylops.signalprocessing

BAD = [
    (lambda: FFT((3, 4), axis=2), ValueError, r"FFT: axis=2 is out of range for an array of 2"),
    (lambda: FFT((3, -4)), ValueError, r"FFT: dims must be a non-empty tuple of positive ints"),
    (lambda: FFT(4, nfft=0), ValueError, r"FFT: nfft must be positive, got 0"),
    (lambda: FFT(4, nfft=2.5), TypeError, r"FFT: nfft must be an int or None, got 2.5"),
    (
        lambda: FFT(4, norm="backward"),
        ValueError,
        r"FFT: norm must be one of \('ortho', 'none', '1/n'\), got 'backw.*none",
    ),
    (lambda: FFT(4, norm="forward"), ValueError, r"FFT: norm must be one of .*got 'forward'.*1/n"),
    (lambda: FFT(4, norm="unitary"), ValueError, r"FFT: norm must be one of \('ortho', 'none', '1/n'\), got 'unitary'"),
    (lambda: FFT(4, norm=None), TypeError, r"FFT: norm must be a string.*got None"),
    (lambda: FFT(4, sampling=0.0), ValueError, r"FFT: sampling must be finite and non-zero, got 0.0"),
    (lambda: FFT(4, sampling=np.inf), ValueError, r"FFT: sampling must be finite and non-zero, got inf"),
    (lambda: FFT(4, sampling=np.nan), ValueError, r"FFT: sampling must be finite and non-zero, got nan"),
    (lambda: FFT(4, sampling="1"), TypeError, r"FFT: sampling must be a real number, got '1'"),
    (lambda: FFT(4, real=1), TypeError, r"FFT: real must be a bool.*got 1"),
    (lambda: FFT(4, fftshift_after="yes"), TypeError, r"FFT: fftshift_after must be a bool"),
    (lambda: FFT(4, dtype="int32"), TypeError, r"FFT: dtype must be a floating or complex dtype, got int32"),
    (lambda: FFT2D(6), ValueError, r"FFT2D: dims must have at least two dimensions, got \(6,\)"),
    (lambda: FFT2D((2, 3, 4), axes=(0, 1, 2)), ValueError, r"FFT2D: axes must name exactly two axes, got \(0, 1, 2\)"),
    (lambda: FFT2D((2, 3), axes=(0, -2)), ValueError, r"FFT2D: axes must be distinct, got \(0, 0\)"),
    (lambda: FFT2D((2, 3), axes=(0, 2)), ValueError, r"FFT2D: axes=2 is out of range"),
    (lambda: FFT2D((2, 3), nffts=(4, 4, 4)), ValueError, r"FFT2D: nffts must have one value per axis \(2\)"),
    (lambda: FFT2D((2, 3), nffts=(4, -1)), ValueError, r"FFT2D: nffts must be positive, got -1"),
    (lambda: FFT2D((2, 3), sampling=(1.0, 0.0)), ValueError, r"FFT2D: sampling must be finite and non-zero"),
    (lambda: FFT2D((2, 3), sampling=(1.0,)), ValueError, r"FFT2D: sampling must have one value per axis \(2\)"),
    (lambda: FFT2D((2, 3), fftshift_after=(True,)), ValueError, r"FFT2D: fftshift_after must have one value per"),
    (lambda: FFT2D((2, 3), ifftshift_before=(1, 0)), TypeError, r"FFT2D: ifftshift_before must be a bool or a seq"),
    (lambda: FFTND((2, 3), axes=(0, 1, 0)), ValueError, r"FFTND: axes must be distinct, got \(0, 1, 0\)"),
    (lambda: FFTND((2, 3)), ValueError, r"FFTND: axes=-3 is out of range for an array of 2"),
    (lambda: FFTND((2, 3), axes=()), ValueError, r"FFTND: axes must name at least one axis"),
    (lambda: FFTND((2, 3), axes=(0, 1), norm="Ortho"), ValueError, r"FFTND: norm must be one of"),
    (lambda: DCT(4, type=5), ValueError, r"DCT: type must be one of \(1, 2, 3, 4\), got 5"),
    (lambda: DCT(4, type=2.0), TypeError, r"DCT: type must be an int, one of \(1, 2, 3, 4\), got 2.0"),
    (lambda: DCT((3, 1), type=1), ValueError, r"DCT: type=1 needs at least 2 samples along each of axes=\(0, 1\)"),
    (lambda: DCT((3, 4), axes=(1, -1)), ValueError, r"DCT: axes must name distinct axes, got \(1, -1\)"),
    (lambda: DCT((3, 4), axes=2), ValueError, r"DCT: axes=2 is out of range"),
    (lambda: DCT((3, 4), dtype="int64"), TypeError, r"DCT: dtype must be a floating or complex dtype"),
    (
        lambda: Shift((3, 4), np.ones(4)),
        ValueError,
        r"Shift: shift must be a scalar or one value per trace, an "
        r"array of shape \(3,\) \(dims=\(3, 4\) without axis 1\), got shape \(4,\)",
    ),
    (lambda: Shift((3, 4), np.ones((3, 1)), axis=0), ValueError, r"Shift: shift must be .*shape \(4,\).*\(3, 1\)"),
    (lambda: Shift(4, 1j), TypeError, r"Shift: shift must be real, got an array of dtype complex"),
    (lambda: Shift(4, 1.0, sampling=0), ValueError, r"Shift: sampling must be finite and non-zero, got 0.0"),
    (lambda: Shift((3, 4), 1.0, axis=-3), ValueError, r"Shift: axis=-3 is out of range"),
    (lambda: Shift(4, 1.0, nfft=-2), ValueError, r"Shift: nfft must be positive, got -2"),
]


@pytest.mark.parametrize("build, error, match", BAD)
def test_bad_input(build, error, match):
    with pytest.raises(error, match=match):
        build()


FREQUENCY_CASES = [
    (FFT, sp.FFT, (5, 8), dict(axis=0, nfft=9, sampling=0.2)),
    (FFT, sp.FFT, (8,), dict(real=True, sampling=0.5)),
    (FFT, sp.FFT, (8,), dict(fftshift_after=True, nfft=7)),
    (FFT2D, sp.FFT2D, (4, 6), dict(real=True, nffts=(5, None), sampling=(0.1, 2.0), fftshift_after=(True, False))),
    (FFTND, sp.FFTND, (3, 4, 5), dict(real=True, sampling=3.0, fftshift_after=True)),
]


@pytest.mark.parametrize("ours, theirs, dims, kwargs", FREQUENCY_CASES)
@pytest.mark.parametrize("dtype", ["float32", "complex128"])
def test_attributes_as_pylops(ours, theirs, dims, kwargs, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Op, POp = ours(dims, dtype=dtype, **kwargs), theirs(dims, dtype=dtype, **kwargs)
    if hasattr(POp, "f"):
        np.testing.assert_allclose(Op.f, POp.f)
    else:
        pfs = POp.fs if hasattr(POp, "fs") else (POp.f1, POp.f2)
        assert len(Op.fs) == len(pfs)
        for f, pf in zip(Op.fs, pfs):
            np.testing.assert_allclose(f, pf)
        if ours is FFT2D:
            np.testing.assert_allclose(Op.f1, POp.f1)
            np.testing.assert_allclose(Op.f2, POp.f2)
    assert (Op.dtype, Op.cdtype, Op.rdtype, Op.clinear) == (POp.dtype, POp.cdtype, POp.rdtype, POp.clinear)
    assert Op.complex_linear == POp.clinear
    x = np.ones(Op.shape[1], Op.dtype)
    assert Op.matvec(x).dtype == POp.matvec(x).dtype == Op.cdtype
    y = np.ones(Op.shape[0], Op.dtype)
    assert Op.rmatvec(y).dtype == POp.rmatvec(y).dtype == Op.rdtype


def test_norm_spellings():
    assert FFT(4, norm="1/N").norm == "1/n"
    np.testing.assert_allclose(FFT(4, norm="1/N") @ jnp.ones(4), [1, 0, 0, 0], atol=1e-12)
    np.testing.assert_allclose(FFT(4, norm="none") @ jnp.ones(4), [4, 0, 0, 0], atol=1e-12)


@pytest.mark.parametrize(
    "build",
    [
        lambda: FFT((3, 8), nfft=4),
        lambda: FFT2D((3, 8), nffts=(2, None)),
        lambda: FFTND((3, 4, 5), nffts=(3, 4, 2)),
        lambda: Shift(8, 1.0, nfft=5),
    ],
)
def test_short_nfft_warns(build):
    with pytest.warns(UserWarning, match=r"nfft smaller than dims along axes \[\d\]: the signal is truncated"):
        build()


def test_fftshift_of_real_spectrum_warns():
    with pytest.warns(UserWarning, match=r"FFT: fftshift_after with real=True shifts a one-sided spectrum"):
        FFT(8, real=True, fftshift_after=True)
    with pytest.warns(UserWarning, match=r"FFTND: fftshift_after on the last axis with real=True"):
        FFTND((4, 8), axes=(0, 1), real=True, fftshift_after=(False, True))


def test_real_model_spectrum_is_the_full_fft(rng):
    """A real dtype (real=False) takes the real part and returns the whole spectrum."""
    x = rng.standard_normal((3, 4, 6)) + 1j * rng.standard_normal((3, 4, 6))
    F = FFTND((3, 4, 6), axes=(2, 0), nffts=(7, 5), norm="none", dtype="float64")
    np.testing.assert_allclose(F @ x, np.fft.fftn(x.real, s=(7, 5), axes=(2, 0)), rtol=1e-12, atol=1e-12)
    y = rng.standard_normal(F.dimsd) + 1j * rng.standard_normal(F.dimsd)
    expected = np.fft.ifftn(y, axes=(2, 0)).real[:, :, :6][:3] * 35
    np.testing.assert_allclose(F.H @ y, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kind", [1, 2, 3, 4])
@pytest.mark.parametrize("dims, axes", [((9,), None), ((5, 6), None), ((4, 3, 6), (0, 2)), ((4, 3, 6), None)])
def test_dct_is_orthonormal(kind, dims, axes, rng):
    C = DCT(dims, type=kind, axes=axes)
    x = rng.standard_normal(dims)
    np.testing.assert_allclose(C.H @ (C @ x), x, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(C @ x), np.linalg.norm(x), rtol=1e-12)


def test_shift_by_whole_samples_is_a_roll(rng):
    x = rng.standard_normal((3, 8))
    S = Shift((3, 8), np.array([1.0, -2.0, 3.0]), axis=1, dtype="float64")
    expected = np.stack([np.roll(x[0], 1), np.roll(x[1], -2), np.roll(x[2], 3)])
    np.testing.assert_allclose(S @ x, expected, atol=1e-12)
    np.testing.assert_allclose(S.H @ expected, x, atol=1e-12)


def test_real_shift_of_a_complex_vector_shifts_both_parts(rng):
    x = rng.standard_normal(7) + 1j * rng.standard_normal(7)
    S = Shift(7, 0.4, dtype="float64")
    np.testing.assert_allclose(S @ x, (S @ x.real) + 1j * (S @ x.imag), atol=1e-12)


def test_shift_is_a_differentiable_leaf(rng):
    """The shift can be estimated by gradient: d/ds of the shifted signal is the shifted derivative."""
    t = np.arange(64) * 0.1
    x = np.exp(-((t - 3.0) ** 2))

    def misfit(s):
        return jnp.sum((Shift(64, s, sampling=0.1, real=True, dtype="float64") @ x - np.roll(x, 5)) ** 2)

    grad = jax.grad(misfit)(0.3)
    numeric = (misfit(0.3 + 1e-6) - misfit(0.3 - 1e-6)) / 2e-6
    np.testing.assert_allclose(grad, numeric, rtol=1e-6)
    shifts = jnp.array([0.0, 0.5, 1.0])
    batched = jax.vmap(lambda s: Shift(64, s, sampling=0.1, dtype="float64") @ x)(shifts)
    for s, row in zip(shifts, batched):
        np.testing.assert_allclose(row, Shift(64, s, sampling=0.1, dtype="float64") @ x, atol=1e-12)


def test_shift_values_do_not_recompile():
    traces = []

    @jax.jit
    def apply(op, x):
        traces.append(1)
        return op @ x

    x = jnp.arange(8.0)
    apply(Shift(8, 1.0, dtype="float64"), x)
    np.testing.assert_allclose(apply(Shift(8, 2.0, dtype="float64"), x), np.roll(np.arange(8.0), 2), atol=1e-12)
    assert len(traces) == 1


@pytest.mark.parametrize("nfft", [8, 9])
def test_complex_shift_of_a_real_vector(nfft, rng):
    """A complex operator keeps the imaginary part that the Nyquist bin gives a real vector."""
    x = rng.standard_normal((2, 8))
    S, PS = Shift((2, 8), 0.3, nfft=nfft), sp.Shift((2, 8), 0.3, nfft=nfft)
    np.testing.assert_allclose(S @ x, (PS @ x.ravel()).reshape(2, 8), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(S.H @ x, (PS.H @ x.ravel()).reshape(2, 8), rtol=1e-12, atol=1e-12)
    assert (S @ x).dtype == np.complex128
