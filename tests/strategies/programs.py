"""Random programs: DAGs of the shared op set over a few float inputs (float64 by default).

A program is a list of steps. Step ``k`` appends value ``len(inputs) + k``,
computed from earlier values. A value can feed several later steps, and one
step can name the same value several times (``mul(v0, v0)``). The
program's scalar loss is ``sum_k sum(sink_k * weight_k)`` over the sinks,
the step outputs that no later step reads. The weights give every element
of every sink its own factor in the gradient.

The strategy evaluates each step in NumPy while it draws. It keeps a step
only if the operands pass the op's domain check and the result is finite,
non-empty and small: at most ``MAX_ELEMENTS`` elements of magnitude at most
``MAX_MAGNITUDE``. So every drawn program is differentiable at its inputs.
"""

from dataclasses import dataclass, field

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from tests.strategies.op_specs import SPECS, SPECS_BY_NAME, evaluate
from tests.strategies.shapes import broadcast_shapes, float_arrays, is_broadcastable, is_matmul_compatible

MAX_ELEMENTS = 64
MAX_MAGNITUDE = 1e3


def literal(value):
    """Return Python source that rebuilds ``value`` exactly (arrays via ``np.array``)."""
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r}, dtype=np.{value.dtype.name})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key!r}: {literal(item)}" for key, item in value.items()) + "}"
    if isinstance(value, tuple):
        items = ", ".join(literal(item) for item in value)
        return f"({items},)" if len(value) == 1 else f"({items})"
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    return repr(value)


@dataclass(frozen=True)
class Step:
    """``op`` (a spec name) applied to earlier values ``operands`` with keyword ``params``."""

    op: str
    operands: tuple
    params: dict = field(default_factory=dict)

    @property
    def spec(self):
        return SPECS_BY_NAME[self.op]

    def _repr_pretty_(self, printer, cycle):
        printer.text(repr(self))

    def __repr__(self):
        return f"Step({self.op!r}, {literal(tuple(self.operands))}, {literal(self.params)})"


@dataclass(frozen=True)
class Program:
    """Float64 ``inputs``, ``steps`` over them and one weight array per sink."""

    inputs: list
    steps: list
    weights: list

    @property
    def sinks(self):
        """Indices of step outputs that no later step reads, in increasing order."""
        used = {index for step in self.steps for index in step.operands}
        first = len(self.inputs)
        return [index for index in range(first, first + len(self.steps)) if index not in used]

    def run(self, ops, inputs, weights):
        """Evaluate the program through namespace ``ops``; return ``(values, loss)``."""
        values = list(inputs)
        for step in self.steps:
            operands = [values[index] for index in step.operands]
            values.append(step.spec.apply(ops, *operands, **step.params))
        terms = [ops.sum(ops.mul(values[index], weight)) for index, weight in zip(self.sinks, weights)]
        loss = terms[0]
        for term in terms[1:]:
            loss = ops.add(loss, term)
        return values, loss

    def describe(self):
        """Return the program as assignments, one step per line (``v2 = mul(v0, v1)``)."""
        lines = [f"v{i}: shape {np.shape(x)}" for i, x in enumerate(self.inputs)]
        for k, step in enumerate(self.steps):
            operands = ", ".join(f"v{index}" for index in step.operands)
            lines.append(f"v{len(self.inputs) + k} = {step.op}({operands}) {literal(step.params)}")
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle):
        printer.text(repr(self))

    def __repr__(self):
        return (
            f"Program(\n    inputs={literal(list(self.inputs))},\n"
            f"    steps={self.steps!r},\n    weights={literal(list(self.weights))},\n)"
        )


def _candidates(spec, shapes_, first=None):
    """Return value indices usable as the next operand of ``spec``."""
    indices = range(len(shapes_))
    if first is None:
        if spec.kind == "matmul":
            return [i for i in indices if shapes_[i]]
        return [i for i in indices if spec.accepts(shapes_[i])]
    shape = shapes_[first]
    if spec.kind == "binary":
        return [i for i in indices if is_broadcastable(shape, shapes_[i])]
    if spec.kind == "matmul":
        return [i for i in indices if is_matmul_compatible(shape, shapes_[i])]
    return [i for i in indices if shapes_[i] == shape]


@st.composite
def _operands(draw, spec, shapes_):
    """Draw operand indices for ``spec`` among values of ``shapes_``, or None if none fit."""
    firsts = _candidates(spec, shapes_)
    if not firsts:
        return None
    first = draw(st.sampled_from(firsts))
    if spec.kind == "unary":
        return (first,)
    count = draw(st.integers(1, 3)) if spec.kind in ("concat", "stack") else 2
    partners = _candidates(spec, shapes_, first)
    if not partners:
        return None
    rest = [draw(st.sampled_from(partners)) for _ in range(count - 1)]
    return (first, *rest)


def _acceptable(result):
    return 0 < result.size <= MAX_ELEMENTS and bool(np.all(np.abs(result) <= MAX_MAGNITUDE))


@st.composite
def draw_step(draw, values, specs):
    """Draw one step over ``values`` whose result is acceptable, or None."""
    spec = draw(st.sampled_from(specs))
    shapes_ = [value.shape for value in values]
    operands = draw(_operands(spec, shapes_))
    if operands is None:
        return None
    params = draw(spec.params([shapes_[i] for i in operands]))
    arguments = [values[i] for i in operands]
    if not spec.valid(arguments, params):
        return None
    with np.errstate(all="ignore"):
        result = evaluate(spec, arguments, params)
    if not _acceptable(result):
        return None
    return Step(spec.name, operands, params), result


@st.composite
def programs(draw, specs=tuple(SPECS), max_inputs=3, min_steps=2, max_steps=7, dtypes=(np.float64,)):
    """Draw a ``Program`` over one to ``max_inputs`` inputs with up to ``max_steps`` steps.

    It aims for at least ``min_steps`` steps, but may end with fewer (never
    none) when the drawn ops do not fit the values at hand. Each input's
    dtype is drawn from ``dtypes``; weights are float64.
    """
    input_shapes = draw(broadcast_shapes(draw(st.integers(1, max_inputs)), max_side=3))
    # Some inputs are positive so that log, sqrt and powers apply to them directly.
    lows = [draw(st.sampled_from([-3.0, 0.1])) for _ in input_shapes]
    inputs = []
    for shape, low in zip(input_shapes, lows):
        dtype = draw(st.sampled_from(dtypes))
        inputs.append(draw(float_arrays(shape, low)).astype(dtype))
    values = list(inputs)
    steps = []
    target = draw(st.integers(min_steps, max_steps))
    for _ in range(4 * target):
        if len(steps) == target:
            break
        drawn = draw(draw_step(values, list(specs)))
        if drawn is not None:
            steps.append(drawn[0])
            values.append(drawn[1])
    assume(steps)

    program = Program(inputs, steps, [])
    weights = [draw(float_arrays(values[index].shape, -2.0, 2.0)) for index in program.sinks]
    return Program(inputs, steps, weights)
