"""Shapes and float64 arrays for property tests.

Shapes stay small (at most three dims of at most four elements) so that one
example runs in milliseconds and finite differences stay cheap. Size-0 dims
are not drawn: every op here is tested on non-empty tensors.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

MAX_DIMS = 3
MAX_SIDE = 4


def shapes(min_dims=0, max_dims=MAX_DIMS, max_side=MAX_SIDE):
    """Draw a shape, including 0-d and size-1 dims."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side)


def broadcast_shapes(count, min_dims=0, max_dims=MAX_DIMS, max_side=MAX_SIDE):
    """Draw ``count`` mutually broadcast-compatible shapes as a tuple."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=count, min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side
    ).map(lambda drawn: drawn.input_shapes)


@st.composite
def matmul_shapes(draw):
    """Draw ``(a_shape, b_shape)`` that ``matmul`` accepts: 1-d to 3-d, batch dims broadcast."""
    a_ndim = draw(st.integers(1, 3))
    b_ndim = draw(st.integers(1, 3))
    n, k, m = (draw(st.integers(1, MAX_SIDE)) for _ in range(3))
    batch = draw(broadcast_shapes(2, max_dims=1))
    a_shape = (k,) if a_ndim == 1 else (n, k)
    b_shape = (k,) if b_ndim == 1 else (k, m)
    if a_ndim == 3:
        a_shape = batch[0] + a_shape if batch[0] else (1,) + a_shape
    if b_ndim == 3:
        b_shape = batch[1] + b_shape if batch[1] else (1,) + b_shape
    return a_shape, b_shape


@st.composite
def concat_shapes(draw, min_dims=1):
    """Draw ``(shapes, dim)``: one to three shapes that differ only along ``dim``."""
    base = draw(shapes(min_dims=min_dims))
    dim = draw(st.integers(-len(base), len(base) - 1)) if base else 0
    count = draw(st.integers(1, 3))
    result = []
    for _ in range(count):
        shape = list(base)
        if shape:
            shape[dim] = draw(st.integers(1, MAX_SIDE))
        result.append(tuple(shape))
    return tuple(result), dim


def float_arrays(shape, low=-3.0, high=3.0):
    """Draw a float64 array of ``shape`` with elements in ``[low, high]``.

    Elements are drawn one by one (no fill value), so equal elements, which
    would put ``max`` reductions on a tie, are as rare as chance makes them.
    """
    size = int(np.prod(shape, dtype=np.int64))
    elements = st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    return st.lists(elements, min_size=size, max_size=size).map(
        lambda values: np.array(values, dtype=np.float64).reshape(shape)
    )


def is_broadcastable(*shapes_):
    """Return whether the shapes broadcast together under NumPy's rules."""
    try:
        np.broadcast_shapes(*shapes_)
    except ValueError:
        return False
    return True


def is_matmul_compatible(a_shape, b_shape):
    """Return whether ``matmul`` accepts operands of these shapes (1-d or more)."""
    if not a_shape or not b_shape:
        return False
    inner_a = a_shape[-1]
    inner_b = b_shape[0] if len(b_shape) == 1 else b_shape[-2]
    if inner_a != inner_b:
        return False
    return is_broadcastable(a_shape[:-2], b_shape[:-2])
