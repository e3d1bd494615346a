"""Code generation: the IR becomes one straight-line Python function.

The function takes the placeholders as parameters, then ``variables`` (a list of
arrays in ``ir.variables`` order) and, when the memory plan has buffer slots,
``buffers`` (one array per view of a slot). Each op node or fused group becomes one
assignment with a comment naming the nodes it computes and where it writes; a
value is deleted right after its last use; the function returns
``(outputs, update_values)``. Constants, kernels and generators are module
globals with readable names.
"""

import builtins
import keyword
import re

import numpy as np

from .. import random as package_random
from ..ops import linalg, reductions, shape_ops
from ..ops import elementwise as E
from .passes.fusion import FusedElementwise, ufunc_name

_NOT_IDENTIFIER = re.compile(r"\W")


class Namespace:
    """Readable, unique Python identifiers for nodes and bound globals."""

    def __init__(self):
        self.globals = {"np": np}
        # Python's builtins stay free, so a node named "sum" or "abs" does not hide them.
        self.taken = {"np", "variables", *dir(builtins)}
        self._bound = {}  # id(obj) -> name; the globals keep each obj alive
        # base -> suffix of the last name handed out for it; every smaller suffix is taken,
        # so a base that is requested many times is not scanned from _1 again each time.
        self._last_suffix = {}

    def identifier(self, hint):
        """Return ``hint`` as a new identifier: the first free one of base, base_1, base_2, ..."""
        base = _NOT_IDENTIFIER.sub("_", hint) or "value"
        if base[0].isdigit() or keyword.iskeyword(base):
            base = "v_" + base
        count = self._last_suffix.get(base, 0)
        name = f"{base}_{count}" if count else base
        while name in self.taken:
            count += 1
            name = f"{base}_{count}"
        self._last_suffix[base] = count
        self.taken.add(name)
        return name

    def bind(self, obj, hint):
        """Place ``obj`` among the module globals and return its name (reusing a name for the same object)."""
        name = self._bound.get(id(obj))
        if name is not None:
            return name
        name = self.identifier(hint)
        self.globals[name] = obj
        self._bound[id(obj)] = name
        return name


class GeneratedCode:
    """The result of code generation: source text, globals and the line of each node."""

    def __init__(self, source, namespace, line_to_node, local_names):
        self.source = source
        self.namespace = namespace
        self.line_to_node = line_to_node
        self.local_names = local_names


def _last_uses(nodes, roots, order):
    """Return {name: position of the statement that uses it last} (roots are never freed)."""
    last = {}
    for position, name in enumerate(order):
        for input_name in nodes[name]["inputs"]:
            last[input_name] = position
    for name in roots:
        last[name] = len(order)
    return last


def generate(ir, function_name="compiled", check_numerics=None):
    """Return GeneratedCode for ``ir``; ``check_numerics`` is a global name to call after each op, or None."""
    namespace = Namespace()
    nodes = dict(ir.nx.nodes(data=True))
    local = {}
    lines = _prologue(ir, function_name, namespace, local)
    buffers = _unpack_buffers(ir.memory_plan, namespace, lines)
    _bind_variables_and_constants(ir, nodes, namespace, local, lines)

    line_to_node = {}
    order = [name for name in ir.topological_order() if nodes[name]["kind"] == "op"]
    last_use = _last_uses(nodes, ir.roots(), order)
    for position, name in enumerate(order):
        data = nodes[name]
        local[name] = namespace.identifier(name)
        arguments = [local[input_name] for input_name in data["inputs"]]
        out = _planned_out(ir.memory_plan, name, buffers, local)
        input_shapes = [nodes[input_name]["shape"] for input_name in data["inputs"]]
        expression = _expression(data, arguments, namespace, out, local[name], input_shapes)
        line_to_node[len(lines) + 1] = name
        lines.append(f"    {local[name]} = {expression}  # {_comment(name, data, ir.memory_plan)}")
        if check_numerics is not None and data["dtype"].kind == "f":
            line_to_node[len(lines) + 1] = name
            lines.append(f"    {check_numerics}({local[name]}, {name!r})")
        freed = sorted(
            {input_name for input_name in data["inputs"] if last_use.get(input_name) == position and nodes[input_name]["kind"] != "constant"},
            key=lambda input_name: nodes[input_name]["index"],
        )
        if freed:
            lines.append(f"    del {', '.join(local[input_name] for input_name in freed)}")

    outputs = ", ".join(local[name] for name in ir.outputs)
    values = ", ".join(local[value] for _, value in ir.updates)
    lines.append(f"    return [{outputs}], [{values}]")
    return GeneratedCode("\n".join(lines) + "\n", namespace.globals, line_to_node, local)


def _prologue(ir, function_name, namespace, local):
    """Return the ``def`` line: placeholders, ``variables`` and, when the plan has slots, ``buffers``."""
    for name in ir.inputs:
        local[name] = namespace.identifier(name)
    parameters = [local[name] for name in ir.inputs] + ["variables"]
    plan = ir.memory_plan
    if plan is not None and plan.views:
        parameters.append("buffers")
    return [f"def {function_name}({', '.join(parameters)}):"]


def _bind_variables_and_constants(ir, nodes, namespace, local, lines):
    for position, name in enumerate(ir.variables):
        if name in nodes:
            local[name] = namespace.identifier(name)
            lines.append(f"    {local[name]} = variables[{position}]  # variable {name}")
    for name, data in nodes.items():
        if data["kind"] == "constant":
            local[name] = namespace.bind(data["value"], name)


def _unpack_buffers(plan, namespace, lines):
    """Bind each view of a buffer slot to a local name at the top of the function and return the names."""
    if plan is None or not plan.views:
        return []
    names = [namespace.identifier(f"buffer_{index}") for index in range(len(plan.views))]
    lines.append(f"    {', '.join(names)}{',' if len(names) == 1 else ''} = buffers")
    return names


def _planned_out(plan, name, buffers, local):
    """Return the code of the array node ``name`` writes into, or None when its kernel allocates."""
    if plan is None:
        return None
    if name in plan.slots:
        return buffers[plan.slots[name]]
    if name in plan.in_place:
        return local[plan.in_place[name]]
    return None


def _comment(name, data, plan):
    op = data["op"]
    if isinstance(op, FusedElementwise):
        text = "fused " + ", ".join(op.node_names())
    else:
        description = repr(op)
        text = name if name.rsplit("/", 1)[-1] == description else f"{name}: {description}"
    if plan is not None and name in plan.slots:
        text += f" (buffer {plan.slots[name]}, slot {plan.views[plan.slots[name]][0]})"
    elif plan is not None and name in plan.in_place:
        text += f" (in place of {plan.in_place[name]})"
    return text


def _fast_expression(op, arguments, namespace, out, input_shapes):
    """Return a cheaper spelling than ``op.emit`` for common ops, or None."""
    if isinstance(op, shape_ops.Permute) and op.dims == (1, 0):
        return f"{arguments[0]}.T"
    if type(op) in (reductions.Sum, reductions.Mean, reductions.Max, reductions.Min):
        keep = ", keepdims=True" if op.keepdim else ""
        axis = "" if op.dim is None else f"axis={op.dim[0] if len(op.dim) == 1 else op.dim!r}"
        separator = ", " if axis and keep else ""
        return f"{arguments[0]}.{op.numpy_name}({axis}{separator}{keep.lstrip(', ')})"
    if out is not None and ufunc_name(op) is not None:
        extra = ", 0" if isinstance(op, E.Relu) else ""
        return f"np.{ufunc_name(op)}({', '.join(arguments)}{extra}, out={out})"
    if isinstance(op, linalg.MatMul) and [len(shape) for shape in input_shapes] == [2, 2]:
        return _matrix_product(input_shapes[0][1], arguments, namespace, out)
    return None


def _matrix_product(inner, arguments, namespace, out):
    """Spell a product of two matrices whose inner dim is ``inner`` (None when unknown until run time)."""
    suffix = f", out={out}" if out is not None else ""
    if inner == 1:
        return f"np.multiply({arguments[0]}, {arguments[1]}{suffix})"
    if inner is None:
        return f"{namespace.bind(matmul_or_outer, 'matmul_or_outer')}({arguments[0]}, {arguments[1]}{suffix})"
    if out is not None:
        return f"np.matmul({arguments[0]}, {arguments[1]}{suffix})"
    return None


def matmul_or_outer(a, b, out=None):
    """Return ``a @ b`` for matrices. An inner dim of 1 makes it an outer product.

    An outer product involves no sums, so ``np.multiply`` gives the same values;
    measured with OpenBLAS 0.3.31 for (256, 1) @ (1, 784) in float32, it takes
    about a fifth of matmul's time. The weight gradients of a batch of one
    have this form.
    """
    if a.shape[1] == 1:
        return np.multiply(a, b, out=out)
    return np.matmul(a, b, out=out)


def _expression(data, arguments, namespace, out=None, name=None, input_shapes=()):
    op = data["op"]
    if isinstance(op, FusedElementwise):
        return op.emit(arguments, namespace.bind, out=out, name=name)
    fast = _fast_expression(op, arguments, namespace, out, input_shapes)
    if fast is not None:
        return fast
    if not op.pure:
        generator = data.get("generator")
        if generator is not None:
            generator_expression = namespace.bind(generator, "generator")
        else:
            generator_expression = namespace.bind(package_random.default_generator, "default_generator") + "()"
        return op.emit_random(arguments, generator_expression, namespace.bind)
    return op.emit(arguments, namespace.bind)
