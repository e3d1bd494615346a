"""The user-written NoisyLinear layer adds noise only in training, identically in both modes."""

import numpy as np

import eager
import staticgraph as sg
from examples.noisy import noisy_linear_class

X = np.array([[0.5, -0.25], [1.0, 2.0], [-1.5, 0.75]], dtype=np.float32)
STDDEV = 0.07


def eager_layer():
    eager.manual_seed(3)
    return noisy_linear_class(eager)(2, 4, STDDEV)


def static_outputs(state, training_values):
    with sg.Graph().as_default():
        layer = noisy_linear_class(sg)(2, 4, STDDEV)
        layer.load_state_dict(state)
        x = sg.placeholder(sg.float32, (None, 2), name="x")
        training = sg.placeholder(sg.bool, (), name="training")
        run = sg.compile([x, training], layer(x, training))
    sg.manual_seed(5)
    return [run(X, np.bool_(value)) for value in training_values]


def test_eager_noise_only_in_training():
    layer = eager_layer()
    w, b = layer.w.detach().numpy(), layer.b.detach().numpy()
    clean = X @ w + b

    np.testing.assert_allclose(layer(eager.tensor(X), False).detach().numpy(), clean, rtol=1e-6)
    eager.manual_seed(5)
    noisy = layer(eager.tensor(X), True).detach().numpy()
    noise = np.random.default_rng(5).normal(0.0, STDDEV, size=X.shape).astype(np.float32)
    np.testing.assert_allclose(noisy, (X + noise) @ w + b, rtol=1e-5)
    assert not np.allclose(noisy, clean)


def test_layer_parameters_registered():
    layer = eager_layer()
    assert sorted(layer.state_dict()) == ["b", "w"]
    assert layer.state_dict()["w"].shape == (2, 4)
    np.testing.assert_array_equal(layer.state_dict()["b"], np.zeros(4, dtype=np.float32))
    with sg.Graph().as_default():
        assert sorted(noisy_linear_class(sg)(2, 4, STDDEV).state_dict()) == ["b", "w"]


def test_static_switch_matches_eager():
    layer = eager_layer()
    clean = layer(eager.tensor(X), False).detach().numpy()
    eager.manual_seed(5)
    noisy = layer(eager.tensor(X), True).detach().numpy()

    trained, evaluated = static_outputs(layer.state_dict(), [True, False])

    np.testing.assert_array_equal(evaluated, clean)
    np.testing.assert_array_equal(trained, noisy)


def test_static_evaluation_draws_nothing():
    layer = eager_layer()
    eager.manual_seed(5)
    first_noisy = layer(eager.tensor(X), True).detach().numpy()

    # A False run between seeding and the True run must leave the generator untouched.
    _, trained = static_outputs(layer.state_dict(), [False, True])

    np.testing.assert_array_equal(trained, first_noisy)
