"""Execute notebooks in place so they are committed with their outputs.

Usage: ``python notebooks/execute.py [NOTEBOOK ...]`` (default: every notebook in this folder).
The kernel is this interpreter, so the notebooks run against the installed jaxlops.
"""

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
CELL_TIMEOUT_S = 300


def execute(path, timeout=CELL_TIMEOUT_S):
    """Run every cell of the notebook at ``path`` with a fresh kernel; return the executed notebook."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    # The kernel is started as `python -m ipykernel`; put this interpreter first on PATH so it is the one used.
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    env.setdefault("MPLBACKEND", "Agg")
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.km = client.create_kernel_manager()
    client.km.kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    client.execute(env=env)
    return nb


def main(paths):
    for path in paths or sorted(HERE.glob("*.ipynb")):
        start = time.perf_counter()
        nb = execute(path)
        nbformat.write(nb, path)
        print(f"{path}: executed in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
