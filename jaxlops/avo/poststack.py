"""Post-stack linearised seismic modelling and inversion (PyLops' ``pylops.avo.poststack``)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops._eager import compiled_when_eager
from jaxlops._validation import as_array, as_dims
from jaxlops.avo._modelling import ConvolvedDerivative, as_nt0, check_kind, check_wavelet, dense_matrix
from jaxlops.avo._solvers import blocky, explicit_solve, least_squares, regularized, single_value
from jaxlops.basicoperators.firstderivative import FirstDerivative
from jaxlops.basicoperators.matrixmult import MatrixMult
from jaxlops.signalprocessing.convolve1d import Convolve1D
from jaxlops.signalprocessing.convolvend import SYMMETRIES, check_symmetry, symmetric_part
from jaxlops.signalprocessing.nonstatconvolve1d import NonStationaryConvolve1D
from jaxlops.utils.dottest import dottest as _dottest

__all__ = ["PoststackInversion", "PoststackLinearModelling"]


def PoststackLinearModelling(wav, nt0, spatdims=None, explicit=False, sparse=False, kind="centered", *,
                             symmetry=None):
    r"""Post-stack linearised seismic modelling operator.

    Models band-limited zero-offset data from a profile (or section, or
    volume) of the logarithm of an elastic parameter, time along axis 0:

    .. math::
        d(t) = w(t) * \frac{\mathrm{d} m(t)}{\mathrm{d} t}, \qquad
        \mathbf{d} = \mathbf{W}\mathbf{D}\mathbf{m},

    with :math:`m = \ln \mathrm{AI}` (for zero-offset data of acoustic
    impedance, put the factor :math:`\tfrac12` in the wavelet),
    :math:`\mathbf{D}` the first derivative (unit sampling) and
    :math:`\mathbf{W}` the convolution with the wavelet. With a 2-D ``wav``,
    model sample :math:`j` spreads through its own wavelet:
    :math:`d_t = \sum_k w_{j,k} (\mathbf{D}\mathbf{m})_j` with
    :math:`j = t - k + n_\text{wav}//2`.

    Parameters
    ----------
    wav : array_like
        Wavelet, odd length and centred on its middle sample: 1-D
        (stationary) or 2-D of shape ``(nt0, nwav)``, one wavelet per time
        sample (non-stationary). Its dtype is the operator's.
    nt0 : int
        Number of time samples (at least 3).
    spatdims : int or tuple of int, optional
        Spatial shape (``None`` for a single trace).
    explicit : bool, optional
        ``True``: a :class:`~jaxlops.MatrixMult` with the dense
        ``(nt0, nt0)`` matrix :math:`\mathbf{W}\mathbf{D}` (its ``A``),
        applied to every trace; ``False``: matrix-free, ``Convolve1D(dims,
        wav, offset=nwav // 2, axis=0)`` after ``FirstDerivative(dims,
        axis=0, kind=kind)`` as in PyLops, the adjoint as one convolution
        with the wavelet convolved with the derivative's stencil plus a
        correction of the end samples (the same operator, its adjoint 1.6
        times faster); for a 2-D ``wav``, or one longer than ``nt0``,
        ``NonStationaryConvolve1D(...) @ FirstDerivative(...)``, with one
        wavelet per time sample, or one for all.
    sparse : bool, optional
        Accepted for compatibility; the explicit matrix is always dense here.
    kind : {"centered", "forward"}, optional
        Derivative stencil.
    symmetry : {None, "even", "odd"}, optional
        Declares a 1-D wavelet symmetric (``"even"``: zero phase, as a
        Ricker wavelet) or antisymmetric (``"odd"``): the matrix-free
        operator then multiplies each pair of taps once in both
        convolutions, forward and adjoint (see
        :class:`~jaxlops.signalprocessing.Convolve1D`'s ``symmetry``: the
        operator uses the wavelet's (anti)symmetric part, which is the
        wavelet itself when the declaration holds; it is checked when
        ``wav`` is concrete). Keyword only; not in PyLops.

    Returns
    -------
    LinearOperator
        Model and data shaped ``(nt0, *spatdims)``. ``wav`` is a pytree leaf
        of it (the dense matrix when ``explicit=True``): the operator can be
        built under ``jax.jit`` and differentiated with respect to ``wav``.

    Notes
    -----
    PyLops equivalent: ``pylops.avo.poststack.PoststackLinearModelling(wav,
    nt0, spatdims, explicit, sparse, kind)`` (same numbers). PyLops applies a
    2-D wavelet through a dense ``(nt0, nt0)`` matrix even when
    ``explicit=False``, and does not check that the wavelet length is odd;
    with ``explicit=False`` and a wavelet longer than ``nt0`` its data are
    as long as the wavelet, or it fails, where here they keep ``nt0``
    samples (those of the explicit matrix).

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.avo.poststack import PoststackLinearModelling
    >>> Op = PoststackLinearModelling(jnp.array([-0.5, 1.0, -0.5]), nt0=6)
    >>> Op @ jnp.array([0.0, 0.0, 1.0, 1.0, 1.0, 1.0])
    Array([-0.25,  0.25,  0.25, -0.25,  0.  ,  0.  ], dtype=float32)
    >>> Op.shape == PoststackLinearModelling(jnp.ones(3), 6, explicit=True).shape
    True
    """
    name = "PoststackLinearModelling"
    nt0 = as_nt0(name, nt0)
    dims = (nt0,) if spatdims is None else (nt0, *as_dims(name, "spatdims", spatdims))
    wav = check_wavelet(name, wav, nt0)
    kind = check_kind(name, kind)
    if symmetry is not None and wav.ndim != 1:
        raise ValueError(f"{name}: symmetry applies to a 1-D wavelet, got symmetry={symmetry!r} with a wavelet "
                         f"of shape {wav.shape}")
    wav = symmetric_part(wav, 0, check_symmetry(name, symmetry, wav, 0))
    if explicit:
        otherdims = None if spatdims is None else dims[1:]
        return MatrixMult(dense_matrix(wav, nt0, kind), otherdims=otherdims, dtype=wav.dtype)
    D = FirstDerivative(dims, axis=0, kind=kind, dtype=wav.dtype)
    if wav.ndim == 1 and wav.shape[0] <= nt0:
        conv = Convolve1D(dims, wav, offset=wav.shape[0] // 2, axis=0, dtype=wav.dtype, symmetry=symmetry)
        return ConvolvedDerivative(conv, D)
    # Convolve1D's data would be as long as a longer wavelet: one filter for every sample keeps nt0 samples
    hs, ih = (wav, np.arange(nt0)) if wav.ndim == 2 else (wav[None], np.zeros(1, int))
    return NonStationaryConvolve1D(dims, hs, ih, axis=0, dtype=wav.dtype) @ D


def PoststackInversion(data, wav, m0=None, explicit=False, simultaneous=False, epsI=None, epsR=None, dottest=False,
                       epsRL1=None, *, symmetry="auto", **kwargs_solver):
    r"""Post-stack linearised seismic inversion.

    Estimates :math:`\mathbf{m}` (e.g. :math:`\ln\mathrm{AI}`) from post-stack
    data :math:`\mathbf{d}` modelled by :func:`PoststackLinearModelling`
    (:math:`\mathbf{G} = \mathbf{W}\mathbf{D}`), with PyLops' choice of
    problem and solver:

    * ``epsR=None``: the data minus those of ``m0``, :math:`\Delta\mathbf{d}`,
      are inverted for :math:`\Delta\mathbf{m}` and ``m0`` added back:

      - ``explicit=True, simultaneous=False``: the least-squares (minimum
        norm) solution of :math:`\mathbf{G}\Delta\mathbf{m} = \Delta\mathbf{d}`
        (with ``epsI``, of :math:`(\mathbf{G}^H\mathbf{G} + \epsilon_I
        \mathbf{I})\Delta\mathbf{m} = \mathbf{G}^H\Delta\mathbf{d}`), for
        all traces at once, as SciPy's ``lstsq`` (singular values below
        ``cond`` times the largest dropped): one SVD of the ``(nt0, nt0)``
        matrix; with ``epsI``, one Cholesky factorisation of the normal
        matrix (its eigendecomposition if ``epsI`` is below ``cond`` times
        its trace, where ``lstsq`` may drop some);
      - ``explicit=True, simultaneous=True``: the same systems, all traces
        together, by :func:`~jaxlops.lsqr`;
      - ``explicit=False``: :math:`\min \|\Delta\mathbf{d} - \mathbf{G}\Delta\mathbf{m}\|_2^2`
        by :func:`~jaxlops.lsqr` (``epsI`` is not used, as in PyLops);

    * ``epsR`` without ``epsRL1``: :math:`\min \|\mathbf{d} - \mathbf{G}\mathbf{m}\|_2^2
      + \epsilon_R^2\|\nabla^2\mathbf{m}\|_2^2` from ``m0`` by
      :func:`~jaxlops.lsqr` on the stacked operator (``engine="pylops"``:
      :func:`~jaxlops.regularized_inversion`, CGLS), :math:`\nabla^2` the
      Laplacian (the second derivative for one trace, the spatial Laplacian
      for a volume);
    * ``epsR`` and ``epsRL1``: :math:`\min \frac{\mu}{2}\|\mathbf{d} -
      \mathbf{G}\mathbf{m}\|_2^2 + \frac{\epsilon_R}{2}\|\nabla^2_x\mathbf{m}\|_2^2
      + \epsilon_{RL1}\|\mathbf{D}_t\mathbf{m}\|_1` (blocky in time, smooth
      in space) from ``m0`` by :func:`~jaxlops.splitbregman`; no spatial
      term for one trace.

    Parameters
    ----------
    data : array_like
        Data, shape ``(nt0,)``, ``(nt0, nx)`` or ``(nt0, nx, ny)``.
    wav : array_like
        Wavelet: 1-D, or 2-D ``(nt0, nwav)`` (non-stationary); odd length.
    m0 : array_like, optional
        Background (starting) model, shaped like ``data``.
    explicit : bool, optional
        Dense matrix (``True``) or matrix-free (``False``) modelling operator.
    simultaneous : bool, optional
        With ``explicit=True`` and ``epsR=None``: iterative solve of all
        traces together instead of the direct one.
    epsI : float, optional
        Damping added to :math:`\mathbf{G}^H\mathbf{G}` (explicit only).
    epsR : float, optional
        Weight of the spatial (Laplacian) regularisation.
    dottest : bool, optional
        Run :func:`jaxlops.utils.dottest` on the modelling operator first
        (eagerly: not under ``jax.jit``).
    epsRL1 : float, optional
        Weight of the blockiness (L1) regularisation; needs ``epsR``.
    symmetry : {"auto", None, "even", "odd"}, optional
        The wavelet's symmetry, passed to :func:`PoststackLinearModelling`
        (whose convolutions then multiply each pair of taps once).
        ``"auto"``: found from a concrete wavelet (see Notes), ``None`` for a
        traced one; ``"even"`` or ``"odd"`` declare it, e.g. for a wavelet
        traced under ``jax.jit`` that is symmetric by construction (checked
        when concrete). Keyword only; not in PyLops.
    **kwargs_solver
        PyLops' solver arguments: ``cond`` for the direct solves (singular
        values at most ``cond`` times the largest are dropped, as in SciPy's
        ``lstsq``; by default ``max(M, N)`` times the machine precision,
        NumPy's ``lstsq`` rule, where SciPy and PyLops use the machine
        precision, which on the singular post-stack matrix keeps singular
        values that are rounding noise: with this default the noise-free
        trace-by-trace inversion is at least as accurate as PyLops');
        ``damp``, ``atol``, ``btol``,
        ``conlim``, ``iter_lim`` (or ``niter``), ``show`` and ``x0`` for
        :func:`~jaxlops.lsqr`, with SciPy's defaults (``1e-6``, ``1e-6``,
        ``1e8``, twice the model size) and stopping tests
        (``stopping="scipy"``); ``engine`` with ``epsR``; ``mu``,
        ``niter_outer``, ``niter_inner`` and the rest of
        :func:`~jaxlops.splitbregman`'s with ``epsRL1``.

    Returns
    -------
    minv : jax.Array
        Inverted model, shaped like ``data``.
    datar : jax.Array
        Residual: :math:`\mathbf{d} - \mathbf{G}\,\mathbf{m}_\text{inv}`.

    Notes
    -----
    The whole inversion is traceable: ``jax.jit(lambda d, w:
    PoststackInversion(d, w, epsR=5.0, iter_lim=80))`` compiles it into one
    program (flags, ``iter_lim`` and the other iteration counts static;
    ``epsI``, ``epsR``, ``epsRL1``, ``damp`` and the arrays may be traced).

    With ``symmetry="auto"``, a concrete 1-D wavelet equal to its mirror
    image (zero phase, as PyLops' Ricker wavelet) or to its negative, sample
    for sample, is detected: the modelling operator is then built with
    ``PoststackLinearModelling``'s ``symmetry``, whose convolutions multiply
    each pair of taps once (the same operator; the blocky inversion runs
    about 1.15-1.25 times faster). A wavelet traced by ``jax.jit`` cannot be
    inspected: close over it (``jax.jit(lambda d: PoststackInversion(d,
    wav, ...))``) or declare its symmetry.

    PyLops equivalent: ``pylops.avo.poststack.PoststackInversion(data, wav,
    m0, explicit, simultaneous, epsI, epsR, dottest, epsRL1, **kwargs_solver)``,
    same numbers (with ``engine="scipy"``, PyLops' default). Differences:
    PyLops solves each system with ``explicit=True, simultaneous=True`` and
    ``epsI`` against :math:`\Delta\mathbf{d}` rather than
    :math:`\mathbf{G}^H\Delta\mathbf{d}` (a bug) and fails for one trace
    with ``epsRL1``; it ignores ``epsRL1`` without ``epsR``, which raises here;
    for a complex wavelet its normal equations use :math:`\mathbf{G}^T` where
    these use :math:`\mathbf{G}^H`. ``dottest=True`` prints jaxlops' dot test.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.avo.poststack import PoststackInversion, PoststackLinearModelling
    >>> wav = jnp.array([-0.2, 0.5, 1.0, 0.5, -0.2])
    >>> m = jnp.zeros((40, 3)).at[20:].set(1.0)           # a step in every trace
    >>> d = PoststackLinearModelling(wav, 40, spatdims=3) @ m
    >>> m0 = jnp.full((40, 3), 0.5)                         # a flat background
    >>> minv, datar = PoststackInversion(d, wav, m0=m0, explicit=True, cond=1e-3)  # one SVD, all traces
    >>> bool(jnp.allclose(minv, m, atol=1e-3)), bool(jnp.abs(datar).max() < 1e-3)
    (True, True)
    >>> minv, _ = PoststackInversion(d, wav, m0=m0, epsR=0.1, epsRL1=0.1, niter_outer=10, iter_lim=20)  # blocky
    >>> bool(jnp.allclose(minv, m, atol=0.02))
    True
    """
    symmetry = _exact_symmetry(wav) if symmetry == "auto" else _declared_symmetry(symmetry, wav)
    return _poststack_inversion(data, wav, m0, explicit, simultaneous, epsI, epsR, dottest, epsRL1, symmetry,
                                **kwargs_solver)


def _concrete(wav):
    """``wav`` as a NumPy array, or ``None`` if it is traced or not an array of numbers (left for
    PoststackInversion's own checks to report)."""
    if isinstance(wav, jax.core.Tracer) or wav is None:
        return None
    try:
        wav = np.asarray(wav)
    except (TypeError, ValueError):
        return None
    return wav if np.issubdtype(wav.dtype, np.number) else None


def _declared_symmetry(symmetry, wav):
    """``symmetry`` as given, checked here while a NumPy wavelet is still concrete (inside the
    compiled program it is traced)."""
    if symmetry not in SYMMETRIES:
        raise ValueError(f"PoststackInversion: symmetry must be 'auto' or one of {SYMMETRIES}, got {symmetry!r}")
    wav = _concrete(wav)
    if symmetry is not None and wav is not None and wav.ndim == 1:
        check_symmetry("PoststackInversion", symmetry, wav, 0)
    return symmetry


def _exact_symmetry(wav):
    """``"even"`` or ``"odd"`` if a concrete 1-D ``wav`` equals its mirror image, or its negative,
    sample for sample (as PyLops' Ricker wavelet); ``None`` otherwise, or when ``wav`` is traced."""
    wav = _concrete(wav)
    if wav is None or wav.ndim != 1:
        return None
    if np.array_equal(wav, wav[::-1]):
        return "even"
    if np.array_equal(wav, -wav[::-1]) and np.any(wav != 0):
        return "odd"
    return None


@compiled_when_eager(eager_if=("dottest",))
def _poststack_inversion(data, wav, m0, explicit, simultaneous, epsI, epsR, dottest, epsRL1, symmetry,
                         **kwargs_solver):
    """:func:`PoststackInversion` for a wavelet with ``symmetry`` (one compiled program per setting)."""
    name = "PoststackInversion"
    data = as_array(name, "data", data)
    if data.ndim not in (1, 2, 3):
        raise ValueError(f"{name}: data must be 1-D (nt0,), 2-D (nt0, nx) or 3-D (nt0, nx, ny), "
                         f"got shape {data.shape}")
    nt0 = as_nt0(name, data.shape[0])
    wav = check_wavelet(name, wav, nt0)
    if m0 is not None:
        m0 = as_array(name, "m0", m0)
        if m0.shape != data.shape:
            raise ValueError(f"{name}: m0 must have the shape of data {data.shape}, got {m0.shape}")
    if epsRL1 is not None and epsR is None:
        raise ValueError(f"{name}: epsRL1 needs epsR (the spatial regularisation weight), got epsR=None")
    epsR, epsRL1 = single_value(name, "epsR", epsR), single_value(name, "epsRL1", epsRL1)
    PPop = PoststackLinearModelling(wav, nt0, spatdims=data.shape[1:] or None, explicit=explicit, symmetry=symmetry)
    if dottest:
        _dottest(PPop, raiseerror=True, verb=True)

    kwargs = dict(kwargs_solver)
    if epsR is None:
        datar = data if m0 is None else data - PPop @ m0
        if explicit and not simultaneous:
            minv = explicit_solve(name, PPop.A, datar, epsI, kwargs)
        elif explicit and epsI is not None:
            A = PPop.A
            normal = jnp.conj(A.T) @ A + epsI * jnp.eye(nt0, dtype=A.dtype)
            normal = MatrixMult(normal, otherdims=data.shape[1:] or None, dtype=normal.dtype)
            minv = least_squares(name, normal, PPop.H @ datar, kwargs, "explicit=True, simultaneous=True")
        else:
            minv = least_squares(name, PPop, datar, kwargs, "epsR=None")
        datar = datar - PPop @ minv
        return (minv if m0 is None else minv + m0), datar
    if epsRL1 is None:
        minv = regularized(name, PPop, data, m0, epsR, kwargs)
    else:
        minv = blocky(PPop, data, m0, epsR, epsRL1, kwargs)
    return minv, data - PPop @ minv
