"""The shared contract: every operator in the case table against PyLops and
through every JAX transformation, in four dtypes."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import all_cases

from jaxlops import LinearOperator
from jaxlops.utils import check_operator
from jaxlops.utils._tolerances import tolerance
from jaxlops.utils.dottest import random_vector

PARAMS = [pytest.param((case, dtype), id=f"{case.name}-{dtype}") for case in all_cases() for dtype in case.dtypes]


@pytest.fixture
def ops(request, rng):
    case, dtype = request.param
    Op, POp = case.build(dtype, rng)
    if case.same_dims:
        assert tuple(Op.dims) == tuple(POp.dims) and tuple(Op.dimsd) == tuple(POp.dimsd)
    return Op, POp


def _max_error(actual, expected):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    return np.abs(actual - expected).max() / max(np.abs(expected).max(), 1e-30)


@pytest.mark.parametrize("ops", PARAMS, indirect=True)
def test_check_operator(ops):
    Op, _ = ops
    assert check_operator(Op)


@pytest.mark.parametrize("ops", PARAMS, indirect=True)
def test_same_as_pylops(ops, rng):
    Op, POp = ops
    assert Op.shape == POp.shape
    x = np.asarray(random_vector(rng, Op.shape[1], Op.dtype))
    y = np.asarray(random_vector(rng, Op.shape[0], Op.dtype))
    rtol = tolerance(Op.dtype)
    assert _max_error(Op.matvec(x), POp.matvec(x)) <= rtol
    assert _max_error(Op.rmatvec(y), POp.rmatvec(y)) <= rtol
    assert _max_error(Op @ x.reshape(Op.dims), (POp @ x.reshape(POp.dims)).reshape(Op.dimsd)) <= rtol


@pytest.mark.parametrize("ops", PARAMS, indirect=True)
def test_pytree_round_trip(ops):
    Op, _ = ops
    leaves, treedef = jax.tree.flatten(Op)
    assert all(isinstance(leaf, jax.Array) for leaf in leaves), [type(leaf) for leaf in leaves]
    rebuilt = jax.tree.unflatten(treedef, leaves)
    assert type(rebuilt) is type(Op) and isinstance(rebuilt, LinearOperator)
    assert jax.tree.structure(rebuilt) == treedef
    x = jnp.ones(Op.dims, Op.dtype)
    np.testing.assert_array_equal(rebuilt @ x, Op @ x)
