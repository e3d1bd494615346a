"""Leaf nodes: placeholders (fed at run time), variables (state) and constants."""

import numpy as np

from . import dtypes
from .errors import DTypeError, ShapeError
from .graph import get_default_graph
from .node import Node, check_not_module, format_shape


def _normalize_shape(shape):
    if shape is None:
        raise ValueError(
            "placeholder shape None (unknown rank) is not supported; give a tuple with None "
            "for the dims that vary, e.g. shape=(None, 4)"
        )
    if isinstance(shape, int):
        shape = (shape,)
    dims = []
    for dim in shape:
        if dim is not None and (not isinstance(dim, (int, np.integer)) or dim < 0):
            raise ShapeError(f"invalid dim {dim!r} in shape {shape!r}; use non-negative ints or None")
        dims.append(None if dim is None else int(dim))
    return tuple(dims)


def placeholder(dtype, shape=(), name=None):
    """Add an input that is fed when the graph runs.

    ``shape`` is a tuple whose ``None`` dims take any size at run time, so one
    compiled executable serves every batch size. The default ``()`` is a scalar.
    """
    dtype = np.dtype(dtype)
    dtypes.category(dtype)
    graph = get_default_graph()
    return graph.add_node("placeholder", shape=_normalize_shape(shape), dtype=dtype, name=name or "placeholder")


def variable(initial_value, name=None, dtype=None, trainable=True):
    """Add a variable: a named value that persists across runs and can be updated.

    The dtype follows the package's rules (a Python float gives float32) unless
    ``dtype`` is given.
    """
    check_not_module(initial_value, "variable")
    if isinstance(initial_value, Node):
        raise TypeError(
            f"variable() needs a concrete initial value, got node {initial_value.name!r}; "
            "compute it first, e.g. variable(Session(graph).run(node))"
        )
    value = dtypes.array_from_value(initial_value, dtype)
    value.setflags(write=False)
    graph = get_default_graph()
    return graph.add_node(
        "variable",
        shape=value.shape,
        dtype=value.dtype,
        name=name or "variable",
        value=value,
        trainable=bool(trainable),
    )


def constant(value, dtype=None, name=None, graph=None):
    """Add a constant node holding a copy of ``value``."""
    array = dtypes.array_from_value(value, dtype)
    dtypes.category(array.dtype)
    array.setflags(write=False)
    graph = graph if graph is not None else get_default_graph()
    return graph.add_node("constant", shape=array.shape, dtype=array.dtype, name=name or "const", value=array)


def assign_variable(node, value):
    """Set ``node``'s value to a copy of ``value`` after checking shape and dtype."""
    if node.kind != "variable":
        raise TypeError(f"assign: node {node.name!r} is a {node.kind}, not a variable")
    array = np.asarray(value)
    if array.shape != node.shape:
        raise ShapeError(
            f"assign: variable {node.name!r} has shape {format_shape(node.shape)}, "
            f"the new value has shape {format_shape(array.shape)}; pass a value of the variable's shape"
        )
    if not np.can_cast(array.dtype, node.dtype, casting="same_kind"):
        raise DTypeError(
            f"assign: variable {node.name!r} has dtype {node.dtype}, the new value has dtype "
            f"{array.dtype}; convert it with .astype({node.dtype.name!r})"
        )
    stored = array.astype(node.dtype, copy=True)
    stored.setflags(write=False)
    node.data["value"] = stored


def check_variable_dtype_change(node, dtype):
    """Raise DTypeError if ``node`` cannot change to ``dtype`` because ops already use it."""
    dtype = np.dtype(dtype)
    if node.dtype == dtype:
        return
    consumers = list(node.graph.nx.successors(node.name))
    if consumers:
        raise DTypeError(
            f"cannot change variable {node.name!r} to {dtype}: ops {consumers[:3]} already use it "
            f"with dtype {node.dtype}; convert the module (.double(), .to(...)) before calling it on a node"
        )


def set_variable_dtype(node, dtype):
    """Change a variable's dtype (``Module.double()``); only before any op uses it."""
    dtype = np.dtype(dtype)
    check_variable_dtype_change(node, dtype)
    if node.dtype == dtype:
        return
    node.data["dtype"] = dtype
    stored = node.data["value"].astype(dtype)
    stored.setflags(write=False)
    node.data["value"] = stored
