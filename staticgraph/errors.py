"""Exception classes of ``staticgraph``.

Every class subclasses ``StaticGraphError`` and the built-in exception it refines, so
``except ValueError`` keeps working for callers that do not know this package.
"""


class StaticGraphError(Exception):
    """Base class of every error raised by ``staticgraph``."""


class ShapeError(StaticGraphError, ValueError):
    """Shapes of an op's inputs, a feed or an update do not fit together."""


class DTypeError(StaticGraphError, TypeError):
    """A dtype is not the one an op, a feed or an update requires."""


class GraphMismatchError(StaticGraphError, ValueError):
    """Nodes of two different graphs were combined."""


class FeedError(StaticGraphError, ValueError):
    """A feed is missing, unknown, or not for a placeholder."""


class GradientError(StaticGraphError, TypeError):
    """A gradient was requested that cannot be built."""


class UpdateError(StaticGraphError, ValueError):
    """An ``updates`` entry does not fit the variable it assigns."""


class ExecutionError(StaticGraphError, RuntimeError):
    """A compiled executable failed at run time; the message names the node."""


class NumericsError(StaticGraphError, FloatingPointError):
    """``check_numerics=True`` found NaN or inf in the value of a node."""


class GraphValidationError(StaticGraphError, ValueError):
    """A graph breaks one of its invariants (acyclic, inputs exist, shapes consistent)."""


class ModuleUsageError(StaticGraphError, TypeError):
    """A ``staticgraph.nn`` module was constructed or used the wrong way."""


class StateDictError(StaticGraphError, KeyError):
    """``load_state_dict`` received missing, unexpected or wrongly shaped entries."""

    def __str__(self):
        # KeyError quotes its message; show it as plain text instead.
        return str(self.args[0]) if self.args else ""


class UnsupportedOperationError(StaticGraphError, NotImplementedError):
    """An op or a gradient rule is not available for the requested inputs."""


class NoValueError(StaticGraphError, TypeError):
    """A value was read from a placeholder or op node, which hold none until the graph runs."""
