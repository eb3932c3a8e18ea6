"""Every global test setting lives here: x64 on, the slow marker, seeded data."""

import jax
import numpy as np
import pytest

jax.config.update("jax_enable_x64", True)

DTYPES = ("float32", "float64", "complex64", "complex128")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long-running test (deselect with -m 'not slow')")


@pytest.fixture
def rng():
    """A NumPy generator seeded per test."""
    return np.random.default_rng(0)
