"""``Module``: the base class of ``staticgraph.nn`` layers, mirroring ``torch.nn.Module``.

A module creates its variables in the default graph when it is constructed and adds
op nodes each time it is called on a node. ``state_dict`` and ``load_state_dict``
use PyTorch's keys (``"0.weight"``, ``"layer1.bias"``) and NumPy arrays.
"""

import collections

import numpy as np

from ..errors import ModuleUsageError, StateDictError
from ..node import Node, format_shape
from ..variables import check_variable_dtype_change, set_variable_dtype


def _not_initialized_error(module, attribute):
    name = type(module).__name__
    return ModuleUsageError(
        f"{name}.__init__ did not call super().__init__() before using {attribute!r}, so {name} cannot "
        f"register variables or submodules. Add `super().__init__()` as the first line of {name}.__init__."
    )


def _indent(text, spaces):
    lines = text.split("\n")
    return "\n".join([lines[0]] + [" " * spaces + line for line in lines[1:]])


class Module:
    """Base class: subclasses assign variables and submodules in ``__init__`` and define ``forward``."""

    _staticgraph_module = True

    def __init__(self):
        object.__setattr__(self, "_parameters", collections.OrderedDict())
        object.__setattr__(self, "_modules", collections.OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name, value):
        if "_modules" not in self.__dict__:
            raise _not_initialized_error(self, name)
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Module):
            self._modules[name] = value
        elif isinstance(value, Node) and value.kind == "variable" and value.data["trainable"]:
            self._parameters[name] = value
        object.__setattr__(self, name, value)

    def __getattr__(self, name):
        # Called only when normal lookup fails: a missing _modules means __init__ skipped super().__init__().
        if name in ("_parameters", "_modules", "training"):
            raise _not_initialized_error(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __call__(self, *args, **kwargs):
        if "_modules" not in self.__dict__:
            raise _not_initialized_error(self, "__call__")
        return self.forward(*args, **kwargs)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward(self, ...)")

    # --- traversal --------------------------------------------------------------

    def named_children(self):
        return list(self._modules.items())

    def children(self):
        return list(self._modules.values())

    def named_modules(self, prefix=""):
        result = [(prefix, self)]
        for name, child in self._modules.items():
            result.extend(child.named_modules(f"{prefix}.{name}" if prefix else name))
        return result

    def modules(self):
        return [module for _, module in self.named_modules()]

    def named_parameters(self, prefix=""):
        result = []
        for name, parameter in self._parameters.items():
            result.append((f"{prefix}.{name}" if prefix else name, parameter))
        for name, child in self._modules.items():
            result.extend(child.named_parameters(f"{prefix}.{name}" if prefix else name))
        return result

    def parameters(self):
        return [parameter for _, parameter in self.named_parameters()]

    def train(self, mode=True):
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self):
        return self.train(False)

    # --- dtype ------------------------------------------------------------------

    def to(self, dtype):
        """Convert every parameter to ``dtype``; only before the module is called on a node.

        Raises DTypeError, changing no parameter, when an op already uses one of them.
        """
        dtype = np.dtype(dtype)
        parameters = self.parameters()
        for parameter in parameters:
            check_variable_dtype_change(parameter, dtype)
        for parameter in parameters:
            set_variable_dtype(parameter, dtype)
        return self

    def double(self):
        return self.to(np.float64)

    def float(self):
        return self.to(np.float32)

    # --- state ------------------------------------------------------------------

    def state_dict(self):
        """Return an OrderedDict of parameter values (NumPy copies) under PyTorch's keys."""
        return collections.OrderedDict((key, parameter.numpy()) for key, parameter in self.named_parameters())

    def load_state_dict(self, state_dict, strict=True):
        """Assign parameter values from ``state_dict``; on any problem, raise and change nothing.

        Missing keys, unexpected keys and wrong shapes are all listed in one
        StateDictError. Values may be NumPy arrays or anything with ``.numpy()``.
        """
        parameters = collections.OrderedDict(self.named_parameters())
        missing = [key for key in parameters if key not in state_dict]
        unexpected = [key for key in state_dict if key not in parameters]
        arrays, problems = {}, []
        for key, parameter in parameters.items():
            if key in state_dict:
                array = self._state_array(key, state_dict[key], parameter, problems)
                if array is not None:
                    arrays[key] = array
        if problems or (strict and (missing or unexpected)):
            raise StateDictError(self._state_error(missing, unexpected, problems, strict))
        for key, array in arrays.items():
            parameters[key].assign(array)
        return collections.namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])(missing, unexpected)

    @staticmethod
    def _state_array(key, value, parameter, problems):
        if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
            value = value.numpy()
        array = np.asarray(value)
        if array.shape != parameter.shape:
            problems.append(
                f"{key}: shape {format_shape(array.shape)} in the state dict, {format_shape(parameter.shape)} in the model"
            )
            return None
        if array.dtype.kind not in "fiu":
            problems.append(f"{key}: dtype {array.dtype} cannot be loaded into a {parameter.dtype} parameter")
            return None
        return array.astype(parameter.dtype)

    def _state_error(self, missing, unexpected, problems, strict):
        lines = [f"load_state_dict for {type(self).__name__} failed; no parameter was changed:"]
        if strict and missing:
            lines.append(f"  missing keys: {missing}")
        if strict and unexpected:
            lines.append(f"  unexpected keys: {unexpected}")
        lines.extend(f"  wrong shape or dtype: {problem}" for problem in problems)
        lines.append("  fix: load a state dict saved from the same architecture, or pass strict=False to skip key mismatches")
        return "\n".join(lines)

    # --- printing ---------------------------------------------------------------

    def extra_repr(self):
        return ""

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): {_indent(repr(child), 2)}" for name, child in self._modules.items()]
        lines = extra_lines + child_lines
        text = type(self).__name__ + "("
        if len(extra_lines) == 1 and not child_lines:
            text += extra_lines[0]
        elif lines:
            text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"


def reject_tensor_arguments(layer_name, args, kwargs, functional_name, is_loss=False):
    """Raise ModuleUsageError when a layer's constructor receives a node or an array.

    Catches ``x = nn.ReLU(x)`` at the line where it is written.
    """
    for value in list(args) + list(kwargs.values()):
        if not isinstance(value, (Node, np.ndarray)):
            continue
        shown = f"the node {value.name!r}" if isinstance(value, Node) else f"an array of shape {value.shape}"
        if is_loss:
            raise ModuleUsageError(
                f"nn.{layer_name} was constructed with {shown}, but it is a loss module: construct it once "
                f"(loss_fn = nn.{layer_name}()) and call it as loss_fn(output, target), or use "
                f"nn.functional.{functional_name}(output, target)."
            )
        raise ModuleUsageError(
            f"nn.{layer_name} was constructed with {shown}, but nn.{layer_name} is a layer: construct it once "
            f"and then call it on the node, e.g. nn.{layer_name}()(x), or keep self.act = nn.{layer_name}() in "
            f"__init__ and write x = self.act(x) in forward. Without a layer object, use "
            f"nn.functional.{functional_name}(x)."
        )
