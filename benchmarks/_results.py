"""Benchmark figures as JSON files, from which the documentation builds its tables.

Each benchmark script ends with ``save(name, meta, rows)``; ``docs/hooks.py`` turns
``benchmarks/results/<name>.json`` into a Markdown table wherever a page says
``<!-- benchmark: <name> -->``.
"""

from __future__ import annotations

import datetime
import json
import math
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
RESULTS = HERE / "results"
_NAME = re.compile(r"[a-z0-9_]+(-[a-z0-9_]+)?")


def save(name, meta, rows):
    """Write one table of figures to ``benchmarks/results/<name>.json`` and return its path.

    Parameters
    ----------
    name : str
        ``"<script>"`` or ``"<script>-<table>"`` (lowercase letters, digits, ``_``), e.g.
        ``"poststack"`` or ``"solvers-vmap"``: ``benchmarks/<script>.py`` writes the file and
        the placeholder ``<!-- benchmark: <name> -->`` on a documentation page shows it.
    meta : dict
        How the figures were measured, shown under the table. Required: ``"device"`` (str,
        e.g. ``str(jax.devices()[0])``) and ``"dtype"`` (str, e.g. ``"float64"``). Filled in
        when absent: ``"date"`` (today, ISO format) and ``"command"`` (the command line that
        ran the script). Any other key (e.g. ``"repeat"``: 20) is shown as ``key: value``.
    rows : list of dict
        One dict per table row, all with the same keys in the same order: the column
        headers, units included (e.g. ``"jaxlops (ms)"``). Values are str, int, finite float
        or None (an empty cell); numbers are shown to three significant digits.

    Returns
    -------
    pathlib.Path
        The file written. Its content is ``{"name": name, "meta": {...}, "rows": [...]}``.
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"save: name must look like 'script' or 'script-table', got {name!r}")
    meta = dict(meta)
    missing = [key for key in ("device", "dtype") if key not in meta]
    if missing:
        raise ValueError(f"save({name!r}): meta needs {missing}, got keys {sorted(meta)}")
    meta.setdefault("date", datetime.date.today().isoformat())
    meta.setdefault("command", _command())
    rows = [dict(row) for row in rows]
    if not rows:
        raise ValueError(f"save({name!r}): rows is empty")
    columns = list(rows[0])
    for i, row in enumerate(rows):
        if list(row) != columns:
            raise ValueError(f"save({name!r}): row {i} has columns {list(row)}, expected {columns}")
        for column, value in row.items():
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not (value is None or isinstance(value, str) or (number and math.isfinite(value))):
                raise ValueError(f"save({name!r}): row {i}, column {column!r}: expected str, number or None, "
                                 f"got {value!r}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"name": name, "meta": meta, "rows": rows}, indent=1) + "\n")
    return path


def _command():
    script = pathlib.Path(sys.argv[0]).resolve()
    try:
        script = script.relative_to(HERE.parent)
    except ValueError:
        pass
    return " ".join(["python", str(script), *sys.argv[1:]])
