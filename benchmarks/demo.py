"""The Iris classifier trained in both modes from the same initial weights and the same shuffling.

``eager`` runs the usual PyTorch-style loop.  ``staticgraph`` loads the eager
model's ``state_dict`` into its own model and trains through one compiled
executable whose ``updates`` apply the SGD step.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from benchmarks import datasets
from benchmarks.workloads import iris


@dataclass
class DemoResult:
    eager_losses: list[float] = field(default_factory=list)
    static_losses: list[float] = field(default_factory=list)
    eager_accuracy: float = 0.0
    static_accuracy: float = 0.0
    eager_seconds: float = 0.0
    static_seconds: float = 0.0
    static_compile_seconds: float = 0.0

    @property
    def max_loss_difference(self) -> float:
        return float(np.max(np.abs(np.subtract(self.eager_losses, self.static_losses))))

    def to_dict(self) -> dict:
        return {**self.__dict__, "max_loss_difference": self.max_loss_difference}


def eager_classifier(eager):
    nn = eager.nn
    return nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))


def train_eager(eager, model, split, schedule, lr: float) -> list[float]:
    optimizer = eager.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for epoch in schedule:
        total = 0.0
        for rows in epoch:
            optimizer.zero_grad()
            loss = eager.nn.functional.cross_entropy(model(eager.tensor(split.x_train[rows])),
                                                     eager.tensor(split.y_train[rows]))
            loss.backward()
            optimizer.step()
            total += loss.item() * len(rows)
        losses.append(total / len(split.y_train))
    return losses


def compile_static(staticgraph, state: dict, lr: float):
    """Build the static model from ``state``; return the training and prediction executables."""
    nn = staticgraph.nn
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    model.load_state_dict(state)
    x = staticgraph.placeholder(staticgraph.float32, shape=(None, 4), name="x")
    y = staticgraph.placeholder(staticgraph.int64, shape=(None,), name="y")
    logits = model(x)
    loss = nn.functional.cross_entropy(logits, y)
    optimizer = staticgraph.optim.SGD(model.parameters(), lr=lr)
    train_step = staticgraph.compile([x, y], loss, updates=optimizer.updates(loss))
    predict = staticgraph.compile([x], logits)
    return train_step, predict


def train_static(train_step, split, schedule) -> list[float]:
    losses = []
    for epoch in schedule:
        total = 0.0
        for rows in epoch:
            total += float(train_step(split.x_train[rows], split.y_train[rows])) * len(rows)
        losses.append(total / len(split.y_train))
    return losses


def run(epochs: int = iris.EPOCHS, lr: float = iris.LEARNING_RATE, seed: int = iris.SEED) -> DemoResult:
    import eager
    import staticgraph

    split = datasets.split_iris(seed=seed)
    schedule = datasets.epoch_batches(len(split.y_train), iris.BATCH_SIZE, epochs, seed)
    result = DemoResult()

    eager.manual_seed(seed)
    eager_model = eager_classifier(eager)
    initial_state = {key: np.array(value, copy=True) for key, value in eager_model.state_dict().items()}

    start = time.perf_counter()
    with staticgraph.Graph().as_default():
        train_step, predict = compile_static(staticgraph, initial_state, lr)
    result.static_compile_seconds = time.perf_counter() - start

    start = time.perf_counter()
    result.eager_losses = train_eager(eager, eager_model, split, schedule, lr)
    result.eager_seconds = time.perf_counter() - start
    with eager.no_grad():
        eager_logits = eager_model(eager.tensor(split.x_test)).numpy()
    result.eager_accuracy = float(np.mean(np.argmax(eager_logits, axis=1) == split.y_test))

    start = time.perf_counter()
    result.static_losses = train_static(train_step, split, schedule)
    result.static_seconds = time.perf_counter() - start
    result.static_accuracy = float(np.mean(np.argmax(predict(split.x_test), axis=1) == split.y_test))
    return result


def report_lines(result: DemoResult) -> list[str]:
    lines = ["Iris classifier Linear(4,16) -> ReLU -> Linear(16,3), cross-entropy, SGD "
             f"(lr={iris.LEARNING_RATE}, batch {iris.BATCH_SIZE}), same initial weights and shuffling in both modes",
             f"{'epoch':>5}  {'eager loss':>12}  {'static loss':>12}  {'difference':>10}"]
    for epoch, (eager_loss, static_loss) in enumerate(zip(result.eager_losses, result.static_losses), start=1):
        lines.append(f"{epoch:5d}  {eager_loss:12.6f}  {static_loss:12.6f}  {abs(eager_loss - static_loss):10.2e}")
    lines.append(f"largest difference between the loss curves: {result.max_loss_difference:.3e}")
    lines.append(f"test accuracy: eager {result.eager_accuracy:.3f}, static {result.static_accuracy:.3f}")
    lines.append(f"training time: eager {result.eager_seconds:.3f} s, static {result.static_seconds:.3f} s "
                 f"(+ {result.static_compile_seconds:.3f} s to build and compile the graph)")
    return lines
