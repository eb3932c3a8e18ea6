"""The table of operators under test: one ``Case`` per operator configuration.

A case builds, for a dtype, the jaxlops operator and the PyLops operator made
with the same arguments. ``test_contract.py`` runs every case through the same
checks; each module here contributes a ``CASES`` list.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Callable

DTYPES = ("float32", "float64", "complex64", "complex128")


@dataclasses.dataclass(frozen=True)
class Case:
    """``build(dtype, rng) -> (jaxlops_op, pylops_op)`` for each dtype in ``dtypes``.

    ``same_dims=False`` where the PyLops operator can only be flat (e.g. its
    FunctionOperator): then only sizes are compared.
    """

    name: str
    build: Callable
    dtypes: tuple = DTYPES
    same_dims: bool = True


def all_cases():
    cases = []
    for module in pkgutil.iter_modules(__path__):
        cases += importlib.import_module(f"{__name__}.{module.name}").CASES
    names = [case.name for case in cases]
    duplicated = {n for n in names if names.count(n) > 1}
    assert not duplicated, f"duplicated case names: {duplicated}"
    return cases
