"""Exception classes raised by ``eager``.

Each class subclasses the built-in exception it refines, so code that
catches ``ValueError`` or ``RuntimeError`` keeps working.
"""


class EagerError(Exception):
    """Base class of every exception raised on purpose by ``eager``."""


class ShapeError(EagerError, ValueError):
    """Operand shapes that cannot be combined (broadcast, matmul, concatenation)."""


class DTypeError(EagerError, TypeError):
    """A dtype that the operation does not accept."""


class NotATensorError(EagerError, TypeError):
    """A value that is not a tensor (for example a module) passed where a tensor is expected."""


class BackwardError(EagerError, RuntimeError):
    """A backward pass that cannot run: non-scalar root, freed graph, no grad_fn."""


class InplaceError(EagerError, RuntimeError):
    """An in-place change that breaks the autograd graph."""


class AnomalyError(EagerError, RuntimeError):
    """A backward rule that produced NaN or infinity while anomaly detection was on."""


class GradcheckError(EagerError, RuntimeError):
    """Analytic and numerical gradients that disagree."""


class ModuleError(EagerError, TypeError):
    """A module used the wrong way (constructed with a tensor, missing ``__init__``)."""


class StateDictError(EagerError, KeyError):
    """A state dict with missing or unexpected keys or wrong shapes."""

    def __str__(self):
        # KeyError quotes its argument; a state-dict report reads better unquoted.
        return str(self.args[0]) if self.args else ""


class OptimizerError(EagerError, ValueError):
    """Optimizer parameters or hyperparameters that cannot be used."""


class InvalidArgumentError(EagerError, ValueError):
    """An argument value outside what the function accepts (reduction name, probability, ...)."""


class IndexOutOfRangeError(EagerError, IndexError):
    """A dimension, index or class label outside the valid range."""


class InvalidTypeError(EagerError, TypeError):
    """An argument of the wrong kind (a tensor where a list is expected, a 0-d tensor for len())."""
