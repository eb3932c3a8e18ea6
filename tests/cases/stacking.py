"""Cases: VStack, HStack, BlockDiag, Block and Kronecker."""

import pylops

import jaxlops as jl
from jaxlops.basicoperators.block import Block
from jaxlops.basicoperators.blockdiag import BlockDiag
from jaxlops.basicoperators.hstack import HStack
from jaxlops.basicoperators.kronecker import Kronecker
from jaxlops.basicoperators.vstack import VStack

from . import Case
from .core import _random

# Each leaf spec builds the same sub-operator in both libraries:
# ("M", n, m[, otherdims[, "H"]]) a MatrixMult (or its adjoint), ("D", dims, axis) a Diagonal,
# ("A", n, m) a dense array.


def _pair(spec, dtype, rng):
    kind, *args = spec
    if kind == "D":
        dims, axis = args
        d = _random(rng, dims[axis], dtype)
        return jl.Diagonal(d, dims=dims, axis=axis, dtype=dtype), pylops.Diagonal(d, dims=dims, axis=axis, dtype=dtype)
    n, m, *otherdims = args
    A = _random(rng, (n, m), dtype)
    if kind == "A":
        return A, A.copy()
    other = otherdims[0] if otherdims else None
    J, P = jl.MatrixMult(A, otherdims=other, dtype=dtype), pylops.MatrixMult(A, otherdims=other, dtype=dtype)
    return (J.H, P.H) if otherdims[1:] == ["H"] else (J, P)


def _stack(jaxlops_cls, pylops_cls, specs):
    def build(dtype, rng):
        pairs = [_pair(spec, dtype, rng) for spec in specs]
        return jaxlops_cls([j for j, _ in pairs]), pylops_cls([p for _, p in pairs])

    return build


def _block(specs):
    def build(dtype, rng):
        pairs = [[_pair(spec, dtype, rng) for spec in row] for row in specs]
        return Block([[j for j, _ in row] for row in pairs]), pylops.Block([[p for _, p in row] for row in pairs])

    return build


def _kronecker(spec1, spec2):
    def build(dtype, rng):
        (J1, P1), (J2, P2) = _pair(spec1, dtype, rng), _pair(spec2, dtype, rng)
        return Kronecker(J1, J2, dtype=dtype), pylops.Kronecker(P1, P2, dtype=dtype)

    return build


TWO = ("float32", "complex128")  # secondary cases: single and double, real and complex

CASES = [
    Case("VStack", _stack(VStack, pylops.VStack, [("M", 3, 4), ("D", (4,), 0), ("A", 2, 4)])),
    Case("VStack-nd", _stack(VStack, pylops.VStack, [("D", (3, 4), 1), ("M", 2, 3, (4,))])),
    Case("VStack-mixed-dims", _stack(VStack, pylops.VStack, [("D", (3, 4), 0), ("M", 5, 12)]), TWO),
    Case("HStack", _stack(HStack, pylops.HStack, [("M", 4, 3), ("D", (4,), 0), ("A", 4, 2)])),
    Case("HStack-mixed-dimsd", _stack(HStack, pylops.HStack, [("D", (3, 4), 1), ("M", 12, 5)]), TWO),
    Case("HStack-flat-dims-nd-dimsd", _stack(HStack, pylops.HStack, [("D", (3, 4), 1), ("M", 2, 3, (4,), "H")]), TWO),
    Case("BlockDiag", _stack(BlockDiag, pylops.BlockDiag, [("M", 3, 4), ("D", (2, 3), 1), ("M", 2, 2, (2,))])),
    Case("BlockDiag-nd", _stack(BlockDiag, pylops.BlockDiag, [("D", (3, 4), 1), ("M", 3, 3, (4,))]), TWO),
    # the two rows split the columns differently, (4, 2) and (2, 4), which PyLops allows
    Case("Block-2x2", _block([[("M", 3, 4), ("M", 3, 2)], [("D", (2,), 0), ("M", 2, 4)]])),
    Case(
        "Block-2x3",
        _block([[("M", 2, 3), ("D", (2,), 0), ("A", 2, 1)], [("D", (3,), 0), ("M", 3, 2), ("M", 3, 1)]]),
        TWO,
    ),
    Case("Kronecker", _kronecker(("M", 3, 4), ("M", 2, 5))),
    Case("Kronecker-diagonal", _kronecker(("M", 3, 2), ("D", (4,), 0)), TWO),
    Case("Kronecker-nd", _kronecker(("D", (2, 3), 1), ("M", 4, 3)), TWO),
]


def _batched(jaxlops_cls, pylops_cls, spec, n):
    """``n`` blocks of one structure (``spec``), with their own random arrays."""
    return _stack(jaxlops_cls, pylops_cls, [spec] * n)


CASES += [
    Case("BatchedBlockDiag", _batched(jl.BatchedBlockDiag, pylops.BlockDiag, ("M", 3, 4), 3)),
    Case("BatchedBlockDiag-nd", _batched(jl.BatchedBlockDiag, pylops.BlockDiag, ("D", (3, 4), 1), 4), TWO),
    # PyLops' VStack data and HStack model are flat: only the sizes compare
    Case("BatchedVStack", _batched(jl.BatchedVStack, pylops.VStack, ("M", 3, 4), 3), same_dims=False),
    Case("BatchedVStack-nd", _batched(jl.BatchedVStack, pylops.VStack, ("D", (3, 4), 0), 2), TWO, same_dims=False),
    Case("BatchedHStack", _batched(jl.BatchedHStack, pylops.HStack, ("M", 4, 3), 3), same_dims=False),
    Case("BatchedHStack-nd", _batched(jl.BatchedHStack, pylops.HStack, ("M", 2, 3, (4,)), 2), TWO, same_dims=False),
]
