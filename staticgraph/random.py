"""The package's global random generator.

``manual_seed(seed)`` resets it to ``numpy.random.default_rng(seed)``; ``nn.init``
draws from it when no generator is passed, and so does a random op built without a
seed, when the executable runs.
"""

import numpy as np

_generator = np.random.default_rng()


def manual_seed(seed):
    """Reset the global generator to ``numpy.random.default_rng(seed)`` and return it."""
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def default_generator():
    """Return the current global ``numpy.random.Generator``."""
    return _generator
