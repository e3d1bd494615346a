"""Gradients at kinks and ties follow the documented conventions in both modes.

``relu'(0) = 0`` and ``abs'(0) = 0``; ``max``/``min`` reductions and
``maximum``/``minimum`` split the gradient evenly among tied elements.
Inputs are small integers stored as float64, so zeros and ties are common.
Finite differences do not apply here; the expected gradient is written out
in NumPy from the convention.
"""

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from tests.property.budget import scaled
from tests.property.interpreter import MODE_ATOL, MODE_RTOL, run_eager, run_static
from tests.strategies import SPECS_BY_NAME, Program, Step, broadcast_shapes, shapes
from tests.strategies.op_specs import evaluate


def integer_arrays(shape):
    size = int(np.prod(shape, dtype=np.int64))
    elements = st.lists(st.integers(-2, 2), min_size=size, max_size=size)
    return elements.map(lambda values: np.array(values, dtype=np.float64).reshape(shape))


def sum_to_shape(grad, shape):
    """Sum a broadcast gradient back down to ``shape``."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def relu_grad(x, weight, params):
    return [weight * (x > 0)]


def abs_grad(x, weight, params):
    return [weight * np.sign(x)]


def reduction_grad(pick):
    """Gradient of ``sum(weight * max(x, dim))`` (or ``min``) with ties split evenly."""

    def grad(x, weight, params):
        dim = params.get("dim")
        chosen = pick(x, axis=dim, keepdims=True)
        mask = (x == chosen).astype(np.float64)
        share = mask / mask.sum(axis=dim, keepdims=True)
        if dim is not None and not params.get("keepdim"):
            weight = np.expand_dims(weight, dim)
        return [share * weight]

    return grad


def elementwise_select_grad(first_wins):
    """Gradient of ``sum(weight * maximum(a, b))`` (or ``minimum``) with ties split evenly."""

    def grad(a, b, weight, params):
        a_full, b_full = np.broadcast_arrays(a, b)
        a_share = np.where(a_full == b_full, 0.5, first_wins(a_full, b_full).astype(np.float64))
        return [sum_to_shape(weight * a_share, a.shape), sum_to_shape(weight * (1 - a_share), b.shape)]

    return grad


def reduction_params(shape):
    if not shape:
        return st.just({})
    dims = st.integers(-len(shape), len(shape) - 1)
    return st.one_of(st.just({}), st.fixed_dictionaries({"dim": dims, "keepdim": st.booleans()}))


UNARY_CASES = [
    ("relu", relu_grad, lambda shape: st.just({})),
    ("abs", abs_grad, lambda shape: st.just({})),
    ("max", reduction_grad(np.max), reduction_params),
    ("min", reduction_grad(np.min), reduction_params),
]
BINARY_CASES = [
    ("maximum", elementwise_select_grad(np.greater)),
    ("minimum", elementwise_select_grad(np.less)),
]


@st.composite
def kink_programs(draw, name, operand_shapes, params_for):
    """Draw a one-step program of op ``name`` on small-integer operands."""
    operands = [draw(integer_arrays(shape)) for shape in draw(operand_shapes)]
    params = draw(params_for(operands[0].shape))
    output = evaluate(SPECS_BY_NAME[name], operands, params)
    weight = draw(integer_arrays(output.shape))
    return Program(operands, [Step(name, tuple(range(len(operands))), params)], [weight])


def check_convention(program, expected_grad):
    note(program.describe())
    expected = expected_grad(*program.inputs, program.weights[0], program.steps[0].params)

    for label, runner in (("eager", run_eager), ("staticgraph", run_static)):
        grads = runner(program).grads
        for position, (grad, want) in enumerate(zip(grads, expected)):
            np.testing.assert_allclose(
                grad, want, rtol=MODE_RTOL, atol=MODE_ATOL, err_msg=f"{label}: gradient of operand {position}"
            )


@pytest.mark.parametrize("name, expected_grad, params_for", UNARY_CASES, ids=[case[0] for case in UNARY_CASES])
@scaled(2)
@given(data=st.data())
def test_unary_kink_convention(name, expected_grad, params_for, data):
    program = data.draw(kink_programs(name, shapes().map(lambda shape: (shape,)), params_for), label="program")
    check_convention(program, expected_grad)


@pytest.mark.parametrize("name, expected_grad", BINARY_CASES, ids=[case[0] for case in BINARY_CASES])
@scaled(2)
@given(data=st.data())
def test_elementwise_tie_convention(name, expected_grad, data):
    program = data.draw(kink_programs(name, broadcast_shapes(2), lambda shape: st.just({})), label="program")
    check_convention(program, expected_grad)
