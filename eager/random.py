"""The package's global random generator.

``manual_seed(seed)`` replaces it with ``numpy.random.default_rng(seed)``;
``nn.init`` functions draw from it when they are not given a generator.
"""

import numpy as np

_generator = np.random.default_rng()


def default_generator():
    """Return the global ``numpy.random.Generator`` of ``eager``."""
    return _generator


def manual_seed(seed):
    """Reset the global generator to ``numpy.random.default_rng(seed)`` and return it."""
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator
