"""Solvers: each one compiled ``lax.while_loop`` on a shared driver."""

from jaxlops.optimization._driver import SolverResult, Status
from jaxlops.optimization.basic import cg, cgls
from jaxlops.optimization.eigs import PowerIterationResult, cond, eigs, power_iteration
from jaxlops.optimization.gradient import optax_minimize
from jaxlops.optimization.irls import irls
from jaxlops.optimization.leastsquares import (
    normal_equations_inversion,
    preconditioned_inversion,
    regularized_inversion,
)
from jaxlops.optimization.lsqr import lsqr
from jaxlops.optimization.omp import omp
from jaxlops.optimization.sparsity import fista, ista
from jaxlops.optimization.splitbregman import splitbregman

__all__ = [
    "PowerIterationResult",
    "SolverResult",
    "Status",
    "cg",
    "cgls",
    "cond",
    "eigs",
    "fista",
    "irls",
    "ista",
    "lsqr",
    "normal_equations_inversion",
    "omp",
    "optax_minimize",
    "power_iteration",
    "preconditioned_inversion",
    "regularized_inversion",
    "splitbregman",
]
