"""Regularised and preconditioned least-squares inversions (PyLops' ``leastsquares``).

Each builds one operator from ``Op``, the regularisation operators and their
weights, and solves it with :func:`~jaxlops.cg` or :func:`~jaxlops.cgls`
(PyLops' ``engine="pylops"`` path): the whole inversion is one compiled loop,
and since the weights are leaves of the built operator, ``jax.grad`` reaches
``epsI``, ``epsRs``, the data and every operator's leaves through the solver's
implicit differentiation.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from jaxlops._eager import compiled_when_eager
from jaxlops.basicoperators.identity import Identity
from jaxlops.linearoperator import LinearOperator
from jaxlops.optimization._checks import adjoint, as_nonnegative, forward, preconditioned, prepare
from jaxlops.optimization._stacked import stack_rows
from jaxlops.optimization.basic import cg, cgls

__all__ = ["normal_equations_inversion", "preconditioned_inversion", "regularized_inversion"]


def _regularisation(solver, Op, Regs, dataregs, epsRs):
    """Check ``Regs``, ``dataregs`` and ``epsRs``; return them as lists (defaults filled in)."""
    Regs = [] if Regs is None else list(Regs)
    for i, Reg in enumerate(Regs):
        if not isinstance(Reg, LinearOperator):
            raise TypeError(f"{solver}: Regs[{i}] must be a LinearOperator, got {type(Reg).__name__}")
        if Reg.shape[1] != Op.shape[1]:
            raise ValueError(f"{solver}: Regs[{i}] has {Reg.shape[1]} columns, expected {Op.shape[1]} like Op")
    epsRs = [1.0] * len(Regs) if epsRs is None else list(epsRs)
    if len(epsRs) != len(Regs):
        raise ValueError(f"{solver}: epsRs has {len(epsRs)} values but there are {len(Regs)} Regs")
    if dataregs is None:
        dataregs = [jnp.zeros(Reg.shape[0], Reg.dtype) for Reg in Regs]
    dataregs = [jnp.asarray(d) for d in dataregs]
    if len(dataregs) != len(Regs):
        raise ValueError(f"{solver}: dataregs has {len(dataregs)} arrays but there are {len(Regs)} Regs")
    for i, (Reg, d) in enumerate(zip(Regs, dataregs)):
        if d.size != Reg.shape[0]:
            raise ValueError(f"{solver}: dataregs[{i}] has {d.size} samples, expected {Reg.shape[0]} (Regs[{i}] rows)")
    real = jnp.finfo(Op.dtype).dtype
    epsRs = [as_nonnegative(solver, f"epsRs[{i}]", e, real) for i, e in enumerate(epsRs)]
    return Regs, [d.reshape(Reg.dimsd) for Reg, d in zip(Regs, dataregs)], epsRs


def _shaped(result, shape):
    """The result with ``x`` shaped as the solver's input asked (flat or ``dims``)."""
    return result._replace(x=result.x.reshape(shape))


def _check_weight(solver, Op, Weight):
    if Weight is not None and (not isinstance(Weight, LinearOperator) or Weight.shape != (Op.shape[0],) * 2):
        raise ValueError(f"{solver}: Weight must be a square LinearOperator of size {Op.shape[0]}, got {Weight!r}")


@compiled_when_eager
def normal_equations_inversion(Op, y, Regs, x0=None, Weight=None, dataregs=None, epsI=0.0, epsRs=None,
                               NRegs=None, epsNRs=None, **kwargs_solver):
    r"""Regularised inversion by CG on the normal equations.

    Solves :math:`(\mathbf{Op}^H\mathbf{W}\mathbf{Op} + \epsilon_I^2\mathbf{I}
    + \sum_i \epsilon_{R_i}^2 \mathbf{R}_i^H\mathbf{R}_i + \sum_j
    \epsilon_{N_j}^2 \mathbf{N}_j)\,\mathbf{x} = \mathbf{Op}^H\mathbf{W}\mathbf{y}
    + \sum_i \epsilon_{R_i}^2 \mathbf{R}_i^H \mathbf{d}_i` with :func:`~jaxlops.cg`.

    Parameters
    ----------
    Op : LinearOperator
        Modelling operator.
    y : array_like
        Data.
    Regs : list of LinearOperator or None
        Regularisation operators :math:`\mathbf{R}_i`.
    x0 : array_like, optional
        Starting guess.
    Weight : LinearOperator, optional
        Data weighting :math:`\mathbf{W}` (square, Hermitian).
    dataregs : list of array_like, optional
        Regularisation data :math:`\mathbf{d}_i` (zeros by default).
    epsI : float, optional
        Tikhonov damping :math:`\epsilon_I`.
    epsRs : list of float, optional
        Regularisation weights (ones by default).
    NRegs : list of LinearOperator, optional
        Normal regularisation operators :math:`\mathbf{N}_j` (applied as is).
    epsNRs : list of float, optional
        Their weights.
    **kwargs_solver
        Passed to :func:`~jaxlops.cg` (``niter``, ``tol``, ``show``, ``callback``).

    Returns
    -------
    SolverResult
        The result of :func:`~jaxlops.cg` on the normal equations.

    Notes
    -----
    PyLops equivalent: ``pylops.optimization.leastsquares.normal_equations_inversion``
    with ``engine="pylops"`` (returns ``(x, istop)``).
    """
    name = "normal_equations_inversion"
    y, _, real, shape = prepare(name, Op, y, x0)
    _check_weight(name, Op, Weight)
    Regs, dataregs, epsRs = _regularisation(name, Op, Regs, dataregs, epsRs)
    NRegs, _, epsNRs = _regularisation(name, Op, NRegs, None, epsNRs)
    WOp = Op if Weight is None else Weight @ Op
    Op_normal = Op.H @ WOp
    y_normal = adjoint(Op, y if Weight is None else forward(Weight, y).reshape(y.shape))
    if isinstance(epsI, jax.core.Tracer) or epsI != 0:
        epsI = as_nonnegative(name, "epsI", epsI, real)
        Op_normal = Op_normal + epsI**2 * Identity(Op.shape[1], dtype=Op.dtype)
    for eps, Reg, d in zip(epsRs, Regs, dataregs):
        Op_normal = Op_normal + eps**2 * (Reg.H @ Reg)
        y_normal = y_normal + eps**2 * adjoint(Reg, d).reshape(y_normal.shape)
    for eps, NReg in zip(epsNRs, NRegs):
        Op_normal = Op_normal + eps**2 * NReg
    return _shaped(cg(Op_normal, y_normal, x0=x0, **kwargs_solver), shape)


@compiled_when_eager
def regularized_inversion(Op, y, Regs, x0=None, Weight=None, dataregs=None, epsRs=None, **kwargs_solver):
    r"""Regularised inversion by CGLS on the augmented system.

    Solves :math:`\min_\mathbf{x} \|\mathbf{W}(\mathbf{y} - \mathbf{Op}\,\mathbf{x})\|_2^2
    + \sum_i \epsilon_{R_i}^2 \|\mathbf{d}_i - \mathbf{R}_i\mathbf{x}\|_2^2` as the
    least-squares problem of the stacked operator
    :math:`[\mathbf{W}\mathbf{Op}; \epsilon_{R_1}\mathbf{R}_1; \ldots]` with data
    :math:`[\mathbf{W}\mathbf{y}; \epsilon_{R_1}\mathbf{d}_1; \ldots]`.

    Parameters
    ----------
    Op, y, Regs, x0, Weight, dataregs, epsRs :
        As in :func:`normal_equations_inversion`.
    **kwargs_solver
        Passed to :func:`~jaxlops.cgls` (``niter``, ``damp``, ``tol``, ``show``, ``callback``).

    Returns
    -------
    SolverResult
        The result of :func:`~jaxlops.cgls`.

    Notes
    -----
    PyLops equivalent: ``pylops.optimization.leastsquares.regularized_inversion``
    with ``engine="pylops"`` (returns ``(x, istop, itn, r1norm, r2norm)``).
    """
    name = "regularized_inversion"
    y, _, _, shape = prepare(name, Op, y, x0)
    _check_weight(name, Op, Weight)
    Regs, dataregs, epsRs = _regularisation(name, Op, Regs, dataregs, epsRs)
    WOp = Op if Weight is None else Weight @ Op
    data = [y if Weight is None else forward(Weight, y).reshape(y.shape)]
    if not Regs:
        return _shaped(cgls(WOp, data[0], x0=x0, **kwargs_solver), shape)
    RegOp, join = stack_rows([WOp] + [eps * Reg for eps, Reg in zip(epsRs, Regs)])
    data += [eps * d for eps, d in zip(epsRs, dataregs)]
    return _shaped(cgls(RegOp, join(data), x0=x0, **kwargs_solver), shape)


@compiled_when_eager
def preconditioned_inversion(Op, y, P, x0=None, **kwargs_solver):
    r"""Preconditioned inversion: :math:`\mathbf{x} = \mathbf{P}\mathbf{p}` with
    :math:`\mathbf{p}` the least-squares solution of :math:`\mathbf{Op}\,\mathbf{P}\mathbf{p} = \mathbf{y}`.

    Parameters
    ----------
    Op : LinearOperator
        Modelling operator.
    y : array_like
        Data.
    P : LinearOperator
        Preconditioner (model reparametrisation).
    x0 : array_like, optional
        Starting guess for :math:`\mathbf{p}` (as PyLops).
    **kwargs_solver
        Passed to :func:`~jaxlops.cgls`.

    Returns
    -------
    SolverResult
        The result of :func:`~jaxlops.cgls` with ``x`` replaced by
        :math:`\mathbf{P}\mathbf{p}`.

    Notes
    -----
    PyLops equivalent: ``pylops.optimization.leastsquares.preconditioned_inversion``
    with ``engine="pylops"``.
    """
    return preconditioned(cgls, Op, y, P, x0, **kwargs_solver)
