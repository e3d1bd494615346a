"""Stochastic gradient descent with PyTorch's update rule."""

import numpy as np

from ..ops import functional as F
from .optimizer import Optimizer


class SGD(Optimizer):
    """p <- p - lr * d, where d = grad + weight_decay * p, optionally with momentum.

    With momentum the buffer is b <- momentum * b + (1 - dampening) * d, except on
    the first step, where b <- d (as in PyTorch); nesterov uses d + momentum * b.
    Parameters without a gradient (not reachable from the loss) are left out.
    """

    name = "sgd"

    def __init__(self, params, lr, momentum=0, dampening=0, nesterov=False, weight_decay=0, maximize=False):
        if lr < 0:
            raise ValueError(f"SGD: invalid learning rate {lr}; use lr >= 0")
        if momentum < 0 or weight_decay < 0:
            raise ValueError(f"SGD: momentum ({momentum}) and weight_decay ({weight_decay}) must be >= 0")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: nesterov momentum needs momentum > 0 and dampening = 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,
                                      weight_decay=weight_decay, maximize=maximize))
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.nesterov, self.weight_decay, self.maximize = nesterov, weight_decay, maximize

    def _add_updates(self, grads, result):
        step = None
        if self.momentum and self.dampening:
            step = self._state_variable(self.params[0], "step", np.array(0, dtype=np.int64))
            result[step] = step + 1
        for param, grad in zip(self.params, grads):
            if grad is None:
                continue
            direction = -grad if self.maximize else grad
            if self.weight_decay:
                direction = direction + self.weight_decay * param
            if self.momentum:
                direction = self._momentum(param, direction, step, result)
            result[param] = param - self.lr * direction

    def _momentum(self, param, direction, step, result):
        buffer = self._state_variable(param, "momentum_buffer", np.zeros(param.shape, dtype=param.dtype))
        new_buffer = self.momentum * buffer + (1 - self.dampening) * direction
        if step is not None:
            new_buffer = F.where(F.eq(step, 0), direction, new_buffer)
        result[buffer] = new_buffer
        return direction + self.momentum * new_buffer if self.nesterov else new_buffer
