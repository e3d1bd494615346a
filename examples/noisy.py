"""A user-written layer, ``NoisyLinear``, that adds Gaussian noise to its input while training.

The model is ``NoisyLinear(2, 4, 0.07)-ReLU-Linear(4, 4)-ReLU-Linear(4, 1)-Sigmoid``
on the XOR data, trained with binary cross-entropy and SGD (lr 0.015, batch 2,
200 epochs). The book records about 0.96 validation accuracy. As with the
2-4-4-1 model of the ``xor`` example the result depends on the initial
weights: over seeds 0 to 7 in eager mode it ends between 0.86 and 0.96
(``python -m examples noisy --sweep 8``). The default seed, 3, reaches the
book's level in both modes.

The training switch is the ``training`` argument of ``forward``. In eager mode
it is a Python bool, checked at each call. In static mode the model's graph is
built once, with a boolean scalar placeholder that gates
``staticgraph.random_normal``: the training step feeds ``True`` and the
evaluation executable ``False``, which skips the draw.
Both modes draw the noise with ``generator.normal(0, stddev, size)`` from their
package's global generator, reseeded before training, so they add the same noise.
"""

import numpy as np

import eager
import staticgraph
from examples.datasets import xor_data
from examples.report import Report, WithinOf
from examples.splits import batch_schedule
from examples.training import Recipe, train_in_modes
from examples.xor import binary_accuracy, binary_cross_entropy

EPOCHS, QUICK_EPOCHS = 200, 10
BATCH_SIZE = 2
BOOK_ACCURACY = 0.96
DEFAULT_SEED = 3


def make_parameter(ops, value):
    """Return a trainable parameter holding the array ``value``, registered when assigned to a module."""
    if ops is staticgraph:
        return staticgraph.variable(value)
    return eager.nn.Parameter(value)


def gaussian_noise(ops, x, stddev, training):
    """Return ``N(0, stddev**2)`` noise shaped like ``x``, or None when ``training`` is the Python False.

    In static mode ``training`` is a boolean placeholder, and the random op
    returns zeros without drawing when it is fed ``False``.
    """
    if training is False:
        return None
    if ops is staticgraph:
        switch = None if training is True else training
        return staticgraph.random_normal(x, 0.0, stddev, training=switch)
    return eager.empty(x.shape).normal_(0.0, stddev)


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
            self.w = make_parameter(ops, np.zeros((input_size, output_size), dtype=np.float32))
            nn.init.xavier_uniform_(self.w)
            self.b = make_parameter(ops, np.zeros(output_size, dtype=np.float32))
            self.noise_stddev = noise_stddev

        def forward(self, x, training=False):
            noise = gaussian_noise(ops, x, self.noise_stddev, training)
            if noise is not None:
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
    seed = config.seed_for(DEFAULT_SEED)
    schedule = batch_schedule(len(data.y_train), BATCH_SIZE, epochs, seed=seed)
    recipe = Recipe(build_model, noisy_first_column, binary_cross_entropy, sgd, BATCH_SIZE, epochs,
                    seed=seed, training_switch=True)
    results, agreement = train_in_modes(recipe, data, config.modes, schedule)

    report = Report(
        "noisy",
        f"NoisyLinear(2,4,0.07)-ReLU-Linear(4,4)-ReLU-Linear(4,1)-Sigmoid, BCE, SGD lr 0.015, batch {BATCH_SIZE}, {epochs} epochs",
        data.description,
        agreement=agreement,
        quick=config.quick,
    )
    report.add_results(results)
    accuracy = {mode: binary_accuracy(result.test_output, data.y_test) for mode, result in results.items()}
    report.add("validation accuracy", BOOK_ACCURACY, f"~{BOOK_ACCURACY:.2f}", accuracy, WithinOf(0.03), seed=seed)
    return report
