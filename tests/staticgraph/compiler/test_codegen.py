"""Generated code: spellings chosen from static shapes give the same values as the ops' kernels."""

import numpy as np
import pytest

import staticgraph as sg
from staticgraph.compiler.codegen import matmul_or_outer
from tests.staticgraph.compiler.helpers import assert_same_results

RNG = np.random.default_rng(6)


@pytest.mark.parametrize("batch", [1, 4])
def test_weight_gradient_of_any_batch(graph, batch):
    x = sg.placeholder(sg.float32, (None, 5), name="x")
    w = sg.variable(RNG.normal(size=(3, 5)).astype(np.float32), name="w")
    loss = sg.sum(sg.tanh(x @ sg.transpose(w, 0, 1)))
    outputs = [loss, *sg.gradients(loss, [w])]
    plain = sg.compile([x], outputs, optimize=False)
    optimized = sg.compile([x], outputs)
    assert "matmul_or_outer(" in optimized.source
    assert_same_results(plain, optimized, RNG.normal(size=(batch, 5)).astype(np.float32))


def test_inner_dim_one_is_a_product(graph):
    a = sg.placeholder(sg.float64, (3, 1), name="a")
    b = sg.placeholder(sg.float64, (1, 4), name="b")
    optimized = sg.compile([a, b], sg.exp(a @ b))
    assert "np.multiply(a, b" in optimized.source
    np.testing.assert_array_equal(optimized(np.ones((3, 1)) * 2.0, np.arange(4.0)[None]), np.exp(2.0 * np.arange(4.0)[None].repeat(3, 0)))


@pytest.mark.parametrize("inner", [1, 3])
def test_matmul_or_outer_matches_matmul(inner):
    a = RNG.normal(size=(4, inner)).astype(np.float32)
    b = RNG.normal(size=(inner, 5)).astype(np.float32)
    np.testing.assert_array_equal(matmul_or_outer(a, b), a @ b)
    out = np.empty((4, 5), np.float32)
    assert matmul_or_outer(a, b, out=out) is out
    np.testing.assert_array_equal(out, a @ b)


def test_sum_methods_match_kernels(graph):
    x = sg.placeholder(sg.float64, (2, 3, 4), name="x")
    outputs = [sg.sum(x, (0, 2)), sg.mean(x, 1, keepdim=True), sg.sum(x), sg.max(x)]
    plain = sg.compile([x], outputs, optimize=False)
    optimized = sg.compile([x], outputs)
    assert ".sum(axis=(0, 2))" in optimized.source
    assert_same_results(plain, optimized, RNG.normal(size=(2, 3, 4)))


def test_node_names_leave_builtins_free(graph):
    x = sg.placeholder(sg.float64, (3,), name="x")
    y = sg.sum(sg.abs(x))  # the nodes are named "abs" and "sum"
    source = sg.compile([x], y).source
    assert "\n    sum = " not in source
    assert "\n    abs = " not in source
    assert "sum_1 = " in source
