"""The documentation site: it builds in strict mode (warnings, broken links and broken
cross-references are errors), every public name has an API entry, and the notebooks and
benchmark tables are in it."""

import importlib
import importlib.util
import json
import os
import pathlib
import pkgutil
import re
import subprocess
import sys
import zlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS_EXTRA = ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python", "mkdocs_jupyter")

# One worker builds the site once for every test here.
pytestmark = pytest.mark.xdist_group("docs")


def _docs_extra_installed():
    try:
        return all(importlib.util.find_spec(name) is not None for name in DOCS_EXTRA)
    except ModuleNotFoundError:  # a parent package is missing
        return False


def public_names():
    """``{path: (object, canonical path)}`` for every name in the ``__all__`` of ``jaxlops`` and of
    each of its public modules (no component of their path starts with ``_``)."""
    import jaxlops

    modules = ["jaxlops"] + [
        info.name
        for info in pkgutil.walk_packages(jaxlops.__path__, "jaxlops.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    names = {}
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if isinstance(obj, type(jaxlops)):
                canonical = obj.__name__
            else:
                canonical = f"{obj.__module__}.{obj.__qualname__}"
            names[f"{module_name}.{name}"] = (obj, canonical)
    return names


def inventory(site):
    """``{path: role}`` of the Python objects in the ``objects.inv`` that mkdocstrings writes
    (4 header lines, then zlib-compressed lines ``path role priority uri name``)."""
    header_and_body = (site / "objects.inv").read_bytes().split(b"\n", 4)
    entries = [line.split(" ") for line in zlib.decompress(header_and_body[4]).decode().splitlines()]
    return {entry[0]: entry[1] for entry in entries if entry[1].startswith("py:")}


# Session scope: a module-scoped fixture is rebuilt whenever xdist hands this worker other
# modules' tests between these, which tripled the build time in the suite.
@pytest.fixture(scope="session")
def site(tmp_path_factory):
    if not _docs_extra_installed():
        pytest.skip("docs extra not installed: pip install -e .[docs]")
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)]
    build = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        names = public_names()  # while the site builds
        log, _ = build.communicate(timeout=300)
    finally:
        build.kill()
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{log}"
    return out, names


def test_every_public_name_has_an_api_entry(site):
    out, names = site
    documented = inventory(out)
    missing = sorted(path for path, (_, canonical) in names.items() if not {path, canonical} & set(documented))
    assert not missing, f"public names without an entry in docs/api/*.md: {missing}"
    # griffe reads ``jaxlops.optimization.lsqr`` as the module where Python gives the function.
    modules = sorted(
        path for path, (obj, _) in names.items()
        if documented.get(path) == "py:module" and not isinstance(obj, type(pathlib))
    )
    assert not modules, f"entries that render a module in place of the public object: {modules}"


def test_docstrings_have_no_sphinx_markup_left(site):
    out, _ = site
    leftovers = {}
    for page in sorted((out / "api").rglob("*.html")):
        text = page.read_text()
        found = [role for role in (":math:`", ".. math::", ":func:`", ":class:`", ":meth:`", ":mod:`") if role in text]
        if found:
            leftovers[str(page.relative_to(out))] = found
    assert not leftovers


def test_notebooks_are_rendered_with_their_outputs(site):
    out, _ = site
    notebooks = sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb"))
    nav = (ROOT / "mkdocs.yml").read_text()
    assert len(notebooks) >= 7
    for name in notebooks:
        assert f"notebooks/{name}.ipynb" in nav, f"{name}: not in mkdocs.yml's nav"
        page = (out / "notebooks" / name / "index.html").read_text()
        assert "jp-OutputArea" in page, f"{name}: no outputs rendered"
    assert (out / "notebooks" / "index.html").exists()


def test_benchmark_placeholders_become_tables_or_instructions(site):
    out, _ = site
    page = (out / "benchmarks" / "index.html").read_text()
    assert "<!-- benchmark:" not in page
    source = (ROOT / "docs" / "benchmarks.md").read_text()
    placeholders = re.findall(r"<!-- benchmark: ([a-z0-9_-]+) -->", source)
    saved = {path.stem for path in (ROOT / "benchmarks" / "results").glob("*.json")}
    assert {"operators", "solvers", "poststack", "interop-torch", "interop-pylops"} <= set(placeholders)
    assert saved <= set(placeholders), f"saved benchmark tables shown on no page: {saved - set(placeholders)}"
    for name in set(placeholders) - saved:
        assert f"python benchmarks/{name.split('-')[0]}.py" in page


@pytest.fixture
def results(tmp_path, monkeypatch):
    """``benchmarks/_results.py`` and ``docs/hooks.py``, both reading and writing ``tmp_path``."""
    if not _docs_extra_installed():
        pytest.skip("docs extra not installed: pip install -e .[docs]")
    modules = []
    for name, path in (("_results", "benchmarks/_results.py"), ("hooks", "docs/hooks.py")):
        spec = importlib.util.spec_from_file_location(f"docs_test_{name}", ROOT / path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        monkeypatch.setattr(module, "RESULTS", tmp_path)
        modules.append(module)
    return modules


def test_saved_results_become_a_markdown_table(results, tmp_path):
    save, table = results[0].save, results[1].benchmark_table
    assert table("solvers-vmap") == "*Not measured yet: run `python benchmarks/solvers.py`.*"
    rows = [{"case": "a|b", "time (ms)": 1.23456, "ratio": 12345.6, "n": 3, "note": None}]
    path = save("solvers-vmap", {"device": "cpu:0", "dtype": "float64", "repeat": 5}, rows)
    data = json.loads(path.read_text())
    assert data["rows"] == rows and data["meta"]["command"].startswith("python ") and data["meta"]["date"]
    lines = table("solvers-vmap").splitlines()
    assert lines[:3] == ["| case | time (ms) | ratio | n | note |", "|---|---:|---:|---:|---:|",
                         "| a\\|b | 1.23 | 12346 | 3 |  |"]
    assert lines[-1].startswith("*float64 on cpu:0, ") and "repeat: 5" in lines[-1]


@pytest.mark.parametrize(
    "name, meta, rows, message",
    [
        ("Solvers", {"device": "cpu", "dtype": "float64"}, [{"a": 1}], "name must look like"),
        ("solvers", {"device": "cpu"}, [{"a": 1}], "meta needs ['dtype']"),
        ("solvers", {"device": "cpu", "dtype": "float64"}, [], "rows is empty"),
        ("solvers", {"device": "cpu", "dtype": "float64"}, [{"a": 1}, {"b": 1}], "row 1 has columns ['b']"),
        ("solvers", {"device": "cpu", "dtype": "float64"}, [{"a": float("nan")}], "row 0, column 'a'"),
    ],
)
def test_save_rejects_bad_tables(results, name, meta, rows, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        results[0].save(name, meta, rows)
