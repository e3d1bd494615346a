"""Mismatches raise when the node is built, naming the op, every input's shape and creation line."""

import numpy as np
import pytest

import staticgraph as sg
from staticgraph.errors import DTypeError, ShapeError


@pytest.mark.parametrize("build", [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: sg.div(a, b),
    lambda a, b: sg.maximum(a, b),
    lambda a, b: sg.where(a > 0, a, b),
])
def test_broadcast_mismatch_names_op_shapes_and_lines(graph, build):
    a = sg.placeholder(sg.float32, (None, 3), name="a")  # line of a
    b = sg.placeholder(sg.float32, (4,), name="b")  # line of b
    with pytest.raises(ShapeError) as caught:
        build(a, b)
    message = str(caught.value)
    assert "cannot broadcast shapes" in message
    assert "(?, 3)" in message
    assert "(4,)" in message
    assert "# line of a" in message
    assert "# line of b" in message
    assert "fix:" in message


def test_matmul_inner_dims(graph):
    x = sg.placeholder(sg.float32, (None, 4), name="x")
    w = sg.variable(np.zeros((5, 3), dtype=np.float32), name="w")
    with pytest.raises(ShapeError, match="(?s)^matmul: inner dims differ: 4 .* vs 5.*'x' \\(shape \\(\\?, 4\\).*'w' \\(shape \\(5, 3\\)"):
        x @ w


def test_linear_layer_size_mismatch_names_user_line(graph):
    model = sg.nn.Sequential(sg.nn.Linear(4, 16), sg.nn.ReLU(), sg.nn.Linear(8, 3))
    x = sg.placeholder(sg.float32, (None, 4), name="x")
    with pytest.raises(ShapeError) as caught:
        model(x)  # the model call
    message = str(caught.value)
    assert "matmul: inner dims differ: 16" in message
    assert "# the model call" in message


@pytest.mark.parametrize("build, words", [
    (lambda x: sg.reshape(x, (5, 5)), "cannot reshape to \\(5, 5\\)"),
    (lambda x: sg.transpose(x, 0, 3), "dim 3 is out of range for a tensor of rank 2"),
    (lambda x: sg.sum(x, 2), "dim 2 is out of range"),
    (lambda x: sg.cat([x, sg.constant(np.zeros((2, 4), dtype=np.float32))], 0), "sizes differ in dim 1"),
    (lambda x: sg.stack([x, sg.constant(np.zeros((2, 4), dtype=np.float32))]), "sizes differ in dim 1"),
    (lambda x: sg.expand(x, 4, 3), "cannot expand dim 2 to 4"),
    (lambda x: x[5], "invalid index"),
    (lambda x: sg.squeeze(x, 0), "dim 0 has unknown size"),
])
def test_shape_op_errors(graph, build, words):
    x = sg.placeholder(sg.float32, (None, 3), name="x") if "unknown" in words else sg.placeholder(sg.float32, (2, 3), name="x")
    with pytest.raises(ShapeError, match=words):
        build(x)


def test_cross_entropy_shape_and_dtype_errors(graph):
    logits = sg.placeholder(sg.float32, (None, 3), name="logits")
    with pytest.raises(DTypeError, match="(?s)class indices need an integer dtype.*int64"):
        sg.nll_loss(sg.log_softmax(logits), sg.placeholder(sg.float32, (None,), name="labels"))
    with pytest.raises(ShapeError, match="batch sizes differ: 4 vs 5"):
        sg.cross_entropy(sg.placeholder(sg.float32, (4, 3), name="l"), sg.placeholder(sg.int64, (5,), name="t"))
    with pytest.raises(ShapeError, match="expected input \\(N, C\\) with targets \\(N,\\)"):
        sg.cross_entropy(logits, sg.placeholder(sg.int64, (None, 3), name="t2"))


def test_where_needs_bool_condition(graph):
    x = sg.placeholder(sg.float32, (3,), name="x")
    with pytest.raises(DTypeError, match="(?s)where: the condition must be bool.*where\\(x > 0, a, b\\)"):
        sg.where(x, x, x)


def test_mean_of_integers(graph):
    n = sg.placeholder(sg.int64, (3,), name="counts")
    with pytest.raises(DTypeError, match="mean needs a floating input, got int64"):
        sg.mean(n)


def test_non_numeric_operand(graph):
    x = sg.placeholder(sg.float32, (3,), name="x")
    with pytest.raises(TypeError, match="cannot use str value 'abc' as an input"):
        x + "abc"


def test_error_keeps_graph_unchanged(graph):
    x = sg.placeholder(sg.float32, (2, 3), name="x")
    before = str(graph)
    with pytest.raises(ShapeError):
        x @ x
    assert str(graph) == before


def test_failed_mixed_dtype_op_adds_no_cast(graph):
    a = sg.placeholder(sg.float32, (2, 3), name="a")
    b = sg.placeholder(sg.float64, (4,), name="b")
    before = len(graph)
    with pytest.raises(ShapeError):
        a + b
    with pytest.raises(ShapeError):
        a @ b
    assert len(graph) == before
