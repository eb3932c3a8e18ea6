"""Solvers: each one compiled ``lax.while_loop`` on a shared driver."""

from jaxlops.optimization._driver import SolverResult, Status
from jaxlops.optimization.basic import cg, cgls
from jaxlops.optimization.eigs import PowerIterationResult, cond, eigs, power_iteration
from jaxlops.optimization.gradient import optax_minimize
from jaxlops.optimization.leastsquares import (
    normal_equations_inversion,
    preconditioned_inversion,
    regularized_inversion,
)
from jaxlops.optimization.lsqr import lsqr

__all__ = [
    "PowerIterationResult", "SolverResult", "Status", "cg", "cgls", "cond", "eigs", "lsqr", "optax_minimize",
    "normal_equations_inversion", "power_iteration", "preconditioned_inversion", "regularized_inversion",
]
