"""Every op with unknown (None) dims: shapes inferred at build time, values, first and second derivatives.

The op table and its operand strategies come from ``tests.strategies``; here each
op is built on placeholders whose dims are all None where the op allows it, so the
tests check that None dims propagate and that gradient rules (broadcast reduction
included) work with shapes known only at run time.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import staticgraph as sg
from staticgraph.errors import ShapeError
from tests.strategies import SPECS, op_calls
from tests.strategies.op_specs import evaluate

from .helpers import numerical_gradient


def _placeholders(operands, unknown):
    nodes = []
    for position, array in enumerate(operands):
        shape = tuple(None if unknown else dim for dim in array.shape)
        nodes.append(sg.placeholder(sg.float64, shape, name=f"x{position}"))
    return nodes


def _build(spec, operands, params):
    """Build with all dims None if the op accepts that, else with the static shapes."""
    for unknown in (True, False):
        graph = sg.Graph()
        with graph.as_default():
            inputs = _placeholders(operands, unknown)
            try:
                return graph, inputs, spec.apply(sg, *inputs, **params), unknown
            except ShapeError:
                if not unknown:
                    raise
    raise AssertionError("unreachable")


def _compatible(static, runtime):
    return len(static) == len(runtime) and all(s is None or s == r for s, r in zip(static, runtime))


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_op_with_unknown_dims(spec, data):
    operands, params = data.draw(op_calls(spec), label="call")
    expected = evaluate(spec, operands, params)
    weight = data.draw(st.just(np.linspace(-1.5, 2.0, expected.size).reshape(expected.shape)), label="weight")

    graph, inputs, output, unknown = _build(spec, operands, params)
    with graph.as_default():
        assert _compatible(output.shape, expected.shape), (output.shape, expected.shape)
        loss = sg.sum(output * sg.constant(weight))
        grads = sg.gradients(loss, inputs)
        executable = sg.compile(inputs, [output] + [g for g in grads if g is not None])
    values = executable(*operands)
    np.testing.assert_allclose(values[0], expected, rtol=1e-10, atol=1e-12)

    def numpy_loss(*arrays):
        return np.sum(evaluate(spec, list(arrays), params) * weight)

    analytic = iter(values[1:])
    for position, grad in enumerate(grads):
        numeric = numerical_gradient(numpy_loss, operands, position)
        if grad is None:
            np.testing.assert_allclose(numeric, 0.0, atol=1e-7)
            continue
        scale = max(1.0, float(np.max(np.abs(numeric), initial=0.0)))
        np.testing.assert_allclose(next(analytic), numeric, rtol=1e-5, atol=1e-6 * scale)


SECOND_ORDER = [spec for spec in SPECS if spec.name in {
    "exp", "log", "sqrt", "tanh", "sigmoid", "pow", "div", "mul", "matmul", "sum", "mean", "logsumexp",
    "softmax", "log_softmax", "mse_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "cross_entropy", "max", "transpose", "index", "cat", "stack", "expand", "reshape",
}]


@pytest.mark.parametrize("spec", SECOND_ORDER, ids=lambda spec: spec.name)
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_second_derivative_matches_finite_differences(spec, data):
    """The gradient of <first gradient, v> matches finite differences of the compiled first gradient."""
    operands, params = data.draw(op_calls(spec), label="call")
    graph, inputs, output, _ = _build(spec, operands, params)
    with graph.as_default():
        (first,) = sg.gradients(sg.sum(output * output), inputs[0])
        direction = np.linspace(0.5, -1.0, operands[0].size).reshape(operands[0].shape)
        inner = sg.sum(first * sg.constant(direction))
        (second,) = sg.gradients(inner, inputs[0])
        first_fn = sg.compile(inputs, inner)
        if second is None:
            second_value = np.zeros_like(operands[0])
        else:
            second_value = sg.compile(inputs, second)(*operands)
    numeric = numerical_gradient(lambda *arrays: first_fn(*arrays), operands, 0, epsilon=1e-5)
    scale = max(1.0, float(np.max(np.abs(numeric), initial=0.0)))
    np.testing.assert_allclose(second_value, numeric, rtol=1e-4, atol=1e-5 * scale)
