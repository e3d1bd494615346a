"""A user-written layer, ``NoisyLinear``, that adds Gaussian noise to its input while training.

The model is ``NoisyLinear(2, 4, 0.07)-ReLU-Linear(4, 4)-ReLU-Linear(4, 1)-Sigmoid``
on the XOR data, trained with binary cross-entropy and SGD (lr 0.015, batch 2,
200 epochs). The book records about 0.96 validation accuracy.

The training switch is the ``training`` argument of ``forward``. In eager mode
it decides at each call whether noise is drawn. In static mode the model's
graph is built twice over the same variables: with ``training=True`` the
graph contains a random normal op and is compiled into the training step,
with ``training=False`` it has no random op and is compiled into the
evaluation executable. Both modes draw the noise from their package's global
generator, which is reseeded before training, so they add the same noise.
"""

import numpy as np

from examples.datasets import xor_data
from examples.report import Report, WithinOf
from examples.splits import batch_schedule
from examples.training import Recipe, train_in_modes
from examples.xor import binary_accuracy, binary_cross_entropy

EPOCHS, QUICK_EPOCHS = 200, 10
BATCH_SIZE = 2
BOOK_ACCURACY = 0.96


def noisy_linear_class(ops):
    """Return the ``NoisyLinear`` layer class built on ``ops.nn.Module``."""
    nn = ops.nn

    class NoisyLinear(nn.Module):
        """``x @ w + b``, with ``N(0, noise_stddev**2)`` noise added to ``x`` when training.

        ``w`` has shape ``(input_size, output_size)``, drawn with
        ``xavier_uniform_``, and ``b`` starts at zero.
        """

        def __init__(self, input_size, output_size, noise_stddev=0.1):
            super().__init__()
            self.w = nn.Parameter(np.zeros((input_size, output_size), dtype=np.float32))
            nn.init.xavier_uniform_(self.w)
            self.b = nn.Parameter(np.zeros(output_size, dtype=np.float32))
            self.noise_stddev = noise_stddev

        def forward(self, x, training=False):
            if training:
                noise = ops.normal(0.0, self.noise_stddev, size=x.shape)
                x = ops.add(x, noise)
            return ops.add(ops.matmul(x, self.w), self.b)

    return NoisyLinear


def build_model(ops):
    """Return the book's ``MyNoisyModule`` built with ``ops``."""
    nn = ops.nn
    noisy_linear = noisy_linear_class(ops)

    class MyNoisyModule(nn.Module):
        def __init__(self):
            super().__init__()
            self.l1 = noisy_linear(2, 4, 0.07)
            self.a1 = nn.ReLU()
            self.l2 = nn.Linear(4, 4)
            self.a2 = nn.ReLU()
            self.l3 = nn.Linear(4, 1)
            self.a3 = nn.Sigmoid()

        def forward(self, x, training=False):
            x = self.a1(self.l1(x, training))
            x = self.a2(self.l2(x))
            return self.a3(self.l3(x))

    return MyNoisyModule()


def noisy_first_column(ops, model, x, training):
    """Return ``model(x, training)[:, 0]``."""
    return model(x, training)[:, 0]


def sgd(ops, parameters):
    return ops.optim.SGD(parameters, lr=0.015)


def run(config):
    """Train the noisy model in the requested modes and report its validation accuracy."""
    data = xor_data()
    epochs = QUICK_EPOCHS if config.quick else EPOCHS
    schedule = batch_schedule(len(data.y_train), BATCH_SIZE, epochs, seed=config.seed)
    recipe = Recipe(build_model, noisy_first_column, binary_cross_entropy, sgd, BATCH_SIZE, epochs, seed=config.seed)
    results, agreement = train_in_modes(recipe, data, config.modes, schedule)

    report = Report(
        "noisy",
        f"NoisyLinear(2,4,0.07)-ReLU-Linear(4,4)-ReLU-Linear(4,1)-Sigmoid, BCE, SGD lr 0.015, batch {BATCH_SIZE}, {epochs} epochs",
        data.description,
        agreement=agreement,
        quick=config.quick,
    )
    report.add_time(results)
    accuracy = {mode: binary_accuracy(result.test_output, data.y_test) for mode, result in results.items()}
    report.add("validation accuracy", BOOK_ACCURACY, f"~{BOOK_ACCURACY:.2f}", accuracy, WithinOf(0.03))
    return report
