"""The book's Iris classifier: 4-16-3 with a sigmoid hidden layer and softmax outputs.

The book applies ``CrossEntropyLoss`` to the softmax probabilities rather
than to logits. This example keeps that as written, so ``cross_entropy``
warns once that it expects logits. Adam (lr 0.001), batch 2, 100 epochs; the
book records test accuracy 0.98.
"""

import numpy as np

from examples.datasets import iris_data
from examples.report import Report, WithinOf
from examples.splits import batch_schedule
from examples.training import Recipe, train_in_modes

EPOCHS, QUICK_EPOCHS = 100, 5
BATCH_SIZE = 2
BOOK_ACCURACY = 0.98


def build_model(ops):
    """Return the book's ``Model(4, 16, 3)``: Linear, Sigmoid, Linear, Softmax(dim=1)."""
    nn = ops.nn

    class Model(nn.Module):
        def __init__(self, input_size, hidden_size, output_size):
            super().__init__()
            self.layer1 = nn.Linear(input_size, hidden_size)
            self.layer2 = nn.Linear(hidden_size, output_size)

        def forward(self, x):
            x = self.layer1(x)
            x = nn.Sigmoid()(x)
            x = self.layer2(x)
            x = nn.Softmax(dim=1)(x)
            return x

    return Model(4, 16, 3)


def forward(ops, model, x, training):
    return model(x)


def cross_entropy(ops, probabilities, labels):
    return ops.cross_entropy(probabilities, labels)


def adam(ops, parameters):
    return ops.optim.Adam(parameters, lr=0.001)


def accuracy(scores, labels):
    """Return the fraction of rows whose highest score is at the true class."""
    return float(np.mean(np.argmax(scores, axis=1) == labels))


def run(config):
    """Train the Iris classifier in the requested modes and report its test accuracy."""
    data = iris_data()
    epochs = QUICK_EPOCHS if config.quick else EPOCHS
    seed = config.seed_for()
    schedule = batch_schedule(len(data.y_train), BATCH_SIZE, epochs, seed=seed)
    recipe = Recipe(build_model, forward, cross_entropy, adam, BATCH_SIZE, epochs, seed=seed)
    results, agreement = train_in_modes(recipe, data, config.modes, schedule)

    report = Report(
        "iris",
        f"Linear(4,16)-Sigmoid-Linear(16,3)-Softmax, cross_entropy on the softmax, Adam lr 0.001, batch {BATCH_SIZE}, {epochs} epochs",
        data.description,
        agreement=agreement,
        quick=config.quick,
    )
    report.add_results(results)
    values = {mode: accuracy(result.test_output, data.y_test) for mode, result in results.items()}
    report.add("test accuracy", BOOK_ACCURACY, f"{BOOK_ACCURACY:.4f}", values, WithinOf(0.03), seed=seed)
    return report
