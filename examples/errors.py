"""Exceptions raised by the examples for bad options or missing data."""


class ExampleError(Exception):
    """Base class of the examples' errors."""


class UnknownExampleError(ExampleError, KeyError):
    """The requested example name is not registered."""

    def __init__(self, name, known):
        super().__init__(name)
        self.name = name
        self.known = list(known)

    def __str__(self):
        # KeyError's own __str__ quotes the key; the message names the choices instead.
        return f"unknown example {self.name!r}; choose one of {', '.join(self.known)} or 'all'"


class DataError(ExampleError, ValueError):
    """A data file is missing, malformed or inconsistent."""


class MissingDependencyError(ExampleError, ImportError):
    """An optional package that one example needs is not installed."""
