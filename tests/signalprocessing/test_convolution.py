"""What is special to Convolve1D, Convolve2D, ConvolveND, Smoothing1D and
Smoothing2D: bad input, the automatic choice of method, the methods against
NumPy on signals many blocks long, N-d long filters, and the filter as a
differentiable pytree leaf."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxlops.basicoperators.smoothing1d import Smoothing1D
from jaxlops.basicoperators.smoothing2d import Smoothing2D
from jaxlops.signalprocessing.convolve1d import Convolve1D
from jaxlops.signalprocessing.convolve2d import Convolve2D
from jaxlops.signalprocessing.convolvend import ConvolveND

h3, h33 = np.ones(3), np.ones((3, 3))

BAD = [
    (lambda: Convolve1D(5, h3, axis=1), ValueError, r"Convolve1D: axis=1 is out of range"),
    (lambda: Convolve1D(5, h3, method="auto"), ValueError, r"Convolve1D: method must be one of \(None.*'auto'"),
    (lambda: Convolve1D(5, h3, offset=3), ValueError, r"Convolve1D: offset must be at most len\(h\) - 1 = 2, got 3"),
    (lambda: Convolve1D(3, np.ones(5), offset=3), ValueError, r"Convolve1D: offset .* dims\[axis\] - 1 = 2, got 3"),
    (lambda: Convolve1D(5, h3, offset=1.0), TypeError, r"Convolve1D: offset must be an int, got 1.0"),
    (lambda: Convolve1D((4, 5), h33, axis=1), ValueError, r"Convolve1D: h must be 1-D, or .*got shape \(3, 3\)"),
    (lambda: Convolve1D((4, 5), np.ones((1, 3, 1))), ValueError, r"Convolve1D: h must be 1-D.*\(1, 3, 1\)"),
    (lambda: Convolve1D(5, np.ones(0)), ValueError, r"Convolve1D: h must not be empty"),
    (lambda: Convolve1D((5, 0), h3), ValueError, r"Convolve1D: dims must be a non-empty tuple of positive ints"),
    (lambda: Convolve1D(5, h3, dtype="int32"), TypeError, r"Convolve1D: dtype must be a floating or complex"),
    (lambda: Convolve1D(5, h3, symmetry="symmetric"), ValueError,
     r"Convolve1D: symmetry must be one of \(None, 'even', 'odd'\), got 'symmetric'"),
    (lambda: Convolve1D(5, np.array([1.0, 2.0, 3.0]), symmetry="even"), ValueError,
     r"Convolve1D: symmetry='even' needs h == flip\(h\) .* differs from that by up to 2 \(max \|h\| = 3\)"),
    (lambda: Convolve1D(5, h3, symmetry="odd"), ValueError, r"Convolve1D: symmetry='odd' needs h == -flip\(h\)"),
    (lambda: Convolve1D((4, 5), np.array([[1.0], [2.0], [1.0 + 1e-6]]), axis=0, symmetry="even"), ValueError,
     r"Convolve1D: symmetry='even' needs h == flip\(h\) along the filter axis, but h differs from that by up to 1e-06"),
    (lambda: Convolve2D((4, 5), h3), ValueError, r"Convolve2D: h must be 2-D, got shape \(3,\)"),
    (lambda: Convolve2D((4, 5), h33, axes=(-3, -1)), ValueError, r"Convolve2D: axes=-3 is out of range"),
    (lambda: Convolve2D((4, 5), h33, method="overlapadd"), ValueError, r"Convolve2D: method must be one of \('auto'"),
    (lambda: ConvolveND((4, 5, 6), np.ones((3, 3, 3, 3))), ValueError, r"ConvolveND: h must .*len\(axes\)=2 or len"),
    (lambda: ConvolveND((4, 5, 6), h33, axes=(0,)), ValueError, r"ConvolveND: h must .*len\(dims\)=3.*\(3, 3\)"),
    (lambda: ConvolveND((4, 5), np.ones((0, 3))), ValueError, r"ConvolveND: h must be a non-empty array"),
    (lambda: ConvolveND((4, 5), h33, offset=(1,)), ValueError, r"ConvolveND: offset must hold one int per axis of h"),
    (lambda: ConvolveND((4, 5), h33, offset=1), TypeError, r"ConvolveND: offset must be a sequence of ints, got 1"),
    (lambda: ConvolveND((4, 5), h33, axes=(0, 0)), ValueError, r"ConvolveND: axes must be distinct, got \(0, 0\)"),
    (lambda: ConvolveND((4, 5), h33, axes=(0, 2)), ValueError, r"ConvolveND: axes=2 is out of range"),
    (lambda: Smoothing1D(2.5, 5), TypeError, r"Smoothing1D: nsmooth must be an int, got 2.5"),
    (lambda: Smoothing1D(-1, 5), ValueError, r"Smoothing1D: nsmooth must be in \[0, 2 \* dims\[axis\] - 1 = 9\]"),
    (lambda: Smoothing1D(10, 5), ValueError, r"Smoothing1D: nsmooth must be in \[0, .* got 10"),
    (lambda: Smoothing1D(3, (4, 5), axis=2), ValueError, r"Smoothing1D: axis=2 is out of range"),
    (lambda: Smoothing2D(3, (4, 5)), TypeError, r"Smoothing2D: nsmooth and axes must be pairs of ints"),
    (lambda: Smoothing2D((3, 3, 3), (4, 5)), ValueError, r"Smoothing2D: nsmooth must be a pair .*\(3, 3, 3\)"),
    (lambda: Smoothing2D((3, -3), (4, 5)), ValueError, r"Smoothing2D: nsmooth must be a pair of non-negative"),
    (lambda: Smoothing2D((3, 3), 5), ValueError, r"Smoothing2D: axes=-2 is out of range"),
    (lambda: Smoothing2D((3, 3), (4, 5), axes=(0,)), ValueError, r"Smoothing2D: axes must be a pair of axes"),
]


@pytest.mark.parametrize("build, error, match", BAD)
def test_bad_input(build, error, match):
    with pytest.raises(error, match=match):
        build()


def test_automatic_method():
    assert Convolve1D(1000, np.ones(11)).method == "direct"
    assert Convolve1D(100_000, np.ones(101)).method == "overlapadd"
    assert Convolve1D(1000, np.ones(101)).method == "fft"
    assert Convolve1D(1000, np.ones(101), method="direct").method == "direct"
    assert ConvolveND((64, 64), np.ones((5, 5)), method="auto").method == "direct"
    assert ConvolveND((64, 64), np.ones((11, 11)), method=None).method == "fft"
    assert Convolve2D((64, 64), np.ones((3, 3))).method == "fft"  # PyLops' default
    assert Smoothing2D((5, 5), (64, 64)).conv.method == "direct"
    assert Smoothing1D(201, 100_000).conv.method == "overlapadd"


def _numpy_convolve1d(x, h, offset, adjoint=False):
    """Convolve1D on the last axis of ``x`` with NumPy, one trace at a time."""
    h = np.broadcast_to(h, x.shape[:-1] + h.shape[-1:])
    n, k = x.shape[-1], h.shape[-1]
    out = np.empty(x.shape, np.result_type(x, h))
    for i in np.ndindex(x.shape[:-1]):
        if adjoint:
            out[i] = np.convolve(x[i], np.conj(h[i][::-1]))[k - 1 - offset : k - 1 - offset + n]
        else:
            out[i] = np.convolve(x[i], h[i])[offset : offset + n]
    return out


@pytest.mark.parametrize("method", ["direct", "fft", "overlapadd"])
def test_methods_on_signals_many_blocks_long(method, rng):
    # overlap-add uses blocks of about eight filter lengths: 61 taps on 3000 samples is seven blocks.
    x = rng.standard_normal((2, 3000)) + 1j * rng.standard_normal((2, 3000))
    h = rng.standard_normal(61) + 1j * rng.standard_normal(61)
    for hh in (h, np.stack([h, h[::-1] / 2])):
        Op = Convolve1D((2, 3000), hh, offset=17, method=method, dtype="complex128")
        for adjoint in (False, True):
            out = Op.H @ x if adjoint else Op @ x
            np.testing.assert_allclose(out, _numpy_convolve1d(x, hh, 17, adjoint), rtol=1e-10, atol=1e-10)
    Op0 = Convolve1D((3000, 2), h, offset=17, axis=0, method=method, dtype="complex128")
    np.testing.assert_allclose(Op0 @ x.T, _numpy_convolve1d(x, h, 17).T, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("method", ["direct", "fft", "overlapadd"])
def test_long_filter_on_nd_model(method, rng):
    # PyLops fails here (its data shape is h.shape); the data is as long as the filter along axis.
    x, h = rng.standard_normal((3, 4)), rng.standard_normal(6)
    Op = Convolve1D((3, 4), h, offset=2, axis=1, method=method)
    assert Op.dimsd == (3, 6)
    expected = np.stack([np.convolve(row, h)[2:8] for row in x])
    np.testing.assert_allclose(Op @ x, expected, rtol=1e-10)


@pytest.mark.parametrize("method", ["direct", "fft", "overlapadd"])
def test_filter_gradient(method, rng):
    x, w = rng.standard_normal(40), rng.standard_normal(40)
    h = jnp.asarray(rng.standard_normal(7))

    def loss(h):
        return jnp.sum(w * (Convolve1D(40, h, offset=2, method=method) @ x) ** 2)

    def reference(h):
        return jnp.sum(w * jnp.convolve(x, h)[2:42] ** 2)

    np.testing.assert_allclose(jax.grad(loss)(h), jax.grad(reference)(h), rtol=1e-10)


@pytest.mark.parametrize("symmetry", ["even", "odd"])
@pytest.mark.parametrize("method", ["direct", "fft"])
def test_symmetry_uses_the_symmetric_part(symmetry, method, rng):
    """A declared symmetry makes the operator convolve with (h +- flip(h)) / 2: exactly the filter
    when it has the symmetry (the contract cases), that part when a traced filter has not
    (traced filters are not checked), and gradients with respect to h are that part's."""
    x, w = rng.standard_normal(40), rng.standard_normal(40)
    h = jnp.asarray(rng.standard_normal(7))
    part = (h + h[::-1]) / 2 if symmetry == "even" else (h - h[::-1]) / 2

    def loss(h):
        return jnp.sum(w * (Convolve1D(40, h, offset=3, method=method, symmetry=symmetry) @ x) ** 2)

    def reference(h):
        part = (h + h[::-1]) / 2 if symmetry == "even" else (h - h[::-1]) / 2
        return jnp.sum(w * jnp.convolve(x, part)[3:43] ** 2)

    np.testing.assert_allclose(jax.jit(loss)(h), reference(h), rtol=1e-12)
    np.testing.assert_allclose(jax.grad(loss)(h), jax.grad(reference)(h), rtol=1e-10, atol=1e-12)
    Op = Convolve1D(40, part, offset=3, method=method, symmetry=symmetry)  # concrete and symmetric: accepted
    np.testing.assert_allclose(Op.H @ x, Convolve1D(40, part, offset=3, method=method).H @ x, rtol=1e-12,
                               atol=1e-14)


def test_filter_is_a_leaf():
    traces = []

    @jax.jit
    def apply(op, x):
        traces.append(1)
        return op @ x

    x = jnp.zeros(5).at[2].set(1.0)
    np.testing.assert_allclose(apply(Convolve1D(5, jnp.array([1.0, 2.0, 3.0]), offset=1), x), [0, 1, 2, 3, 0])
    np.testing.assert_allclose(apply(Convolve1D(5, jnp.array([4.0, 5.0, 6.0]), offset=1), x), [0, 4, 5, 6, 0])
    assert len(traces) == 1
    assert len(jax.tree.leaves(ConvolveND((3, 4), jnp.ones((2, 2))))) == 1
    assert len(jax.tree.leaves(Smoothing2D((3, 3), (4, 5)))) == 1


def test_smoothing_is_a_moving_average():
    x = np.arange(12.0).reshape(3, 4) ** 2
    S1 = Smoothing1D(2, (3, 4), axis=0)
    np.testing.assert_allclose(S1 @ x, np.stack([x[0] + x[1], x.sum(0), x[1] + x[2]]) / 3)
    S2 = Smoothing2D((2, 1), (3, 4))
    np.testing.assert_allclose(S2 @ x, S1 @ x)


@pytest.mark.parametrize("hshape", [(2, 20), (3, 4, 5), (1, 37), (17, 2)])
def test_direct_passes_over_long_and_nd_filters(hshape, rng):
    """The direct method adds at most 16 taps per pass of a loop: along a long last filter axis
    row by row, else whole rows of the filter (three axes: the row index divided in the loop)."""
    dims = (9, 8, 30)[-len(hshape) :]
    h, x = rng.standard_normal(hshape), rng.standard_normal(dims)
    offset = tuple(k // 2 for k in hshape)
    direct, fft = (ConvolveND(dims, h, offset=offset, axes=None, method=m) for m in ("direct", "fft"))
    np.testing.assert_allclose(direct @ x, fft @ x, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(direct.H @ x, fft.H @ x, rtol=1e-10, atol=1e-12)
