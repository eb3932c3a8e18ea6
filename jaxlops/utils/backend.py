"""Which kind of device JAX computes on."""

from __future__ import annotations

import jax

__all__ = ["device"]


def device():
    """``'gpu'`` when JAX has a GPU, else ``'cpu'``.

    Returns
    -------
    str
        ``'gpu'`` or ``'cpu'``.

    Notes
    -----
    PyLops-GPU equivalent: ``pylops_gpu.utils.backend.device()`` (which asks
    torch about CUDA; this asks JAX).

    Examples
    --------
    >>> from jaxlops.utils import backend
    >>> backend.device() in ("cpu", "gpu")
    True
    """
    try:
        return "gpu" if jax.devices("gpu") else "cpu"
    except RuntimeError:  # no GPU backend
        return "cpu"
