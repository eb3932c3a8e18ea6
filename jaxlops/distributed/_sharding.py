"""Placing arrays on a device mesh, and reading the communication of a compiled program."""

from __future__ import annotations

import math
import operator
import re

import jax
from jax.sharding import AxisType, Mesh, NamedSharding, PartitionSpec

__all__ = ["collectives", "shard"]


def shard(x, mesh, axis, mesh_axis=None):
    """``x`` as a ``jax.Array`` split along its axis ``axis`` over the devices of ``mesh_axis``.

    Operators and solvers applied to the result inside ``jax.jit`` keep it
    split: each device holds and computes its own slice, and only the halos of
    derivatives and convolutions along ``axis`` and the scalars of the solvers'
    inner products cross devices.

    Parameters
    ----------
    x : array_like
        The array (a model or data, shaped as the operator's ``dims`` or ``dimsd``).
    mesh : jax.sharding.Mesh
        The device mesh, e.g. ``jax.make_mesh((jax.device_count(),), ("x",))``.
    axis : int
        The axis of ``x`` to split (negative counts from the end).
    mesh_axis : str, optional
        The mesh axis to split it over; the mesh's only axis by default.

    Returns
    -------
    jax.Array
        ``x``, sharded with ``NamedSharding(mesh, spec)``, ``spec`` naming
        ``mesh_axis`` at position ``axis``. The mesh's axes are made ``Auto``
        (``jax.make_mesh`` makes ``Explicit`` ones by default): XLA then
        partitions every operator, inserting the halo exchanges, where JAX's
        explicit mode has no rule for the pads and slices of stencils along a
        sharded axis.

    Raises
    ------
    ValueError
        If ``axis`` is not an axis of ``x``, ``mesh_axis`` is not in the mesh,
        or the mesh axis's device count does not divide the length of ``axis``
        (uneven shards would be padded by XLA and every operator would have to
        mask the padding; give an array whose length is a multiple instead).

    Examples
    --------
    >>> import jax, jax.numpy as jnp
    >>> from jaxlops.distributed import shard
    >>> mesh = jax.make_mesh((1,), ("x",))
    >>> shard(jnp.zeros((4, 6)), mesh, axis=1).sharding.spec
    P(None, 'x')
    """
    if not isinstance(mesh, Mesh):
        raise TypeError(f"shard: mesh must be a jax.sharding.Mesh, got {type(mesh).__name__}")
    x = jax.numpy.asarray(x) if not isinstance(x, jax.Array) else x
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"shard: axis must be an int, got {axis!r}") from None
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"shard: axis {axis} is not an axis of an array of shape {x.shape}")
    axis %= x.ndim
    if mesh_axis is None:
        if len(mesh.axis_names) != 1:
            raise ValueError(f"shard: the mesh has axes {mesh.axis_names}; name the one to split over (mesh_axis)")
        mesh_axis = mesh.axis_names[0]
    if mesh_axis not in mesh.axis_names:
        raise ValueError(f"shard: mesh_axis {mesh_axis!r} is not an axis of the mesh {mesh.axis_names}")
    devices = mesh.shape[mesh_axis]
    if x.shape[axis] % devices:
        raise ValueError(f"shard: mesh axis {mesh_axis!r} has {devices} devices, which does not divide axis {axis} "
                         f"of length {x.shape[axis]} (shape {x.shape}); use a length that is a multiple of {devices}")
    spec = PartitionSpec(*(mesh_axis if a == axis else None for a in range(x.ndim)))
    # XLA partitions the operators (halo exchanges included) on Auto axes; JAX's Explicit mode has
    # no sharding rule for a pad or a slice along a sharded axis, which every stencil needs.
    auto = Mesh(mesh.devices, mesh.axis_names, axis_types=(AxisType.Auto,) * len(mesh.axis_names))
    return jax.device_put(x, NamedSharding(auto, spec))


_COLLECTIVES = ("all-reduce", "all-gather", "all-to-all", "collective-permute", "reduce-scatter")
_BYTES = {"pred": 1, "s8": 1, "u8": 1, "s16": 2, "u16": 2, "f16": 2, "bf16": 2, "s32": 4, "u32": 4, "f32": 4,
          "s64": 8, "u64": 8, "f64": 8, "c64": 8, "c128": 16}


def collectives(compiled):
    """The communication in a compiled program: for each kind of collective, the number of
    operations and the bytes of their results, per device, in the whole program and in its loops.

    Parameters
    ----------
    compiled : jax.stages.Compiled or str
        ``jax.jit(f).lower(*args).compile()``, or the text of its optimised HLO.

    Returns
    -------
    dict
        ``{kind: {"count", "bytes", "loop_count", "loop_bytes", "shapes"}}`` for
        ``all-reduce``, ``all-gather``, ``all-to-all``, ``collective-permute``
        and ``reduce-scatter``: ``count`` and ``bytes`` over the program, each
        operation once (asynchronous ``-start``/``-done`` pairs count once);
        ``loop_count`` and ``loop_bytes`` over the bodies of its
        ``while`` loops, i.e. what a solver communicates per iteration;
        ``shapes``: the result type of each operation.

    Examples
    --------
    >>> import jax, jax.numpy as jnp
    >>> from jaxlops.distributed import collectives
    >>> collectives(jax.jit(jnp.sin).lower(jnp.ones(3)).compile())["all-gather"]
    {'count': 0, 'bytes': 0, 'loop_count': 0, 'loop_bytes': 0, 'shapes': []}
    """
    text = compiled if isinstance(compiled, str) else compiled.as_text()
    computations, name = {}, None
    for line in text.splitlines():
        header = re.match(r"(?:ENTRY\s+)?%(\S+)\s+\(", line)
        if header:
            name = header.group(1)
        computations.setdefault(name, []).append(line)
    bodies = {body for lines in computations.values() for line in lines
              for body in re.findall(r"body=%([\w.\-]+)", line)}
    found = {kind: {"count": 0, "bytes": 0, "loop_count": 0, "loop_bytes": 0, "shapes": []} for kind in _COLLECTIVES}
    pattern = re.compile(r"\s*(?:ROOT\s+)?%\S+\s*=\s*(.+?)\s+(" + "|".join(_COLLECTIVES) + r")(-start)?\(")
    for name, lines in computations.items():
        for line in lines:
            match = pattern.match(line)
            if match is None:
                continue
            shapes, kind, start = match.groups()
            arrays = re.findall(r"(\w+)\[([\d,]*)\]", shapes)
            if start and len(arrays) > 1:  # an async start returns (operands, results): count the results
                arrays = arrays[len(arrays) // 2 :]
            size = sum(_BYTES.get(dtype, 8) * math.prod(int(n) for n in dims.split(",") if n) for dtype, dims in arrays)
            entry = found[kind]
            entry["count"] += 1
            entry["bytes"] += size
            entry["shapes"].append(shapes)
            if name in bodies:
                entry["loop_count"] += 1
                entry["loop_bytes"] += size
    return found
