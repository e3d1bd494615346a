"""``Sequential`` and ``ModuleList``."""

import collections

from eager.errors import IndexOutOfRangeError, ModuleError
from eager.nn.module import Module


def _check_module(value, owner, position):
    if not isinstance(value, Module):
        raise ModuleError(
            f"{owner} element {position} is a {type(value).__name__}, not a Module. Pass layer "
            f"objects such as nn.ReLU() (with parentheses), not classes or tensors.")


class Sequential(Module):
    """Call its modules in order, each on the previous one's output.

    Built from modules (named "0", "1", ...) or from one ordered dict of
    names to modules. Supports indexing, slicing, ``len`` and iteration.
    """

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], collections.OrderedDict | dict):
            for name, module in modules[0].items():
                _check_module(module, "Sequential", name)
                self.add_module(name, module)
            return
        for index, module in enumerate(modules):
            _check_module(module, "Sequential", index)
            self.add_module(str(index), module)

    def forward(self, input):
        for module in self._modules.values():
            input = module(input)
        return input

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, index):
        items = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(collections.OrderedDict(items[index]))
        return items[_position(index, len(items), "Sequential")][1]

    def __setitem__(self, index, module):
        _check_module(module, "Sequential", index)
        keys = list(self._modules)
        self.add_module(keys[_position(index, len(keys), "Sequential")], module)

    def append(self, module):
        _check_module(module, "Sequential", len(self))
        self.add_module(str(len(self)), module)
        return self


def _position(index, length, owner):
    if not -length <= index < length:
        raise IndexOutOfRangeError(f"{owner} index {index} is out of range for {length} modules")
    return index % length


class ModuleList(Module):
    """A list of modules whose parameters are registered; it has no ``forward`` of its own."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, index):
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return ModuleList(modules[index])
        return modules[_position(index, len(modules), "ModuleList")]

    def __setitem__(self, index, module):
        _check_module(module, "ModuleList", index)
        self.add_module(str(_position(index, len(self), "ModuleList")), module)

    def append(self, module):
        _check_module(module, "ModuleList", len(self))
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        modules = list(self._modules.values())
        modules.insert(index, module)
        for key in list(self._modules):
            delattr(self, key)
        self.extend(modules)

    def __iadd__(self, modules):
        return self.extend(modules)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            "ModuleList has no forward(); iterate over it in your model's forward "
            "(for layer in self.layers: x = layer(x)).")
