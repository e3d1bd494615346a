"""The check that decides whether an implementation is timed."""

import numpy as np

from benchmarks.agreement import compare


def test_equal_outputs_agree():
    reference = [np.float32(1.5), np.arange(4, dtype=np.float32)]
    agrees, error, message = compare(("s", "g"), reference, [np.asarray(1.5), np.arange(4.0)], 1e-4)
    assert agrees
    assert error == 0.0
    assert message == ""


def test_small_relative_error_agrees():
    reference = [np.full(3, 4000.0)]
    agrees, error, _ = compare(("g",), reference, [np.full(3, 4000.01)], 1e-4)
    assert agrees
    assert 0 < error < 1e-4


def test_large_error_names_output():
    agrees, _, message = compare(("s", "g"), [np.ones(2), np.ones(2)], [np.ones(2), np.array([1.0, 1.1])], 1e-4)
    assert not agrees
    assert message.startswith("g:")


def test_shape_mismatch_disagrees():
    agrees, _, message = compare(("z",), [np.ones((2, 1))], [np.ones(2)], 1e-4)
    assert not agrees
    assert "shape" in message


def test_missing_output_disagrees():
    agrees, _, message = compare(("s", "g"), [np.ones(1), np.ones(1)], [np.ones(1)], 1e-4)
    assert not agrees
    assert "returned 1 arrays, expected 2" in message


def test_nan_disagrees():
    agrees, _, message = compare(("z",), [np.ones(2)], [np.array([1.0, np.nan])], 1e-4)
    assert not agrees
    assert "NaN" in message
