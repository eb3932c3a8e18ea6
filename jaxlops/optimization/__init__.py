"""Solvers: each one compiled ``lax.while_loop`` on a shared driver."""

from jaxlops.optimization._driver import SolverResult, Status
from jaxlops.optimization.basic import cg, cgls
from jaxlops.optimization.eigs import PowerIterationResult, power_iteration
from jaxlops.optimization.lsqr import lsqr

__all__ = ["PowerIterationResult", "SolverResult", "Status", "cg", "cgls", "lsqr", "power_iteration"]
