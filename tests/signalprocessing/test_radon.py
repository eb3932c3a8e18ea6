"""What is special to Radon2D, Sliding2D and Patch2D: bad input; Radon2D's look-up tables
identical to PyLops' (axes of any real dtype, user curves), ``onthefly`` without effect, a spike
spread along its curve; tapers and window designs identical to PyLops'; one window."""

import warnings

import jax.numpy as jnp
import numpy as np
import pylops
import pytest

from jaxlops.basicoperators.matrixmult import MatrixMult
from jaxlops.signalprocessing._windows import taper, taper2d
from jaxlops.signalprocessing.patch2d import Patch2D, patch2d_design
from jaxlops.signalprocessing.radon2d import Radon2D
from jaxlops.signalprocessing.sliding2d import Sliding2D, sliding2d_design

T, H, P = np.arange(20) * 0.004, np.arange(7) * 10.0, np.linspace(-1e-3, 1e-3, 5)

BAD = [
    (lambda: Radon2D(T, H, P, kind="cubic"), ValueError, r"Radon2D: kind must be one of \('linear', 'parab.*'cubic'"),
    (lambda: Radon2D(T, H, P, kind=2), TypeError, r"Radon2D: kind must be one of .* or a callable, got 2"),
    (lambda: Radon2D(T[[0, 1, 3]], H, P), ValueError, r"Radon2D: taxis must be uniformly increasing"),
    (lambda: Radon2D(T[::-1], H, P), ValueError, r"Radon2D: taxis must be uniformly increasing"),
    (lambda: Radon2D(np.zeros(5), H, P), ValueError, r"Radon2D: taxis must be uniformly increasing"),
    (lambda: Radon2D(T[:1], H, P), ValueError, r"Radon2D: taxis must be a 1-D array of at least 2 sample\(s\), got"),
    (lambda: Radon2D(T.reshape(4, 5), H, P), ValueError, r"Radon2D: taxis must be a 1-D array.*got shape \(4, 5\)"),
    (lambda: Radon2D(T, [], P), ValueError, r"Radon2D: haxis must be a 1-D array of at least 2 sample\(s\), got shape"),
    (lambda: Radon2D(T, [3.0, 3.0, 4.0], P), ValueError, r"Radon2D: haxis must have distinct first two samples"),
    (lambda: Radon2D(T, H, []), ValueError, r"Radon2D: pxaxis must be a 1-D array of at least 1 sample\(s\), got"),
    (lambda: Radon2D(T, H, [0.0, np.nan]), ValueError, r"Radon2D: pxaxis must hold finite values"),
    (lambda: Radon2D(T, np.append(H, np.inf), P), ValueError, r"Radon2D: haxis must hold finite values"),
    (lambda: Radon2D(T, H + 0j, P), TypeError, r"Radon2D: haxis must be a 1-D array of real numbers.*complex128"),
    (lambda: Radon2D(["a", "b"], H, P), TypeError, r"Radon2D: taxis must be a 1-D array of real numbers"),
    (lambda: Radon2D(T, H, P, dtype="int32"), TypeError, r"Radon2D: dtype must be a floating or complex dtype"),
]


@pytest.mark.parametrize("build, error, match", BAD)
def test_bad_input(build, error, match):
    with pytest.raises(error, match=match):
        build()


def _pylops(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # hyperbolic curves with px = 0
        return pylops.signalprocessing.Radon2D(*args, **kwargs)


def _assert_same_tables(R, P):
    """Our flat indices and weights hold PyLops' time table and decimal table, NaN for 'no sample'."""
    nh, nt = R.dimsd
    table = np.asarray(R.table)
    times = np.where(table == nh * nt, np.nan, table % nt)
    np.testing.assert_array_equal(times, P.table)
    np.testing.assert_array_equal(table[table < nh * nt] // nt, np.nonzero(~np.isnan(P.table))[2])
    if R.interp:
        np.testing.assert_array_equal(np.asarray(R.dtable), np.nan_to_num(P.dtable))
    else:
        assert R.dtable is None


AXES = {  # the dtype of the axes is the dtype PyLops computes the curves in
    "float64": (np.arange(300) * 0.004, np.arange(41) * 12.5 - 250.0),
    "float32": ((np.arange(300) * 0.004).astype("float32"), (np.arange(41) * 12.5 - 250.0).astype("float32")),
    "int": (np.arange(300) * 4, np.arange(41) * 12 - 250),
}
PX = {
    "linear": np.linspace(-6e-4, 6e-4, 17),
    "parabolic": np.linspace(-1e-5, 3e-5, 17),
    "hyperbolic": np.linspace(0.0, 1 / 1500, 17) * (0.004 / 12.5) ** 2,
}


@pytest.mark.parametrize("axes", AXES)
@pytest.mark.parametrize("kind", PX)
@pytest.mark.parametrize("centeredh", [True, False])
@pytest.mark.parametrize("interp", [True, False])
def test_tables_identical_to_pylops(axes, kind, centeredh, interp):
    taxis, haxis = AXES[axes]
    pxaxis = PX[kind].astype(taxis.dtype) if axes == "float32" else PX[kind]
    args = (taxis, haxis, pxaxis)
    kwargs = dict(kind=kind, centeredh=centeredh, interp=interp)
    _assert_same_tables(Radon2D(*args, **kwargs), _pylops(*args, **kwargs))


@pytest.mark.parametrize("interp", [True, False])
def test_user_curve_tables_identical_to_pylops(interp):
    def curve(x, t, px):
        return t + px * np.abs(x) ** 1.5

    args = (np.arange(30) * 0.004, np.arange(9) * 10.0, np.linspace(-5e-4, 5e-4, 7))
    _assert_same_tables(Radon2D(*args, kind=curve, interp=interp), _pylops(*args, kind=curve, interp=interp))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # PyLops divides by px = 0 at each application
@pytest.mark.parametrize("kind", PX)
def test_onthefly_changes_nothing(kind, rng):
    taxis, haxis = AXES["float64"][0][:40], AXES["float64"][1][:11]
    args = (taxis, haxis, PX[kind][::4])
    R, Rfly = (Radon2D(*args, kind=kind, onthefly=fly) for fly in (False, True))
    Pfly = _pylops(*args, kind=kind, onthefly=True)
    x, y = rng.standard_normal(R.dims), rng.standard_normal(R.dimsd)
    np.testing.assert_array_equal(Rfly @ x, R @ x)
    np.testing.assert_array_equal(Rfly.H @ y, R.H @ y)
    np.testing.assert_allclose(Rfly @ x, Pfly @ x, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(Rfly.H @ y, Pfly.H @ y, rtol=1e-12, atol=1e-12)


def test_spike_spreads_along_its_line_with_interpolation_weights():
    # dt = 1, dh = 1, centred offsets -2..2; px = 0.25 puts the curve at t = 10 + x / 4.
    R = Radon2D(np.arange(16.0), np.arange(5.0), np.array([0.25]))
    d = R @ jnp.zeros((1, 16)).at[0, 10].set(1.0)
    expected = np.zeros((5, 16))
    for ih, x in enumerate(range(-2, 3)):
        t = 10 + x / 4
        expected[ih, int(t)] += 1 - (t - int(t))
        expected[ih, int(t) + 1] += t - int(t)
    np.testing.assert_allclose(d, expected, rtol=0, atol=1e-15)


# -- Sliding2D and Patch2D ---------------------------------------------------------------------

M = MatrixMult(np.ones((4, 3)), otherdims=(5,))  # one window: (3, 5) -> (4, 5)
MP = MatrixMult(np.ones((4, 2)), otherdims=(3,))  # one patch: (2, 3) -> (4, 3)

BAD_WINDOWS = [
    (lambda: Sliding2D("Op", (12, 5), (10, 5), 4, 2), TypeError, r"Sliding2D: Op must be a LinearOperator or a 2-D"),
    (lambda: Sliding2D(M, (12, 5, 1), (10, 5), 4, 2), ValueError, r"Sliding2D: dims must be 2-D, got \(12, 5, 1\)"),
    (lambda: Sliding2D(M, (12, 5), (10, 5), 11, 2), ValueError, r"Sliding2D: nwin=11 is bigger than the data \(10 s"),
    (lambda: Sliding2D(M, (12, 5), (10, 5), 4, 4), ValueError, r"Sliding2D: nover=4 must be smaller than nwin=4"),
    (lambda: Sliding2D(M, (12, 5), (10, 5), 4, -1), ValueError, r"Sliding2D: nover must be at least 0, got -1"),
    (lambda: Sliding2D(M, (12, 5), (10, 5), 4.0, 2), TypeError, r"Sliding2D: nwin must be an int, got 4.0"),
    (lambda: Sliding2D(M, (12, 5), (10, 5), 4, 2, tapertype="tri"), ValueError, r"Sliding2D: tapertype must be one"),
    (lambda: Sliding2D(M, (12, 5), (10, 5), 4, 3), ValueError, r"Sliding2D: tapering needs nover <= nwin / 2"),
    (lambda: Sliding2D(M, (10, 5), (10, 5), 4, 2), ValueError, r"Sliding2D: dims\[0\]=10 must be a multiple of .* 4"),
    (lambda: Sliding2D(M, (8, 10), (10, 5), 4, 2), ValueError, r"Sliding2D: Op must map one window, shape \(20, 20\)"),
    (lambda: Patch2D(MP, (6, 6), (8, 6), 4, (2, 0), (2, 3)), TypeError, r"Patch2D: nwin must be a pair of ints, got 4"),
    (lambda: Patch2D(MP, (6, 6), (8, 6), (4, 3, 1), (2, 0), (2, 3)), ValueError, r"Patch2D: nwin must be a pair"),
    (lambda: Patch2D(MP, (6, 6), (8, 6), (4, 3), (2, 3), (2, 3)), ValueError, r"Patch2D: nover\[1\]=3 must be smaller"),
    (lambda: Patch2D(MP, (6, 6), (8, 6), (4, 7), (2, 0), (2, 3)), ValueError, r"Patch2D: nwin\[1\]=7 is bigger than"),
    (lambda: Patch2D(MP, (6, 3), (8, 6), (4, 3), (2, 0), (2, 3)), ValueError, r"Patch2D: dims=\(6, 3\) is not consis"),
    (lambda: Patch2D(MP, (6, 6), (8, 6), (4, 3), (3, 0), (2, 3)), ValueError, r"Patch2D: tapering needs nover\[0\] <="),
    (lambda: Patch2D(MP, (6, 6), (8, 6), (4, 3), (2, 0), (2, 3), tapertype="x"), ValueError, r"Patch2D: tapertype"),
    (lambda: Patch2D(M, (6, 6), (8, 6), (4, 3), (2, 0), (2, 3)), ValueError, r"Patch2D: Op must map one window"),
]


@pytest.mark.parametrize("build, error, match", BAD_WINDOWS)
def test_bad_window_input(build, error, match):
    with pytest.raises(error, match=match):
        build()


@pytest.mark.parametrize("tapertype", ["hanning", "cosine", "cosinesquare", "cosinesqrt", None])
@pytest.mark.parametrize("nmask, ntap", [(10, 0), (10, 1), (10, 3), (11, 5), (64, 32)])
def test_tapers_identical_to_pylops(tapertype, nmask, ntap):
    np.testing.assert_array_equal(taper(nmask, ntap, tapertype), pylops.utils.tapers.taper(nmask, ntap, tapertype))
    expected = pylops.utils.tapers.taper2d(7, nmask, (ntap, 2), tapertype)
    np.testing.assert_array_equal(taper2d(7, nmask, (ntap, 2), tapertype), expected)


@pytest.mark.parametrize(
    "dimsd, nwin, nover, nop", [((11, 3), 4, 2, (3, 3)), ((64, 8), 16, 0, (9, 8)), ((9, 2), 9, 3, (4, 2))]
)
def test_sliding2d_design_identical_to_pylops(dimsd, nwin, nover, nop):
    ours, theirs = (
        sliding2d_design(dimsd, nwin, nover, nop),
        pylops.signalprocessing.sliding2d_design(dimsd, nwin, nover, nop),
    )
    assert ours[0] == theirs[0] and ours[1] == tuple(theirs[1])
    for a, b in zip(ours[2] + ours[3], theirs[2] + theirs[3]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "dimsd, nwin, nover, nop", [((9, 10), (4, 4), (2, 2), (3, 4)), ((5, 30), (5, 8), (1, 3), (2, 6))]
)
def test_patch2d_design_identical_to_pylops(dimsd, nwin, nover, nop):
    ours, theirs = (
        patch2d_design(dimsd, nwin, nover, nop),
        pylops.signalprocessing.patch2d_design(dimsd, nwin, nover, nop),
    )
    assert ours[:2] == tuple(tuple(t) for t in theirs[:2])
    for a, b in zip(ours[2] + ours[3], theirs[2] + theirs[3]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("savetaper", [True, False])
@pytest.mark.parametrize("dimsd, nwin", [((9, 10), (4, 4)), ((4, 10), (4, 4)), ((9, 4), (4, 4)), ((4, 4), (4, 4))])
def test_patch2d_tapers_identical_to_pylops(dimsd, nwin, savetaper):
    # One patch along an axis is where PyLops' two taper layouts differ.
    nwins, dims, _, _ = patch2d_design(dimsd, nwin, (2, 2), (2, 4))
    Op = MatrixMult(np.ones((4, 2)), otherdims=(4,))
    ours = np.asarray(Patch2D(Op, dims, dimsd, nwin, (2, 2), (2, 4), savetaper=savetaper).taps)
    theirs = pylops.signalprocessing.Patch2D(
        pylops.MatrixMult(np.ones((4, 2)), otherdims=(4,)), dims, dimsd, nwin, (2, 2), (2, 4), savetaper=savetaper
    ).taps
    if not savetaper:  # PyLops keeps its 3 x 3 table and picks from it by position
        pick = [0] if nwins[0] == 1 else [0] + [1] * (nwins[0] - 2) + [2]
        pickc = [0] if nwins[1] == 1 else [0] + [1] * (nwins[1] - 2) + [2]
        theirs = theirs[np.ix_(pick, pickc)]
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("tapertype", ["hanning", None])
def test_sliding2d_one_window_is_op_times_taper(tapertype, rng):
    # PyLops 2 cannot apply this one (it mistakes the operator for one acting on all windows at once).
    A = rng.standard_normal((6, 4))
    S = Sliding2D(MatrixMult(A, otherdims=(3,)), (4, 3), (7, 3), 6, 2, tapertype=tapertype)
    x, y = rng.standard_normal((1, 4, 3)), rng.standard_normal((7, 3))
    tap = np.ones(6) if tapertype is None else np.r_[1.0, 1.0, taper(6, 2, "hanning")[2:]]
    np.testing.assert_allclose(S @ x, np.r_[tap[:, None] * (A @ x[0]), np.zeros((1, 3))], rtol=1e-12)
    np.testing.assert_allclose(S.H @ y, (A.T @ (tap[:, None] * y[:6]))[None], rtol=1e-12)
