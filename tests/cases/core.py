"""Cases: Identity, Diagonal, MatrixMult, FunctionOperator and the algebra."""

import jax.numpy as jnp
import numpy as np
import pylops

import jaxlops as jl

from . import Case


def _random(rng, shape, dtype):
    x = rng.standard_normal(shape)
    if np.issubdtype(np.dtype(dtype), np.complexfloating):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def _diagonal(dims, axis):
    def build(dtype, rng):
        d = _random(rng, dims[axis], dtype)
        return jl.Diagonal(d, dims=dims, axis=axis, dtype=dtype), pylops.Diagonal(d, dims=dims, axis=axis, dtype=dtype)

    return build


def _matrixmult(n, m, otherdims):
    def build(dtype, rng):
        A = _random(rng, (n, m), dtype)
        return (
            jl.MatrixMult(A, otherdims=otherdims, dtype=dtype),
            pylops.MatrixMult(A, otherdims=otherdims, dtype=dtype),
        )

    return build


def _identity(N, M):
    def build(dtype, rng):
        return jl.Identity(N, M, dtype=dtype), pylops.Identity(N, M, dtype=dtype)

    return build


def _cumsum(dtype, rng):
    def matvec(x):
        return jnp.cumsum(x, axis=-1)

    def rmatvec(y):
        return jnp.flip(jnp.cumsum(jnp.flip(y, -1), axis=-1), -1)

    Op = jl.FunctionOperator(matvec, rmatvec, (3, 5), dtype=dtype)
    POp = pylops.FunctionOperator(
        lambda x: np.cumsum(x.reshape(3, 5), axis=-1).ravel(),
        lambda y: np.cumsum(y.reshape(3, 5)[:, ::-1], axis=-1)[:, ::-1].ravel(),
        15,
        15,
        dtype=dtype,
    )
    return Op, POp


def _algebra(dtype, rng):
    A, B = _random(rng, (6, 4), dtype), _random(rng, (4, 4), dtype)
    d = _random(rng, 4, dtype)
    j = 2.0 - 1.0j if np.issubdtype(np.dtype(dtype), np.complexfloating) else -3.0
    JA, JB, JD = (jl.MatrixMult(A, dtype=dtype), jl.MatrixMult(B, dtype=dtype), jl.Diagonal(d, dtype=dtype))
    PA, PB, PD = (pylops.MatrixMult(A, dtype=dtype), pylops.MatrixMult(B, dtype=dtype), pylops.Diagonal(d, dtype=dtype))
    Op = JA @ (j * JB + JD.H - JD.T) @ (JB.conj() ** 2)
    POp = PA @ (j * PB + PD.H - PD.T) @ (PB.conj() * PB.conj())
    return Op, POp


CASES = [
    Case("Identity-square", _identity(7, None)),
    Case("Identity-pad", _identity(7, 4)),
    Case("Identity-truncate", _identity(4, 7)),
    Case("Identity-nd", _identity((3, 5), (2, 5))),
    Case("Diagonal-1d", _diagonal((9,), 0)),
    Case("Diagonal-3d-axis0", _diagonal((3, 4, 5), 0)),
    Case("Diagonal-3d-axis1", _diagonal((3, 4, 5), 1)),
    Case("Diagonal-3d-axis-1", _diagonal((3, 4, 5), -1)),
    Case("MatrixMult", _matrixmult(6, 4, None)),
    Case("MatrixMult-otherdims", _matrixmult(5, 3, (2, 4))),
    Case("FunctionOperator", _cumsum, same_dims=False),
    Case("algebra", _algebra),
]
