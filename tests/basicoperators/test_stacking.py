"""What is special to VStack, HStack, BlockDiag, Block and Kronecker: bad input, dtypes, structure."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.sparse

import jaxlops as jl
from jaxlops.basicoperators.block import Block
from jaxlops.basicoperators.blockdiag import BlockDiag
from jaxlops.basicoperators.hstack import HStack
from jaxlops.basicoperators.kronecker import Kronecker
from jaxlops.basicoperators.vstack import VStack

STACKS = [VStack, HStack, BlockDiag]


def _mm(n, m, dtype="float64"):
    return jl.MatrixMult(jnp.ones((n, m), dtype), dtype=dtype)


@pytest.mark.parametrize("cls", [*STACKS, Block])
@pytest.mark.parametrize("ops", [[], ()])
def test_empty(cls, ops):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: ops must hold at least one"):
        cls(ops)


@pytest.mark.parametrize("cls", [*STACKS, Block])
def test_ops_not_a_list(cls):
    with pytest.raises(TypeError, match=rf"{cls.__name__}: ops must be a list of .*got MatrixMult"):
        cls(_mm(2, 2))


def test_ragged_vstack():
    with pytest.raises(ValueError, match=r"VStack: ops\[1\] has 2 columns, expected 3 .*\[\(4, 3\), \(5, 2\)\]"):
        VStack([_mm(4, 3), _mm(5, 2)])


def test_ragged_hstack():
    with pytest.raises(ValueError, match=r"HStack: ops\[2\] has 5 rows, expected 4 .*\(5, 1\)\]"):
        HStack([_mm(4, 3), _mm(4, 2), _mm(5, 1)])


def test_block_row_with_different_row_counts():
    with pytest.raises(ValueError, match=r"Block: ops\[1\]\[1\] has 3 rows, expected 2 .*\[\(2, 1\), \(3, 2\)\]"):
        Block([[_mm(3, 2), _mm(3, 1)], [_mm(2, 1), _mm(3, 2)]])


def test_block_rows_with_different_column_counts():
    with pytest.raises(ValueError, match=r"Block: ops\[1\] has 4 columns, expected 3 .*\[\(3, 3\), \(2, 4\)\]"):
        Block([[_mm(3, 2), _mm(3, 1)], [_mm(2, 1), _mm(2, 3)]])


def test_block_row_not_a_list():
    with pytest.raises(TypeError, match=r"Block: ops\[0\] must be a list of operators, got MatrixMult"):
        Block([_mm(2, 2)])


@pytest.mark.parametrize("cls", STACKS)
@pytest.mark.parametrize(
    "bad, got",
    [("abc", "str"), (None, "NoneType"), (np.ones(3), r"ndarray of shape \(3,\)"), (np.ones((2, 2, 2)), "ndarray")],
)
def test_not_an_operator(cls, bad, got):
    message = rf"{cls.__name__}: ops\[1\] must be a LinearOperator or a 2-D array, got {got}"
    with pytest.raises(TypeError, match=message):
        cls([_mm(2, 2), bad])


def test_sparse_matrix_rejected():
    with pytest.raises(TypeError, match=r"VStack: ops\[0\] is a sparse matrix"):
        VStack([scipy.sparse.eye(3)])


def test_kronecker_not_an_operator():
    with pytest.raises(TypeError, match=r"Kronecker: Op2 must be a LinearOperator or a 2-D array, got list"):
        Kronecker(_mm(2, 2), [1.0, 2.0])


def test_dtype_promotes():
    ops = [_mm(2, 3, "float32"), _mm(1, 3, "complex64")]
    assert VStack(ops).dtype == np.complex64
    assert VStack(ops, dtype="float64").dtype == np.complex128
    assert Block([[_mm(2, 2, "float32"), _mm(2, 1, "float64")]]).dtype == np.float64
    assert Kronecker(_mm(2, 2, "float32"), _mm(2, 2, "float32"), dtype="float32").dtype == np.float32
    assert Kronecker(_mm(2, 2, "float32"), _mm(2, 2, "complex64")).dtype == np.complex128


def test_dense_and_integer_matrices_become_matrixmult():
    Op = HStack([np.arange(6).reshape(2, 3), jnp.ones((2, 1))])
    assert all(isinstance(op, jl.MatrixMult) for op in Op.ops) and Op.dtype == np.float64
    np.testing.assert_array_equal(Op.todense(), [[0, 1, 2, 1], [3, 4, 5, 1]])


def test_block_is_a_vstack_of_hstacks():
    Op = Block([[_mm(3, 2), _mm(3, 1)], [_mm(2, 3)]])
    assert isinstance(Op, VStack) and all(isinstance(row, HStack) for row in Op.ops)
    assert (Op.dims, Op.dimsd, Op.nnops) == ((3,), (5,), (0, 3, 5))


def test_offsets_are_static():
    Op = BlockDiag([_mm(3, 2), jl.Diagonal(jnp.ones(4))])
    assert (Op.nnops, Op.mmops) == ((0, 3, 7), (0, 2, 6))
    leaves = jax.tree.leaves(Op)
    assert len(leaves) == 2 and all(isinstance(leaf, jax.Array) for leaf in leaves)


def test_kronecker_applies_each_operator_once_batched():
    Op = Kronecker(_mm(3, 4), jl.Diagonal(jnp.arange(1.0, 6.0)))
    for method, x in ((Op._matvec, jnp.ones(20)), (Op._rmatvec, jnp.ones(15))):
        eqns = jax.make_jaxpr(method)(x).jaxpr.eqns
        assert [e.primitive.name for e in eqns].count("jaxlops_apply") == 2


BATCHED = [jl.BatchedBlockDiag, jl.BatchedVStack, jl.BatchedHStack]


@pytest.mark.parametrize("cls", BATCHED)
@pytest.mark.parametrize(
    "other",
    [lambda: jl.MatrixMult(jnp.ones((3, 2))), lambda: jl.Diagonal(jnp.ones(2)),
     lambda: jl.FirstDerivative(2, kind="forward")],
    ids=["other-shape", "other-class", "other-settings"],
)
def test_batched_blocks_must_share_one_structure(cls, other):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: every block must be the same operator as ops\[0\] "
                                         r"\(FirstDerivative, shape \(2, 2\)\).*got ops\[1\]"):
        cls([jl.FirstDerivative(2), other()])


@pytest.mark.parametrize("cls", BATCHED)
def test_batched_compiles_one_block(cls):
    """The forward traces the block's code as often for 20 blocks as for one (a loop over the
    blocks would trace it 20 times)."""
    traced = []

    class Counted(jl.Diagonal):
        def _matvec(self, x):
            traced.append(1)
            return super()._matvec(x)

    counts = []
    for n in (1, 20):
        traced.clear()
        Op = cls([Counted(jnp.full(3, float(i))) for i in range(n)])
        jax.jit(Op.matvec)(jnp.ones(Op.shape[1]))
        counts.append(len(traced))
    assert counts[0] == counts[1] > 0
