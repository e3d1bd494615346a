"""Every differentiable op: values against PyTorch and gradients by gradcheck (float64)."""

import numpy as np
import pytest

import eager
from eager.autograd import gradcheck

POSITIVE = (0.5, 2.0)
ANY = (-2.0, 2.0)

# name, eager function, torch function, input shapes, value range
OPS = [
    ("add", lambda a, b: a + b, lambda a, b: a + b, [(2, 3), (3,)], ANY),
    ("sub", lambda a, b: a - b, lambda a, b: a - b, [(2, 1), (1, 4)], ANY),
    ("rsub", lambda a: 1.5 - a, lambda a: 1.5 - a, [(3,)], ANY),
    ("mul", lambda a, b: a * b, lambda a, b: a * b, [(4,), (2, 4)], ANY),
    ("div", lambda a, b: a / b, lambda a, b: a / b, [(2, 3), (2, 3)], POSITIVE),
    ("rdiv", lambda a: 2.0 / a, lambda a: 2.0 / a, [(3,)], POSITIVE),
    ("neg", lambda a: -a, lambda a: -a, [(2, 2)], ANY),
    ("pow_scalar", lambda a: a ** 3, lambda a: a ** 3, [(5,)], ANY),
    ("pow_fraction", lambda a: a ** 0.5, lambda a: a ** 0.5, [(5,)], POSITIVE),
    ("pow_tensor", lambda a, b: a ** b, lambda a, b: a ** b, [(2, 3), (3,)], POSITIVE),
    ("rpow", lambda a: 2.0 ** a, lambda a: 2.0 ** a, [(3,)], ANY),
    ("matmul_mm", lambda a, b: a @ b, lambda a, b: a @ b, [(2, 3), (3, 4)], ANY),
    ("matmul_mv", lambda a, b: a @ b, lambda a, b: a @ b, [(2, 3), (3,)], ANY),
    ("matmul_vm", lambda a, b: a @ b, lambda a, b: a @ b, [(3,), (3, 2)], ANY),
    ("matmul_dot", lambda a, b: a @ b, lambda a, b: a @ b, [(3,), (3,)], ANY),
    ("matmul_batched", lambda a, b: a @ b, lambda a, b: a @ b, [(2, 2, 3), (3, 2)], ANY),
    ("matmul_broadcast", lambda a, b: a @ b, lambda a, b: a @ b, [(2, 1, 2, 3), (3, 3, 2)], ANY),
    ("linear", lambda x, w, b: eager.nn.functional.linear(x, w, b),
     lambda x, w, b: __import__("torch").nn.functional.linear(x, w, b), [(4, 3), (2, 3), (2,)], ANY),
    ("linear_3d", lambda x, w: eager.nn.functional.linear(x, w),
     lambda x, w: __import__("torch").nn.functional.linear(x, w), [(2, 4, 3), (2, 3)], ANY),
    ("exp", eager.exp, "exp", [(2, 3)], ANY),
    ("log", eager.log, "log", [(2, 3)], POSITIVE),
    ("sqrt", eager.sqrt, "sqrt", [(4,)], POSITIVE),
    ("abs", eager.abs, "abs", [(6,)], ANY),
    ("tanh", eager.tanh, "tanh", [(2, 3)], ANY),
    ("sigmoid", eager.sigmoid, "sigmoid", [(2, 3)], ANY),
    ("relu", eager.relu, "relu", [(2, 3)], ANY),
    ("sin", eager.sin, "sin", [(3,)], ANY),
    ("cos", eager.cos, "cos", [(3,)], ANY),
    ("log1p", eager.log1p, "log1p", [(3,)], POSITIVE),
    ("maximum", eager.maximum, "maximum", [(2, 3), (3,)], ANY),
    ("minimum", eager.minimum, "minimum", [(2, 3), (2, 1)], ANY),
    ("clamp", lambda a: eager.clamp(a, -0.5, 0.7), lambda a: a.clamp(-0.5, 0.7), [(6,)], ANY),
    ("clamp_min", lambda a: eager.clamp(a, min=0.1), lambda a: a.clamp(min=0.1), [(6,)], ANY),
    ("where", lambda a, b: eager.where(a > 0, a, b),
     lambda a, b: __import__("torch").where(a > 0, a, b), [(2, 3), (3,)], ANY),
    ("sum_all", lambda a: a.sum(), lambda a: a.sum(), [(2, 3)], ANY),
    ("sum_dim", lambda a: a.sum(1), lambda a: a.sum(1), [(2, 3, 2)], ANY),
    ("sum_dims_keepdim", lambda a: a.sum((0, 2), keepdim=True),
     lambda a: a.sum((0, 2), keepdim=True), [(2, 3, 2)], ANY),
    ("mean_all", lambda a: a.mean(), lambda a: a.mean(), [(2, 3)], ANY),
    ("mean_dim", lambda a: a.mean(-1), lambda a: a.mean(-1), [(2, 3)], ANY),
    ("max_all", lambda a: a.max(), lambda a: a.max(), [(2, 3)], ANY),
    ("max_dim", lambda a: a.max(1).values, lambda a: a.max(1).values, [(3, 4)], ANY),
    ("min_dim_keepdim", lambda a: a.min(0, keepdim=True).values,
     lambda a: a.min(0, keepdim=True).values, [(3, 4)], ANY),
    ("var", lambda a: a.var(1), lambda a: a.var(1), [(3, 4)], ANY),
    ("var_all_biased", lambda a: a.var(correction=0), lambda a: a.var(correction=0), [(3, 4)], ANY),
    ("std_keepdim", lambda a: a.std(0, keepdim=True), lambda a: a.std(0, keepdim=True), [(3, 4)],
     ANY),
    ("logsumexp", lambda a: eager.logsumexp(a, 1), lambda a: a.logsumexp(1), [(3, 4)], ANY),
    ("logsumexp_keepdim", lambda a: eager.logsumexp(a, 0, keepdim=True),
     lambda a: a.logsumexp(0, keepdim=True), [(3, 4)], ANY),
    ("softmax", lambda a: eager.softmax(a, 1), lambda a: a.softmax(1), [(3, 4)], ANY),
    ("softmax_dim0", lambda a: eager.softmax(a, 0), lambda a: a.softmax(0), [(3, 4)], ANY),
    ("log_softmax", lambda a: eager.log_softmax(a, -1), lambda a: a.log_softmax(-1), [(3, 4)], ANY),
    ("reshape", lambda a: a.reshape(3, -1), lambda a: a.reshape(3, -1), [(2, 3, 2)], ANY),
    ("view", lambda a: a.view(6), lambda a: a.view(6), [(2, 3)], ANY),
    ("flatten", lambda a: a.flatten(1), lambda a: a.flatten(1), [(2, 3, 2)], ANY),
    ("transpose", lambda a: a.transpose(0, 2), lambda a: a.transpose(0, 2), [(2, 3, 4)], ANY),
    ("T", lambda a: a.T, lambda a: a.T, [(2, 3)], ANY),
    ("permute", lambda a: a.permute(2, 0, 1), lambda a: a.permute(2, 0, 1), [(2, 3, 4)], ANY),
    ("squeeze", lambda a: a.squeeze(), lambda a: a.squeeze(), [(1, 3, 1)], ANY),
    ("squeeze_dim", lambda a: a.squeeze(0), lambda a: a.squeeze(0), [(1, 3, 1)], ANY),
    ("unsqueeze", lambda a: a.unsqueeze(-1), lambda a: a.unsqueeze(-1), [(2, 3)], ANY),
    ("expand", lambda a: a.expand(4, 2, 3), lambda a: a.expand(4, 2, 3), [(2, 1)], ANY),
    ("expand_minus_one", lambda a: a.expand(3, -1), lambda a: a.expand(3, -1), [(1, 4)], ANY),
    ("cat", lambda a, b: eager.cat([a, b], 1), lambda a, b: __import__("torch").cat([a, b], 1),
     [(2, 3), (2, 2)], ANY),
    ("stack", lambda a, b: eager.stack([a, b], 1), lambda a, b: __import__("torch").stack([a, b], 1),
     [(2, 3), (2, 3)], ANY),
    ("index_int", lambda a: a[1], lambda a: a[1], [(3, 4)], ANY),
    ("index_slices", lambda a: a[1:, ::2], lambda a: a[1:, ::2], [(3, 4)], ANY),
    ("index_negative_none", lambda a: a[-1, None, :2], lambda a: a[-1, None, :2], [(3, 4)], ANY),
    ("index_repeated", lambda a: a[[0, 2, 0, 0]], lambda a: a[[0, 2, 0, 0]], [(3, 4)], ANY),
    ("index_pairs", lambda a: a[[0, 1, 1], [2, 2, 3]], lambda a: a[[0, 1, 1], [2, 2, 3]],
     [(3, 4)], ANY),
    ("index_mask", lambda a: a[a > 0], lambda a: a[a > 0], [(3, 4)], ANY),
    ("clone", lambda a: a.clone(), lambda a: a.clone(), [(3,)], ANY),
    ("mse_loss", eager.mse_loss, lambda a, b: __import__("torch").nn.functional.mse_loss(a, b),
     [(3, 2), (3, 2)], ANY),
    ("mse_loss_sum", lambda a, b: eager.mse_loss(a, b, reduction="sum"),
     lambda a, b: __import__("torch").nn.functional.mse_loss(a, b, reduction="sum"),
     [(4,), (4,)], ANY),
    ("bce_logits", eager.binary_cross_entropy_with_logits,
     lambda a, b: __import__("torch").nn.functional.binary_cross_entropy_with_logits(a, b),
     [(3, 2), (3, 2)], ANY),
    ("bce_logits_none", lambda a, b: eager.binary_cross_entropy_with_logits(a, b, reduction="none"),
     lambda a, b: __import__("torch").nn.functional.binary_cross_entropy_with_logits(
         a, b, reduction="none"), [(5,), (5,)], ANY),
]

BCE_OPS = [
    ("bce", eager.binary_cross_entropy,
     lambda a, b: __import__("torch").nn.functional.binary_cross_entropy(a, b), "mean"),
    ("bce_sum", lambda a, b: eager.binary_cross_entropy(a, b, reduction="sum"),
     lambda a, b: __import__("torch").nn.functional.binary_cross_entropy(a, b, reduction="sum"),
     "sum"),
]

CROSS_ENTROPY = [
    ("mean", [(4, 3)], [0, 2, 1, 2]),
    ("sum", [(4, 3)], [0, 2, 1, 1]),
    ("none", [(4, 3)], [1, 1, 0, 2]),
    ("mean", [(3,)], 2),
    ("mean", [(2, 3, 2)], [[0, 2], [1, 1]]),
]


def _inputs(shapes, low_high, seed):
    rng = np.random.default_rng(seed)
    values = [rng.uniform(*low_high, size=shape) for shape in shapes]
    return values, [eager.tensor(v, requires_grad=True) for v in values]


def _torch_fn(torch, spec):
    return getattr(torch, spec) if isinstance(spec, str) else spec


@pytest.mark.parametrize("name, fn, torch_fn, shapes, low_high", OPS, ids=[op[0] for op in OPS])
def test_op_gradcheck(name, fn, torch_fn, shapes, low_high):
    _, inputs = _inputs(shapes, low_high, seed=len(name))
    assert gradcheck(fn, inputs)


@pytest.mark.parametrize("name, fn, torch_fn, shapes, low_high", OPS, ids=[op[0] for op in OPS])
def test_op_matches_torch(name, fn, torch_fn, shapes, low_high):
    torch = pytest.importorskip("torch")
    values, inputs = _inputs(shapes, low_high, seed=len(name) + 1)
    torch_inputs = [torch.tensor(v, requires_grad=True) for v in values]
    out = fn(*inputs)
    expected = _torch_fn(torch, torch_fn)(*torch_inputs)
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-10,
                               atol=1e-12)
    seed = np.random.default_rng(9).normal(size=expected.shape)
    out.backward(eager.tensor(seed))
    expected.backward(torch.tensor(seed))
    for ours, theirs in zip(inputs, torch_inputs):
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


TWO_INPUT_OPS = [op for op in OPS if len(op[3]) == 2]


@pytest.mark.parametrize("needs_grad", [0, 1], ids=["first", "second"])
@pytest.mark.parametrize("name, fn, torch_fn, shapes, low_high", TWO_INPUT_OPS,
                         ids=[op[0] for op in TWO_INPUT_OPS])
def test_op_one_input_requires_grad(name, fn, torch_fn, shapes, low_high, needs_grad):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(name) + 2)
    values = [rng.uniform(*low_high, size=shape) for shape in shapes]
    inputs = [eager.tensor(v, requires_grad=i == needs_grad) for i, v in enumerate(values)]
    torch_inputs = [torch.tensor(v, requires_grad=i == needs_grad) for i, v in enumerate(values)]
    out = fn(*inputs)
    expected = _torch_fn(torch, torch_fn)(*torch_inputs)
    seed = np.random.default_rng(9).normal(size=expected.shape)
    out.backward(eager.tensor(seed))
    expected.backward(torch.tensor(seed))
    np.testing.assert_allclose(inputs[needs_grad].grad.numpy(),
                               torch_inputs[needs_grad].grad.numpy(), rtol=1e-10, atol=1e-12)
    assert inputs[1 - needs_grad].grad is None


@pytest.mark.parametrize("name, fn, torch_fn, reduction", BCE_OPS, ids=[op[0] for op in BCE_OPS])
def test_binary_cross_entropy(name, fn, torch_fn, reduction):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    p = rng.uniform(0.1, 0.9, size=(3, 2))
    t = rng.uniform(0.0, 1.0, size=(3, 2))
    inputs = [eager.tensor(p, requires_grad=True), eager.tensor(t, requires_grad=True)]
    assert gradcheck(fn, inputs)
    tp = torch.tensor(p, requires_grad=True)
    out = fn(inputs[0], eager.tensor(t))
    expected = torch_fn(tp, torch.tensor(t))
    np.testing.assert_allclose(out.item(), expected.item(), rtol=1e-12)


@pytest.mark.parametrize("reduction, shapes, target", CROSS_ENTROPY)
def test_cross_entropy_matches_torch(reduction, shapes, target):
    torch = pytest.importorskip("torch")
    values, inputs = _inputs(shapes, (-3.0, 3.0), seed=11)
    target_tensor = eager.tensor(target)
    assert gradcheck(lambda x: eager.cross_entropy(x, target_tensor, reduction=reduction), inputs)
    tx = torch.tensor(values[0], requires_grad=True)
    expected = torch.nn.functional.cross_entropy(tx, torch.tensor(target), reduction=reduction)
    out = eager.cross_entropy(inputs[0], target_tensor, reduction=reduction)
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-12)
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(inputs[0].grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("options", [dict(weight=[1.0, 2.0, 0.5]), dict(label_smoothing=0.1)])
def test_cross_entropy_options_match_torch(options):
    torch = pytest.importorskip("torch")
    values, inputs = _inputs([(4, 3)], (-3.0, 3.0), seed=12)
    target = [0, 2, 1, 2]
    ours = dict(options)
    theirs = dict(options)
    if "weight" in options:
        ours["weight"] = eager.tensor(options["weight"], dtype=eager.float64)
        theirs["weight"] = torch.tensor(options["weight"], dtype=torch.float64)
    out = eager.cross_entropy(inputs[0], eager.tensor(target), **ours)
    tx = torch.tensor(values[0], requires_grad=True)
    expected = torch.nn.functional.cross_entropy(tx, torch.tensor(target), **theirs)
    np.testing.assert_allclose(out.item(), expected.item(), rtol=1e-12)
    out.backward()
    expected.backward()
    np.testing.assert_allclose(inputs[0].grad.numpy(), tx.grad.numpy(), rtol=1e-10)


def test_cross_entropy_probability_targets_match_torch():
    torch = pytest.importorskip("torch")
    values, inputs = _inputs([(3, 4)], (-2.0, 2.0), seed=13)
    probabilities = np.random.default_rng(1).dirichlet(np.ones(4), size=3)
    target = eager.tensor(probabilities)
    assert gradcheck(lambda x: eager.cross_entropy(x, target), inputs)
    expected = torch.nn.functional.cross_entropy(torch.tensor(values[0]), torch.tensor(probabilities))
    np.testing.assert_allclose(eager.cross_entropy(inputs[0], target).item(), expected.item(),
                               rtol=1e-12)


def test_nll_loss_gradcheck():
    _, inputs = _inputs([(4, 3)], (-3.0, -0.1), seed=14)
    target = eager.tensor([2, 0, 0, 1])
    assert gradcheck(lambda x: eager.nll_loss(x, target), inputs)


def test_repeated_index_gradient_accumulates():
    x = eager.tensor([1.0, 2.0, 3.0], dtype=eager.float64, requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 0.0, 1.0])


def test_boolean_mask_gradient_scatters_back():
    x = eager.tensor([[1.0, -2.0], [-3.0, 4.0]], requires_grad=True)
    x[x > 0].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, 0.0], [0.0, 1.0]])


def test_tensor_index_and_int64_indices():
    x = eager.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    rows = eager.tensor([1, 1])
    (x[rows] * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[0.0, 0.0], [4.0, 4.0]])


def test_comparisons_give_bool_tensors_without_grad():
    x = eager.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for result in (x > 2, x >= 2, x < 2, x <= 2, x == 2, x != 2):
        assert result.dtype == eager.bool
        assert not result.requires_grad
    np.testing.assert_array_equal((x > 1.5).numpy(), [False, True, True])
