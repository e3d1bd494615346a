"""Adam with PyTorch's update rule; the step counter and both moments are variables."""

import numpy as np

from ..ops import functional as F
from .optimizer import Optimizer


class Adam(Optimizer):
    """m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
    p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
    """

    name = "adam"

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, maximize=False):
        if lr < 0 or eps < 0:
            raise ValueError(f"Adam: lr ({lr}) and eps ({eps}) must be >= 0")
        if not all(0.0 <= beta < 1.0 for beta in betas):
            raise ValueError(f"Adam: betas {betas} must lie in [0, 1)")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, maximize=maximize))
        self.lr, self.betas, self.eps = lr, tuple(betas), eps
        self.weight_decay, self.maximize = weight_decay, maximize

    def _add_updates(self, grads, result):
        beta1, beta2 = self.betas
        step = self._state_variable(self.params[0], "step", np.array(0.0, dtype=np.float64))
        new_step = step + 1.0
        result[step] = new_step
        correction1 = 1 - F.pow(beta1, new_step)
        correction2 = 1 - F.pow(beta2, new_step)
        for param, grad in zip(self.params, grads):
            if grad is None:
                continue
            if self.maximize:
                grad = -grad
            if self.weight_decay:
                grad = grad + self.weight_decay * param
            first = self._state_variable(param, "exp_avg", np.zeros(param.shape, dtype=param.dtype))
            second = self._state_variable(param, "exp_avg_sq", np.zeros(param.shape, dtype=param.dtype))
            new_first = beta1 * first + (1 - beta1) * grad
            new_second = beta2 * second + (1 - beta2) * grad * grad
            step_size = F.cast(self.lr / correction1, param.dtype)
            root_correction2 = F.cast(F.sqrt(correction2), param.dtype)
            denominator = F.sqrt(new_second) / root_correction2 + self.eps
            result[first] = new_first
            result[second] = new_second
            result[param] = param - step_size * new_first / denominator
