"""Dot test: does an operator's adjoint match its forward?"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from jaxlops.utils._tolerances import tolerance

__all__ = ["dottest", "dot_products", "random_vector"]


def random_vector(rng, shape, dtype):
    """Standard normal samples of ``dtype`` (complex: both parts), from a NumPy ``rng``."""
    dtype = np.dtype(dtype)
    x = rng.standard_normal(shape)
    if jnp.issubdtype(dtype, jnp.complexfloating):
        x = x + 1j * rng.standard_normal(shape)
    return jnp.asarray(x.astype(dtype))


def dottest(Op, nr=None, nc=None, rtol=None, atol=1e-21, complexflag=None, raiseerror=True, verb=False, seed=0):
    r"""Check that ``Op.H`` is the adjoint of ``Op``: :math:`(\mathbf{Op}\,u)^H v = u^H(\mathbf{Op}^H v)`.

    Parameters
    ----------
    Op : LinearOperator
        Operator to test.
    nr, nc : int, optional
        Expected numbers of rows and columns; checked against ``Op.shape``.
    rtol : float, optional
        Relative tolerance; by default 1e-4 for float32/complex64 and 1e-10
        for float64/complex128.
    atol : float, optional
        Floor of the normalisation, for operators whose products vanish.
    complexflag : {None, 0, 1, 2, 3}, optional
        As PyLops: 0 real vectors, 1 complex data vector, 2 complex model
        vector, 3 both. ``None`` picks 3 for complex operators and 0 otherwise.
    raiseerror : bool, optional
        Raise ``AssertionError`` on failure (else return ``False``).
    verb : bool, optional
        Print the two products and their relative difference.
    seed : int, optional
        Seed of the random vectors.

    Returns
    -------
    bool
        ``True`` when the test passes.

    Notes
    -----
    The error is :math:`|a - b| / \max(|a|, |b|, \text{atol})`, complex
    parts included, so a wrong imaginary part fails. Operators that are only
    real-linear (``Op.complex_linear`` is ``False``: ``Real``, ``Imag``,
    ``Conj``) are adjoint for the real inner product, and only real parts are
    compared.

    PyLops equivalent: ``pylops.utils.dottest``.
    """
    n, m = Op.shape
    if (nr is not None and nr != n) or (nc is not None and nc != m):
        raise ValueError(f"dottest: Op has shape {Op.shape}, expected ({nr}, {nc})")
    if complexflag is None:
        complexflag = 3 if jnp.issubdtype(Op.dtype, jnp.complexfloating) else 0
    if complexflag not in (0, 1, 2, 3):
        raise ValueError(f"dottest: complexflag must be 0, 1, 2 or 3, got {complexflag!r}")
    real = np.dtype(jnp.finfo(Op.dtype).dtype)
    cplx = jnp.result_type(real, jnp.complex64)
    rng = np.random.default_rng(seed)
    u = random_vector(rng, m, cplx if complexflag in (2, 3) else real)
    v = random_vector(rng, n, cplx if complexflag in (1, 3) else real)
    rtol = tolerance(real) if rtol is None else rtol
    a, b, err = dot_products(Op, u, v, Op.matvec(u), Op.rmatvec(v), atol)
    if verb:
        print(f"Dot test: (Op u)^H v = {a:.8g}, u^H (Op^H v) = {b:.8g}, relative error {err:.3g}")
    if err > rtol:
        if raiseerror:
            raise AssertionError(dot_test_failure(Op, a, b, err, rtol))
        return False
    return True


def dot_products(Op, u, v, Op_u, OpH_v, atol=1e-21):
    """``(v^H Op u, (Op^H v)^H u, relative difference)`` from the two products, in NumPy."""
    a = complex(np.vdot(np.asarray(v).ravel(), np.asarray(Op_u).ravel()))
    b = complex(np.vdot(np.asarray(OpH_v).ravel(), np.asarray(u).ravel()))
    if not Op.complex_linear:
        # Real-linear operators (Real, Imag, Conj) are adjoint for Re<., .>.
        a, b = a.real, b.real
    return a, b, abs(a - b) / max(abs(a), abs(b), atol)


def dot_test_failure(Op, a, b, err, rtol):
    return (
        f"Dot test failed for {Op!r}: (Op u)^H v = {a:.8g} but u^H (Op^H v) = {b:.8g} "
        f"(relative error {err:.3g} > rtol {rtol:.1g})"
    )
