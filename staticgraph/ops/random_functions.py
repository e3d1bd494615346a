"""Random functions: normal samples drawn anew each time the executable runs."""

import numpy as np

from .. import dtypes
from ..errors import DTypeError
from ..node import Node, NodeShape
from . import random_ops
from .functional import apply


def random_generator_attributes(seed, generator):
    """Return the node attributes that give a random op its own generator, if any.

    A ``seed`` creates ``numpy.random.default_rng(seed)``; a ``generator`` is used
    as is, so its state advances with every run. With neither, the op draws from
    the global generator at run time.
    """
    if seed is not None and generator is not None:
        raise ValueError("pass either seed or generator, not both")
    if generator is not None:
        if not isinstance(generator, np.random.Generator):
            raise TypeError(f"generator must be a numpy.random.Generator, got {type(generator).__name__}")
        return {"generator": generator}
    return {} if seed is None else {"generator": np.random.default_rng(seed)}


def random_normal(shape, mean=0.0, std=1.0, seed=None, dtype=None, training=None, generator=None):
    """Normal samples, drawn anew each time the executable runs.

    ``shape`` is a tuple of ints, or a Node whose run-time shape (and, unless
    ``dtype`` is given, dtype) the sample takes, so it works with ``None`` dims.
    With ``seed`` the op owns ``numpy.random.default_rng(seed)``, with ``generator``
    it draws from that generator, and with neither from the global generator
    (``staticgraph.manual_seed``).

    ``training`` is an optional bool scalar node (usually a placeholder). When it
    is fed ``False`` the op returns zeros without drawing, so one compiled
    executable adds noise in training and none in evaluation.
    """
    inputs = []
    if isinstance(shape, Node):
        like = shape
        inputs.append(like)
        dtype = like.dtype if dtype is None else np.dtype(dtype)
        static_shape = None
    else:
        static_shape = tuple(int(dim) for dim in shape)
        dtype = dtypes.float32 if dtype is None else np.dtype(dtype)
    if not dtypes.is_floating(dtype):
        raise DTypeError(f"random_normal: dtype must be floating, got {dtype}")
    if training is not None:
        if not isinstance(training, Node) or training.dtype != np.dtype(bool) or training.shape != ():
            raise DTypeError(
                "random_normal: training must be a bool scalar node, e.g. placeholder(staticgraph.bool, (), name='training')"
            )
        inputs.append(training)
    op = random_ops.RandomNormal(static_shape, float(mean), float(std), seed, dtype, bool(static_shape is None), training is not None)
    return apply(op, inputs, **random_generator_attributes(seed, generator))


def normal(mean=0.0, std=1.0, size=(), *, seed=None, dtype=None, training=None, generator=None):
    """Samples of N(mean, std**2), float32 unless ``dtype`` is given; drawn anew on every run.

    The argument order follows ``numpy.random.Generator.normal``. ``size`` is a
    tuple of ints, or a node's ``.shape``: when that shape has None dims the
    sample takes the node's run-time shape. ``seed``, ``generator`` and ``training``
    are as in ``random_normal``.
    """
    dtype = dtypes.float32 if dtype is None else np.dtype(dtype)
    if isinstance(size, Node):
        size = size.shape
    if isinstance(size, NodeShape) and None in size:
        return random_normal(size.node, mean, std, seed, dtype, training, generator)
    if isinstance(size, (int, np.integer)):
        size = (int(size),)
    if any(dim is None for dim in size):
        raise ValueError(
            f"normal: size {tuple(size)} has unknown dims; pass size=x.shape of a node (or the node itself) "
            "so the sample takes its run-time shape"
        )
    return random_normal(tuple(size), mean, std, seed, dtype, training, generator)
