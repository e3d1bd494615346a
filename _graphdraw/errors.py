"""Exceptions raised while building, laying out or saving a drawing."""


class DiagramError(ValueError):
    """A diagram description is invalid: unknown node, duplicate id, cycle, bad kind."""


class UnsupportedFormatError(ValueError):
    """A drawing was asked to be saved under a file suffix that no writer handles."""


class MissingDependencyError(ImportError):
    """An optional package that drawing needs (matplotlib) is not installed."""
