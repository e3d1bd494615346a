"""Code generation: the IR becomes one straight-line Python function.

The function takes the placeholders as parameters, then ``variables`` (a list of
arrays in ``ir.variables`` order). Each op node becomes one assignment with a
comment naming the node; a value is deleted right after its last use; the
function returns ``(outputs, update_values)``. Constants, kernels and
generators are module globals with readable names.
"""

import keyword
import re

import numpy as np

from .. import random as package_random

_NOT_IDENTIFIER = re.compile(r"\W")


class Namespace:
    """Readable, unique Python identifiers for nodes and bound globals."""

    def __init__(self):
        self.globals = {"np": np}
        self.taken = {"np", "variables"}
        self._bound = {}  # id(obj) -> name; the globals keep each obj alive

    def identifier(self, hint):
        base = _NOT_IDENTIFIER.sub("_", hint) or "value"
        if base[0].isdigit() or keyword.iskeyword(base):
            base = "v_" + base
        name, count = base, 0
        while name in self.taken:
            count += 1
            name = f"{base}_{count}"
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
    for name in ir.inputs:
        local[name] = namespace.identifier(name)
    lines = [f"def {function_name}({', '.join([local[name] for name in ir.inputs] + ['variables'])}):"]
    line_to_node = {}
    for position, name in enumerate(ir.variables):
        if name in nodes:
            local[name] = namespace.identifier(name)
            lines.append(f"    {local[name]} = variables[{position}]  # variable {name}")
    for name, data in nodes.items():
        if data["kind"] == "constant":
            local[name] = namespace.bind(data["value"], name)
    order = [name for name in ir.topological_order() if nodes[name]["kind"] == "op"]
    last_use = _last_uses(nodes, ir.roots(), order)
    for position, name in enumerate(order):
        data = nodes[name]
        local[name] = namespace.identifier(name)
        arguments = [local[input_name] for input_name in data["inputs"]]
        expression = _expression(data, arguments, namespace)
        line_to_node[len(lines) + 1] = name
        description = repr(data["op"])
        comment = name if name.rsplit("/", 1)[-1] == description else f"{name}: {description}"
        lines.append(f"    {local[name]} = {expression}  # {comment}")
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


def _expression(data, arguments, namespace):
    op = data["op"]
    if not op.pure:
        generator = data.get("generator")
        if generator is not None:
            generator_expression = namespace.bind(generator, "generator")
        else:
            generator_expression = namespace.bind(package_random.default_generator, "default_generator") + "()"
        return op.emit_random(arguments, generator_expression, namespace.bind)
    return op.emit(arguments, namespace.bind)
