"""Adam and its AMSGrad variant."""

import math

import numpy as np

from eager.optim.optimizer import Optimizer, check_hyperparameter


class Adam(Optimizer):
    """PyTorch's Adam. With g = grad + weight_decay * p and step t:

    m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  (AMSGrad: v_max = max(v_max, v))
    p = p - lr / (1 - b1^t) * m / (sqrt(v or v_max) / sqrt(1 - b2^t) + eps).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False, maximize=False):
        check_hyperparameter("lr", lr)
        check_hyperparameter("eps", eps)
        check_hyperparameter("beta1", betas[0], 0.0, 1.0)
        check_hyperparameter("beta2", betas[1], 0.0, 1.0)
        check_hyperparameter("weight_decay", weight_decay)
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize)
        super().__init__(params, defaults)

    def compute_update(self, param, grad, state, group):
        value = param._data
        beta1, beta2 = group["betas"]
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * value
        step = state.get("step", 0) + 1
        exp_avg = beta1 * state.get("exp_avg", 0.0) + (1.0 - beta1) * grad
        exp_avg_sq = beta2 * state.get("exp_avg_sq", 0.0) + (1.0 - beta2) * grad * grad
        new_state = {"step": step, "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}
        second_moment = exp_avg_sq
        if group["amsgrad"]:
            second_moment = np.maximum(state.get("max_exp_avg_sq", 0.0), exp_avg_sq)
            new_state["max_exp_avg_sq"] = second_moment
        bias_correction1 = 1.0 - beta1 ** step
        bias_correction2 = 1.0 - beta2 ** step
        denominator = np.sqrt(second_moment) / math.sqrt(bias_correction2) + group["eps"]
        return value - (group["lr"] / bias_correction1) * exp_avg / denominator, new_state
