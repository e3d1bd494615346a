"""Training the Iris classifier through one compiled executable with updates."""

from importlib import resources

import numpy as np

import staticgraph as sg
from staticgraph import nn


def _load_iris():
    path = resources.files("benchmarks") / "data" / "iris.csv"
    rows = [line.split(",") for line in path.read_text().splitlines()[2:] if line.strip()]
    features = np.array([[float(value) for value in row[:4]] for row in rows])
    names = sorted({row[4] for row in rows})
    labels = np.array([names.index(row[4]) for row in rows], dtype=np.int64)
    return (features - features.mean(0)) / features.std(0), labels


def _numpy_step(weights, x, y, lr):
    """One SGD step of Linear-ReLU-Linear with mean cross-entropy; returns the loss."""
    w1, b1, w2, b2 = weights
    pre = x @ w1.T + b1
    hidden = np.maximum(pre, 0)
    logits = hidden @ w2.T + b2
    shifted = logits - logits.max(1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
    loss = -log_probabilities[np.arange(len(y)), y].mean()
    grad_logits = np.exp(log_probabilities)
    grad_logits[np.arange(len(y)), y] -= 1
    grad_logits /= len(y)
    grad_hidden = grad_logits @ w2 * (pre > 0)
    grads = [grad_hidden.T @ x, grad_hidden.sum(0), grad_logits.T @ hidden, grad_logits.sum(0)]
    for weight, grad in zip(weights, grads):
        weight -= lr * grad
    return loss


def test_iris_training_matches_numpy_reference(graph):
    features, labels = _load_iris()
    sg.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3)).double()
    reference = [value.copy() for value in model.state_dict().values()]
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    y = sg.placeholder(sg.int64, (None,), name="y")
    loss = sg.cross_entropy(model(x), y)
    step = sg.compile([x, y], loss, updates=sg.optim.SGD(model.parameters(), lr=0.1).updates(loss))

    order = np.random.default_rng(1).permutation(len(labels))
    static_losses, numpy_losses = [], []
    for epoch in range(5):
        for start in range(0, len(order), 32):  # the last batch has 22 rows
            rows = order[start:start + 32]
            static_losses.append(float(step(features[rows], labels[rows])))
            numpy_losses.append(_numpy_step(reference, features[rows], labels[rows], 0.1))
    np.testing.assert_allclose(static_losses, numpy_losses, rtol=0, atol=1e-10)
    for value, expected in zip(model.state_dict().values(), reference):
        np.testing.assert_allclose(value, expected, rtol=0, atol=1e-10)
    assert static_losses[-1] < static_losses[0]
