"""Every global test setting lives here: x64 on, the slow marker, seeded data,
and how tests share (and then release) compiled programs."""

import ctypes
import ctypes.util
import gc
import os

# The suite compiles thousands of small programs and runs most of them once, so compiling is
# what costs: without LLVM's optimisations and with XLA's classic CPU emitters a check_operator
# program compiles two to three times faster. The notebooks, which run large problems, run as
# users do, with XLA's default code generation (fixture `user_xla_flags`), and so do the doctests.
TEST_FLAGS = ("--xla_backend_optimization_level=0", "--xla_cpu_use_fusion_emitters=false")
# (xdist workers inherit the controller's environment, where TEST_FLAGS are already set.)
USER_XLA_FLAGS = " ".join(f for f in os.environ.get("XLA_FLAGS", "").split() if f not in TEST_FLAGS) or None
os.environ["XLA_FLAGS"] = " ".join((USER_XLA_FLAGS or "").split() + list(TEST_FLAGS))

import jax  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

jax.config.update("jax_enable_x64", True)

DTYPES = ("float32", "float64", "complex64", "complex128")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long-running test (deselect with -m 'not slow')")


def _share_key(item):
    """Tests with the same key run one after the other on one worker and share compiled programs.

    A contract test's key is its operator case (its checks in four dtypes share the
    operator's programs); any other test's key is its module.
    """
    group = item.get_closest_marker("xdist_group")
    return group.args[0] if group else item.module.__name__


# tryfirst: the marks must be on the items before xdist's worker hook reads them for loadgroup.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.module.__name__ == "test_contract":  # parametrized by (case, dtype)
            case, _ = item.callspec.params["ops"]
            item.add_marker(pytest.mark.xdist_group(f"case:{case.name}"))
    # Longest first, so that `--dist loadgroup` does not leave one worker alone at the end.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_runtest_setup(item):
    # On an xdist worker with `--dist loadgroup`, xdist appends "@<group>" to the id of each
    # grouped test, and the scheduler keeps a group on one worker. A pytest/xdist pairing that
    # stops doing so (pytest 9.2 with xdist 3.8) would leave the suite passing, 25 % slower.
    if getattr(item.config.option, "loadgroup", False) and item.get_closest_marker("xdist_group"):
        if "@" not in item.nodeid:
            pytest.fail("pytest-xdist ignored this test's xdist_group mark: install the versions "
                        "in constraints.txt (pip install -c constraints.txt -e .[test])", pytrace=False)


# A worker keeps its compiled programs until its memory passes this size, so that the programs
# many tests use (JAX compiles one even for `jnp.asarray` of each new shape) survive from case to
# case. Clearing at every change of case instead ran a quarter of the contract tests on one worker
# in 157-168 s against 146-147 s (peak memory 0.65 GB against 1.13 GB).
MEMORY_LIMIT = 2**30
_LIBC = ctypes.CDLL(ctypes.util.find_library("c"))


def _resident_bytes():
    """This process's resident memory, or None where /proc is missing (not Linux)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return None


def pytest_runtest_teardown(item, nextitem):
    # When the next test cannot reuse this one's programs and the worker has grown past the
    # limit, release them all and hand the freed memory back to the system (glibc keeps it
    # otherwise, and the worker would stay at the limit and clear after every case).
    if nextitem is not None and _share_key(nextitem) == _share_key(item):
        return
    resident = _resident_bytes()
    if resident is None or resident > MEMORY_LIMIT:
        jax.clear_caches()
        gc.collect()
        if hasattr(_LIBC, "malloc_trim"):
            _LIBC.malloc_trim(0)


@pytest.fixture
def user_xla_flags(monkeypatch):
    """Processes started by the test compile with the user's XLA flags, not ``TEST_FLAGS``."""
    if USER_XLA_FLAGS is None:
        monkeypatch.delenv("XLA_FLAGS")
    else:
        monkeypatch.setenv("XLA_FLAGS", USER_XLA_FLAGS)


@pytest.fixture
def rng():
    """A NumPy generator seeded per test."""
    return np.random.default_rng(0)
