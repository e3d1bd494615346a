"""``Optimizer``: parameter groups, ``zero_grad`` and ``state_dict`` shared by SGD and Adam.

A step computes every parameter's new value before it writes any, so a step
that raises leaves parameters and optimizer state as they were.
"""

import copy

import numpy as np

from eager.errors import OptimizerError
from eager.tensor import Tensor


class Optimizer:
    """Base class with ``param_groups`` (dicts with "params" and hyperparameters) and ``state``."""

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self.state = {}
        self.param_groups = []
        groups = list(params) if not isinstance(params, Tensor) else [params]
        if not groups:
            raise OptimizerError(
                f"{type(self).__name__} got an empty parameter list. Pass model.parameters() "
                f"after the model's layers are built, or a list of tensors with requires_grad=True.")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group):
        """Add a dict with "params" and optional hyperparameters (defaults fill the rest)."""
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        for index, param in enumerate(params):
            _check_param(param, index, type(self).__name__)
            if id(param) in seen:
                raise OptimizerError(f"parameter {index} (shape {param.shape}) appears in more "
                                     f"than one parameter group; give each parameter once.")
            seen.add(id(param))
        filled = dict(self.defaults)
        filled.update(group)
        filled["params"] = params
        self.param_groups.append(filled)

    def zero_grad(self, set_to_none=True):
        """Reset every parameter's gradient to None (or to zeros in place)."""
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is None:
                    continue
                if set_to_none:
                    param.grad = None
                else:
                    param.grad._data[...] = 0

    def step(self, closure=None):
        """Update every parameter that has a gradient; return ``closure()`` when given."""
        loss = None
        if closure is not None:
            from eager.autograd.grad_mode import enable_grad

            with enable_grad():
                loss = closure()
        params = [(group, param) for group in self.param_groups for param in group["params"]]
        for index, (_, param) in enumerate(params):
            if param.grad is not None:
                _check_grad(param, index)
        updates = []
        for group, param in params:
            if param.grad is None:
                continue
            state = self.state.get(param, {})
            updates.append((param, *self.compute_update(param, param.grad._data, state, group)))
        for param, new_value, new_state in updates:
            np.copyto(param._data, new_value, casting="same_kind")
            param.bump_version()
            self.state[param] = new_state
        return loss

    def compute_update(self, param, grad, state, group):
        """Return (new parameter value, new state dict) without changing anything."""
        raise NotImplementedError

    def state_dict(self):
        """Return ``{"state": {index: {...}}, "param_groups": [...]}`` with parameters as indices."""
        index_of = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = []
            for param in group["params"]:
                index_of[id(param)] = len(index_of)
                packed["params"].append(index_of[id(param)])
            groups.append(packed)
        state = {index_of[id(param)]: copy.deepcopy(values) for param, values in self.state.items()
                 if id(param) in index_of}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore hyperparameters and state saved by ``state_dict()`` of a matching optimizer."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups) or any(
                len(saved["params"]) != len(own["params"]) for saved, own in zip(groups, self.param_groups)):
            raise OptimizerError(
                "load_state_dict: the saved optimizer has a different number of parameter groups "
                "or parameters; build this optimizer over the same parameters first.")
        params = [p for group in self.param_groups for p in group["params"]]
        new_state = {params[int(index)]: copy.deepcopy(values)
                     for index, values in state_dict["state"].items()}
        for own, saved in zip(self.param_groups, groups):
            own.update({k: v for k, v in saved.items() if k != "params"})
        self.state = new_state

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for index, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {index}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)


def _check_param(param, index, optimizer_name):
    if not isinstance(param, Tensor):
        raise OptimizerError(
            f"{optimizer_name} parameter {index} is a {type(param).__name__}, not a tensor; pass "
            f"model.parameters() or a list of tensors.")
    if not param.is_leaf:
        raise OptimizerError(
            f"{optimizer_name} cannot optimize a non-leaf tensor (parameter {index}, shape "
            f"{param.shape}, grad_fn={param.grad_fn.name()}): it is computed from other tensors. "
            f"Optimize the leaf it comes from, or use x.detach().requires_grad_() to make a new leaf.")


def _check_grad(param, index_of_param):
    grad = param.grad
    if grad.shape != param.shape:
        raise OptimizerError(
            f"parameter {index_of_param} has shape {param.shape} but its .grad has shape "
            f"{grad.shape}; a gradient must have its parameter's shape. Reset it with "
            f"optimizer.zero_grad() and run backward() again.")


def check_hyperparameter(name, value, low=0.0, high=None):
    if not isinstance(value, int | float) or value < low or (high is not None and value >= high):
        bound = f"in [{low}, {high})" if high is not None else f">= {low}"
        raise OptimizerError(f"invalid {name}: {value!r}; expected a number {bound}")
