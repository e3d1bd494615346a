"""Layers: ``Linear``, activations, ``Flatten``, ``Dropout``, ``Identity``.

Each layer is constructed once (in the model's ``__init__``) and then called
on tensors. Constructing a layer with a tensor, as in ``x = nn.ReLU(x)``,
raises at once with the two correct forms.
"""

import math

from eager.errors import InvalidArgumentError, ModuleError
from eager.nn import functional as F
from eager.nn import init
from eager.nn.module import Module
from eager.nn.parameter import Parameter
from eager.tensor import Tensor
from eager import creation


def reject_tensor_arguments(layer_name, arguments, functional_name=None):
    """Raise when a layer is constructed with a tensor instead of being called on it."""
    if not any(isinstance(argument, Tensor) for argument in arguments):
        return
    function = f"nn.functional.{functional_name}(x)" if functional_name else "the functional form"
    raise ModuleError(
        f"nn.{layer_name} was constructed with a tensor, but nn.{layer_name} is a layer: construct "
        f"it once and then call it on the tensor, e.g. nn.{layer_name}()(x), or keep "
        f"self.act = nn.{layer_name}() in __init__ and write x = self.act(x) in forward. "
        f"Without a layer object, use {function}.")


class Linear(Module):
    """Affine map ``y = x @ weight.T + bias``.

    Shapes: input (..., in_features), output (..., out_features); ``weight``
    is (out_features, in_features) and ``bias`` (out_features,). Both are
    initialized as in PyTorch: weight from ``kaiming_uniform_(a=sqrt(5))``,
    i.e. U(-1/sqrt(in_features), 1/sqrt(in_features)), then bias from the
    same range, in that order from the global generator.
    """

    def __init__(self, in_features, out_features, bias=True, dtype=None):
        reject_tensor_arguments("Linear", (in_features, out_features, bias), "linear")
        super().__init__()
        for name, size in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                raise ModuleError(f"nn.Linear: {name} must be a non-negative int, got {size!r}")
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(creation.empty(out_features, in_features, dtype=dtype))
        if bias:
            self.bias = Parameter(creation.empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1.0 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class ReLU(Module):
    """``relu(x) = max(x, 0)`` elementwise, with ``relu'(0) = 0``."""

    functional_name = "relu"

    def __init__(self, inplace=False):
        reject_tensor_arguments("ReLU", (inplace,), "relu")
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return input.relu_() if self.inplace else F.relu(input)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """``x`` where positive, ``negative_slope * x`` elsewhere."""

    functional_name = "leaky_relu"

    def __init__(self, negative_slope=0.01, inplace=False):
        reject_tensor_arguments("LeakyReLU", (negative_slope, inplace), "leaky_relu")
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Sigmoid(Module):
    """``1 / (1 + exp(-x))`` elementwise, computed without overflow."""

    functional_name = "sigmoid"

    def __init__(self, *args):
        reject_tensor_arguments("Sigmoid", args, "sigmoid")
        if args:
            raise ModuleError(f"nn.Sigmoid() takes no arguments, got {len(args)}")
        super().__init__()

    def forward(self, input):
        return F.sigmoid(input)


class Tanh(Module):
    """``tanh(x)`` elementwise."""

    functional_name = "tanh"

    def __init__(self, *args):
        reject_tensor_arguments("Tanh", args, "tanh")
        if args:
            raise ModuleError(f"nn.Tanh() takes no arguments, got {len(args)}")
        super().__init__()

    def forward(self, input):
        return F.tanh(input)


class Softmax(Module):
    """``softmax(x, dim)``; like PyTorch, ``dim=None`` picks 0 for 0-, 1- and 3-d inputs, else 1."""

    functional_name = "softmax"

    def __init__(self, dim=None):
        reject_tensor_arguments("Softmax", (dim,), "softmax")
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.softmax(input, _implicit_dim(input, self.dim))

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """``log_softmax(x, dim)``; ``dim=None`` is chosen as for ``Softmax``."""

    functional_name = "log_softmax"

    def __init__(self, dim=None):
        reject_tensor_arguments("LogSoftmax", (dim,), "log_softmax")
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.log_softmax(input, _implicit_dim(input, self.dim))

    def extra_repr(self):
        return f"dim={self.dim}"


def _implicit_dim(input, dim):
    if dim is not None:
        return dim
    return 0 if input.ndim in (0, 1, 3) else 1


class Identity(Module):
    """Return the input unchanged."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Flatten(Module):
    """Flatten dimensions ``start_dim`` through ``end_dim`` (default: all but the batch)."""

    functional_name = "flatten"

    def __init__(self, start_dim=1, end_dim=-1):
        reject_tensor_arguments("Flatten", (start_dim, end_dim), "flatten")
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    """Zero elements with probability ``p`` in training mode; identity in eval mode."""

    functional_name = "dropout"

    def __init__(self, p=0.5, inplace=False):
        reject_tensor_arguments("Dropout", (p, inplace), "dropout")
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise InvalidArgumentError(f"nn.Dropout: p={p} must be a probability in [0, 1]")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
