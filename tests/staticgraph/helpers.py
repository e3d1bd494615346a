"""Finite differences for gradient checks of compiled graphs."""

import numpy as np


def numerical_gradient(function, arrays, position, epsilon=1e-6):
    """Central differences of the scalar ``function(*arrays)`` with respect to ``arrays[position]``."""
    arrays = [np.array(array, dtype=np.float64) for array in arrays]
    target = arrays[position]
    gradient = np.zeros_like(target)
    for index in np.ndindex(target.shape):
        original = target[index]
        target[index] = original + epsilon
        upper = float(function(*arrays))
        target[index] = original - epsilon
        lower = float(function(*arrays))
        target[index] = original
        gradient[index] = (upper - lower) / (2 * epsilon)
    return gradient
