"""Optimizers: ``SGD`` and ``Adam`` with PyTorch's update rules."""

from eager.optim.adam import Adam  # noqa: F401
from eager.optim.optimizer import Optimizer  # noqa: F401
from eager.optim.sgd import SGD  # noqa: F401
