"""The autograd cases PyTorch users rely on, each over several shapes and ops."""

import numpy as np
import pytest

import eager
from eager.errors import BackwardError, DTypeError


def leaf(values, dtype=eager.float64):
    return eager.tensor(values, dtype=dtype, requires_grad=True)


@pytest.mark.parametrize("values", [1.0, [1.0, -2.0], [[0.5], [3.0]]])
def test_reused_input_accumulates(values):
    a = leaf(values)
    b = a + a
    c = b + b
    c.sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), np.full(np.shape(values), 4.0))


@pytest.mark.parametrize("op, derivative", [
    (lambda x: x * x, lambda x: 2 * x),
    (lambda x: x * x * x, lambda x: 3 * x * x),
    (lambda x: x / (x + 1.0), lambda x: 1 / (x + 1) ** 2),
    (lambda x: (x - 2.0) * (x + 3.0), lambda x: 2 * x + 1),
])
@pytest.mark.parametrize("value", [3.0, -1.5, 0.25])
def test_same_tensor_twice_in_one_op(op, derivative, value):
    x = leaf(value)
    op(x).backward()
    assert x.grad.item() == pytest.approx(derivative(value))


def test_long_chain_is_iterative():
    x = leaf(0.0)
    y = x
    for _ in range(100_000):
        y = y + 1
    y.backward()
    assert x.grad.item() == 1.0


def test_long_chain_of_mixed_ops():
    x = leaf([1.0, 2.0])
    y = x
    for _ in range(20_000):
        y = (y * 1.0).relu() - 0.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])


@pytest.mark.parametrize("op", [eager.add, eager.sub, eager.mul, eager.div, eager.maximum])
@pytest.mark.parametrize("x_shape, y_shape", [((1, 5), (5, 5)), ((5,), (3, 5)), ((3, 1), (1, 4)),
                                              ((), (2, 3)), ((2, 1, 3), (4, 1))])
def test_broadcast_gradient_has_input_shape(op, x_shape, y_shape):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    xv = rng.uniform(1, 2, x_shape)
    yv = rng.uniform(1, 2, y_shape)
    x, y = leaf(xv), leaf(yv)
    op(x, y).sum().backward()
    tx = torch.tensor(xv, requires_grad=True)
    ty = torch.tensor(yv, requires_grad=True)
    getattr(torch, op.__name__)(tx, ty).sum().backward()
    assert x.grad.shape == x_shape
    assert y.grad.shape == y_shape
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(y.grad.numpy(), ty.grad.numpy(), rtol=1e-12)


def test_broadcast_study_case():
    x = eager.ones(1, 5, requires_grad=True)
    y = eager.ones(5, 5, requires_grad=True)
    (x + y).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full((1, 5), 5.0))
    np.testing.assert_array_equal(y.grad.numpy(), np.ones((5, 5)))


@pytest.mark.parametrize("values, expected", [
    ([0.6, 0.6, 0.3], [0.5, 0.5, 0.0]),
    ([1.0, 1.0, 1.0, 1.0], [0.25, 0.25, 0.25, 0.25]),
    ([2.0, -1.0, 0.0], [1.0, 0.0, 0.0]),
])
def test_max_ties_split_evenly(values, expected):
    x = leaf(values)
    x.max().backward()
    np.testing.assert_allclose(x.grad.numpy(), expected)


@pytest.mark.parametrize("values, expected", [
    ([0.3, 0.3, 0.6], [0.5, 0.5, 0.0]),
    ([-1.0, 5.0, -1.0], [0.5, 0.0, 0.5]),
])
def test_min_ties_split_evenly(values, expected):
    x = leaf(values)
    x.min().backward()
    np.testing.assert_allclose(x.grad.numpy(), expected)


def test_max_with_dim_ties_split_per_row():
    x = leaf([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]])
    values, indices = eager.max(x, dim=1)
    np.testing.assert_array_equal(values.detach().numpy(), [3.0, 2.0])
    np.testing.assert_array_equal(indices.numpy(), [1, 0])
    values.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]])


def test_maximum_and_minimum_ties_split_evenly():
    a = leaf([1.0, 2.0, 3.0])
    b = leaf([1.0, 5.0, 3.0])
    (eager.maximum(a, b).sum() + eager.minimum(a, b).sum()).backward()
    np.testing.assert_allclose(a.grad.numpy(), [1.0, 1.0, 1.0])
    x = leaf([2.0])
    y = leaf([2.0])
    eager.maximum(x, y).backward()
    assert x.grad.item() == 0.5
    assert y.grad.item() == 0.5


@pytest.mark.parametrize("op", [eager.abs, eager.relu])
def test_kink_derivative_at_zero_is_zero(op):
    x = leaf([0.0, -0.0])
    op(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0])


def test_abs_derivative_elsewhere():
    x = leaf([-2.0, 0.0, 3.0])
    x.abs().sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [-1.0, 0.0, 1.0])


def test_clamp_gradient_passes_at_bounds():
    x = leaf([-2.0, -1.0, 0.0, 1.0, 2.0])
    x.clamp(-1.0, 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 1.0, 1.0, 1.0, 0.0])


@pytest.mark.parametrize("scale, dtype", [(1e8, eager.float32), (1e30, eager.float32),
                                          (-1e30, eager.float32), (1e8, eager.float64),
                                          (1e300, eager.float64), (-1e300, eager.float64)])
def test_cross_entropy_huge_logits(scale, dtype):
    logits = eager.tensor([[scale, scale]], dtype=dtype, requires_grad=True)
    loss = eager.cross_entropy(logits, eager.tensor([1]))
    loss.backward()
    assert loss.item() == pytest.approx(np.log(2.0), rel=1e-6)
    assert np.all(np.isfinite(logits.grad.numpy()))
    np.testing.assert_allclose(logits.grad.numpy(), [[0.5, -0.5]], rtol=1e-6)


@pytest.mark.parametrize("value", [-90.0, -1e4, 90.0, 1e4])
def test_sigmoid_extreme_float32_finite_gradient(value):
    x = eager.tensor(value, requires_grad=True)
    y = eager.sigmoid(x)
    y.backward()
    assert np.isfinite(y.item())
    assert np.isfinite(x.grad.item())
    assert abs(x.grad.item()) < 1e-30


@pytest.mark.parametrize("fn", [
    lambda x: eager.log_softmax(x, dim=1),
    lambda x: eager.logsumexp(x, dim=1),
    lambda x: eager.softmax(x, dim=1),
    lambda x: eager.binary_cross_entropy_with_logits(x, eager.ones_like(x)),
])
@pytest.mark.parametrize("scale", [1e4, 1e30])
def test_stable_forms_stay_finite(fn, scale):
    x = eager.tensor([[scale, -scale, 0.0]], dtype=eager.float64, requires_grad=True)
    y = fn(x)
    y.sum().backward()
    assert np.all(np.isfinite(y.detach().numpy()))
    assert np.all(np.isfinite(x.grad.numpy()))


@pytest.mark.parametrize("values", [[1, 2, 3], 5, [[True, False]]])
def test_integer_tensor_cannot_require_grad(values):
    with pytest.raises(DTypeError, match="only floating-point tensors can require gradients"):
        eager.tensor(values, requires_grad=True)
    t = eager.tensor(values)
    with pytest.raises(DTypeError, match="floating"):
        t.requires_grad_()


def test_dtype_inference_follows_torch():
    assert eager.tensor(1.0).dtype == eager.float32
    assert eager.tensor([1, 2]).dtype == eager.int64
    assert eager.tensor(True).dtype == eager.bool
    assert eager.tensor(np.zeros(2)).dtype == eager.float64
    assert eager.tensor([1, 2], dtype=eager.float64).dtype == eager.float64
    assert (eager.tensor([1, 2]) * 2.5).dtype == eager.float32
    assert (eager.tensor([1, 2]) / 2).dtype == eager.float32
    assert (eager.tensor([1.0]) * 2).dtype == eager.float32
    assert eager.tensor([1, 2]).double().dtype == eager.float64
    assert eager.tensor([1.5]).to(eager.float64).dtype == eager.float64


def test_non_scalar_backward_needs_gradient():
    x = leaf([1.0, 2.0])
    y = x * 2
    with pytest.raises(BackwardError, match="only for outputs with one element"):
        y.backward()
    assert x.grad is None
    y.backward(eager.tensor([1.0, 0.5], dtype=eager.float64))
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 1.0])


def test_second_backward_needs_retain_graph():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with pytest.raises(BackwardError, match="retain_graph=True"):
        y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])


def test_retain_graph_allows_second_backward_and_accumulates():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 8.0])


def test_backward_without_graph_raises():
    x = eager.tensor([1.0])
    with pytest.raises(BackwardError, match="does not require grad"):
        x.sum().backward()


@pytest.mark.parametrize("make", [
    lambda x, y: (x + y).sum(),
    lambda x, y: (x - y).sum(),
    lambda x, y: (x + 0.0).sum() + (y + 0.0).sum(),
    lambda x, y: eager.where(x > 0, x, y).sum() + (x * 1.0).sum(),
])
def test_leaf_grads_do_not_share_storage(make):
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    y = eager.tensor([3.0, 4.0], requires_grad=True)
    make(x, y).backward()
    y_before = y.grad.numpy().copy()
    x.grad.add_(100.0)
    np.testing.assert_array_equal(y.grad.numpy(), y_before)


def test_backward_gradient_argument_is_not_aliased():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    seed = eager.tensor([1.0, 1.0])
    x.backward(seed)
    x.grad.mul_(5.0)
    np.testing.assert_array_equal(seed.numpy(), [1.0, 1.0])


def test_accumulation_keeps_grad_tensor_identity():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).sum().backward()
    first = x.grad
    (x * 3).sum().backward()
    assert x.grad is first
    np.testing.assert_array_equal(first.numpy(), [5.0, 5.0])
