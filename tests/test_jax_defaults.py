"""Users mostly run with JAX's defaults (x64 off): exercise the main operators
and the README examples in a fresh process where the suite's x64 setting does
not apply."""

import pathlib
import re
import subprocess
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parents[1]

DEFAULTS_SCRIPT = textwrap.dedent(
    """
    import jax, jax.numpy as jnp, numpy as np
    import jaxlops as jl
    from jaxlops.utils import check_operator
    assert not jax.config.jax_enable_x64
    rng = np.random.default_rng(0)
    A = rng.standard_normal((6, 4))
    ops = [
        jl.Diagonal(rng.standard_normal(4)),                  # default dtype float64 -> float32
        jl.MatrixMult(A) @ jl.CausalIntegration(4, kind="trapezoidal"),
        jl.VStack([jl.Identity(4), jl.Flip((2, 2), axis=0)]),
        jl.MatrixMult(A + 1j * A, dtype="complex128"),        # -> complex64
        jl.Restriction((3, 5), [0, 2, 4], axis=1) @ jl.Pad((3, 3), ((0, 0), (1, 1))),
    ]
    for op in ops:
        assert op.dtype in (np.float32, np.complex64), op
        check_operator(op)
        assert (op @ np.ones(op.shape[1], "float32")).dtype == op.dtype
    g = jax.grad(lambda x: jnp.sum(ops[1] @ x))(jnp.ones(4))
    np.testing.assert_allclose(g, ops[1].H @ jnp.ones(6), rtol=1e-5)
    # float32 solves converge (no NaN) with the default tolerances
    Op = jl.MatrixMult(rng.standard_normal((60, 40))) @ jl.CausalIntegration(40)
    y = Op @ np.sin(np.linspace(0, 3, 40))
    for solver in (jl.cgls, jl.lsqr):
        result = solver(Op, y, niter=200)
        assert result.x.dtype == np.float32 and np.all(np.isfinite(result.x)), result
        assert np.linalg.norm(Op @ result.x - y) <= 1e-3 * np.linalg.norm(y), result.message
    gy = jax.grad(lambda y: jnp.sum(jl.cgls(Op, y, niter=200).x))(jnp.asarray(y, "float32"))
    assert np.all(np.isfinite(gy))
    print("ok")
    """
)


def _run(code):
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_main_operators_with_jax_defaults():
    assert _run(DEFAULTS_SCRIPT).strip().endswith("ok")


def test_readme_examples_run():
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
    assert len(blocks) >= 2
    _run("\n".join(blocks))


def test_cli_info():
    out = _run("from jaxlops.__main__ import main; main(['info'])")
    for word in ("jaxlops", "jax", "jaxlib", "numpy", "pylops", "backend", "devices", "x64"):
        assert word in out


def test_cli_demo_small(tmp_path):
    figure = tmp_path / "demo.png"
    out = _run(f"from jaxlops.__main__ import main; main(['demo', '--size', '40', '--output', {str(figure)!r}])")
    for step in ("trace by trace", "spatially regularised", "blocky"):
        assert re.search(rf"{step} .* first call \(compiles\) +[0-9.]+ s +run +[0-9.]+ s +model error 0\.0", out), out
    assert out.count("same with PyLops") == 3 and "float32" in out
    assert f"saved {figure}" in out and figure.stat().st_size > 10_000
