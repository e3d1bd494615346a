"""Switches that turn graph recording on and off.

The state is global to the process (PyTorch keeps it per thread); ``eager``
does not record graphs from several threads at once.
"""

import functools


class GradMode:
    """Holder of the flag that every op reads before recording a ``grad_fn``."""

    enabled = True


def is_grad_enabled():
    """Return whether operations currently record a graph for backward."""
    return GradMode.enabled


class set_grad_enabled:
    """Context manager (and decorator) that sets graph recording on or off."""

    def __init__(self, mode=True):
        self.mode = bool(mode)
        self.previous = GradMode.enabled
        GradMode.enabled = self.mode

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        GradMode.enabled = self.previous
        return False


class _GradModeContext:
    mode = True

    def __enter__(self):
        self.previous = GradMode.enabled
        GradMode.enabled = self.mode
        return self

    def __exit__(self, *exc_info):
        GradMode.enabled = self.previous
        return False

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with type(self)():
                return function(*args, **kwargs)

        return wrapper


class no_grad(_GradModeContext):
    """Context manager and decorator under which no op records a ``grad_fn``."""

    mode = False


class enable_grad(_GradModeContext):
    """Context manager and decorator that turns recording back on inside ``no_grad``."""

    mode = True
