"""Interoperability: torch (through DLPack), PyLops and SciPy.

Nothing here is imported with ``jaxlops``: each name loads its module on first
use, so torch is needed only for :class:`TorchOperator` and :func:`to_torch`
(``pip install 'jaxlops[torch]'``).

* :class:`TorchOperator`, :func:`to_torch`: jaxlops operators and whole JAX
  programs (solves included) as differentiable torch functions, without copies.
* :func:`from_pylops`: any NumPy PyLops operator as a jaxlops operator (a host
  callback), :func:`to_pylops`: a jaxlops operator as a ``pylops.LinearOperator``.
* :func:`to_scipy`: a jaxlops operator as a ``scipy.sparse.linalg.LinearOperator``.
"""

import importlib

_MODULES = {
    "TorchOperator": "torch",
    "to_torch": "torch",
    "PyLopsOperator": "pylops",
    "from_pylops": "pylops",
    "to_pylops": "pylops",
    "to_scipy": "scipy",
}

__all__ = list(_MODULES)


def __getattr__(name):
    if name in _MODULES:
        return getattr(importlib.import_module(f"jaxlops.interop.{_MODULES[name]}"), name)
    raise AttributeError(f"module 'jaxlops.interop' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *__all__])
