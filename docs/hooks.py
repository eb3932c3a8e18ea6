"""MkDocs hooks: the notebooks as pages, and benchmark tables from their JSON files.

* The notebooks live in ``notebooks/`` (outside ``docs/``): they are added to the site
  as ``notebooks/*.ipynb`` pages, before mkdocs-jupyter renders them with their
  committed outputs, and ``notebooks/README.md`` becomes their index.
* ``<!-- benchmark: NAME -->`` on a page becomes the table stored in
  ``benchmarks/results/NAME.json`` (written by ``benchmarks/_results.py:save``), or a line
  saying which script to run when that file does not exist yet.
"""

from __future__ import annotations

import json
import pathlib
import re

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
RESULTS = ROOT / "benchmarks" / "results"
PLACEHOLDER = re.compile(r"<!--\s*benchmark:\s*([a-z0-9_]+(?:-[a-z0-9_]+)?)\s*-->")


@event_priority(50)  # before mkdocs-jupyter's on_files, which picks up the notebooks
def on_files(files, config):
    for path in sorted([*NOTEBOOKS.glob("*.ipynb"), NOTEBOOKS / "README.md"]):
        files.append(File(str(path.relative_to(ROOT)), str(ROOT), config["site_dir"], config["use_directory_urls"]))
    return files


def on_page_markdown(markdown, page, config, files):
    return PLACEHOLDER.sub(lambda match: benchmark_table(match.group(1)), markdown)


def benchmark_table(name):
    """The Markdown table of ``benchmarks/results/<name>.json``, with how it was measured."""
    script = name.split("-")[0]
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return f"*Not measured yet: run `python benchmarks/{script}.py`.*"
    data = json.loads(path.read_text())
    rows, meta = data["rows"], dict(data["meta"])
    columns = list(rows[0])
    numeric = [all(isinstance(row[c], int | float | None) for row in rows) for c in columns]
    lines = [
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---:" if n else "---" for n in numeric) + "|",
        *("| " + " | ".join(_cell(row[c]) for c in columns) + " |" for row in rows),
    ]
    how = [f"{meta.pop('dtype')} on {meta.pop('device')}", meta.pop("date")]
    command = meta.pop("command")
    how += [f"{key}: {value}" for key, value in meta.items()]
    return "\n".join(lines) + f"\n\n*{', '.join(how)}; `{command}`*"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value).replace("|", "\\|")
