"""jaxlops: linear operators and solvers for JAX, with PyLops' names and numbers."""

from jaxlops import avo, interop, utils
from jaxlops.avo.poststack import PoststackInversion, PoststackLinearModelling
from jaxlops.basicoperators import *  # noqa: F403
from jaxlops.basicoperators import __all__ as _basicoperators
from jaxlops.linearoperator import LinearOperator, aslinearoperator, static_field
from jaxlops.optimization import *  # noqa: F403
from jaxlops.optimization import __all__ as _optimization
from jaxlops.signalprocessing import *  # noqa: F403
from jaxlops.signalprocessing import __all__ as _signalprocessing

__version__ = "0.1.0"

__all__ = [
    "LinearOperator",
    "aslinearoperator",
    "static_field",
    "avo",
    "PoststackInversion",
    "PoststackLinearModelling",
    "interop",
    "utils",
    *_basicoperators,
    *_optimization,
    *_signalprocessing,
]
