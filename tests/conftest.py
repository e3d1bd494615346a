"""Test-wide settings: hypothesis profiles chosen by ``HYPOTHESIS_PROFILE``.

``ci`` (the default) keeps the whole suite within the CI time budget on a
two-core machine and derandomizes, so a CI result is the same on every run;
``thorough`` draws fresh random examples and many more of them, for long local
runs such as ``HYPOTHESIS_PROFILE=thorough python -m pytest tests/property``.
Failing examples print a ``@reproduce_failure`` blob so they can be replayed.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
