import numpy as np
import pytest

import staticgraph as sg


def test_seeded_op_reproducible_across_graphs():
    def draws():
        graph = sg.Graph()
        with graph.as_default():
            executable = sg.compile([], sg.random_normal((2, 3), std=2.0, seed=7, dtype=sg.float64))
            return [executable() for _ in range(2)]

    first, second = draws(), draws()
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[0], first[1])
    expected = np.random.default_rng(7).normal(0.0, 2.0, size=(2, 3))
    np.testing.assert_array_equal(first[0], expected)


def test_unseeded_op_uses_global_generator(graph):
    executable = sg.compile([], sg.random_normal((4,), dtype=sg.float64))
    sg.manual_seed(3)
    value = executable()
    np.testing.assert_array_equal(value, np.random.default_rng(3).normal(0.0, 1.0, size=4))


def test_normal_takes_runtime_shape(graph):
    x = sg.placeholder(sg.float32, (None, 2), name="x")
    noisy = x + sg.normal(0.0, 0.5, size=x.shape)
    executable = sg.compile([x], noisy)
    sg.manual_seed(0)
    assert executable(np.zeros((5, 2), dtype=np.float32)).shape == (5, 2)
    assert executable(np.zeros((1, 2), dtype=np.float32)).shape == (1, 2)
    assert noisy.dtype == np.float32


def test_normal_rejects_unknown_plain_size(graph):
    with pytest.raises(ValueError, match="unknown dims.*size=x.shape"):
        sg.normal(0.0, 1.0, size=(None, 2))


def test_training_switch_in_one_executable(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    training = sg.placeholder(sg.bool, (), name="training")
    noisy = x + sg.normal(0.0, 1.0, size=x.shape, dtype=sg.float64, training=training)
    executable = sg.compile([x, training], noisy)
    data = np.ones((4, 3))

    sg.manual_seed(5)
    np.testing.assert_array_equal(executable(data, False), data)
    trained = executable(data, True)
    np.testing.assert_array_equal(trained, data + np.random.default_rng(5).normal(0.0, 1.0, size=(4, 3)))


def test_random_op_gradient_flows_to_input_only(graph):
    x = sg.placeholder(sg.float64, (None,), name="x")
    y = sg.sum(x * 2.0 + sg.normal(0.0, 1.0, size=x.shape, dtype=sg.float64))
    (grad,) = sg.gradients(y, [x])
    np.testing.assert_array_equal(sg.compile([x], grad)(np.zeros(3)), [2.0, 2.0, 2.0])


def test_random_op_never_folded(graph):
    noise = sg.random_normal((2,), seed=1)
    executable = sg.compile([], noise * 1.0)
    assert not np.array_equal(executable(), executable())


def test_explicit_generator_advances(graph):
    generator = np.random.default_rng(21)
    x = sg.placeholder(sg.float64, (None,), name="x")
    executable = sg.compile([x], [sg.normal(0.0, 1.0, size=x.shape, dtype=sg.float64, generator=generator),
                                  sg.dropout(x, 0.5, generator=generator)])
    first_noise, first_dropped = executable(np.ones(4))
    reference = np.random.default_rng(21)
    np.testing.assert_array_equal(first_noise, reference.normal(0.0, 1.0, size=(4,)))
    np.testing.assert_array_equal(first_dropped, (reference.random((4,)) >= 0.5) / 0.5)
    second_noise, _ = executable(np.ones(4))
    np.testing.assert_array_equal(second_noise, reference.normal(0.0, 1.0, size=(4,)))


def test_seed_and_generator_exclusive(graph):
    with pytest.raises(ValueError, match="either seed or generator"):
        sg.randn(2, seed=1, generator=np.random.default_rng(1))
