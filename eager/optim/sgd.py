"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

import numpy as np

from eager.errors import OptimizerError
from eager.optim.optimizer import Optimizer, check_hyperparameter


class SGD(Optimizer):
    """PyTorch's SGD. With g = grad + weight_decay * p:

    buf = g on the first step, else momentum * buf + (1 - dampening) * g;
    g = g + momentum * buf with Nesterov, else buf (when momentum != 0);
    p = p - lr * g.
    """

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0,
                 nesterov=False, maximize=False):
        check_hyperparameter("lr", lr)
        check_hyperparameter("momentum", momentum)
        check_hyperparameter("weight_decay", weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise OptimizerError("Nesterov momentum requires momentum > 0 and dampening = 0, got "
                                 f"momentum={momentum}, dampening={dampening}")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize)
        super().__init__(params, defaults)

    def compute_update(self, param, grad, state, group):
        value = param._data
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * value
        new_state = state
        momentum = group["momentum"]
        if momentum:
            buffer = state.get("momentum_buffer")
            if buffer is None:
                buffer = np.array(grad)
            else:
                buffer = momentum * buffer + (1.0 - group["dampening"]) * grad
            new_state = {"momentum_buffer": buffer}
            grad = grad + momentum * buffer if group["nesterov"] else buffer
        return value - group["lr"] * grad, new_state
