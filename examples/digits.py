"""The book's MNIST classifier: inputs-32-16-10 with ReLU, logits and cross-entropy.

Adam lr 0.001, batch 64, 20 epochs; the book records test accuracy 0.9647 on
MNIST. MNIST cannot be downloaded here, so by default the same network and
training run on scikit-learn's 8x8 digits (64 inputs), whose accuracy is not
comparable with the book's. With ``--mnist-dir`` the example reads the four
MNIST IDX files and uses the book's exact 784-32-16-10 configuration.
"""

import dataclasses

import numpy as np

from examples.datasets import digits_data, mnist_data
from examples.report import NotCompared, Report, WithinOf
from examples.splits import batch_schedule
from examples.training import Recipe, train_in_modes

EPOCHS, QUICK_EPOCHS = 20, 2
BATCH_SIZE = 64
HIDDEN_UNITS = (32, 16)
BOOK_ACCURACY = 0.9647
# Quick runs on MNIST train on this many images only.
QUICK_MNIST_ROWS = 2000


def model_builder(input_size):
    """Return ``build_model(ops)`` for a classifier with ``input_size`` inputs."""

    def build_model(ops):
        nn = ops.nn
        layers = []
        size = input_size
        for hidden_size in HIDDEN_UNITS:
            layers += [nn.Linear(size, hidden_size), nn.ReLU()]
            size = hidden_size
        layers.append(nn.Linear(HIDDEN_UNITS[-1], 10))
        return nn.Sequential(*layers)

    return build_model


def logits(ops, model, x, training):
    return model(x)


def cross_entropy(ops, output, labels):
    return ops.cross_entropy(output, labels)


def adam(ops, parameters):
    return ops.optim.Adam(parameters, lr=0.001)


def load(config):
    """Return the data set and the check against the book for ``config``."""
    if config.mnist_dir is None:
        return digits_data(), NotCompared("n/a: book value is MNIST")
    data = mnist_data(config.mnist_dir)
    if config.quick:
        data = dataclasses.replace(
            data,
            x_train=data.x_train[:QUICK_MNIST_ROWS],
            y_train=data.y_train[:QUICK_MNIST_ROWS],
            description=f"{data.description} (quick run: first {QUICK_MNIST_ROWS} training images)",
        )
    return data, WithinOf(0.03)


def run(config):
    """Train the classifier in the requested modes and report its test accuracy."""
    data, check = load(config)
    input_size = data.x_train.shape[1]
    epochs = QUICK_EPOCHS if config.quick else EPOCHS
    seed = config.seed_for()
    schedule = batch_schedule(len(data.y_train), BATCH_SIZE, epochs, seed=seed)
    recipe = Recipe(model_builder(input_size), logits, cross_entropy, adam, BATCH_SIZE, epochs, seed=seed)
    results, agreement = train_in_modes(recipe, data, config.modes, schedule)

    sizes = "-".join(str(n) for n in (input_size, *HIDDEN_UNITS, 10))
    report = Report(
        "digits",
        f"{sizes} with ReLU, logits, cross-entropy, Adam lr 0.001, batch {BATCH_SIZE}, {epochs} epochs",
        data.description,
        agreement=agreement,
        quick=config.quick,
    )
    report.add_results(results)
    accuracy = {mode: float(np.mean(np.argmax(r.test_output, axis=1) == data.y_test)) for mode, r in results.items()}
    report.add("test accuracy", BOOK_ACCURACY, f"{BOOK_ACCURACY:.4f} (MNIST)", accuracy, check, seed=seed)
    return report
