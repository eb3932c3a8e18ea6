"""jaxlops inside torch autograd: operators and whole JAX programs, through DLPack.

Tensors cross into JAX without a copy when they are contiguous, 64-byte aligned
(what torch's allocator returns for a fresh tensor) and on a device JAX uses;
otherwise they are copied once: a non-contiguous tensor (a slice with steps, a
transpose, the expanded gradient of ``y.sum()``), a misaligned view (``t[1:]``),
a tensor whose conjugate or negative bit is set, a tensor on a device JAX does
not use (moved to the CPU) or on another device than the operator's arrays.
Results go back without a copy and land on the input's device.

Nothing is donated and nothing JAX computes is written into borrowed memory:
the input tensor is never modified. Results are buffers JAX allocated for that
call alone (an output that would share memory with an input is copied), so
torch may modify them in place.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

try:
    import torch
except ImportError as exc:  # pragma: no cover - exercised only without torch
    raise ImportError("jaxlops.interop.torch needs PyTorch: pip install 'jaxlops[torch]'") from exc

from jaxlops._validation import numel
from jaxlops.interop._compiled import apply_shaped
from jaxlops.linearoperator import LinearOperator

__all__ = ["TorchOperator", "to_torch"]

_DTYPES = {
    torch.float32: np.dtype("float32"),
    torch.float64: np.dtype("float64"),
    torch.complex64: np.dtype("complex64"),
    torch.complex128: np.dtype("complex128"),
}
_WIDE = (torch.float64, torch.complex128)


# -- crossing --------------------------------------------------------------------

try:  # JAX's public from_dlpack costs ~50 us on the CPU (it probes for a GPU stream through a raised error)
    from jax._src.lib import _jax as _jaxlib
    from jax._src.lib import jaxlib_extension_version

    _import_cpu = _jaxlib.dlpack_managed_tensor_to_buffer if jaxlib_extension_version >= 467 else None
except ImportError:  # pragma: no cover - another jaxlib
    _import_cpu = None
_DL_CPU = 1  # DLPack's kDLCPU


@functools.lru_cache(maxsize=64)
def _jax_device(kind, index):
    """The JAX device that holds the memory of torch device ``kind:index``, or ``None``."""
    platform = {"cpu": "cpu", "cuda": "gpu"}.get(kind)
    try:
        devices = jax.devices(platform) if platform else []
    except RuntimeError:  # JAX has no such backend
        devices = []
    index = index or 0
    return devices[index] if index < len(devices) else None


def _import(t, device):
    """``jax.dlpack.from_dlpack(t)`` for a contiguous tensor held by JAX device ``device``."""
    canonical = t.dtype in _DTYPES and (t.dtype not in _WIDE or jax.config.jax_enable_x64)
    if _import_cpu is not None and canonical and device.platform == "cpu":
        try:
            return _import_cpu(t.__dlpack__(stream=None), device, None, None, _DL_CPU)
        except TypeError:  # pragma: no cover - the private signature changed
            pass
    return jax.dlpack.from_dlpack(t)


def _to_jax(t, where, target=None):
    """A JAX array over the memory of tensor ``t`` (copied only when it has to be).

    ``target`` is the device the array must end up on (the operator's), if any.
    """
    if t.device.type == "meta":
        raise ValueError(f"{where}: the tensor is on torch's 'meta' device, which holds no values")
    if t.requires_grad:
        t = t.detach()
    if t.is_conj():
        t = t.resolve_conj()
    if t.is_neg():
        t = t.resolve_neg()
    if not t.is_contiguous():
        t = t.contiguous()  # DLPack import needs compact strides
    where_t = t.device
    device = _jax_device(where_t.type, where_t.index)
    if device is None:
        t, device = t.cpu(), _jax_device("cpu", None)
    x = _import(t, device)  # JAX copies a buffer that is not 64-byte aligned
    if target is not None and target != device:
        x = jax.device_put(x, target)
    return x


def _to_torch(y, device, borrowed):
    """A tensor on ``device`` over the memory of JAX array ``y``, never over a ``borrowed`` buffer."""
    # Wait with the GIL released: a pointer or DLPack query waits holding it, and the JAX thread that
    # finishes the computation may need the GIL to release an earlier borrowed tensor (a deadlock).
    y = y.block_until_ready()
    pointer = y.unsafe_buffer_pointer()
    if any(pointer == b.unsafe_buffer_pointer() for b in borrowed):
        y = jnp.copy(y)
    if not torch.cuda.is_available() and any(d.platform == "gpu" for d in y.devices()):
        y = jax.device_put(y, _jax_device("cpu", None))
    out = torch.from_dlpack(y)
    return out if out.device == device else out.to(device)


# -- TorchOperator -----------------------------------------------------------------


class _Apply(torch.autograd.Function):
    """``y = Op x`` forward, ``g -> Op^H g`` backward (itself differentiable: the adjoint of the adjoint)."""

    @staticmethod
    def forward(ctx, x, T, adjoint):
        if ctx is not None:
            ctx.T, ctx.adjoint = T, adjoint
            ctx.shape, ctx.real = x.shape, not x.is_complex()
        xj = _to_jax(x, "TorchOperator", T.device)
        return _to_torch(apply_shaped(T.Op, xj, adjoint=adjoint, batch=T.batch), x.device, (xj,))

    @staticmethod
    def backward(ctx, g):
        if torch.is_grad_enabled():  # create_graph: the adjoint's own backward is the forward
            gx = _Apply.apply(g, ctx.T, not ctx.adjoint)
        else:
            gx = _Apply.forward(None, g, ctx.T, not ctx.adjoint)
        if ctx.real and gx.is_complex():  # a real input: the adjoint of the real-linear map
            gx = gx.real
        return gx.reshape(ctx.shape), None, None


class TorchOperator:
    r"""A jaxlops operator as a torch autograd function.

    The forward runs the compiled ``Op.matvec``, the backward the compiled
    hand-written adjoint (``Op.rmatvec``), on the tensors' own memory (see the
    module notes for when a copy is made). For a complex-linear operator torch's
    gradient convention is :math:`\nabla_x = \mathbf{Op}^H \nabla_y`, which is
    the hand-written adjoint; for a real input the real part of it.

    Parameters
    ----------
    Op : LinearOperator
        The jaxlops operator. Operators of the same structure share compilations.
    batch : bool, optional
        The first dimension of the input is a batch, applied as one vmapped call.

    Notes
    -----
    The input must be a tensor of the operator's precision (``float32`` or
    ``complex64`` for a single-precision operator), real or complex, flat (``M``
    samples) or shaped ``Op.dims``, with a leading batch dimension when
    ``batch=True``; the output is flat or shaped ``Op.dimsd`` accordingly and
    lives on the input's device. In a ``torch.no_grad`` context the output does
    not require a gradient, as for any torch function.

    PyLops equivalent: ``pylops.TorchOperator(Op, batch)`` (which copies
    through NumPy on the CPU).

    Examples
    --------
    >>> import jax.numpy as jnp, torch, jaxlops as jl
    >>> from jaxlops.interop import TorchOperator
    >>> T = TorchOperator(jl.Diagonal(jnp.array([1.0, 2.0, 3.0]), dtype="float32"))
    >>> x = torch.ones(3, requires_grad=True)
    >>> y = T.apply(x)
    >>> y.sum().backward()
    >>> y.detach(), x.grad
    (tensor([1., 2., 3.]), tensor([1., 2., 3.]))
    """

    def __init__(self, Op, batch=False):
        if not isinstance(Op, LinearOperator):
            raise TypeError(f"TorchOperator: Op must be a jaxlops LinearOperator, got {type(Op).__name__}")
        if not isinstance(batch, bool):
            raise TypeError(f"TorchOperator: batch must be True or False, got {batch!r}")
        self.Op, self.batch = Op, batch
        # Where the operator's arrays live (an operator without arrays computes where its input is).
        arrays = [leaf for leaf in jax.tree.leaves(Op) if isinstance(leaf, jax.Array)]
        self.device = next(iter(arrays[0].devices())) if arrays else None
        self.dims, self.dimsd, self.shape, self.dtype = Op.dims, Op.dimsd, Op.shape, np.dtype(Op.dtype)

    def __repr__(self):
        return f"TorchOperator({self.Op!r}, batch={self.batch})"

    def apply(self, x):
        """``Op @ x`` as a differentiable torch operation (output flat or shaped ``dimsd``, as ``x``)."""
        return self._run(x, adjoint=False)

    __call__ = forward = apply

    def adjoint(self, y):
        """``Op.H @ y`` as a differentiable torch operation (output flat or shaped ``dims``, as ``y``)."""
        return self._run(y, adjoint=True)

    def _run(self, x, adjoint):
        self._check(x, adjoint)
        if torch.is_grad_enabled() and x.requires_grad:
            return _Apply.apply(x, self, adjoint)
        return _Apply.forward(None, x, self, adjoint)  # no graph to record: skip autograd's bookkeeping

    def _check(self, x, adjoint):
        name = "y" if adjoint else "x"
        where = f"TorchOperator.{'adjoint' if adjoint else 'apply'}"
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"{where}: {name} must be a torch.Tensor, got {type(x).__name__}")
        precision = np.finfo(self.dtype).dtype
        if x.dtype not in _DTYPES or np.finfo(_DTYPES[x.dtype]).dtype != precision:
            expected = torch.float32 if precision == np.float32 else torch.float64
            raise TypeError(
                f"{where}: {name} has dtype {x.dtype}, but the operator computes in {self.dtype}; expected "
                f"{expected} or {expected.to_complex()} (cast the tensor, or build the operator in that precision)"
            )
        dims = self.dimsd if adjoint else self.dims
        core = tuple(x.shape[1:] if self.batch else x.shape)
        if (self.batch and x.ndim < 2) or core not in ((numel(dims),), tuple(dims)):
            lead = "(batch, " if self.batch else "("
            raise ValueError(
                f"{where}: {name} has shape {tuple(x.shape)}, expected {lead}{numel(dims)}) or "
                f"{lead}{', '.join(map(str, dims))})"
            )


# -- to_torch ------------------------------------------------------------------------


class _VJP(torch.autograd.Function):
    """A JAX function's forward and its ``jax.vjp`` pullback, compiled."""

    @staticmethod
    def forward(ctx, fun, box, *args):
        device, arrays, borrowed = fun.inputs(args)
        outputs, vjp = jax.block_until_ready(fun.linearize(*arrays))  # see _to_torch
        # The pullback keeps its residuals; they must not be the caller's memory.
        vjp = jax.tree.map(lambda r: jnp.copy(r) if _shares(r, borrowed) else r, vjp)
        ctx.fun, ctx.vjp = fun, vjp
        ctx.devices = [a.device if isinstance(a, torch.Tensor) else None for a in args]
        ctx.outputs = [(o.shape, o.dtype) for o in jax.tree.leaves(outputs)]
        ctx.treedef = jax.tree.structure(outputs)
        return fun.outputs(outputs, device, borrowed, box, ctx)

    @staticmethod
    def backward(ctx, *grads):
        cts = []
        for g, (shape, dtype) in zip(grads, ctx.outputs):
            if not jnp.issubdtype(dtype, jnp.inexact):
                cts.append(np.zeros(shape, jax.dtypes.float0))
            else:
                cts.append(_to_jax(g, "to_torch") if g is not None else jnp.zeros(shape, dtype))
        cts = jax.tree.unflatten(ctx.treedef, cts)
        grads_in = ctx.fun.pullback(ctx.vjp, cts)
        result = [None, None]
        for i, (device, gx) in enumerate(zip(ctx.devices, grads_in)):
            needed = ctx.needs_input_grad[i + 2] and gx.dtype != jax.dtypes.float0
            result.append(_to_torch(gx, device, ()) if needed else None)
        return tuple(result)


def _shares(array, borrowed):
    return isinstance(array, jax.Array) and any(
        array.unsafe_buffer_pointer() == b.unsafe_buffer_pointer() for b in borrowed
    )


def _conj(tree):
    return jax.tree.map(lambda a: jnp.conj(a) if jnp.iscomplexobj(a) else a, tree)


class _TorchFunction:
    """What :func:`to_torch` returns: ``fn`` with compiled forward, linearisation and pullback."""

    def __init__(self, fn):
        self.fn = fn
        self.forward = jax.jit(fn)
        self.linearize = jax.jit(lambda *args: jax.vjp(fn, *args))
        # torch's gradients are conjugate Wirtinger derivatives, JAX's cotangents transposes: conjugate both sides.
        self.pullback = jax.jit(lambda vjp, cts: _conj(vjp(_conj(cts))))
        self.__doc__, self.__name__ = getattr(fn, "__doc__", None), getattr(fn, "__name__", "fn")

    def __repr__(self):
        return f"to_torch({self.fn!r})"

    def __call__(self, *args):
        tensors = [a for a in args if isinstance(a, torch.Tensor)]
        box = {}
        if torch.is_grad_enabled() and any(t.requires_grad for t in tensors):
            outputs = _VJP.apply(self, box, *args)
        else:
            device, arrays, borrowed = self.inputs(args)
            outputs = self.outputs(self.forward(*arrays), device, borrowed, box)
        return outputs[0] if box["single"] else outputs

    def inputs(self, args):
        """JAX arrays for the tensor arguments (others pass as they are), their device, the borrowed ones."""
        device, arrays, borrowed = None, [], []
        for i, a in enumerate(args):
            if not isinstance(a, torch.Tensor):
                arrays.append(a)
                continue
            if a.dtype in _WIDE and not jax.config.jax_enable_x64:
                single = torch.float32 if a.dtype == torch.float64 else torch.complex64
                raise TypeError(
                    f"to_torch: argument {i} has dtype {a.dtype}, but JAX runs in single precision "
                    f"(jax_enable_x64 is off); cast it to {single} or enable float64 in JAX"
                )
            device = a.device if device is None else device
            arrays.append(_to_jax(a, f"to_torch (argument {i})"))
            borrowed.append(arrays[-1])
        return device or torch.device("cpu"), arrays, borrowed

    def outputs(self, outputs, device, borrowed, box, ctx=None):
        """Tensors on ``device`` for ``fn``'s outputs (an array or a tuple/list of arrays)."""
        single = isinstance(outputs, jax.Array)
        leaves = [outputs] if single else list(outputs) if isinstance(outputs, (tuple, list)) else None
        if leaves is None or not all(isinstance(o, jax.Array) for o in leaves):
            raise TypeError(f"to_torch: fn must return an array or a tuple of arrays, got {type(outputs).__name__}")
        box["single"] = single
        tensors = []
        for o in leaves:
            tensors.append(_to_torch(o, device, borrowed))
            borrowed = [*borrowed, o]  # two outputs never share a buffer either
            if ctx is not None and not jnp.issubdtype(o.dtype, jnp.inexact):
                ctx.mark_non_differentiable(tensors[-1])
        return tuple(tensors)


def to_torch(fn):
    r"""Turn a JAX function of arrays into a torch function with autograd through ``jax.vjp``.

    The forward runs ``jax.jit(fn)``; when a tensor argument requires a
    gradient it runs the compiled ``jax.vjp(fn, ...)`` instead and keeps the
    pullback for the backward. A whole jaxlops solve (``lambda y:
    jl.cgls(Op, y, niter=50).x``) becomes one differentiable torch operation,
    differentiated as JAX differentiates it (implicitly, for the least-squares
    solvers). Tensors cross as in :class:`TorchOperator`.

    Parameters
    ----------
    fn : callable
        A function of JAX arrays returning an array or a tuple of arrays. Tensor
        arguments become JAX arrays; other arguments (numbers, NumPy arrays,
        jaxlops operators) are passed as they are, traced by ``jax.jit`` and
        not differentiated.

    Returns
    -------
    callable
        The torch function: tensors in, tensors on the first tensor's device out.

    Notes
    -----
    For complex inputs and outputs the gradient follows torch's convention
    (the conjugate Wirtinger derivative): ``conj(vjp(conj(g)))`` in JAX's terms.
    With ``jax_enable_x64`` off, float64 and complex128 tensors are refused
    rather than silently rounded to single precision.

    PyLops equivalent: none (PyLops' ``TorchOperator`` wraps one operator).

    Examples
    --------
    >>> import numpy as np, torch, jaxlops as jl
    >>> from jaxlops.interop import to_torch
    >>> Op = jl.MatrixMult(np.array([[2.0, 0.0], [0.0, 4.0]]), dtype="float32")
    >>> solve = to_torch(lambda y: jl.cgls(Op, y, niter=10).x)
    >>> y = torch.tensor([2.0, 4.0], requires_grad=True)
    >>> x = solve(y)
    >>> x.sum().backward()
    >>> x.detach().round(decimals=4), y.grad.round(decimals=4)
    (tensor([1., 1.]), tensor([0.5000, 0.2500]))
    """
    if not callable(fn):
        raise TypeError(f"to_torch: fn must be callable, got {type(fn).__name__}")
    return _TorchFunction(fn)
