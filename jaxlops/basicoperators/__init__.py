"""Basic operators, one per module, with PyLops 2 names and arguments."""

from jaxlops.basicoperators.batched import BatchedBlockDiag, BatchedHStack, BatchedVStack
from jaxlops.basicoperators.block import Block
from jaxlops.basicoperators.blockdiag import BlockDiag
from jaxlops.basicoperators.causalintegration import CausalIntegration
from jaxlops.basicoperators.conj import Conj
from jaxlops.basicoperators.diagonal import Diagonal
from jaxlops.basicoperators.directionalderivative import FirstDirectionalDerivative, SecondDirectionalDerivative
from jaxlops.basicoperators.firstderivative import FirstDerivative
from jaxlops.basicoperators.flip import Flip
from jaxlops.basicoperators.functionoperator import FunctionOperator
from jaxlops.basicoperators.gradient import Gradient
from jaxlops.basicoperators.hstack import HStack
from jaxlops.basicoperators.identity import Identity
from jaxlops.basicoperators.imag import Imag
from jaxlops.basicoperators.kronecker import Kronecker
from jaxlops.basicoperators.laplacian import Laplacian
from jaxlops.basicoperators.matrixmult import MatrixMult
from jaxlops.basicoperators.pad import Pad
from jaxlops.basicoperators.real import Real
from jaxlops.basicoperators.restriction import Restriction
from jaxlops.basicoperators.roll import Roll
from jaxlops.basicoperators.secondderivative import SecondDerivative
from jaxlops.basicoperators.smoothing1d import Smoothing1D
from jaxlops.basicoperators.smoothing2d import Smoothing2D
from jaxlops.basicoperators.sum import Sum
from jaxlops.basicoperators.symmetrize import Symmetrize
from jaxlops.basicoperators.transpose import Transpose
from jaxlops.basicoperators.vstack import VStack
from jaxlops.basicoperators.zero import Zero

__all__ = [
    "BatchedBlockDiag",
    "BatchedHStack",
    "BatchedVStack",
    "Block",
    "BlockDiag",
    "CausalIntegration",
    "Conj",
    "Diagonal",
    "FirstDerivative",
    "FirstDirectionalDerivative",
    "Flip",
    "FunctionOperator",
    "Gradient",
    "HStack",
    "Identity",
    "Imag",
    "Kronecker",
    "Laplacian",
    "MatrixMult",
    "Pad",
    "Real",
    "Restriction",
    "Roll",
    "SecondDerivative",
    "SecondDirectionalDerivative",
    "Smoothing1D",
    "Smoothing2D",
    "Sum",
    "Symmetrize",
    "Transpose",
    "VStack",
    "Zero",
]
