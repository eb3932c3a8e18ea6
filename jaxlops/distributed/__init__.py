"""Operators and solvers on arrays sharded over many devices and processes.

jaxlops uses JAX's own distributed engine: ``jax.sharding`` inside one process,
``jax.distributed`` across processes and hosts. Place the data with
:func:`shard`, call the operators and solvers inside ``jax.jit`` as on one
device, and XLA partitions the program: every device computes on its slice.
:func:`collectives` reads the communication of a compiled program.
:func:`launch` runs a post-stack inversion in several processes joined by
``jax.distributed`` (gloo collectives on the CPU), the recipe for several hosts.
"""

from jaxlops.distributed._processes import launch
from jaxlops.distributed._sharding import collectives, shard

__all__ = ["collectives", "launch", "shard"]
