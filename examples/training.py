"""Mini-batch training of one model definition, eagerly or through a compiled graph.

A :class:`Recipe` contains everything an example varies, each part written once
as a function of the package namespace ``ops`` (``eager`` or
``staticgraph``). :func:`train_eager` runs it step by step with autograd;
:func:`train_static` builds the graph once and runs every step through one
executable compiled with the optimizer's ``updates``.
"""

import logging
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

import eager
import staticgraph

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipe:
    """One model and its training setup, written once for both modes.

    ``build_model(ops)`` returns the module, ``forward(ops, model, x, training)``
    returns the output compared with the targets (for example
    ``model(x)[:, 0]``), ``loss(ops, output, target)`` returns a scalar and
    ``optimizer(ops, parameters)`` returns the optimizer. ``seed`` is passed
    to ``ops.manual_seed`` before the model is built and again before
    training, where random layers draw their noise.

    With ``training_switch`` the static model is built once, with ``training``
    a boolean scalar placeholder, fed ``True`` by the training step and
    ``False`` by the evaluation executable. Without it, and always in eager
    mode, ``training`` is a Python bool.
    """

    build_model: Callable
    forward: Callable
    loss: Callable
    optimizer: Callable
    batch_size: int
    epochs: int
    seed: int = 1
    training_switch: bool = False


@dataclass(frozen=True)
class TrainResult:
    """Per-step training losses, the model's output on the test features, its final weights and the time taken.

    ``seconds`` covers building the model, compiling (in static mode),
    training and evaluating.
    """

    losses: np.ndarray
    test_output: np.ndarray
    state: dict
    seconds: float


def initial_state(recipe):
    """Return the eager model's initial ``state_dict`` for ``recipe.seed``."""
    eager.manual_seed(recipe.seed)
    return recipe.build_model(eager).state_dict()


def train_eager(recipe, data, schedule, state=None):
    """Train in eager mode on ``schedule`` (lists of row batches) and return a :class:`TrainResult`."""
    start = time.perf_counter()
    eager.manual_seed(recipe.seed)
    model = recipe.build_model(eager)
    if state is not None:
        model.load_state_dict(state)
    optimizer = recipe.optimizer(eager, model.parameters())

    eager.manual_seed(recipe.seed)
    losses = []
    for epoch in schedule:
        for rows in epoch:
            output = recipe.forward(eager, model, eager.tensor(data.x_train[rows]), True)
            loss = recipe.loss(eager, output, eager.tensor(data.y_train[rows]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())

    with eager.no_grad():
        test_output = recipe.forward(eager, model, eager.tensor(data.x_test), False).numpy()
    return TrainResult(np.array(losses), test_output, model.state_dict(), time.perf_counter() - start)


def train_static(recipe, data, schedule, state=None):
    """Train through one compiled executable with updates and return a :class:`TrainResult`."""
    sg = staticgraph
    start = time.perf_counter()
    with sg.Graph().as_default():
        sg.manual_seed(recipe.seed)
        model = recipe.build_model(sg)
        if state is not None:
            model.load_state_dict(state)
        train_step, evaluate = _compile_executables(recipe, model, data)

    sg.manual_seed(recipe.seed)
    losses = [float(train_step(data.x_train[rows], data.y_train[rows])) for epoch in schedule for rows in epoch]
    test_output = evaluate(data.x_test)
    return TrainResult(np.array(losses), test_output, model.state_dict(), time.perf_counter() - start)


def _compile_executables(recipe, model, data):
    """Return ``(train_step(x, target) -> loss, evaluate(x) -> output)`` over the model's variables.

    With ``training_switch`` the forward pass is built once, with a boolean
    placeholder ``training`` that the training step feeds ``True`` and the
    evaluation ``False``. Otherwise it is built twice, with ``training`` the
    Python bool ``True`` for the training step and ``False`` for the evaluation.
    """
    sg = staticgraph
    x = sg.placeholder(data.x_train.dtype, shape=(None,) + data.x_train.shape[1:], name="x")
    target = sg.placeholder(data.y_train.dtype, shape=(None,) + data.y_train.shape[1:], name="target")
    if recipe.training_switch:
        training = sg.placeholder(sg.bool, (), name="training")
        train_output = eval_output = recipe.forward(sg, model, x, training)
        switch, on, off = [training], [np.bool_(True)], [np.bool_(False)]
    else:
        train_output = recipe.forward(sg, model, x, True)
        eval_output = recipe.forward(sg, model, x, False)
        switch, on, off = [], [], []

    loss = recipe.loss(sg, train_output, target)
    optimizer = recipe.optimizer(sg, model.parameters())
    step = sg.compile([x, target, *switch], loss, updates=optimizer.updates(loss))
    evaluate = sg.compile([x, *switch], eval_output)
    return (lambda x_batch, target_batch: step(x_batch, target_batch, *on)), (lambda x_batch: evaluate(x_batch, *off))


def max_difference(first, second):
    """Return the largest absolute difference between two results' losses, test outputs and final weights.

    The result is NaN when either side contains NaN.
    """
    pairs = [(first.losses, second.losses), (first.test_output, second.test_output)]
    pairs += [(first.state[key], second.state[key]) for key in sorted(first.state)]
    differences = [np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)).ravel() for a, b in pairs]
    return float(np.max(np.concatenate(differences), initial=0.0))


def train_in_modes(recipe, data, modes, schedule):
    """Train ``recipe`` in each of ``modes`` and return ``(results by mode, max difference or None)``.

    When both modes run, the static model starts from the eager model's
    initial ``state_dict``, so any difference comes from the computation.
    """
    state = initial_state(recipe) if len(modes) > 1 else None
    trainers = {"eager": train_eager, "static": train_static}
    results = {}
    for mode in modes:
        results[mode] = trainers[mode](recipe, data, schedule, state)
        logger.info("trained in %s mode: %d steps in %.2f s", mode, len(results[mode].losses), results[mode].seconds)
    agreement = max_difference(results["eager"], results["static"]) if len(results) > 1 else None
    return results, agreement
