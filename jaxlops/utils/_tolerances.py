"""Tolerances per dtype, in one place for the checks and the tests."""

from __future__ import annotations

import numpy as np

__all__ = ["tolerance"]

_RTOL = {4: 1e-4, 8: 1e-10}  # keyed by the bytes of the real part


def tolerance(dtype):
    """Relative (max-normalised) tolerance for results computed in ``dtype``."""
    return _RTOL[np.finfo(np.dtype(dtype)).bits // 8]
