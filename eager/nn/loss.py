"""Loss modules: ``CrossEntropyLoss``, ``NLLLoss``, ``MSELoss``, ``BCELoss``, ``BCEWithLogitsLoss``.

A loss is constructed once and called as ``loss_fn(output, target)``;
constructing it with the output and target tensors raises at once.
"""

from eager.errors import InvalidArgumentError, ModuleError
from eager.nn import functional as F
from eager.nn.module import Module
from eager.tensor import Tensor


def _reject_loss_tensors(name, args, weight, functional_name):
    tensors = [a for a in args if isinstance(a, Tensor)]
    suspicious_weight = isinstance(weight, Tensor) and (weight.grad_fn is not None or weight.ndim != 1)
    if tensors or suspicious_weight:
        raise ModuleError(
            f"nn.{name} was constructed with tensors, but it is a loss module: construct it once "
            f"(loss_fn = nn.{name}()) and call it as loss_fn(output, target), or use "
            f"nn.functional.{functional_name}(output, target).")


class _Loss(Module):
    def __init__(self, name, functional_name, args, weight=None, reduction="mean"):
        _reject_loss_tensors(name, args, weight, functional_name)
        if reduction not in ("mean", "sum", "none"):
            raise InvalidArgumentError(f"nn.{name}: reduction={reduction!r} is not one of mean, sum, none")
        super().__init__()
        self.reduction = reduction
        self.weight = weight


class CrossEntropyLoss(_Loss):
    """``cross_entropy(input, target)`` on logits (N, C) and class indices (N,)."""

    def __init__(self, weight=None, *args, reduction="mean", label_smoothing=0.0):
        super().__init__("CrossEntropyLoss", "cross_entropy", args, weight, reduction)
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, self.weight, self.reduction, self.label_smoothing)


class NLLLoss(_Loss):
    """``nll_loss(input, target)`` on log-probabilities (N, C) and class indices (N,)."""

    def __init__(self, weight=None, *args, reduction="mean"):
        super().__init__("NLLLoss", "nll_loss", args, weight, reduction)

    def forward(self, input, target):
        return F.nll_loss(input, target, self.weight, self.reduction)


class MSELoss(_Loss):
    """``mse_loss(input, target)``: mean of the squared differences."""

    def __init__(self, *args, reduction="mean"):
        super().__init__("MSELoss", "mse_loss", args, None, reduction)

    def forward(self, input, target):
        return F.mse_loss(input, target, self.reduction)


class BCELoss(_Loss):
    """``binary_cross_entropy(input, target)`` on probabilities."""

    def __init__(self, *args, reduction="mean"):
        super().__init__("BCELoss", "binary_cross_entropy", args, None, reduction)

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """``binary_cross_entropy_with_logits(input, target)`` on raw scores."""

    def __init__(self, *args, reduction="mean"):
        super().__init__("BCEWithLogitsLoss", "binary_cross_entropy_with_logits", args, None,
                         reduction)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.reduction)


