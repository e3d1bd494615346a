"""Every op in the spec table: values against NumPy, gradients against finite differences.

One test per spec, in both modes. The op runs as a one-step program whose
loss is ``sum(op(operands) * weight)``, so the gradient check covers every
output element with its own factor. Adding a spec to
``tests.strategies.op_specs.SPECS`` is all it takes to test a new op.
The integer indices that ``max`` and ``min`` return along a dim are checked
separately against NumPy's ``argmax`` and ``argmin``.
"""

import numpy as np
import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

import eager
import staticgraph

from tests.property.budget import scaled
from tests.property.interpreter import (
    MODE_ATOL,
    MODE_RTOL,
    assert_arrays_close,
    assert_gradients_match_numeric,
    run_eager,
    run_numpy,
    run_static,
)
from tests.strategies import SPECS, SPECS_BY_NAME, Program, Step, float_arrays, op_calls, shapes
from tests.strategies.op_specs import evaluate


def one_step_program(spec, operands, params, weight):
    step = Step(spec.name, tuple(range(len(operands))), params)
    return Program(list(operands), [step], [weight])


@st.composite
def one_step_programs(draw, spec):
    operands, params = draw(op_calls(spec))
    shape = evaluate(spec, operands, params).shape
    weight = draw(float_arrays(shape, -2.0, 2.0))
    return one_step_program(spec, operands, params, weight)


def check_one_step(program):
    """Check both modes against NumPy values and finite-difference gradients."""
    note(program.describe())
    expected = run_numpy(program).outputs

    for label, runner in (("eager", run_eager), ("staticgraph", run_static)):
        result = runner(program)
        assert_arrays_close(result.outputs, expected, MODE_RTOL, MODE_ATOL, f"{label} against NumPy")
        assert_gradients_match_numeric(result.grads, program, label)


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
@scaled(2)
@given(data=st.data())
def test_op_matches_numpy_and_finite_differences(spec, data):
    check_one_step(data.draw(one_step_programs(spec), label="program"))


def test_spec_names_are_unique():
    names = [spec.name for spec in SPECS]

    assert len(set(names)) == len(names)


def test_finite_differences_detect_wrong_gradient():
    """The checker itself fails on a gradient that is off by a factor of two."""
    spec = next(spec for spec in SPECS if spec.name == "mul")
    program = one_step_program(spec, [np.array([1.5, -0.5]), np.array([2.0, 3.0])], {}, np.array([1.0, -1.0]))
    wrong = [2 * grad for grad in run_numpy_gradients(program)]

    with pytest.raises(AssertionError):
        assert_gradients_match_numeric(wrong, program, "doubled")


def run_numpy_gradients(program):
    """Analytic gradients of ``sum(a * b * w)`` for the ``mul`` program above."""
    a, b = program.inputs
    (w,) = program.weights
    return [b * w, a * w]


@st.composite
def reductions_along_dim(draw):
    """Draw ``(x, dim, keepdim)`` with no near-tie along ``dim``, so the arg index is unique."""
    x = draw(shapes(min_dims=1).flatmap(float_arrays))
    params = {"dim": draw(st.integers(-x.ndim, x.ndim - 1)), "keepdim": draw(st.booleans())}
    assume(SPECS_BY_NAME["max"].valid([x], params))
    return x, params["dim"], params["keepdim"]


def static_values_and_indices(name, x, dim, keepdim):
    with staticgraph.Graph().as_default():
        placeholder = staticgraph.placeholder(staticgraph.float64, shape=x.shape)
        values, indices = getattr(staticgraph, name)(placeholder, dim=dim, keepdim=keepdim)
        return staticgraph.compile([placeholder], [values, indices])(x)


@pytest.mark.parametrize("name, arg_function", [("max", np.argmax), ("min", np.argmin)])
@given(reductions_along_dim())
def test_reduction_indices_match_numpy(name, arg_function, drawn):
    x, dim, keepdim = drawn
    expected = arg_function(x, axis=dim, keepdims=keepdim)

    eager_values, eager_indices = getattr(eager, name)(eager.tensor(x), dim=dim, keepdim=keepdim)
    static_values, static_indices = static_values_and_indices(name, x, dim, keepdim)

    np.testing.assert_array_equal(eager_indices.numpy(), expected)
    assert eager_indices.numpy().dtype == np.int64
    np.testing.assert_array_equal(static_indices, expected)
    assert np.asarray(static_indices).dtype == np.int64
    np.testing.assert_array_equal(static_values, eager_values.numpy())
