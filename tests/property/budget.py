"""Example counts relative to the active hypothesis profile.

The profile (``HYPOTHESIS_PROFILE``, see ``tests/conftest.py``) sets one
``max_examples`` for every test. A property whose examples are cheap runs a
multiple of it and one whose examples are slow a fraction, so that the
suite's total time follows the profile.
"""

from hypothesis import settings


def scaled(factor):
    """Return settings with ``factor`` times the active profile's ``max_examples`` (at least 10)."""
    return settings(max_examples=max(10, int(factor * settings.default.max_examples)))
