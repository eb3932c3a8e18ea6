"""Solvers: each one compiled ``lax.while_loop`` on a shared driver."""

from jaxlops.optimization._driver import SolverResult, Status
from jaxlops.optimization.basic import cg, cgls
from jaxlops.optimization.eigs import PowerIterationResult, power_iteration
from jaxlops.optimization.leastsquares import (
    normal_equations_inversion,
    preconditioned_inversion,
    regularized_inversion,
)
from jaxlops.optimization.lsqr import lsqr

__all__ = [
    "PowerIterationResult", "SolverResult", "Status", "cg", "cgls", "lsqr",
    "normal_equations_inversion", "power_iteration", "preconditioned_inversion", "regularized_inversion",
]
