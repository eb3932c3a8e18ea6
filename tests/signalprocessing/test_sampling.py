"""What is special to Interp, Bilinear, Fredholm1 and NonStationaryConvolve1D: bad input,
the positions Interp returns, indices as pytree leaves, and known PyLops deviations."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pylops
import pytest

from jaxlops.basicoperators.restriction import Restriction
from jaxlops.signalprocessing.bilinear import Bilinear
from jaxlops.signalprocessing.fredholm1 import Fredholm1
from jaxlops.signalprocessing.interp import Interp
from jaxlops.signalprocessing.nonstatconvolve1d import NonStationaryConvolve1D
from jaxlops.utils import check_operator

NSC = NonStationaryConvolve1D
HS = np.ones((2, 3))

BAD = [
    (lambda: Interp(5, [1.0], kind="cubic"), ValueError, r"Interp: kind must be one of .*'sinc'.*got 'cubic'"),
    (lambda: Interp(5, [1.0], kind="cubic_spline"), ValueError, r"Interp: kind must be one of"),
    (lambda: Interp(5, [1.0], kind=None), ValueError, r"Interp: kind must be one of .*got None"),
    (lambda: Interp((3, 4), [1.0], axis=2), ValueError, r"Interp: axis=2 is out of range"),
    (lambda: Interp((3, 0), [1.0]), ValueError, r"Interp: dims must be a non-empty tuple of positive ints"),
    (lambda: Interp(5, [1.0], dtype="int32"), TypeError, r"Interp: dtype must be a floating or complex dtype"),
    (lambda: Interp(5, [[1.0]]), ValueError, r"Interp: iava must be a non-empty 1-D array.*\(1, 1\)"),
    (lambda: Interp(5, []), ValueError, r"Interp: iava must be a non-empty 1-D array.*\(0,\)"),
    (lambda: Interp(5, [1.0, np.nan]), ValueError, r"Interp: iava must hold finite positions, got nan"),
    (lambda: Interp(5, [1.0, np.inf], kind="sinc"), ValueError, r"Interp: iava must hold finite positions, got inf"),
    (lambda: Interp(5, [1j]), TypeError, r"Interp: iava must hold real numbers.*complex"),
    (lambda: Interp(5, [0.4, 4.6], kind="nearest"), ValueError, r"Interp: iava must round to .*\[0, 5\).*got 5"),
    (lambda: Interp(5, [-0.6], kind="nearest"), ValueError, r"Interp: iava must round to .*\[0, 5\).*got -1"),
    (lambda: Interp(5, [1.6, 2.4], kind="nearest"), ValueError, r"Interp: iava \(rounded\) must hold unique.*got 2"),
    (lambda: Interp(5, [1.5, -0.5]), ValueError, r"Interp: iava must be non-negative for kind='linear', got -0.5"),
    (lambda: Interp(5, [1.5, 1.5]), ValueError, r"Interp: iava must hold unique positions, got 1.5 more than once"),
    (lambda: Interp(1, [0.0]), ValueError, r"Interp: kind='linear' needs dims\[axis\] >= 2"),
    (lambda: Interp(5, [1.5, 1.5], kind="sinc"), ValueError, r"Interp: iava must hold unique positions"),
    (lambda: Bilinear([[0.5], [0.5]], 4), ValueError, r"Bilinear: dims must have at least 2 dimensions, got \(4,\)"),
    (lambda: Bilinear([0.5, 0.5], (3, 3)), ValueError, r"Bilinear: iava must be an array of shape \(2, N\).*\(2,\)"),
    (lambda: Bilinear(np.ones((3, 2)), (3, 3)), ValueError, r"Bilinear: iava must be an array of shape \(2, N\)"),
    (lambda: Bilinear(np.ones((2, 0)), (3, 3)), ValueError, r"Bilinear: iava must be an array of shape \(2, N\)"),
    (lambda: Bilinear([[0.5], [np.nan]], (3, 3)), ValueError, r"Bilinear: iava must hold finite positions"),
    (lambda: Bilinear([[2.0], [0.5]], (3, 3)), ValueError, r"Bilinear: iava\[0\] must hold positions in \[0, 2\).*2.0"),
    (lambda: Bilinear([[0.5], [-0.1]], (3, 4)), ValueError, r"Bilinear: iava\[1\] must hold positions in \[0, 3\)"),
    (lambda: Bilinear([[0.5, 0.5], [1, 1]], (3, 3)), ValueError, r"Bilinear: iava must hold unique .*\[0.5, 1.0\]"),
    (lambda: Bilinear([[0.5], [0.5]], (3, 3), dtype="int8"), TypeError, r"Bilinear: dtype must be a floating"),
    (lambda: Fredholm1(np.ones((3, 4))), ValueError, r"Fredholm1: G must be a 3-D kernel .*got .*\(3, 4\)"),
    (lambda: Fredholm1(np.ones((1, 3, 4)), nz=0), ValueError, r"Fredholm1: nz must be a positive int, got 0"),
    (lambda: Fredholm1(np.ones((1, 3, 4)), nz=1.5), TypeError, r"Fredholm1: nz must be an int, got 1.5"),
    (lambda: NSC(8, np.ones((2, 4)), (1, 5)), ValueError, r"NonStationaryConvolve1D: .*odd length, got nfilt=4"),
    (lambda: NSC(8, np.ones(3), (1,)), ValueError, r"NonStationaryConvolve1D: hs must be a 2-D array.*\(3,\)"),
    (lambda: NSC(8, np.ones((3, 3)), (1, 2, 4)), ValueError, r"NonStationaryConvolve1D: ih must be regularly"),
    (lambda: NSC(8, HS, (5, 1)), ValueError, r"NonStationaryConvolve1D: ih must be strictly increasing, got \[5, 1\]"),
    (lambda: NSC(8, HS, (2, 2)), ValueError, r"NonStationaryConvolve1D: ih must be strictly increasing"),
    (lambda: NSC(8, HS, (4, 8)), ValueError, r"NonStationaryConvolve1D: ih must hold indices in \[0, 8\).*\[4, 8\]"),
    (lambda: NSC(8, HS, (-1, 3)), ValueError, r"NonStationaryConvolve1D: ih must hold indices in \[0, 8\)"),
    (lambda: NSC(8, HS, (1, 3, 5)), ValueError, r"NonStationaryConvolve1D: ih must be a 1-D array of 2 indices"),
    (lambda: NSC(8, HS, (1.0, 3.0)), TypeError, r"NonStationaryConvolve1D: ih must hold integer indices.*float"),
    (lambda: NSC((3, 8), HS, (1, 3), axis=2), ValueError, r"NonStationaryConvolve1D: axis=2 is out of range"),
]


@pytest.mark.parametrize("build, error, match", BAD)
def test_bad_input(build, error, match):
    with pytest.raises(error, match=match):
        build()


def test_interp_returns_positions_like_pylops():
    iava = np.array([0.4, 2.5, 3.5, 5.0])
    for kind in ("nearest", "sinc"):
        op, positions = Interp(6, iava, kind=kind)
        expected = pylops.signalprocessing.Interp(6, iava, kind=kind)[1]
        assert isinstance(positions, np.ndarray) and positions.dtype == expected.dtype
        np.testing.assert_array_equal(positions, expected)
    assert isinstance(Interp(6, iava, kind="nearest")[0], Restriction)
    with pytest.warns(UserWarning, match="beyond the penultimate sample index 5"):
        op, positions = Interp(6, iava)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = pylops.signalprocessing.Interp(6, iava)[1]
    np.testing.assert_array_equal(positions, expected)
    assert positions[-1] == np.nextafter(5.0, 0) and positions.dtype == np.float64


def test_interp_with_repeated_positions_after_moving_them_below_the_last_sample():
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="Interp: iava must hold unique positions"):
        Interp(4, [3.0, 7.5])


@pytest.mark.parametrize("kind", ["nearest", "linear", "sinc"])
def test_interp_built_under_jit(kind, rng):
    iava = np.array([0.25, 2.5, 1.25, 4.0])
    x = rng.standard_normal((3, 6))
    build = jax.jit(lambda iava, x: (lambda op, p: (op @ x, op.H @ (op @ x), p))(*Interp((3, 6), iava, kind=kind)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        op, positions = Interp((3, 6), iava, kind=kind)
    y, xadj, traced_positions = build(jnp.asarray(iava), x)
    np.testing.assert_allclose(y, op @ x, rtol=1e-12)
    np.testing.assert_allclose(xadj, op.H @ (op @ x), rtol=1e-12)
    np.testing.assert_allclose(traced_positions, positions, rtol=1e-15)


def test_interp_positions_do_not_recompile():
    traces = []

    @jax.jit
    def apply(op, x):
        traces.append(1)
        return op @ x

    x = jnp.arange(6.0)
    for iava in ([0.5, 2.25, 4.0], [1.0, 3.75, 0.5]):
        op = Interp(6, iava)[0]
        np.testing.assert_allclose(apply(op, x), iava)
    assert len(traces) == 1


def test_interp_sinc_negative_axis_is_the_last_axis(rng):
    """PyLops applies a negative axis of an N-d model to the wrong samples (PyLops 2.8)."""
    iava, x = np.array([0.5, 2.2, 3.7]), rng.standard_normal((3, 5))
    op = Interp((3, 5), iava, axis=-1, kind="sinc")[0]
    pop = pylops.signalprocessing.Interp((3, 5), iava, axis=1, kind="sinc")[0]
    np.testing.assert_allclose(op @ x, x @ np.sinc(iava[:, None] - np.arange(5)).T, rtol=1e-12)
    np.testing.assert_allclose(np.ravel(op @ x), pop @ x.ravel(), rtol=1e-12)


def test_bilinear_built_under_jit_and_its_leaves(rng):
    iava = np.array([[0.5, 1.25, 2.0], [3.5, 0.0, 1.75]])
    x = rng.standard_normal((4, 5, 2))
    op = Bilinear(iava, (4, 5, 2))
    assert [leaf.dtype.kind for leaf in jax.tree.leaves(op)] == ["i", "i", "f", "f"]
    inside = jax.jit(lambda iava, x: Bilinear(iava, (4, 5, 2)) @ x)(jnp.asarray(iava), x)
    np.testing.assert_allclose(inside, op @ x, rtol=1e-12)
    np.testing.assert_allclose(
        np.ravel(op @ x), pylops.signalprocessing.Bilinear(iava, (4, 5, 2)) @ x.ravel(), rtol=1e-12
    )


@pytest.mark.parametrize("saveGt, usematmul", [(True, True), (False, True), (True, False), (False, False)])
def test_fredholm1_options_do_not_change_results(saveGt, usematmul, rng):
    G = rng.standard_normal((2, 3, 4)) + 1j * rng.standard_normal((2, 3, 4))
    op = Fredholm1(G, nz=2, saveGt=saveGt, usematmul=usematmul, dtype="complex128")
    pop = pylops.signalprocessing.Fredholm1(G, nz=2, saveGt=saveGt, usematmul=usematmul, dtype="complex128")
    x, y = rng.standard_normal(op.shape[1]), rng.standard_normal(op.shape[0])
    np.testing.assert_allclose(op.matvec(x), pop.matvec(x), rtol=1e-12)
    np.testing.assert_allclose(op.rmatvec(y), pop.rmatvec(y), rtol=1e-12)
    assert len(jax.tree.leaves(op)) == (2 if saveGt else 1)


def test_nonstationary_complex_filters_have_the_hermitian_adjoint(rng):
    """PyLops' adjoint does not conjugate complex filters: ours equals it with conj(hs)."""
    hs = rng.standard_normal((3, 5)) + 1j * rng.standard_normal((3, 5))
    op = NSC((2, 11), hs, (1, 5, 9), dtype="complex128")
    assert check_operator(op)
    x = rng.standard_normal(op.shape[1]) + 1j * rng.standard_normal(op.shape[1])
    y = rng.standard_normal(op.shape[0]) + 1j * rng.standard_normal(op.shape[0])
    pop = pylops.signalprocessing.NonStationaryConvolve1D((2, 11), hs, (1, 5, 9), dtype="complex128")
    pop_conj = pylops.signalprocessing.NonStationaryConvolve1D((2, 11), hs.conj(), (1, 5, 9), dtype="complex128")
    np.testing.assert_allclose(op.matvec(x), pop.matvec(x), rtol=1e-12)
    np.testing.assert_allclose(op.rmatvec(y), pop_conj.rmatvec(y), rtol=1e-12)


def test_nonstationary_single_filter_is_a_stationary_convolution(rng):
    h, x = rng.standard_normal(5), rng.standard_normal(9)
    op = NSC(9, h[None], (4,))
    np.testing.assert_allclose(op @ x, np.convolve(x, h, mode="same"), rtol=1e-12)
    np.testing.assert_allclose(op.H @ x, np.correlate(x, h, mode="same"), rtol=1e-12)


def test_nonstationary_filter_positions_do_not_recompile(rng):
    traces = []

    @jax.jit
    def apply(op, x):
        traces.append(1)
        return op @ x

    hs, x = rng.standard_normal((2, 3)), rng.standard_normal(10)
    for ih in ((1, 4), (2, 8)):
        expected = pylops.signalprocessing.NonStationaryConvolve1D(10, hs, ih) @ x
        np.testing.assert_allclose(apply(NSC(10, hs, np.array(ih)), x), expected, rtol=1e-12)
    assert len(traces) == 1


def test_nonstationary_todense_is_the_operator_matrix(rng):
    """PyLops' todense returns the transpose of its operator's matrix (PyLops 2.8)."""
    hs = rng.standard_normal((3, 5))
    op, pop = NSC(11, hs, (1, 4, 7)), pylops.signalprocessing.NonStationaryConvolve1D(11, hs, (1, 4, 7))
    np.testing.assert_allclose(op.todense(), np.stack([pop.matvec(e) for e in np.eye(11)], axis=1), rtol=1e-12)
    np.testing.assert_allclose(op.todense(), pop.todense().T, rtol=1e-12)


@pytest.mark.parametrize("dims, axis", [(23, 0), ((23, 2), 0), ((3, 40), 1)])
def test_nonstationary_filters_tabulated_or_tap_by_tap(dims, axis, rng, monkeypatch):
    """Long axes interpolate the filters tap by tap instead of tabulating them: same numbers,
    complex and with more taps than a pass of the convolution loop. ``_matvec`` and ``_rmatvec``
    are called directly: applying the operator may reuse a trace made before the patch."""
    hs = rng.standard_normal((3, 19)) + 1j * rng.standard_normal((3, 19))
    op = NSC(dims, hs, (2, 9, 16), axis=axis, dtype="complex128")
    x = jnp.asarray(rng.standard_normal(op.dims) + 1j * rng.standard_normal(op.dims))
    tabulated = op._matvec(x), op._rmatvec(x)
    monkeypatch.setattr("jaxlops.signalprocessing.nonstatconvolve1d._TABLE", 0)
    for a, b in zip((op._matvec(x), op._rmatvec(x)), tabulated):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-13)
    pop = pylops.signalprocessing.NonStationaryConvolve1D(dims, hs, (2, 9, 16), axis=axis, dtype="complex128")
    np.testing.assert_allclose(op._matvec(x), (pop @ np.asarray(x).ravel()).reshape(op.dims), rtol=1e-12)
