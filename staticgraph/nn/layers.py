"""Layers of ``staticgraph.nn``: Linear, activations, containers and loss classes."""

import collections
import math

import numpy as np

from .. import dtypes
from ..errors import ModuleUsageError
from ..graph import get_default_graph
from ..node import Node
from ..ops import compat
from ..ops import functional as F
from ..ops.compat import linear
from ..variables import variable
from . import init
from .module import Module, reject_tensor_arguments


def Parameter(data, requires_grad=True):  # noqa: N802 - mirrors torch.nn.Parameter
    """Create a variable for a module parameter in the default graph.

    Assigning it to a module attribute registers it, as ``torch.nn.Parameter`` does;
    with ``requires_grad=False`` it is a non-trainable variable.
    """
    if isinstance(data, Node):
        if data.kind == "variable":
            return data
        raise ModuleUsageError(
            f"nn.Parameter needs concrete data, got the {data.kind} node {data.name!r}; pass a NumPy array"
        )
    return variable(data, name="parameter", trainable=requires_grad)


def _module_scope(base):
    """Return a name prefix like ``linear``, ``linear_1`` that no variable in the default graph uses yet."""
    graph = get_default_graph()
    prefix, count = base, 0
    while f"{prefix}/weight" in graph.nx or f"{prefix}/bias" in graph.nx:
        count += 1
        prefix = f"{base}_{count}"
    return prefix


class Linear(Module):
    """y = x @ weight.T + bias, for x of shape (..., in_features).

    weight has shape (out_features, in_features) and is drawn from
    U(-1/sqrt(in), 1/sqrt(in)) by kaiming_uniform_ with a = sqrt(5); bias has shape
    (out_features,) and is drawn from the same range afterwards. The variables are
    created in the default graph when the layer is constructed.
    """

    def __init__(self, in_features, out_features, bias=True, dtype=None):
        super().__init__()
        reject_tensor_arguments("Linear", (in_features, out_features), {}, "linear")
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        dtype = np.dtype(dtype) if dtype is not None else dtypes.float32
        prefix = _module_scope("linear")
        self.weight = variable(np.zeros((self.out_features, self.in_features), dtype), name=f"{prefix}/weight")
        self.bias = variable(np.zeros(self.out_features, dtype), name=f"{prefix}/bias") if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return linear(x, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class _Activation(Module):
    """A layer without parameters that applies one function."""

    functional_name = None

    def __init__(self, *args, **kwargs):
        reject_tensor_arguments(type(self).__name__, args, kwargs, self.functional_name)
        super().__init__()

    def forward(self, x):
        return getattr(F, self.functional_name)(x)


class ReLU(_Activation):
    functional_name = "relu"

    def __init__(self, inplace=False):
        super().__init__(inplace)
        self.inplace = inplace

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class Sigmoid(_Activation):
    functional_name = "sigmoid"


class Tanh(_Activation):
    functional_name = "tanh"


def _implicit_softmax_dim(ndim):
    return 0 if ndim in (0, 1, 3) else 1


class Softmax(_Activation):
    """softmax over ``dim``; with dim=None, PyTorch's implicit choice (0 for 0-, 1- and 3-D inputs, else 1)."""

    functional_name = "softmax"

    def __init__(self, dim=None):
        super().__init__(dim)
        self.dim = dim

    def forward(self, x):
        dim = self.dim if self.dim is not None else _implicit_softmax_dim(x.ndim)
        return F.softmax(x, dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    functional_name = "log_softmax"

    def forward(self, x):
        dim = self.dim if self.dim is not None else _implicit_softmax_dim(x.ndim)
        return F.log_softmax(x, dim)


class LeakyReLU(_Activation):
    functional_name = "leaky_relu"

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__(negative_slope, inplace)
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, x):
        return compat.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Dropout(_Activation):
    """Dropout with probability ``p``, built only while the module is in training mode.

    ``model.train()`` / ``model.eval()`` decide when the node is built; for one
    executable that switches at run time, call ``nn.functional.dropout`` with a
    bool placeholder as ``training``.
    """

    functional_name = "dropout"

    def __init__(self, p=0.5, inplace=False):
        super().__init__(p, inplace)
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, x):
        return compat.dropout(x, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Flatten(_Activation):
    functional_name = "flatten"

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__(start_dim, end_dim)
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, x):
        return compat.flatten(x, self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Identity(_Activation):
    functional_name = "identity"

    def forward(self, x):
        return x


# --- containers -----------------------------------------------------------------------


class Sequential(Module):
    """Modules applied in order; children are named "0", "1", ... (or by an OrderedDict's keys)."""

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], collections.OrderedDict):
            items = list(modules[0].items())
        else:
            items = [(str(position), module) for position, module in enumerate(modules)]
        for name, module in items:
            _check_module(module, "Sequential", name)
            setattr(self, name, module)

    def forward(self, x):
        for module in self._modules.values():
            x = module(x)
        return x

    def append(self, module):
        _check_module(module, "Sequential", str(len(self)))
        setattr(self, str(len(self)), module)
        return self

    def __getitem__(self, index):
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return Sequential(collections.OrderedDict(list(self._modules.items())[index]))
        return modules[index]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(list(self._modules.values()))


class ModuleList(Module):
    """A list of modules whose parameters are registered under "0", "1", ..."""

    def __init__(self, modules=None):
        super().__init__()
        for module in modules or []:
            self.append(module)

    def append(self, module):
        _check_module(module, "ModuleList", str(len(self)))
        setattr(self, str(len(self)), module)
        return self

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def __getitem__(self, index):
        return list(self._modules.values())[index]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(list(self._modules.values()))

    def forward(self, *args):
        raise ModuleUsageError("ModuleList has no forward; iterate over it and call each module")


def _check_module(module, container, name):
    if not isinstance(module, Module):
        raise ModuleUsageError(
            f"{container} entry {name} is {type(module).__name__}, not a Module; pass constructed layers, "
            "e.g. nn.ReLU() rather than nn.ReLU or a node"
        )


# --- losses -----------------------------------------------------------------------------


class _Loss(Module):
    """A loss module: options are set at construction, ``forward(input, target)`` computes the loss."""

    functional_name = None
    options = ()  # keyword options besides reduction, passed on to the functional form

    def __init__(self, *args, reduction="mean", **options):
        reject_tensor_arguments(type(self).__name__, args, {}, self.functional_name, is_loss=True)
        if args:
            raise ModuleUsageError(
                f"nn.{type(self).__name__} takes keyword options only, such as reduction='mean'; got {len(args)} "
                "positional arguments"
            )
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            raise TypeError(f"nn.{type(self).__name__} got unknown options {unknown}; it accepts {list(self.options)}")
        super().__init__()
        self.reduction = reduction
        self._options = options

    def forward(self, input, target):  # noqa: A002 - PyTorch's argument names
        return getattr(F, self.functional_name)(input, target, reduction=self.reduction, **self._options)


class CrossEntropyLoss(_Loss):
    functional_name = "cross_entropy"
    options = ("weight", "label_smoothing")


class NLLLoss(_Loss):
    functional_name = "nll_loss"
    options = ("weight",)


class MSELoss(_Loss):
    functional_name = "mse_loss"


class BCELoss(_Loss):
    functional_name = "binary_cross_entropy"


class BCEWithLogitsLoss(_Loss):
    functional_name = "binary_cross_entropy_with_logits"
