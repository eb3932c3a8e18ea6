"""The one differentiation rule shared by every operator.

Every application of an operator (``Op @ x``, ``Op.H @ y``) binds the primitive
``jaxlops_apply`` defined here. Its operands are the operator's pytree leaves
followed by the input array; its static parameters are the operator's treedef,
which way it is applied, and the stack of ``vmap`` layers it has gone through.

The rules make every JAX transformation understand operators:

* forward mode (``jvp``/``jacfwd``): the operator is linear in its input, so the
  tangent with respect to ``x`` is the operator applied to the tangent; the
  tangent with respect to the operator's leaves comes from autodiff of
  ``_matvec`` in those leaves;
* reverse mode (``grad``/``vjp``/``linear_transpose``): the transpose with
  respect to ``x`` is the *hand-written* adjoint. JAX transposes without
  conjugation, so the rule is ``conj . _rmatvec . conj``;
* batching (``vmap``): a batch becomes one more ``vmap`` layer around the raw
  forward code, i.e. one batched call rather than a loop.

``jax.custom_vjp`` would give the reverse rule but break forward mode, and
``linear_call`` has no batching rule; a primitive gives all of them.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
from jax.extend.core import Primitive
from jax.interpreters import ad, batching, mlir

__all__ = ["apply"]

_apply_p = Primitive("jaxlops_apply")


def apply(op, x, adjoint=False):
    """Apply ``op`` (or its adjoint) to ``x`` of its size, reshaped to ``op.dims``
    (``op.dimsd``); the result is shaped ``op.dimsd`` (``op.dims``).
    """
    leaves, treedef = jax.tree_util.tree_flatten(op)
    x = x.reshape(op.dimsd if adjoint else op.dims)
    return _apply_p.bind(*leaves, x, treedef=treedef, adjoint=adjoint, layers=())


@functools.lru_cache(maxsize=4096)
def _raw(treedef, adjoint, layers):
    """The operator's own forward (or adjoint) code, vmapped once per layer.

    ``layers`` lists the batch axes of the leaves, innermost layer first; the
    input is always batched along axis 0 of every layer (see ``_batch``).
    """

    def fun(*args):
        op = jax.tree_util.tree_unflatten(treedef, args[:-1])
        return op._rmatvec(args[-1]) if adjoint else op._matvec(args[-1])

    for leaf_axes in layers:
        fun = jax.vmap(fun, in_axes=(*leaf_axes, 0))
    return fun


@functools.lru_cache(maxsize=4096)
def _compiled(treedef, adjoint, layers):
    return jax.jit(_raw(treedef, adjoint, layers))


def _impl(*args, treedef, adjoint, layers):
    return _compiled(treedef, adjoint, layers)(*args)


@functools.lru_cache(maxsize=4096)
def _abstract_eval_cached(avals, treedef, adjoint, layers):
    out = jax.eval_shape(_raw(treedef, adjoint, layers), *avals)
    batch = tuple(avals[-1].shape[: len(layers)])
    op = jax.tree_util.tree_unflatten(treedef, [object()] * treedef.num_leaves)
    expected = batch + tuple(op.dims if adjoint else op.dimsd)
    if tuple(out.shape) != expected:
        method = "_rmatvec" if adjoint else "_matvec"
        raise ValueError(
            f"{type(op).__name__}.{method} returned an array of shape "
            f"{tuple(out.shape)[len(batch):]}, expected "
            f"{'dims' if adjoint else 'dimsd'}={expected[len(batch):]}"
        )
    return jax.core.ShapedArray(out.shape, out.dtype)


def _abstract_eval(*avals, treedef, adjoint, layers):
    avals = tuple(jax.core.ShapedArray(a.shape, a.dtype, weak_type=a.weak_type) for a in avals)
    return _abstract_eval_cached(avals, treedef, adjoint, layers)


def _jvp(primals, tangents, *, treedef, adjoint, layers):
    *leaves, x = primals
    *dleaves, dx = tangents
    params = dict(treedef=treedef, adjoint=adjoint, layers=layers)
    y = _apply_p.bind(*leaves, x, **params)
    dy = None
    if type(dx) is not ad.Zero:
        dy = _apply_p.bind(*leaves, dx, **params)
    active = [i for i, t in enumerate(dleaves) if type(t) is not ad.Zero]
    if active:
        raw = _raw(treedef, adjoint, layers)

        def in_leaves(*values):
            args = list(leaves)
            for i, v in zip(active, values):
                args[i] = v
            return raw(*args, x)

        _, dy_leaves = jax.jvp(
            in_leaves, [leaves[i] for i in active], [dleaves[i] for i in active]
        )
        dy = dy_leaves if dy is None else dy + dy_leaves
    if dy is None:
        dy = ad.Zero.from_primal_value(y)
    return y, dy


def _transpose(ct, *args, treedef, adjoint, layers):
    *leaves, x = args
    if not ad.is_undefined_primal(x) or any(map(ad.is_undefined_primal, leaves)):
        raise NotImplementedError(
            "jaxlops operators are linear in their input only; transposition "
            "with respect to operator parameters is not defined"
        )
    no_leaf_cts = [None] * len(leaves)
    if type(ct) is ad.Zero:
        return [*no_leaf_cts, ad.Zero(x.aval)]
    ct = jnp.conj(ct) if jnp.iscomplexobj(ct) else ct
    ct_x = _apply_p.bind(*leaves, ct, treedef=treedef, adjoint=not adjoint, layers=layers)
    if jnp.iscomplexobj(ct_x):
        ct_x = jnp.conj(ct_x)
        if not jnp.issubdtype(x.aval.dtype, jnp.complexfloating):
            # The cotangent of a real input is the real part (real-linear map).
            ct_x = ct_x.real
    return [*no_leaf_cts, ct_x.astype(x.aval.dtype)]


def _batch(args, dims, *, treedef, adjoint, layers):
    *leaves, x = args
    *leaf_dims, x_dim = dims
    size = next(a.shape[d] for a, d in zip(args, dims) if d is not None)
    # The input always carries the batch on axis 0 so that the output, the
    # input, and (under transposition) the cotangent share one layout.
    x = batching.bdim_at_front(x, x_dim, size)
    layers = (*layers, tuple(leaf_dims))
    return _apply_p.bind(*leaves, x, treedef=treedef, adjoint=adjoint, layers=layers), 0


_apply_p.def_impl(_impl)
_apply_p.def_abstract_eval(_abstract_eval)
ad.primitive_jvps[_apply_p] = _jvp
ad.primitive_transposes[_apply_p] = _transpose
batching.primitive_batchers[_apply_p] = _batch


def _lower(*args, treedef, adjoint, layers):
    return _raw(treedef, adjoint, layers)(*args)


mlir.register_lowering(_apply_p, mlir.lower_fun(_lower, multiple_results=False))
