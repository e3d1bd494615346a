"""compute_z(a, b, c) = (a - b) * 2 + c gives the same values and gradients in both modes."""

import numpy as np
import pytest

import eager

from tests.parity.modes import run_eager, run_static


def compute_z(ops, a, b, c):
    r1 = ops.sub(a, b)
    r2 = ops.mul(r1, 2)
    return ops.add(r2, c)


def compute_z_operators(ops, a, b, c):
    return (a - b) * 2 + c


INTEGER_CASES = [
    (1, 2, 3),
    ([1], [2], [3]),
    ([[1]], [[2]], [[3]]),
]


@pytest.mark.parametrize("a, b, c", INTEGER_CASES)
@pytest.mark.parametrize("body", [compute_z, compute_z_operators])
def test_integer_values_agree(a, b, c, body):
    arrays = [np.array(v) for v in (a, b, c)]
    expected = (arrays[0] - arrays[1]) * 2 + arrays[2]

    eager_value, _ = run_eager(body, *arrays)
    static_value, _ = run_static(body, *arrays)

    assert eager_value.dtype == np.int64
    assert static_value.dtype == np.int64
    np.testing.assert_array_equal(eager_value, expected)
    np.testing.assert_array_equal(static_value, expected)


@pytest.mark.parametrize(
    "inputs, printed",
    [((1, 2, 3), "tensor(1)"), (([1], [2], [3]), "tensor([1])"), (([[1]], [[2]], [[3]]), "tensor([[1]])")],
)
def test_eager_prints_like_pytorch(inputs, printed):
    z = compute_z(eager, *(eager.tensor(v) for v in inputs))

    assert str(z) == printed


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (4, 1, 2)])
@pytest.mark.parametrize("optimize", [True, False])
def test_float_gradients_agree(shape, optimize):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(shape) for _ in range(3)]
    expected = [np.full(shape, 2.0), np.full(shape, -2.0), np.full(shape, 1.0)]

    eager_value, eager_grads = run_eager(compute_z, *arrays, grad=True)
    static_value, static_grads = run_static(compute_z, *arrays, grad=True, optimize=optimize)

    np.testing.assert_allclose(static_value, eager_value, rtol=0, atol=1e-15)
    for name, e, s, want in zip("abc", eager_grads, static_grads, expected):
        assert e.shape == shape, name
        assert s.shape == shape, name
        np.testing.assert_array_equal(e, want, err_msg=f"eager dz/d{name}")
        np.testing.assert_array_equal(s, want, err_msg=f"static dz/d{name}")


def test_broadcast_gradients_agree():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((2, 3))
    b = rng.standard_normal((3,))
    c = rng.standard_normal(())

    _, eager_grads = run_eager(compute_z, a, b, c, grad=True)
    _, static_grads = run_static(compute_z, a, b, c, grad=True)

    for e, s, shape, per_element in zip(eager_grads, static_grads, [(2, 3), (3,), ()], [2.0, -2.0, 1.0]):
        scale = 6 // int(np.prod(shape))
        np.testing.assert_array_equal(e, np.full(shape, per_element * scale))
        np.testing.assert_array_equal(s, e)
