"""``Optimizer``: builds update mappings (variable -> new-value node) for ``compile(..., updates=...)``."""

from ..errors import ModuleUsageError
from ..gradients import gradients
from ..node import Node
from ..session import Updates
from ..variables import variable


class Optimizer:
    """Base class: subclasses implement ``_add_updates(grads, result)``, filling ``result`` with new-value nodes."""

    name = "optimizer"

    def __init__(self, params, defaults):
        self.params = self._check_params(params)
        self.defaults = dict(defaults)
        self._graph = self.params[0].graph

    def _check_params(self, params):
        if isinstance(params, Node):
            raise ModuleUsageError(
                f"{type(self).__name__} expects an iterable of variables, got the single node {params.name!r}; "
                "pass [variable] or model.parameters()"
            )
        params = list(params)
        if not params:
            raise ModuleUsageError(f"{type(self).__name__} got an empty parameter list; pass model.parameters()")
        for param in params:
            if not isinstance(param, Node) or param.kind != "variable":
                shown = param.describe() if isinstance(param, Node) else repr(param)
                raise ModuleUsageError(
                    f"{type(self).__name__} can only optimize variables, got {shown}; pass model.parameters() "
                    "or nodes made by staticgraph.variable"
                )
            if param.dtype.kind != "f":
                raise ModuleUsageError(f"{type(self).__name__}: parameter {param.name!r} has non-floating dtype {param.dtype}")
        return params

    def _state_variable(self, param, suffix, value):
        """Create a non-trainable variable next to ``param`` holding optimizer state."""
        with self._graph.as_default():
            return variable(value, name=f"{self.name}/{param.name}/{suffix}", trainable=False)

    def updates(self, loss):
        """Return an Updates mapping for one step that lowers ``loss`` (state variables included)."""
        grads = gradients(loss, self.params)
        result = Updates()
        with self._graph.name_scope(self.name):
            self._add_updates(grads, result)
        return result

    def minimize(self, loss):
        """Same as ``updates(loss)``; the mapping can be passed to compile or fetched in Session.run."""
        return self.updates(loss)

    def _add_updates(self, grads, result):
        raise NotImplementedError
