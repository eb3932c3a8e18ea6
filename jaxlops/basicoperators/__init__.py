"""Basic operators, one per module, with PyLops 2 names and arguments."""

from jaxlops.basicoperators.diagonal import Diagonal
from jaxlops.basicoperators.functionoperator import FunctionOperator
from jaxlops.basicoperators.identity import Identity
from jaxlops.basicoperators.matrixmult import MatrixMult

__all__ = ["Diagonal", "FunctionOperator", "Identity", "MatrixMult"]
