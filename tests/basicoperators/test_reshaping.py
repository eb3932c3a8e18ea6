"""What is special to Transpose, Flip, Roll, Pad, Restriction and Sum: bad input,
Restriction's indices as a pytree leaf, and Sum of 1-D and 2-D models."""

import jax
import jax.numpy as jnp
import numpy as np
import pylops
import pytest

from jaxlops.basicoperators.flip import Flip
from jaxlops.basicoperators.pad import Pad
from jaxlops.basicoperators.restriction import Restriction
from jaxlops.basicoperators.roll import Roll
from jaxlops.basicoperators.sum import Sum
from jaxlops.basicoperators.transpose import Transpose

BAD = [
    (lambda: Flip((3, 4), axis=2), ValueError, r"Flip: axis=2 is out of range for an array of 2"),
    (lambda: Roll(5, axis=-2), ValueError, r"Roll: axis=-2 is out of range"),
    (lambda: Sum((2, 3), axis=2), ValueError, r"Sum: axis=2 is out of range"),
    (lambda: Restriction((2, 3), [0], axis=3), ValueError, r"Restriction: axis=3 is out of range"),
    (lambda: Flip((3, -4)), ValueError, r"Flip: dims must be a non-empty tuple of positive ints, got \(3, -4\)"),
    (lambda: Pad((), ()), ValueError, r"Pad: dims must be a non-empty tuple"),
    (lambda: Transpose((2, 0), (1, 0)), ValueError, r"Transpose: dims must be .*positive"),
    (lambda: Transpose((2, 3), (0, 0)), ValueError, r"Transpose: axes must be a permutation of range\(2\).*\(0, 0\)"),
    (lambda: Transpose((2, 3, 4), (0, 1)), ValueError, r"Transpose: axes must be a permutation of range\(3\)"),
    (lambda: Transpose((2, 3), (0, 2)), ValueError, r"Transpose: axes=2 is out of range"),
    (lambda: Transpose((2, 3), 1), TypeError, r"Transpose: axes must be a sequence of ints"),
    (lambda: Pad(5, (1, -1)), ValueError, r"Pad: pad must be non-negative, got \(1, -1\)"),
    (lambda: Pad((3, 4), ((1, 1),)), ValueError, r"Pad: pad must hold one \(before, after\) pair per axis.*\(2, 2\)"),
    (lambda: Pad((3, 4), ((1, 1), (1, 2, 3))), ValueError, r"Pad: pad must hold one \(before, after\) pair"),
    (lambda: Pad(3, (1.5, 0)), TypeError, r"Pad: pad must hold ints"),
    (lambda: Restriction(5, [0, 7, 2]), ValueError, r"Restriction: iava .*\[0, 5\), the length of axis 0.*got 7"),
    (lambda: Restriction((4, 3), [-1, 1], axis=0), ValueError, r"Restriction: iava .*\[0, 4\).*got -1"),
    (lambda: Restriction(5, [0.0, 2.0]), TypeError, r"Restriction: iava must hold integer indices.*float"),
    (lambda: Restriction(5, [[0, 1]]), ValueError, r"Restriction: iava must be a non-empty 1-D array.*\(1, 2\)"),
    (lambda: Restriction(5, []), TypeError, r"Restriction: iava must hold integer indices"),
    (lambda: Restriction(5, np.array([], int)), ValueError, r"Restriction: iava must be a non-empty 1-D"),
    (lambda: Roll(5, shift=1.0), TypeError, r"Roll: shift must be an int, got 1.0"),
    (lambda: Roll(5, shift="1"), TypeError, r"Roll: shift must be an int, got '1'"),
]


@pytest.mark.parametrize("build, error, match", BAD)
def test_bad_input(build, error, match):
    with pytest.raises(error, match=match):
        build()


def test_restriction_indices_do_not_recompile():
    traces = []

    @jax.jit
    def apply(op, x):
        traces.append(1)
        return op @ x

    x = jnp.arange(6.0)
    np.testing.assert_array_equal(apply(Restriction(6, [1, 4, 4]), x), [1.0, 4.0, 4.0])
    np.testing.assert_array_equal(apply(Restriction(6, np.array([5, 0, 2])), x), [5.0, 0.0, 2.0])
    assert len(traces) == 1


def test_restriction_traced_and_batched_indices():
    x = jnp.arange(6.0)
    built_inside = jax.jit(lambda iava, x: Restriction(6, iava) @ x)
    np.testing.assert_array_equal(built_inside(jnp.array([3, 1]), x), [3.0, 1.0])
    ops = jax.tree.map(lambda a, b: jnp.stack([a, b]), Restriction(6, [0, 0]), Restriction(6, [5, 2]))
    np.testing.assert_array_equal(
        jax.vmap(lambda op: op.H @ jnp.ones(2))(ops), [[2, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 1]]
    )


@pytest.mark.parametrize("dims, axis", [(6, 0), (6, -1), ((3, 5), 0), ((3, 5), 1)])
def test_sum_low_dimensional_like_pylops(dims, axis, rng):
    Op, POp = Sum(dims, axis=axis), pylops.Sum(dims, axis=axis)
    assert (Op.dims, Op.dimsd) == (tuple(POp.dims), tuple(POp.dimsd))
    x, y = rng.standard_normal(Op.dims), rng.standard_normal(Op.dimsd)
    np.testing.assert_allclose(Op @ x, (POp @ x.ravel()).reshape(Op.dimsd), rtol=1e-12)
    np.testing.assert_allclose(np.ravel(Op.H @ y), POp.rmatvec(y.ravel()), rtol=1e-12)
