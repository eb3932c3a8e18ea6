"""2-D convolution operator."""

from __future__ import annotations

import jax.numpy as jnp

from jaxlops.linearoperator import static_field
from jaxlops.signalprocessing.convolvend import ConvolveND

__all__ = ["Convolve2D"]


class Convolve2D(ConvolveND):
    r"""2-D convolution with a compact filter along a pair of ``axes``.

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape, with at least two axes.
    h : array_like
        2-D filter; ``h``'s axis ``i`` runs along ``axes[i]`` (for a 2-D
        model, as in PyLops, along axis ``i`` whatever ``axes``). It is a
        pytree leaf, differentiable.
    offset : tuple of int, optional
        Index of the centre of the filter along each of its two axes.
    axes : tuple of int, optional
        The two axes of ``dims`` along which the filter runs.
    method : {"fft", "direct", "auto"}, optional
        ``"fft"``: products of real 2-D FFTs of lengths
        ``dims + h.shape - 1`` rounded up to 5-smooth numbers; ``"direct"``:
        sums of shifted copies of the input, a compiled loop over the filter
        rows; ``"auto"`` (or ``None``): ``"direct"`` up to 100 taps (64 for a
        complex dtype), the crossovers measured on CPU (at 512x512 in
        float64, forward and adjoint take 1.7 ms with a 5x5 filter, 4.2 ms
        with 9x9 and 7.6 ms with 13x13; fft 9-10 ms). ``Op.method`` holds
        the method used.
    dtype : str or numpy.dtype, optional
        Operator dtype: ``h`` is cast to it (to its complex counterpart
        when ``h`` is complex).

    Notes
    -----
    With :math:`(o_1, o_2)` the offset, along ``axes``,

    .. math:: y_{i,j} = \sum_{k,l} h_{i + o_1 - k,\, j + o_2 - l}\, x_{k,l}, \qquad
              x_{k,l} = \sum_{i,j} \bar h_{i + o_1 - k,\, j + o_2 - l}\, y_{i,j}
              \;\text{(adjoint: correlation)},

    with zeros outside the filter and outside the model, at every edge.

    PyLops equivalent: ``pylops.signalprocessing.Convolve2D(dims, h, offset, axes, method, dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.signalprocessing.convolve2d import Convolve2D
    >>> C = Convolve2D((3, 3), jnp.ones((2, 2)), offset=(1, 1), method="direct", dtype="float32")
    >>> C @ jnp.zeros((3, 3)).at[1, 1].set(1.0)
    Array([[1., 1., 0.],
           [1., 1., 0.],
           [0., 0., 0.]], dtype=float32)
    >>> C.H @ jnp.zeros((3, 3)).at[1, 1].set(1.0)
    Array([[0., 0., 0.],
           [0., 1., 1.],
           [0., 1., 1.]], dtype=float32)
    """

    offset: tuple = static_field(default=(0, 0))

    def __post_init__(self):
        if jnp.ndim(self.h) != 2:
            raise ValueError(f"Convolve2D: h must be 2-D, got shape {jnp.shape(self.h)}")
        super().__post_init__()
