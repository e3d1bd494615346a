"""Each algebraic rewrite fires on its pattern, keeps the results, and leaves other graphs alone."""

import numpy as np
import pytest

import staticgraph as sg
from staticgraph.ops import nn_ops, reductions, shape_ops
from tests.staticgraph.compiler.helpers import assert_same_results, compile_both, rewrite_counts

RNG = np.random.default_rng(0)


def _check(inputs, outputs, arrays, rewrite, count=1):
    plain, optimized = compile_both(inputs, outputs, ["fold_merge_simplify"])
    assert rewrite_counts(optimized)[rewrite] >= count
    assert_same_results(plain, optimized, *arrays)
    return optimized


def _ops(executable):
    return [type(data["op"]) for _, data in executable.ir.nx.nodes(data=True) if data["kind"] == "op"]


def test_mul_by_one(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    optimized = _check([x], [x * 1.0 + 2.0, 1.0 * x], [RNG.normal(size=(4, 3))], "mul_by_one", 2)
    assert sg.ops.elementwise.Mul not in _ops(optimized)


def test_mul_by_one_keeps_broadcast(graph):
    x = sg.placeholder(sg.float64, (3,), name="x")
    ones = sg.constant(np.ones((2, 3)))
    plain, optimized = compile_both([x], x * ones, ["fold_merge_simplify"])
    assert rewrite_counts(optimized)["mul_by_one"] == 0
    assert_same_results(plain, optimized, RNG.normal(size=3))


def test_add_zero(graph):
    x = sg.placeholder(sg.float64, (None,), name="x")
    _check([x], [sg.exp(x + 0.0), sg.exp(0.0 + x), sg.exp(x - 0.0)], [RNG.normal(size=5)], "add_zero", 3)


def test_sub_self(graph):
    x = sg.placeholder(sg.float64, (None, 2), name="x")
    optimized = _check([x], [sg.exp(x) - sg.exp(x)], [RNG.normal(size=(3, 2))], "sub_self")
    assert sg.ops.elementwise.Sub not in _ops(optimized)


def test_double_negation(graph):
    x = sg.placeholder(sg.float64, (2,), name="x")
    optimized = _check([x], [sg.exp(-(-x))], [RNG.normal(size=2)], "double_negation")
    assert sg.ops.elementwise.Neg not in _ops(optimized)


def test_double_transpose(graph):
    x = sg.placeholder(sg.float64, (2, 3, 4), name="x")
    once = sg.permute(sg.permute(x, (2, 0, 1)), (2, 0, 1))
    back = sg.transpose(sg.transpose(x, 0, 1), 0, 1)
    optimized = _check([x], [sg.exp(once), sg.exp(back)], [RNG.normal(size=(2, 3, 4))], "double_transpose", 2)
    assert _ops(optimized).count(shape_ops.Permute) == 1


def test_reshape_same_shape(graph):
    x = sg.placeholder(sg.float64, (2, 3), name="x")
    optimized = _check([x], [sg.exp(sg.reshape(x, (2, 3)))], [RNG.normal(size=(2, 3))], "reshape_same_shape")
    assert shape_ops.Reshape not in _ops(optimized)


def test_reshape_to_other_shape_stays(graph):
    x = sg.placeholder(sg.float64, (2, 3), name="x")
    plain, optimized = compile_both([x], sg.exp(sg.reshape(x, (3, 2))), ["fold_merge_simplify"])
    assert shape_ops.Reshape in _ops(optimized)
    assert_same_results(plain, optimized, RNG.normal(size=(2, 3)))


def test_log_exp(graph):
    x = sg.placeholder(sg.float64, (3,), name="x")
    optimized = _check([x], [sg.log(sg.exp(x)) * 2.0], [RNG.normal(size=3)], "log_exp")
    assert sg.ops.elementwise.Log not in _ops(optimized)


def test_exp_log_where_valid(graph):
    x = sg.placeholder(sg.float64, (3,), name="x")
    optimized = _check([x], [sg.exp(sg.log(sg.sigmoid(x))) * 2.0], [RNG.normal(size=3)], "exp_log")
    assert sg.ops.elementwise.Log not in _ops(optimized)


def test_exp_log_of_any_value_stays(graph):
    x = sg.placeholder(sg.float64, (3,), name="x")
    plain, optimized = compile_both([x], sg.exp(sg.log(x)), ["fold_merge_simplify"])
    assert rewrite_counts(optimized)["exp_log"] == 0
    with np.errstate(invalid="ignore"):
        assert_same_results(plain, optimized, np.array([-1.0, 0.5, 2.0]))


def test_log_of_softmax(graph):
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    optimized = _check([x], [sg.log(sg.softmax(x, 1))], [RNG.normal(size=(3, 4))], "log_of_softmax")
    assert nn_ops.LogSoftmax in _ops(optimized)
    assert nn_ops.Softmax not in _ops(optimized)


def test_sum_of_broadcast(graph):
    v = sg.placeholder(sg.float64, (1, 3), name="v")
    spread = sg.expand(v, 4, 3)
    optimized = _check([v], [sg.sum(spread)], [RNG.normal(size=(1, 3))], "sum_of_broadcast")
    assert shape_ops.Expand not in _ops(optimized)


def test_reduce_scalar(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    optimized = _check([x], [sg.sum(sg.exp(x)), sg.mean(sg.exp(x))], [np.asarray(0.3)], "reduce_scalar", 2)
    assert reductions.Sum not in _ops(optimized)


def test_sum_like_static(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    b = sg.placeholder(sg.float64, (3,), name="b")
    loss = sg.sum(sg.tanh(x + b))
    grads = sg.gradients(loss, [b])
    optimized = _check([x, b], grads, [RNG.normal(size=(5, 3)), RNG.normal(size=3)], "sum_like_static")
    assert reductions.SumLike not in _ops(optimized)


def test_broadcast_to_same_shape(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    y = sg.placeholder(sg.float64, (None, 3), name="y")
    same = sg.ops.functional.sum_like(sg.exp(x), x)
    different = sg.ops.functional.sum_like(sg.exp(x), y)
    arrays = [RNG.normal(size=(4, 3)), RNG.normal(size=(1, 3))]
    optimized = _check([x, y], [same, different], arrays, "broadcast_to_same_shape")
    assert _ops(optimized).count(reductions.SumLike) == 1


def test_expand_reduced_static(graph):
    x = sg.placeholder(sg.float64, (2, 3), name="x")
    grads = sg.gradients(sg.mean(x * x), [x])
    optimized = _check([x], grads, [RNG.normal(size=(2, 3))], "expand_reduced_static")
    assert reductions.ExpandReduced not in _ops(optimized)


def test_mul_by_broadcast(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    grads = sg.gradients(sg.sum(sg.relu(x)), [x])
    optimized = _check([x], grads, [RNG.normal(size=(4, 3))], "mul_by_broadcast")
    assert reductions.ExpandReduced not in _ops(optimized)


def test_transpose_of_matmul(graph):
    a = sg.placeholder(sg.float64, (None, 3), name="a")
    b = sg.placeholder(sg.float64, (None, 2), name="b")
    product = sg.transpose(sg.transpose(a, 0, 1) @ b, 0, 1)
    optimized = _check([a, b], [product], [RNG.normal(size=(4, 3)), RNG.normal(size=(4, 2))], "transpose_of_matmul")
    assert _ops(optimized).count(shape_ops.Permute) == 1


@pytest.mark.parametrize("optimize", [0, 1, 2])
def test_levels_agree_on_mlp_gradients(graph, optimize):
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    w = sg.variable(RNG.normal(size=(3, 4)), name="w")
    b = sg.variable(RNG.normal(size=3), name="b")
    loss = sg.sum(sg.relu(x @ sg.transpose(w, 0, 1) + b))
    outputs = [loss, *sg.gradients(loss, [w, b])]
    plain = sg.compile([x], outputs, optimize=False)
    optimized = sg.compile([x], outputs, optimize=optimize)
    assert_same_results(plain, optimized, RNG.normal(size=(5, 4)))
