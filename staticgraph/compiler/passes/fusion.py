"""Elementwise fusion: a tree of elementwise ops becomes one node that one NumPy statement computes.

``relu(matmul + bias)`` becomes ``maximum(add(matmul, bias, out=out), 0, out=out)``:
every step of the tree's spine writes into the same output array, so the group
allocates at most one array (none when the memory plan gives it a buffer)
instead of one temporary per op.
"""

import collections
import logging

import numpy as np

from ...ops import elementwise as E
from ...ops.base import Op, broadcast_shapes
from ..symbolic import is_concrete, symbolic_shapes

logger = logging.getLogger(__name__)

# Steps per group at most, so one statement stays readable and within the parser's nesting limit.
MAX_GROUP_STEPS = 8

# op type -> NumPy ufunc name; Relu is maximum(x, 0). Casts are steps without a ufunc.
UFUNCS = {
    E.Add: "add",
    E.Sub: "subtract",
    E.Mul: "multiply",
    E.Div: "divide",
    E.Pow: "power",
    E.Maximum: "maximum",
    E.Minimum: "minimum",
    E.Neg: "negative",
    E.Exp: "exp",
    E.Log: "log",
    E.Sqrt: "sqrt",
    E.Abs: "absolute",
    E.Tanh: "tanh",
    E.Sign: "sign",
    E.Relu: "maximum",
    E.Lt: "less",
    E.Le: "less_equal",
    E.Gt: "greater",
    E.Ge: "greater_equal",
    E.Eq: "equal",
    E.Ne: "not_equal",
}


def ufunc_name(op):
    return UFUNCS.get(type(op))


class Step:
    """One op of a fused group: ``ufunc`` applied to arguments ``("input", i)`` or ``("step", j)``.

    ``cast`` is the dtype a Cast step converts to (``ufunc`` is then None);
    ``dtype`` is the step's output dtype and ``node`` the IR node it computes.
    """

    __slots__ = ("ufunc", "arguments", "cast", "dtype", "node")

    def __init__(self, ufunc, arguments, cast, dtype, node):
        self.ufunc = ufunc
        self.arguments = tuple(arguments)
        self.cast = cast
        self.dtype = dtype
        self.node = node

    def key(self):
        return (self.ufunc, self.arguments, None if self.cast is None else self.cast.str, self.dtype.str)


class FusedElementwise(Op):
    """A tree of elementwise ops computed as one statement; the last step is the output."""

    name = "fused"
    attributes = ("steps", "dtype", "input_dtypes")
    broadcasts_inputs = True  # the output's shape is the broadcast of the inputs' shapes

    def key(self):
        return (type(self), tuple(step.key() for step in self.steps), self.dtype, self.input_dtypes)

    def node_names(self):
        return [step.node for step in self.steps]

    def infer(self, inputs):
        return broadcast_shapes(self.name, inputs), self.dtype

    def compute(self, *arrays):
        values = []
        for step in self.steps:
            arguments = [arrays[index] if kind == "input" else values[index] for kind, index in step.arguments]
            if step.cast is not None:
                values.append(np.asarray(arguments[0]).astype(step.cast))
            elif step.ufunc == "maximum" and len(arguments) == 1:
                values.append(np.maximum(arguments[0], 0))
            else:
                values.append(getattr(np, step.ufunc)(*arguments))
        return values[-1]

    def emit(self, args, bind, out=None, name="fused"):
        """Return one expression for the group.

        The spine is the last step, its first argument step of the same dtype,
        and so on; every spine step writes into ``out``. Without ``out``, the
        innermost spine step allocates the array and names it ``name``.
        """
        return _Emitter(self.steps, args, bind, self.input_dtypes).expression(len(self.steps) - 1, out, name)

    def __repr__(self):
        return "fused[" + ", ".join(step.node for step in self.steps) + "]"


class _Emitter:
    """Builds the nested ufunc expression of a fused group."""

    def __init__(self, steps, args, bind, input_dtypes=None):
        self.steps = steps
        self.args = args
        self.bind = bind
        self.input_dtypes = input_dtypes or ()

    def _spine_child(self, step):
        for kind, index in step.arguments:
            inner = self.steps[index] if kind == "step" else None
            if inner is not None and inner.cast is None and inner.dtype == step.dtype:
                return index
        return None

    def expression(self, index, out, name):
        """Return the code of step ``index`` writing into ``out``; ``name`` is set when nothing is planned."""
        step = self.steps[index]
        child = self._spine_child(step) if step.cast is None else None
        allocates = out is None and name is not None and child is None
        target = out if out is not None else name
        arguments = []
        for argument_index, (kind, position) in enumerate(step.arguments):
            if kind == "input":
                arguments.append(self.args[position])
            elif position == child:
                arguments.append(self.expression(position, out, name))
            else:
                arguments.append(self._operand(position, step, argument_index))
        if step.cast is not None:
            return self._cast(step, arguments, out)
        call = self._call(step, arguments, None if allocates or (out is None and name is None) else target)
        return f"({name} := {call})" if allocates else call

    def _cast(self, step, arguments, out):
        """Return a cast; into ``out``, a bool step writes its 0/1 result directly (bool to float is a safe cast)."""
        ((kind, source),) = step.arguments
        if out is not None and kind == "step" and self.steps[source].dtype == np.dtype(bool):
            inner = self.steps[source]
            inner_arguments = [
                self.args[position] if inner_kind == "input" else self.expression(position, None, None)
                for inner_kind, position in inner.arguments
            ]
            return self._call(inner, inner_arguments, out)
        return f"{arguments[0]}.astype({self.bind(step.cast, step.cast.name)})"

    def _operand(self, position, consumer, argument_index):
        """Return a fresh (unplanned) operand; a bool-to-float cast feeding a float binary ufunc is left to NumPy's promotion."""
        inner = self.steps[position]
        if inner.cast is not None and self._promotion_casts(inner, consumer, argument_index):
            (kind, source), = inner.arguments
            return self.args[source] if kind == "input" else self.expression(source, None, None)
        return self.expression(position, None, None)

    def _promotion_casts(self, cast_step, consumer, argument_index):
        """Return whether NumPy's promotion does the cast: bool operand, float binary op, other operand not a cast.

        Binary ops have inputs of their output dtype, so the other operand is of
        the cast's float dtype and ``multiply(float32, bool)`` is float32.
        """
        if len(consumer.arguments) != 2 or cast_step.cast != consumer.dtype or cast_step.cast.kind != "f":
            return False
        ((kind, source),) = cast_step.arguments
        if self._argument_dtype(kind, source) != np.dtype(bool):
            return False
        other_kind, other = consumer.arguments[1 - argument_index]
        return other_kind == "input" or self.steps[other].cast is None

    def _argument_dtype(self, kind, position):
        if kind == "step":
            return self.steps[position].dtype
        return self.input_dtypes[position] if position < len(self.input_dtypes) else None

    def _call(self, step, arguments, out):
        function = f"np.{step.ufunc}"
        if step.ufunc == "maximum" and len(arguments) == 1:
            arguments = arguments + ["0"]
        suffix = f", out={out}" if out is not None else ""
        return f"{function}({', '.join(arguments)}{suffix})"


def _fusible(data, shape):
    op = data["op"]
    return (
        data["kind"] == "op"
        and (type(op) in UFUNCS or isinstance(op, E.Cast))
        and len(data["shape"]) >= 1
        and is_concrete(shape)
    )


def _absorbed_into(ir, name, shapes, roots, absorbed):
    """Return the consumer that node ``name`` fuses into, or None when it stays a node of its own."""
    nodes = ir.node_data
    data = nodes[name]
    if name in roots or not _fusible(data, shapes[name]):
        return None
    consumers = list(ir.nx.successors(name))
    if len(consumers) != 1 or _narrows_shared_input(ir, data):
        return None
    consumer = consumers[0]
    consumer_data = nodes[consumer]
    if consumer_data["inputs"].count(name) != 1 or not _fusible(consumer_data, shapes[consumer]):
        return None
    if shapes[consumer] != shapes[name]:
        return None
    if isinstance(consumer_data["op"], E.Cast) and consumer not in absorbed and data["dtype"] != np.dtype(bool):
        return None  # only a bool mask can be written straight into a cast's float output
    return consumer


def _narrows_shared_input(ir, data):
    """Return whether the node's output takes fewer bytes per element than an op input that others also read.

    Such a node, a comparison making a bool mask for example, stays a statement
    of its own. The scheduler can then run it right after the input's other
    readers, and the wider input dies there instead of at the consumer the node
    would join.
    """
    nodes = ir.node_data
    itemsize = data["dtype"].itemsize
    for input_name in data["inputs"]:
        input_data = nodes[input_name]
        if input_data["kind"] == "op" and input_data["dtype"].itemsize > itemsize and len(ir.nx.succ[input_name]) > 1:
            return True
    return False


def _collect(ir, root, absorbed):
    """Return the group's members in topological order and its external inputs in first-use order."""
    nodes = ir.node_data
    members = []
    stack = [root]
    while stack:
        name = stack.pop()
        members.append(name)
        stack.extend(input_name for input_name in nodes[name]["inputs"] if absorbed.get(input_name) == name)
    members.sort(key=lambda name: nodes[name]["index"])
    externals = {}  # name -> position; a dict keeps first-use order and finds repeats at once
    for name in members:
        for input_name in nodes[name]["inputs"]:
            if absorbed.get(input_name) != name and input_name not in externals:
                externals[input_name] = len(externals)
    return members, list(externals)


def _steps(ir, members, externals):
    nodes = ir.node_data
    position = {name: index for index, name in enumerate(members)}
    external_position = {name: index for index, name in enumerate(externals)}
    steps = []
    for name in members:
        data = nodes[name]
        arguments = [
            ("step", position[input_name]) if input_name in position else ("input", external_position[input_name])
            for input_name in data["inputs"]
        ]
        cast = data["op"].dtype if isinstance(data["op"], E.Cast) else None
        steps.append(Step(ufunc_name(data["op"]), arguments, cast, data["dtype"], name))
    return tuple(steps)


def fuse_elementwise(ir):
    """e1(e2(x, y), z) -> fused[e2, e1](x, y, z) for elementwise ops of one run-time shape.

    A node joins its consumer's group when it is that consumer's only use, is
    not an output, has the consumer's symbolic shape, so every step of the
    group can write into the group's output array, and does not narrow an
    input that other nodes read (see ``_narrows_shared_input``). A cast ends a group only
    when it casts a bool mask, which the comparison then writes straight into
    the float output; other casts join only as inner steps.
    """
    shapes = symbolic_shapes(ir)
    roots = set(ir.roots())
    order = ir.topological_order()
    absorbed = {}
    group_of = {}  # absorbed node -> the root of its group
    sizes = collections.Counter()  # group root -> steps so far
    for name in reversed(order):  # a consumer's own fate is known before its inputs are looked at
        consumer = _absorbed_into(ir, name, shapes, roots, absorbed)
        if consumer is None:
            continue
        root = group_of.get(consumer, consumer)
        if sizes[root] + 1 >= MAX_GROUP_STEPS:
            continue
        absorbed[name] = consumer
        group_of[name] = root
        sizes[root] += 1
    groups = 0
    nodes = ir.node_data
    for name in order:
        data = nodes[name]
        if name in absorbed or not _fusible(data, shapes[name]):
            continue
        members, externals = _collect(ir, name, absorbed)
        if len(members) == 1:
            continue  # a lone op keeps its own node; memory planning can still give it an output array
        input_dtypes = tuple(nodes[input_name]["dtype"] for input_name in externals)
        data["op"] = FusedElementwise(_steps(ir, members, externals), data["dtype"], input_dtypes)
        ir.set_inputs(name, externals)
        for member in members[:-1]:
            ir.remove_node(member)
        groups += 1
        ir.rewrite_counts["fused_nodes"] += len(members) - 1
        ir.rewrite_counts["fused_groups"] += 1
    if groups:
        logger.debug("fuse_elementwise: made %d fused groups", groups)
    return groups > 0
