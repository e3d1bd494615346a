"""``Module``: the base class of layers and models, with PyTorch's registration rules.

Assigning a ``Parameter`` or a ``Module`` as an attribute registers it.
``parameters()``, ``state_dict()``, ``train()`` and ``repr`` walk the
registered children in the order they were assigned.
"""

import collections

import numpy as np

from eager.errors import DTypeError, InvalidArgumentError, ModuleError, StateDictError
from eager.nn.parameter import Parameter
from eager.tensor import Tensor

IncompatibleKeys = collections.namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


def _add_indent(text, spaces):
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


def _missing_init_error(module):
    name = type(module).__name__
    return ModuleError(
        f"{name}.__init__ did not call super().__init__(), so {name} cannot register parameters "
        f"or submodules. Add `super().__init__()` as the first line of {name}.__init__.")


class Module:
    """Base class of every layer and model; subclasses define ``forward``."""

    _is_eager_module = True

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            raise ModuleError(
                f"Module.__init__() takes no arguments, got {len(args)} positional and "
                f"{len(kwargs)} keyword arguments from {type(self).__name__}.")
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_modules", {})

    # ----- registration --------------------------------------------------------------------

    def _registries(self):
        registries = self.__dict__.get("_parameters"), self.__dict__.get("_modules")
        if registries[0] is None:
            raise _missing_init_error(self)
        return registries

    # Registered parameters, buffers and submodules are also kept in the instance
    # __dict__, so reading self.weight is a plain attribute lookup; __setattr__
    # and __delattr__ keep the two in step.

    def __setattr__(self, name, value):
        if isinstance(value, Parameter) or isinstance(value, Module):
            parameters, modules = self._registries()
            self._buffers.pop(name, None)
            (parameters if isinstance(value, Parameter) else modules)[name] = value
            (modules if isinstance(value, Parameter) else parameters).pop(name, None)
            self.__dict__[name] = value
            return
        registries = self.__dict__.get("_parameters"), self.__dict__.get("_modules")
        if registries[0] is not None:
            if name in registries[0]:
                if value is not None and not isinstance(value, Parameter):
                    raise ModuleError(
                        f"cannot assign {type(value).__name__} to {type(self).__name__}.{name}, "
                        f"which is a parameter; assign an eager.nn.Parameter (or None).")
                registries[0][name] = value
            elif name in registries[1]:
                if value is not None:
                    raise ModuleError(
                        f"cannot assign {type(value).__name__} to {type(self).__name__}.{name}, "
                        f"which is a submodule; assign a Module (or None).")
                registries[1][name] = value
            elif name in self._buffers:
                self._buffers[name] = value
        object.__setattr__(self, name, value)

    def __getattr__(self, name):
        # Called only when normal lookup fails: look in the registries.
        state = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            values = state.get(registry)
            if values is not None and name in values:
                return values[name]
        if "_parameters" not in state and name in ("_parameters", "_buffers", "_modules",
                                                   "training"):
            raise _missing_init_error(self)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for registry in ("_parameters", "_buffers", "_modules"):
            values = self.__dict__.get(registry)
            if values is not None and name in values:
                del values[name]
        object.__delattr__(self, name)

    def register_parameter(self, name, param):
        """Register ``param`` (a ``Parameter`` or None) under ``name``."""
        parameters, _ = self._registries()
        if param is not None and not isinstance(param, Parameter):
            raise ModuleError(f"register_parameter({name!r}): expected a Parameter or None, got "
                              f"{type(param).__name__}")
        parameters[name] = param
        self.__dict__[name] = param

    def register_buffer(self, name, tensor):
        """Register a tensor that is saved in ``state_dict`` but not trained."""
        self._registries()
        self._buffers[name] = tensor
        self.__dict__[name] = tensor

    def add_module(self, name, module):
        _, modules = self._registries()
        if module is not None and not isinstance(module, Module):
            raise ModuleError(f"add_module({name!r}): {type(module).__name__} is not a Module")
        modules[name] = module
        self.__dict__[name] = module

    register_module = add_module

    # ----- calling -------------------------------------------------------------------------

    def __call__(self, *args, **kwargs):
        if "_parameters" not in self.__dict__:
            raise _missing_init_error(self)
        return self.forward(*args, **kwargs)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__} does not define forward(); add a `def forward(self, x):` "
            f"method that computes the output.")

    # ----- traversal -----------------------------------------------------------------------

    def named_modules(self, memo=None, prefix=""):
        """Yield ``(name, module)`` for this module and every descendant, each once."""
        self._registries()
        memo = set() if memo is None else memo
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in memo:
                continue
            memo.add(id(module))
            yield name, module
            children = [(f"{name}.{key}" if name else key, child)
                        for key, child in module._modules.items() if child is not None]
            stack.extend(reversed(children))

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        self._registries()
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self):
        for _, module in self.named_children():
            yield module

    def named_parameters(self, prefix="", recurse=True):
        """Yield ``(dotted name, parameter)`` pairs; a shared parameter appears once."""
        seen = set()
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, param in module._parameters.items():
                if param is None or id(param) in seen:
                    continue
                seen.add(id(param))
                yield (f"{module_name}.{name}" if module_name else name), param

    def parameters(self, recurse=True):
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix="", recurse=True):
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    yield (f"{module_name}.{name}" if module_name else name), buffer

    def buffers(self, recurse=True):
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    # ----- state ---------------------------------------------------------------------------

    def _state_entries(self):
        """Return ``{key: tensor}`` for every parameter and buffer, duplicates included."""
        entries = {}
        for module_name, module in self.named_modules():
            for registry in (module._parameters, module._buffers):
                for name, value in registry.items():
                    if value is not None:
                        entries[f"{module_name}.{name}" if module_name else name] = value
        return entries

    def state_dict(self):
        """Return ``{"0.weight": array, ...}``: copies of every parameter and buffer."""
        return {key: np.array(value._data) for key, value in self._state_entries().items()}

    def load_state_dict(self, state_dict, strict=True):
        """Copy the arrays of ``state_dict`` into the parameters and buffers.

        Every problem (missing keys when ``strict``, unexpected keys when
        ``strict``, shape mismatches always) is reported in one
        ``StateDictError``, and then no parameter has changed.
        """
        entries = self._state_entries()
        missing = [key for key in entries if key not in state_dict]
        unexpected = [key for key in state_dict if key not in entries]
        arrays, mismatched = {}, []
        for key, target in entries.items():
            if key not in state_dict:
                continue
            source = state_dict[key]
            array = np.asarray(source._data if isinstance(source, Tensor) else source)
            if array.shape != target.shape:
                mismatched.append(f"{key}: checkpoint shape {array.shape}, model shape {target.shape}")
            elif array.dtype.kind not in "biuf":
                mismatched.append(f"{key}: checkpoint dtype {array.dtype} is not numeric")
            arrays[key] = array
        problems = _load_problems(missing if strict else [], unexpected if strict else [], mismatched)
        if problems:
            raise StateDictError(f"load_state_dict failed for {type(self).__name__}; no parameter "
                                 f"was changed:\n" + "\n".join(problems))
        for key, array in arrays.items():
            target = entries[key]
            np.copyto(target._data, array, casting="unsafe")
            target.bump_version()
        return IncompatibleKeys(missing, unexpected)

    # ----- modes and conversion ------------------------------------------------------------

    def train(self, mode=True):
        """Set training mode on this module and every descendant; return self."""
        if not isinstance(mode, bool):
            raise InvalidArgumentError(f"train(mode) expects a bool, got {mode!r}")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self):
        """Set evaluation mode (``train(False)``); return self."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """Reset the gradients of every parameter (to None, or to zeros in place)."""
        for param in self.parameters():
            if param.grad is None:
                continue
            if set_to_none:
                param.grad = None
            else:
                param.grad._data[...] = 0

    def apply(self, fn):
        """Call ``fn(module)`` on every descendant (children first) and on self; return self."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def to(self, *args, **kwargs):
        """Convert floating parameters and buffers to a dtype in place; return self."""
        dtype = kwargs.get("dtype")
        for arg in args:
            if isinstance(arg, str):
                if arg != "cpu":
                    raise InvalidArgumentError(f"to({arg!r}): eager only supports device 'cpu'")
            elif arg is not None:
                dtype = arg
        if dtype is None:
            return self
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise DTypeError(
                f"Module.to() converts parameters to a floating dtype, got {dtype.name}. Use "
                f"eager.float32 or eager.float64; convert integer inputs, not the model.")
        for tensor in list(self.parameters()) + list(self.buffers()):
            if tensor._data.dtype.kind == "f":
                tensor._data = tensor._data.astype(dtype)
                if tensor.grad is not None:
                    tensor.grad._data = tensor.grad._data.astype(dtype)
        return self

    def double(self):
        return self.to(np.float64)

    def float(self):
        return self.to(np.float32)

    # ----- printing ------------------------------------------------------------------------

    def extra_repr(self):
        """Return the text shown inside the parentheses of ``repr`` (subclasses override)."""
        return ""

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({key}): " + _add_indent(repr(module), 2)
                       for key, module in self.__dict__.get("_modules", {}).items()]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"

    def _used_as_tensor(self, *args):
        from eager.errors import NotATensorError
        from eager.tensor import module_message

        raise NotATensorError(module_message(self))

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _used_as_tensor
    __truediv__ = __rtruediv__ = __matmul__ = __rmatmul__ = __pow__ = __neg__ = _used_as_tensor
    __getitem__ = _used_as_tensor

    def __dir__(self):
        names = list(super().__dir__())
        for registry in ("_parameters", "_buffers", "_modules"):
            names.extend(self.__dict__.get(registry, {}))
        return sorted(set(names))


def _load_problems(missing, unexpected, mismatched):
    problems = []
    if missing:
        problems.append("missing keys: " + ", ".join(missing))
    if unexpected:
        problems.append("unexpected keys: " + ", ".join(unexpected))
    if mismatched:
        problems.append("shape mismatches: " + "; ".join(mismatched))
    if missing or unexpected:
        problems.append("Check that the model is built with the same layers as the one that "
                        "saved the state dict, or pass strict=False to load the matching keys.")
    elif mismatched:
        problems.append("Build the layers with the sizes the state dict was saved with.")
    return problems
