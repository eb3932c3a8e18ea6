"""Cases: Zero, Real, Imag, Conj, Symmetrize, CausalIntegration."""

import pylops

from jaxlops.basicoperators.causalintegration import CausalIntegration
from jaxlops.basicoperators.conj import Conj
from jaxlops.basicoperators.imag import Imag
from jaxlops.basicoperators.real import Real
from jaxlops.basicoperators.symmetrize import Symmetrize
from jaxlops.basicoperators.zero import Zero

from . import DTYPES, Case

# Real and Imag are defined for complex dtypes; with a real dtype PyLops makes
# them the identity and the zero operator, already covered by Identity and
# Zero, so only Conj (the identity for reals) also runs in real dtypes.
COMPLEX = ("complex64", "complex128")
# The N-d cases run the same code as the 1-d ones: one single and one double
# precision dtype, one real and one complex, keep the suite fast.
TWO = ("float32", "complex128")


def _pair(jaxlops_cls, pylops_cls, *args, **kwargs):
    def build(dtype, rng):
        return jaxlops_cls(*args, dtype=dtype, **kwargs), pylops_cls(*args, dtype=dtype, **kwargs)

    return build


def _integration(dims, axis, kind, removefirst):
    args = dict(axis=axis, sampling=0.3, kind=kind, removefirst=removefirst)
    return _pair(CausalIntegration, pylops.CausalIntegration, dims, **args)


CASES = [
    Case("Zero-square", _pair(Zero, pylops.Zero, 5)),
    Case("Zero-rectangular", _pair(Zero, pylops.Zero, 3, 6)),
    Case("Zero-nd", _pair(Zero, pylops.Zero, (3, 4), (2, 3, 2))),
    Case("Real-1d", _pair(Real, pylops.Real, 5), dtypes=COMPLEX),
    Case("Real-2d", _pair(Real, pylops.Real, (3, 4)), dtypes=COMPLEX),
    Case("Imag-1d", _pair(Imag, pylops.Imag, 5), dtypes=COMPLEX),
    Case("Imag-2d", _pair(Imag, pylops.Imag, (3, 4)), dtypes=COMPLEX),
    Case("Conj-1d", _pair(Conj, pylops.Conj, 5)),
    Case("Conj-2d", _pair(Conj, pylops.Conj, (3, 4))),
    Case("Symmetrize-1d", _pair(Symmetrize, pylops.Symmetrize, 5)),
    *[Case(f"Symmetrize-2d-axis{a}", _pair(Symmetrize, pylops.Symmetrize, (3, 4), axis=a)) for a in (0, 1)],
    *[
        Case(f"Symmetrize-3d-axis{a}", _pair(Symmetrize, pylops.Symmetrize, (2, 3, 4), axis=a), dtypes=TWO)
        for a in (0, 1, -1)
    ],
    *[
        Case(
            f"CausalIntegration-{kind}-{'drop' if rf else 'keep'}first-{name}", _integration(dims, a, kind, rf), dtypes
        )
        for kind in ("full", "half", "trapezoidal")
        for rf in (False, True)
        for name, dims, a, dtypes in (("1d", 6, -1, DTYPES), ("2d-axis0", (4, 3), 0, TWO), ("2d-axis1", (4, 3), 1, TWO))
    ],
]
