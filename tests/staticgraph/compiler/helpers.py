"""Compile one graph with and without a pass and compare the results."""

import collections

import numpy as np

import staticgraph as sg
from staticgraph.compiler import pipeline


def rewrite_counts(executable):
    """Return a Counter of every named rewrite in the executable's pass records."""
    groups = {name for name, item in pipeline.PASSES.items() if isinstance(item, pipeline.FixedPoint)}
    counts = collections.Counter()
    for record in executable.pass_records:
        if record.name not in groups:  # a group's record repeats its inner passes' counts
            counts.update(record.rewrites)
    return counts


def compile_both(inputs, outputs, passes):
    """Return ``(plain, optimized)`` executables: no optimization, and only ``passes`` (then pruning)."""
    plain = sg.compile(inputs, outputs, optimize=False)
    optimized = sg.compile(inputs, outputs, optimize=["validate", *passes, "prune", "validate"])
    return plain, optimized


def assert_same_results(plain, optimized, *arrays):
    expected = plain(*arrays)
    actual = optimized(*arrays)
    if not isinstance(expected, list):
        expected, actual = [expected], [actual]
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected):
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-6, atol=1e-12)
        assert np.asarray(got).shape == np.asarray(want).shape
        assert np.asarray(got).dtype == np.asarray(want).dtype
