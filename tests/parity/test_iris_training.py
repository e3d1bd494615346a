"""SGD training of the Iris classifier gives the same losses in both modes."""

from importlib import resources

import numpy as np
import pytest

import eager
import staticgraph as sg

SPECIES = ["setosa", "versicolor", "virginica"]


def load_iris():
    path = resources.files("benchmarks") / "data" / "iris.csv"
    with path.open() as handle:
        rows = [line.strip().split(",") for line in handle if line[0].isdigit()]
    features = np.array([[float(v) for v in row[:4]] for row in rows])
    labels = np.array([SPECIES.index(row[4]) for row in rows])
    return (features - features.mean(axis=0)) / features.std(axis=0), labels


def build_classifier(ops):
    nn = ops.nn
    return nn.Sequential(nn.Linear(4, 16, dtype=ops.float64), nn.ReLU(), nn.Linear(16, 3, dtype=ops.float64))


def batches(n_rows, batch_size, epochs, seed):
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(n_rows)
        yield [order[i : i + batch_size] for i in range(0, n_rows, batch_size)]


def train_eager(state, features, labels, schedule, optimizer_factory):
    model = build_classifier(eager)
    model.load_state_dict(state)
    optimizer = optimizer_factory(eager, model.parameters())
    losses = []
    for epoch in schedule:
        for rows in epoch:
            optimizer.zero_grad()
            loss = eager.cross_entropy(model(eager.tensor(features[rows])), eager.tensor(labels[rows]))
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return np.array(losses)


def train_static(state, features, labels, schedule, optimizer_factory):
    with sg.Graph().as_default():
        model = build_classifier(sg)
        model.load_state_dict(state)
        x = sg.placeholder(sg.float64, shape=(None, 4), name="x")
        y = sg.placeholder(sg.int64, shape=(None,), name="y")
        loss = sg.cross_entropy(model(x), y)
        optimizer = optimizer_factory(sg, model.parameters())
        step = sg.compile([x, y], loss, updates=optimizer.updates(loss))

    losses = [float(step(features[rows], labels[rows])) for epoch in schedule for rows in epoch]
    return np.array(losses)


def sgd(ops, params):
    return ops.optim.SGD(params, lr=0.1, momentum=0.9)


def adam(ops, params):
    return ops.optim.Adam(params, lr=0.01)


@pytest.mark.parametrize("optimizer_factory", [sgd, adam], ids=["sgd", "adam"])
def test_loss_curves_agree(optimizer_factory):
    features, labels = load_iris()
    eager.manual_seed(0)
    state = build_classifier(eager).state_dict()
    schedule = list(batches(len(labels), 16, epochs=5, seed=1))

    eager_losses = train_eager(state, features, labels, schedule, optimizer_factory)
    static_losses = train_static(state, features, labels, schedule, optimizer_factory)

    assert eager_losses.shape == (5 * 10,)
    assert eager_losses[-10:].mean() < eager_losses[:10].mean()
    np.testing.assert_allclose(static_losses, eager_losses, rtol=0, atol=1e-10)
