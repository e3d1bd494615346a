import numpy as np
import pytest

import staticgraph as sg
from staticgraph.errors import FeedError


@pytest.fixture
def program(graph):
    x = sg.placeholder(sg.float64, (None,), name="x")
    w = sg.variable(np.float64(2.0), name="w")
    return graph, x, w, x * w


def test_run_single_node(program):
    graph, x, _, y = program
    np.testing.assert_array_equal(sg.Session(graph).run(y, {x: [1.0, 2.0]}), [2.0, 4.0])


def test_run_structures(program):
    graph, x, w, y = program
    session = sg.Session(graph)
    feed = {x: np.array([1.0, 3.0])}
    as_list = session.run([y, w], feed)
    as_tuple = session.run((y, w), feed)
    as_dict = session.run({"y": y, "nested": [w]}, feed)
    assert isinstance(as_list, list) and isinstance(as_tuple, tuple)
    np.testing.assert_array_equal(as_list[0], [2.0, 6.0])
    assert float(as_tuple[1]) == 2.0
    assert set(as_dict) == {"y", "nested"}
    assert float(as_dict["nested"][0]) == 2.0


def test_feed_by_name(program):
    graph, _, _, y = program
    session = sg.Session(graph)
    np.testing.assert_array_equal(session.run(y, {"x": [1.0]}), [2.0])
    np.testing.assert_array_equal(session.run(y, {"x:0": [2.0]}), [4.0])


def test_caches_one_executable_per_fetch_set(program):
    graph, x, w, y = program
    session = sg.Session(graph)
    session.run(y, {x: [1.0]})
    session.run(y, {"x": [5.0, 6.0]})
    assert len(session._cache) == 1
    session.run([y, w], {x: [1.0]})
    assert len(session._cache) == 2


def test_unknown_feed_name(program):
    graph, _, _, y = program
    with pytest.raises(FeedError, match="no node named 'nope'.*placeholders are \\['x'\\]"):
        sg.Session(graph).run(y, {"nope": [1.0]})


def test_feed_of_non_placeholder(program):
    graph, x, w, y = program
    with pytest.raises(FeedError, match="'w'.*variable, not a placeholder"):
        sg.Session(graph).run(y, {x: [1.0], w: 3.0})


def test_missing_feed(program):
    graph, _, _, y = program
    with pytest.raises(FeedError, match="feed_dict has no value for: \\['x'\\]") as caught:
        sg.Session(graph).run(y, {})

    assert "add them to feed_dict" in str(caught.value)


def test_updates_fetch_applies_step(graph):
    w = sg.variable(np.array([1.0, -2.0]), name="w")
    loss = sg.sum(w * w)
    train = sg.optim.SGD([w], lr=0.25).minimize(loss)
    session = sg.Session(graph)
    value, nothing = session.run([loss, train])
    assert float(value) == 5.0
    assert nothing is None
    np.testing.assert_allclose(w.numpy(), [0.5, -1.0])


def test_fetch_of_other_graph_rejected(program):
    graph, *_ = program
    other = sg.Graph()
    with other.as_default():
        z = sg.placeholder(sg.float64, (), name="z")
    with pytest.raises(FeedError, match="different graph"):
        sg.Session(graph).run(z, {})


def test_named_tuple_fetch(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    result = sg.Session(graph).run(sg.max(x, 1), {x: np.array([[1.0, 5.0, 2.0]])})
    np.testing.assert_array_equal(result.values, [5.0])
    np.testing.assert_array_equal(result.indices, [1])
