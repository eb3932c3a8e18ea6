"""PoststackLinearModelling and PoststackInversion against PyLops 2 on the same inputs.

Inversions are compared in float64 with the same solver settings. Where an
iterative solve is ill-conditioned (LSQR without regularisation) rounding
differences grow with the iterations in both libraries alike (SciPy's LSQR
moves by 3e-4 for a 1e-14 change in the data), so those cases run few
iterations; the direct least-squares solves are given ``cond=1e-6``, since
with SciPy's default the components along singular values at machine
precision are rounding noise in both.
"""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pylops
import pytest
from conftest import DTYPES
from pylops.optimization.sparsity import splitbregman as pylops_splitbregman
from pylops.utils.wavelets import ricker
from scipy.ndimage import uniform_filter1d

import jaxlops as jl
from jaxlops.avo.poststack import PoststackInversion, PoststackLinearModelling
from jaxlops.utils import check_operator
from jaxlops.utils._tolerances import tolerance

NT0 = 40
SHAPES = {1: (NT0,), 2: (NT0, 4), 3: (NT0, 3, 2)}
WAV = ricker(np.arange(5) * 0.004, 40)[0]  # 9 taps


def _pylops(fun, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyLops' convmtx FutureWarning
        return fun(*args, **kwargs)


def _wavelet(stationary, rng, dtype="float64"):
    if stationary:
        wav = WAV
    else:  # one wavelet per time sample, their peak frequency drifting
        wav = np.stack([ricker(np.arange(5) * 0.004, f)[0] for f in np.linspace(30, 50, NT0)])
    if np.issubdtype(np.dtype(dtype), np.complexfloating):
        wav = wav + 0.3j * rng.standard_normal(wav.shape)
    return wav.astype(dtype)


def _random(rng, shape, dtype):
    x = rng.standard_normal(shape)
    if np.issubdtype(np.dtype(dtype), np.complexfloating):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def _rel(actual, expected, norm=None):
    expected = np.asarray(expected)
    return np.linalg.norm(np.asarray(actual) - expected) / (np.linalg.norm(expected) if norm is None else norm)


# -- modelling -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["centered", "forward"])
@pytest.mark.parametrize("stationary", [True, False], ids=["stationary", "nonstationary"])
@pytest.mark.parametrize("explicit", [False, True], ids=["implicit", "explicit"])
@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_modelling_same_as_pylops(ndim, explicit, stationary, kind, rng):
    shape = SHAPES[ndim]
    wav = _wavelet(stationary, rng)
    spatdims = shape[1:] or None
    Op = PoststackLinearModelling(wav, NT0, spatdims, explicit=explicit, kind=kind)
    POp = _pylops(pylops.avo.poststack.PoststackLinearModelling, wav, NT0, spatdims, explicit=explicit, kind=kind)
    assert Op.shape == POp.shape and tuple(Op.dims) == shape == tuple(Op.dimsd)
    x, y = rng.standard_normal(shape), rng.standard_normal(shape)
    np.testing.assert_allclose(Op @ x, (POp @ x.ravel()).reshape(shape), rtol=0, atol=1e-12)
    np.testing.assert_allclose(Op.H @ y, (POp.H @ y.ravel()).reshape(shape), rtol=0, atol=1e-12)
    if explicit:
        np.testing.assert_allclose(Op.A, POp.A, rtol=0, atol=1e-15)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("stationary, kind", [(True, "centered"), (True, "forward"), (False, "centered")],
                         ids=["stationary", "stationary-forward", "nonstationary"])
def test_modelling_dtypes(dtype, stationary, kind, rng):
    """The wavelet's dtype is the operator's; PyLops' implicit adjoint does not conjugate a complex
    wavelet, so adjoints are compared with the conjugate transpose of PyLops' explicit matrix."""
    wav = _wavelet(stationary, rng, dtype)
    Ops = [PoststackLinearModelling(wav, NT0, 4, explicit=explicit, kind=kind) for explicit in (False, True)]
    POp = _pylops(pylops.avo.poststack.PoststackLinearModelling, wav, NT0, 4, explicit=True, kind=kind)
    x, y = _random(rng, (NT0, 4), dtype), _random(rng, (NT0, 4), dtype)
    forward, adjoint = POp.A @ x, POp.A.conj().T @ y
    rtol = tolerance(dtype)
    for Op in Ops:
        assert Op.dtype == np.dtype(dtype)
        assert np.abs(Op @ x - forward).max() <= rtol * np.abs(forward).max()
        assert np.abs(Op.H @ y - adjoint).max() <= rtol * np.abs(adjoint).max()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("symmetry, kind", [("even", "centered"), ("even", "forward"), ("odd", "centered")])
def test_declared_wavelet_symmetry(symmetry, kind, dtype, rng):
    """``symmetry`` changes how the convolutions are computed, not the operator: against PyLops'
    matrix in every dtype, for a zero-phase (even) wavelet and an antisymmetric (odd) one, whose
    products with the derivative's stencil are odd and even."""
    wav = _wavelet(True, rng, dtype)
    wav = (wav + wav[::-1]) / 2 if symmetry == "even" else (wav - wav[::-1]) / 2
    Op = PoststackLinearModelling(wav, NT0, 4, kind=kind, symmetry=symmetry)
    A = _pylops(pylops.avo.poststack.PoststackLinearModelling, wav, NT0, 4, explicit=True, kind=kind).A
    x, y = _random(rng, (NT0, 4), dtype), _random(rng, (NT0, 4), dtype)
    forward, adjoint = A @ x, A.conj().T @ y
    rtol = tolerance(dtype)
    assert np.abs(Op @ x - forward).max() <= rtol * np.abs(forward).max()
    assert np.abs(Op.H @ y - adjoint).max() <= rtol * np.abs(adjoint).max()
    assert Op.conv.symmetry == symmetry
    explicit = PoststackLinearModelling(wav, NT0, 4, explicit=True, kind=kind, symmetry=symmetry)
    np.testing.assert_allclose(explicit.A, A, rtol=0, atol=rtol * np.abs(A).max())


def test_inversion_detects_an_exactly_symmetric_wavelet(rng):
    """A concrete wavelet equal to its mirror image (or its negative), sample for sample, runs the
    paired convolutions; anything else, or a traced wavelet, the general ones."""
    from jaxlops.avo.poststack import _exact_symmetry

    assert _exact_symmetry(WAV) == "even" and _exact_symmetry(jnp.asarray(WAV)) == "even"
    odd = np.concatenate([-WAV[:4], [0.0], WAV[:4][::-1]])
    assert _exact_symmetry(odd) == "odd"
    assert _exact_symmetry(WAV + 1e-12 * rng.standard_normal(WAV.shape)) is None
    assert _exact_symmetry(np.zeros(5)) == "even" and _exact_symmetry(np.stack([WAV] * NT0)) is None
    seen = []
    jax.jit(lambda w: seen.append(_exact_symmetry(w)) or w)(WAV)
    assert seen == [None]


def test_declared_symmetry_under_jit(rng):
    """A wavelet traced by jax.jit cannot be inspected: declaring its symmetry gives the jitted
    call the eager call's paired convolutions (the same program, so the same numbers), and
    ``symmetry=None`` the general ones (the same numbers up to rounding)."""
    wav, d, m0 = _problem(SHAPES[2], rng)
    kwargs = dict(epsR=0.5, iter_lim=20)
    eager = PoststackInversion(d, wav, m0=m0, **kwargs)[0]
    declared = jax.jit(lambda d, w: PoststackInversion(d, w, m0=m0, symmetry="even", **kwargs)[0])(d, wav)
    np.testing.assert_allclose(declared, eager, rtol=1e-13)
    general = PoststackInversion(d, wav, m0=m0, symmetry=None, **kwargs)[0]
    np.testing.assert_allclose(general, eager, rtol=1e-10)


@pytest.mark.parametrize("kind", ["centered", "forward"])
def test_wavelet_longer_than_the_trace(kind, rng):
    """PyLops' implicit operator fails (or returns data as long as the wavelet); here it is its explicit matrix."""
    wav = rng.standard_normal(2 * NT0 + 3)
    Op = PoststackLinearModelling(wav, NT0, 3, kind=kind)
    A = _pylops(pylops.avo.poststack.PoststackLinearModelling, wav, NT0, explicit=True, kind=kind).A
    x, y = rng.standard_normal((NT0, 3)), rng.standard_normal((NT0, 3))
    assert Op.dims == Op.dimsd == (NT0, 3)
    np.testing.assert_allclose(Op @ x, A @ x, rtol=0, atol=1e-12)
    np.testing.assert_allclose(Op.H @ y, A.T @ y, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "stationary, dtype, explicit",
    [(True, "float64", False), (True, "float32", False), (False, "float64", False), (True, "complex128", False),
     (True, "complex64", False), (False, "float64", True)],
    ids=["stationary", "stationary-float32", "nonstationary", "complex", "complex64", "explicit"],
)
def test_check_operator(stationary, dtype, explicit, rng):
    wav = _wavelet(stationary, rng, dtype)
    assert check_operator(PoststackLinearModelling(wav, NT0, (3, 2), explicit=explicit))


def test_wavelet_is_a_differentiable_leaf(rng):
    x = jnp.asarray(rng.standard_normal((NT0, 3)))
    loss = lambda w: jnp.sum(PoststackLinearModelling(w, NT0, 3) @ x)  # noqa: E731
    grad = jax.jit(jax.grad(loss))(jnp.asarray(WAV))
    eps = 1e-6 * np.eye(WAV.size)
    numeric = [(loss(WAV + e) - loss(WAV - e)) / 2e-6 for e in eps]
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


# -- inversion -----------------------------------------------------------------

LSQR_FEW = dict(iter_lim=15, atol=0, btol=0)
BRANCHES = {  # every branch PyLops documents, in 1-D, 2-D and 3-D
    "1d-explicit": (1, dict(explicit=True, cond=1e-6)),
    "2d-explicit": (2, dict(explicit=True, cond=1e-6)),
    "3d-explicit": (3, dict(explicit=True, cond=1e-6)),
    "1d-explicit-epsI": (1, dict(explicit=True, epsI=1e-2)),
    "3d-explicit-epsI": (3, dict(explicit=True, epsI=1e-2)),
    "2d-explicit-epsI-tiny": (2, dict(explicit=True, epsI=1e-18, cond=1e-6)),  # eigendecomposition, not Cholesky
    "2d-explicit-simultaneous": (2, dict(explicit=True, simultaneous=True, **LSQR_FEW)),
    "1d-lsqr": (1, dict(explicit=False, **LSQR_FEW)),
    "3d-lsqr": (3, dict(explicit=False, **LSQR_FEW)),
    "1d-epsR": (1, dict(explicit=False, epsR=0.5, iter_lim=30, damp=1e-2)),
    "2d-epsR": (2, dict(explicit=False, epsR=0.5, iter_lim=30, damp=1e-2)),
    "3d-epsR": (3, dict(explicit=False, epsR=0.5, iter_lim=30, damp=1e-2)),
    "2d-explicit-epsR": (2, dict(explicit=True, epsR=0.5, iter_lim=30)),
    "2d-epsR-cgls": (2, dict(explicit=False, epsR=0.5, engine="pylops", niter=30, damp=1e-4)),
    "2d-blocky": (2, dict(epsR=[0.4], epsRL1=[0.1], mu=0.5, niter_outer=3, niter_inner=3, iter_lim=10, damp=1e-3)),
    "3d-blocky": (3, dict(epsR=0.4, epsRL1=0.1, mu=0.5, niter_outer=3, niter_inner=3, iter_lim=10, damp=1e-3)),
}


def _problem(shape, rng, stationary=True):
    wav = _wavelet(stationary, rng)
    m = 8.5 + np.cumsum(0.05 * rng.standard_normal(shape), axis=0)  # log-impedance-like
    POp = _pylops(pylops.avo.poststack.PoststackLinearModelling, wav, NT0, shape[1:] or None)
    d = (POp @ m.ravel()).reshape(shape) + 1e-3 * rng.standard_normal(shape)
    m0 = m + 0.02 * rng.standard_normal(shape)
    return wav, d, m0


@pytest.mark.parametrize("branch", BRANCHES)
def test_inversion_same_as_pylops(branch, rng):
    ndim, kwargs = BRANCHES[branch]
    wav, d, m0 = _problem(SHAPES[ndim], rng)
    minv, datar = PoststackInversion(d, wav, m0=m0, **kwargs)
    pminv, pdatar = _pylops(pylops.avo.poststack.PoststackInversion, d, wav, m0=m0, **kwargs)
    assert minv.shape == datar.shape == d.shape and minv.dtype == np.float64
    assert _rel(minv, pminv) <= 1e-3
    assert _rel(datar, pdatar, np.linalg.norm(d)) <= 1e-3


@pytest.mark.parametrize("kwargs", [dict(explicit=True, cond=1e-6), dict(explicit=False, epsR=0.5, iter_lim=30)])
def test_nonstationary_inversion_same_as_pylops(kwargs, rng):
    wav, d, m0 = _problem(SHAPES[2], rng, stationary=False)
    minv, datar = PoststackInversion(d, wav, m0=m0, **kwargs)
    pminv, pdatar = _pylops(pylops.avo.poststack.PoststackInversion, d, wav, m0=m0, **kwargs)
    assert _rel(minv, pminv) <= 1e-3 and _rel(datar, pdatar, np.linalg.norm(d)) <= 1e-3


@pytest.mark.parametrize("ndim", [1, 2])
def test_noise_free_explicit_inversion_at_least_as_accurate_as_pylops(ndim, rng):
    """The post-stack matrix is singular: SciPy's default cutoff (machine precision, PyLops' via
    ``lstsq``) keeps singular values that are rounding noise, the default here (``max(M, N)``
    times it) drops them. On this blocky model SciPy's cutoff here would give 2.4e-3 in 1-D."""
    shape = SHAPES[ndim]
    steps = np.where(rng.uniform(size=shape) < 0.15, rng.normal(0, 0.1, shape), 0)
    m = 8.5 + np.cumsum(steps, axis=0)
    m0 = uniform_filter1d(m, 9, axis=0)
    POp = _pylops(pylops.avo.poststack.PoststackLinearModelling, WAV, NT0, shape[1:] or None)
    d = (POp @ m.ravel()).reshape(shape)
    minv, _ = PoststackInversion(d, WAV, m0=m0, explicit=True)
    pminv, _ = _pylops(pylops.avo.poststack.PoststackInversion, d, WAV, m0=m0, explicit=True)
    assert _rel(minv, m) <= _rel(pminv, m) * 1.0001


def test_simultaneous_with_epsI_solves_the_normal_equations(rng):
    """PyLops feeds the data, not G^H d, to this solve (a bug): compare with its direct solve of the
    same normal equations instead."""
    wav, d, m0 = _problem(SHAPES[2], rng)
    minv, _ = PoststackInversion(d, wav, m0=m0, explicit=True, simultaneous=True, epsI=1e-2, iter_lim=400,
                                 atol=1e-12, btol=1e-12)
    expected, _ = _pylops(pylops.avo.poststack.PoststackInversion, d, wav, m0=m0, explicit=True, epsI=1e-2)
    assert _rel(minv, expected) <= 1e-6


def test_blocky_single_trace_as_pylops_meant(rng):
    """PyLops fails here (it passes RegsL2=[None]); its intent, SplitBregman without a spatial term."""
    wav, d, m0 = _problem(SHAPES[1], rng)
    settings = dict(mu=0.5, niter_outer=3, niter_inner=3, iter_lim=10, damp=1e-3)
    minv, datar = PoststackInversion(d, wav, m0=m0, epsR=0.4, epsRL1=0.1, **settings)
    POp = _pylops(pylops.avo.poststack.PoststackLinearModelling, wav, NT0)
    settings.pop("mu")
    expected = pylops_splitbregman(POp, d, [pylops.FirstDerivative(NT0, kind="forward")], x0=m0, mu=0.5,
                                   epsRL1s=[0.1], **settings)[0]
    assert _rel(minv, expected) <= 1e-3
    np.testing.assert_allclose(datar, d - POp @ np.asarray(minv), atol=1e-12)


def test_blocky_with_converged_inner_solves_is_pylops(rng):
    """SciPy's stopping tests, tightened until the inner solves converge: PyLops' model to 1e-10.

    At the default ``atol = btol = 1e-6`` rounding decides the iteration at which each inner solve
    crosses a threshold, and Split Bregman carries that difference on; with converged inner
    solves the two agree to rounding (docs/benchmarks.md, post-stack inversion)."""
    wav, d, m0 = _problem(SHAPES[2], rng)
    kwargs = dict(epsR=0.4, epsRL1=0.1, mu=0.5, niter_outer=3, niter_inner=3, atol=1e-10, btol=1e-10)
    minv, _ = PoststackInversion(d, wav, m0=m0, **kwargs)
    pminv, _ = _pylops(pylops.avo.poststack.PoststackInversion, d, wav, m0=m0, **kwargs)
    assert _rel(minv, pminv) <= 1e-10


@pytest.mark.parametrize("kwargs", [dict(explicit=True, epsI=1e-2), dict(epsR=0.5, iter_lim=20)])
def test_jit_matches_eager(kwargs, rng):
    wav, d, m0 = _problem(SHAPES[2], rng)
    eager = PoststackInversion(d, wav, m0=m0, **kwargs)
    jitted = jax.jit(lambda d, w, m0: PoststackInversion(d, w, m0=m0, **kwargs))(d, wav, m0)
    for a, b in zip(eager, jitted):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_sparse_flag_and_dottest(rng, capsys):
    dense = PoststackLinearModelling(WAV, NT0, 3, explicit=True)
    np.testing.assert_array_equal(PoststackLinearModelling(WAV, NT0, 3, explicit=True, sparse=True).A, dense.A)
    wav, d, m0 = _problem(SHAPES[2], rng)
    PoststackInversion(d, wav, m0=m0, explicit=True, dottest=True, cond=1e-6)
    assert "Dot test: (Op u)^H v" in capsys.readouterr().out


def test_top_level_names():
    assert jl.PoststackInversion is jl.avo.PoststackInversion is PoststackInversion
    assert jl.PoststackLinearModelling is jl.avo.poststack.PoststackLinearModelling


# -- bad input -----------------------------------------------------------------


def test_even_wavelet_is_refused(rng):
    with pytest.raises(ValueError, match="PoststackLinearModelling: wav must have an odd number of samples.*got 8"):
        PoststackLinearModelling(np.ones(8), NT0)
    with pytest.raises(ValueError, match="PoststackInversion: wav must have an odd number"):
        PoststackInversion(np.ones(NT0), np.ones((NT0, 4)))


def test_wavelet_per_sample_must_match_nt0():
    with pytest.raises(ValueError, match=r"PoststackLinearModelling: a 2-D wav must hold nt0=40 .* \(39, 5\)"):
        PoststackLinearModelling(np.ones((NT0 - 1, 5)), NT0)
    with pytest.raises(ValueError, match=r"PoststackInversion: a 2-D wav must hold nt0=40"):
        PoststackInversion(np.ones((NT0, 3)), np.ones((NT0 + 1, 5)))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(m0=np.ones((NT0, 4))), ValueError, r"PoststackInversion: m0 must have the shape of data \(40, 3\), got"),
        (dict(epsRL1=0.1), ValueError, "PoststackInversion: epsRL1 needs epsR"),
        (dict(epsR=[0.1, 0.2]), ValueError, "PoststackInversion: epsR must be a number or a list of one"),
        (dict(iter_limit=5), TypeError, r"unexpected keyword argument\(s\) \['iter_limit'\]"),
        (dict(explicit=True, iter_lim=5), TypeError, r"\['iter_lim'\] with explicit=True, simultaneous=False"),
        (dict(epsR=0.1, engine="numpy"), ValueError, "PoststackInversion: engine must be"),
        (dict(symmetry="yes"), ValueError, r"PoststackInversion: symmetry must be 'auto' or one of \(None, 'even'"),
        (dict(symmetry="odd"), ValueError, r"PoststackInversion: symmetry='odd' needs h == -flip\(h\)"),
    ],
)
def test_bad_inversion_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        PoststackInversion(np.ones((NT0, 3)), WAV, **kwargs)


def test_bad_modelling_arguments():
    with pytest.raises(ValueError, match="PoststackLinearModelling: kind must be one of"):
        PoststackLinearModelling(WAV, NT0, kind="backward")
    with pytest.raises(ValueError, match=r"PoststackInversion: data must be 1-D .* got shape \(40, 2, 2, 2\)"):
        PoststackInversion(np.ones((NT0, 2, 2, 2)), WAV)
    with pytest.raises(ValueError, match="PoststackLinearModelling: nt0 must be at least 3"):
        PoststackLinearModelling(np.ones(1), 2)
    with pytest.raises(ValueError, match=r"PoststackLinearModelling: symmetry='even' needs h == flip\(h\)"):
        PoststackLinearModelling(np.arange(5.0), NT0, symmetry="even")
    with pytest.raises(ValueError, match=r"PoststackLinearModelling: symmetry applies to a 1-D wavelet, got "
                                         r"symmetry='odd' with a wavelet of shape \(40, 9\)"):
        PoststackLinearModelling(np.stack([WAV] * NT0), NT0, symmetry="odd")
    with pytest.raises(ValueError, match="PoststackLinearModelling: symmetry must be one of"):
        PoststackLinearModelling(WAV, NT0, symmetry=True)
