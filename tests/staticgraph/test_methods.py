"""Tensor-style methods on nodes, so one model body runs in eager and in staticgraph."""

import numpy as np
import pytest

import staticgraph as sg

DATA = np.arange(1.0, 7.0).reshape(2, 3)

CASES = [
    ("view", lambda x: x.view(-1), lambda v: v.reshape(-1)),
    ("view_tuple", lambda x: x.view((3, 2)), lambda v: v.reshape(3, 2)),
    ("reshape_ints", lambda x: x.reshape(3, 2), lambda v: v.reshape(3, 2)),
    ("flatten", lambda x: x.flatten(), lambda v: v.reshape(-1)),
    ("t", lambda x: x.t(), lambda v: v.T),
    ("mT", lambda x: x.mT, lambda v: v.T),
    ("permute", lambda x: x.permute(1, 0), lambda v: v.T),
    ("expand", lambda x: x.sum(0).expand(4, 3), lambda v: np.broadcast_to(v.sum(0), (4, 3))),
    ("clamp", lambda x: x.clamp(2.0, 4.0), lambda v: np.clip(v, 2.0, 4.0)),
    ("amax", lambda x: x.amax(1), lambda v: v.max(1)),
    ("argmax", lambda x: x.argmax(1), lambda v: v.argmax(1)),
    ("max_dim", lambda x: x.max(1).values, lambda v: v.max(1)),
    ("float", lambda x: x.float(), lambda v: v.astype(np.float32)),
    ("long", lambda x: x.long(), lambda v: v.astype(np.int64)),
    ("to", lambda x: x.to(sg.float32), lambda v: v.astype(np.float32)),
    ("log1p", lambda x: x.log1p(), np.log1p),
    ("where", lambda x: x.where(x > 3.0, 0.0), lambda v: np.where(v > 3.0, v, 0.0)),
    ("logic", lambda x: ~((x > 2.0) & (x < 5.0)) | (x > 5.5), lambda v: ~((v > 2.0) & (v < 5.0)) | (v > 5.5)),
    ("view_as", lambda x: x.sum(0).view_as(x.sum(0).unsqueeze(0)), lambda v: v.sum(0).reshape(1, 3)),
]


@pytest.mark.parametrize("name, method, reference", CASES, ids=[case[0] for case in CASES])
def test_method_matches_numpy(graph, name, method, reference):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    result = sg.compile([x], method(x))(DATA)
    expected = reference(DATA)
    np.testing.assert_array_equal(result, expected)
    assert result.dtype == expected.dtype


def test_size_and_dim(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    assert x.size() == (None, 3)
    assert x.size(1) == 3
    assert x.dim() == 2
    assert x.is_floating_point()


def test_no_in_place_methods(graph):
    x = sg.placeholder(sg.float64, (3,), name="x")
    assert not hasattr(x, "add_")
    y = x
    y += 1.0
    assert y is not x
