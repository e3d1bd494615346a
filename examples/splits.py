"""Train/test splits and mini-batch schedules shared by both modes."""

import math

import numpy as np

from examples.errors import DataError


def split_sizes(n_samples, test_size=None, train_size=None):
    """Return ``(n_train, n_test)`` as scikit-learn's ``train_test_split`` sizes them.

    A float size is a fraction of ``n_samples``: the test count rounds up and
    the train count rounds down. A missing size takes the rest; with neither
    given the test fraction is 0.25.
    """
    if test_size is None and train_size is None:
        test_size = 0.25
    n_test = _count(test_size, n_samples, math.ceil) if test_size is not None else None
    n_train = _count(train_size, n_samples, math.floor) if train_size is not None else None
    if n_train is None:
        n_train = n_samples - n_test
    if n_test is None:
        n_test = n_samples - n_train

    if n_train <= 0 or n_test < 0 or n_train + n_test > n_samples:
        raise DataError(
            f"cannot split {n_samples} samples into {n_train} for training and {n_test} for testing; "
            "choose sizes whose sum is at most the number of samples and leave at least one training sample"
        )
    return n_train, n_test


def _count(size, n_samples, rounding):
    if isinstance(size, float):
        if not 0.0 < size < 1.0:
            raise DataError(f"a fractional split size must lie in (0, 1), got {size}")
        return int(rounding(size * n_samples))
    return int(size)


def train_test_indices(n_samples, test_size=None, train_size=None, random_state=0):
    """Return ``(train_rows, test_rows)`` equal to ``train_test_split(..., random_state=random_state)``.

    scikit-learn shuffles with ``numpy.random.RandomState(random_state).permutation``
    and takes the test rows first, then the training rows, from that permutation.
    """
    n_train, n_test = split_sizes(n_samples, test_size, train_size)
    permutation = np.random.RandomState(random_state).permutation(n_samples)
    return permutation[n_test : n_test + n_train], permutation[:n_test]


def batch_schedule(n_rows, batch_size, epochs, seed):
    """Return one list of row-index batches per epoch, reshuffled each epoch.

    The schedule is computed once and handed to both modes, so eager and
    static training see the same mini-batches in the same order. The last
    batch of an epoch is smaller when ``batch_size`` does not divide ``n_rows``.
    """
    generator = np.random.default_rng(seed)
    schedule = []
    for _ in range(epochs):
        order = generator.permutation(n_rows)
        schedule.append([order[start : start + batch_size] for start in range(0, n_rows, batch_size)])
    return schedule
