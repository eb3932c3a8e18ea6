"""Solvers: each one compiled ``lax.while_loop`` on a shared driver."""

from jaxlops.optimization._driver import SolverResult, Status
from jaxlops.optimization.basic import cg, cgls
from jaxlops.optimization.lsqr import lsqr

__all__ = ["SolverResult", "Status", "cg", "cgls", "lsqr"]
