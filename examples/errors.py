"""Exceptions raised by the examples for bad options or missing data."""


class ExampleError(Exception):
    """Base class of the examples' errors."""


class UnknownExampleError(ExampleError, KeyError):
    """The requested example name is not registered."""

    def __str__(self):
        # KeyError quotes its argument; a plain message reads better on the command line.
        return str(self.args[0])


class DataError(ExampleError, ValueError):
    """A data file is missing, malformed or inconsistent."""


class MissingDependencyError(ExampleError, ImportError):
    """An optional package that one example needs is not installed."""
