"""autograd.grad, create_graph, hooks, grad modes, detach, in-place ops and anomaly detection."""

import numpy as np
import pytest

import eager
from eager.errors import AnomalyError, BackwardError, GradcheckError, InplaceError


def leaf(values):
    return eager.tensor(values, dtype=eager.float64, requires_grad=True)


# ----- higher-order gradients --------------------------------------------------------------------

SECOND_DERIVATIVES = [
    (lambda x: x ** 3, lambda x: 6 * x),
    (lambda x: eager.exp(2 * x), lambda x: 4 * np.exp(2 * x)),
    (lambda x: eager.sigmoid(x), lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s) * (1 - 2 * s)),
    (lambda x: eager.tanh(x), lambda x: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)),
    (lambda x: eager.log(x) * x, lambda x: 1 / x),
    (lambda x: eager.sqrt(x), lambda x: -0.25 * x ** -1.5),
    (lambda x: x / (1 + x * x), lambda x: (2 * x ** 3 - 6 * x) / (1 + x * x) ** 3),
    (lambda x: eager.sin(x) * eager.cos(x), lambda x: -4 * np.sin(x) * np.cos(x)),
]


@pytest.mark.parametrize("fn, second", SECOND_DERIVATIVES)
def test_second_derivative_by_create_graph(fn, second):
    values = np.array([0.3, 1.2, 2.5])
    x = leaf(values)
    (first,) = eager.autograd.grad(fn(x).sum(), x, create_graph=True)
    assert first.requires_grad
    (result,) = eager.autograd.grad(first.sum(), x)
    np.testing.assert_allclose(result.numpy(), second(values), rtol=1e-10)


@pytest.mark.parametrize("fn", [
    lambda x: (eager.softmax(x, 1) * eager.tensor([[1.0, 2.0, 3.0]])).sum(),
    lambda x: eager.log_softmax(x, 1)[:, 0].sum(),
    lambda x: eager.logsumexp(x, 1).sum(),
    lambda x: eager.cross_entropy(x, eager.tensor([0, 2])),
    lambda x: eager.binary_cross_entropy_with_logits(x, eager.ones_like(x)),
    lambda x: eager.mse_loss(x * x, eager.zeros_like(x)),
    lambda x: (x @ x.T).sum() + x.max() * x.mean(),
    lambda x: (eager.maximum(x, x.T[:2, :2].sum() * 0.1) ** 2).sum(),
    lambda x: (x.reshape(3, 2).permute(1, 0)[0] ** 2).sum() + eager.cat([x, x], 0)[1:].pow(2).sum(),
    lambda x: (eager.where(x > 0, x, 0.5 * x) ** 2).sum() + (x[[0, 0, 1]] ** 3).sum(),
])
def test_hessian_vector_products_match_finite_differences(fn):
    rng = np.random.default_rng(0)
    values = rng.normal(size=(2, 3))
    direction = rng.normal(size=(2, 3))

    def gradient(v):
        x = leaf(v)
        (g,) = eager.autograd.grad(fn(x), x, create_graph=True)
        return x, g

    x, g = gradient(values)
    (hvp,) = eager.autograd.grad((g * eager.tensor(direction)).sum(), x)
    eps = 1e-6
    plus = gradient(values + eps * direction)[1].detach().numpy()
    minus = gradient(values - eps * direction)[1].detach().numpy()
    np.testing.assert_allclose(hvp.numpy(), (plus - minus) / (2 * eps), rtol=1e-5, atol=1e-6)


def test_backward_create_graph_makes_grad_differentiable():
    x = leaf(2.0)
    (x ** 3).backward(create_graph=True)
    assert x.grad.grad_fn is not None
    first = x.grad
    x.grad = None
    first.backward()
    assert x.grad.item() == pytest.approx(12.0)


def test_third_derivative():
    x = leaf(1.5)
    (d1,) = eager.autograd.grad(x ** 4, x, create_graph=True)
    (d2,) = eager.autograd.grad(d1, x, create_graph=True)
    (d3,) = eager.autograd.grad(d2, x)
    assert d3.item() == pytest.approx(24 * 1.5)


# ----- autograd.grad -----------------------------------------------------------------------------


def test_grad_does_not_touch_dot_grad():
    x = leaf([1.0, 2.0])
    y = leaf([3.0, 4.0])
    gx, gy = eager.autograd.grad((x * y).sum(), [x, y])
    np.testing.assert_array_equal(gx.numpy(), [3.0, 4.0])
    np.testing.assert_array_equal(gy.numpy(), [1.0, 2.0])
    assert x.grad is None
    assert y.grad is None


def test_grad_with_respect_to_intermediate():
    x = leaf([1.0, 2.0])
    h = x * 3
    (gh,) = eager.autograd.grad((h * h).sum(), h)
    np.testing.assert_array_equal(gh.numpy(), [6.0, 12.0])


def test_grad_unused_input():
    x, unused = leaf(1.0), leaf(2.0)
    with pytest.raises(BackwardError, match="allow_unused=True"):
        eager.autograd.grad(x * 2, [x, unused])
    gx, gu = eager.autograd.grad(x * 2, [x, unused], allow_unused=True)
    assert gx.item() == 2.0
    assert gu is None


def test_grad_outputs_weights_non_scalar():
    x = leaf([1.0, 2.0, 3.0])
    (g,) = eager.autograd.grad(x * x, x, grad_outputs=eager.tensor([1.0, 0.0, -1.0]))
    np.testing.assert_array_equal(g.numpy(), [2.0, 0.0, -6.0])


def test_backward_inputs_restricts_accumulation():
    x, y = leaf(1.0), leaf(2.0)
    (x * y).backward(inputs=[x])
    assert x.grad.item() == 2.0
    assert y.grad is None


# ----- graph structure ---------------------------------------------------------------------------


def test_next_functions_and_accumulate_grad():
    a = leaf(1.0)
    b = eager.tensor(2.0, dtype=eager.float64)
    c = a * b
    d = c - a
    assert type(d.grad_fn).__name__ == "SubBackward0"
    (first, _), (second, _) = d.grad_fn.next_functions
    assert type(first).__name__ == "MulBackward0"
    assert type(second).__name__ == "AccumulateGrad"
    assert second.variable is a
    assert first.next_functions[1] == (None, 0)
    assert a.is_leaf
    assert b.is_leaf
    assert not c.is_leaf


GRAD_FN_NAMES = [
    (lambda x: x + 1, "AddBackward0"), (lambda x: x * x, "MulBackward0"),
    (lambda x: x / 2, "DivBackward0"), (lambda x: -x, "NegBackward0"),
    (lambda x: x.exp(), "ExpBackward0"), (lambda x: x.log(), "LogBackward0"),
    (lambda x: x.sum(0), "SumBackward1"), (lambda x: x.mean(), "MeanBackward0"),
    (lambda x: x.sigmoid(), "SigmoidBackward0"), (lambda x: x.tanh(), "TanhBackward0"),
    (lambda x: x @ x.T, "MmBackward0"), (lambda x: x.reshape(-1), "ViewBackward0"),
    (lambda x: x.transpose(0, 1), "TransposeBackward0"), (lambda x: x[0], "SelectBackward0"),
    (lambda x: x[:, :1], "SliceBackward0"), (lambda x: x.unsqueeze(0), "UnsqueezeBackward0"),
    (lambda x: eager.softmax(x, 1), "SoftmaxBackward0"),
    (lambda x: eager.log_softmax(x, 1), "LogSoftmaxBackward0"),
    (lambda x: eager.cat([x, x]), "CatBackward0"), (lambda x: eager.stack([x, x]), "StackBackward0"),
    (lambda x: x.max(), "MaxBackward1"), (lambda x: x.abs(), "AbsBackward0"),
    (lambda x: x ** 2, "PowBackward0"), (lambda x: x.clamp(0, 1), "ClampBackward1"),
]


@pytest.mark.parametrize("fn, name", GRAD_FN_NAMES, ids=[n for _, n in GRAD_FN_NAMES])
def test_grad_fn_names_match_torch(fn, name):
    torch = pytest.importorskip("torch")
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    tx = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    torch_fn = {"CatBackward0": lambda t: torch.cat([t, t]),
                "StackBackward0": lambda t: torch.stack([t, t]),
                "SoftmaxBackward0": lambda t: torch.softmax(t, 1),
                "LogSoftmaxBackward0": lambda t: torch.log_softmax(t, 1)}.get(name, fn)
    assert type(fn(x).grad_fn).__name__ == name
    assert type(torch_fn(tx).grad_fn).__name__ == name


# ----- hooks, retain_grad, grad modes, detach ----------------------------------------------------


def test_register_hook_on_intermediate_changes_gradient():
    x = leaf([1.0, 2.0])
    h = x * 2
    seen = []
    h.register_hook(lambda g: seen.append(g.numpy().copy()))
    h.register_hook(lambda g: g * 10)
    h.sum().backward()
    np.testing.assert_array_equal(seen[0], [1.0, 1.0])
    np.testing.assert_array_equal(x.grad.numpy(), [20.0, 20.0])


def test_register_hook_on_leaf():
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: g + 1)
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 4.0])


def test_retain_grad_keeps_intermediate_grad():
    x = leaf([1.0, 2.0])
    h = x * x
    h.retain_grad()
    assert h.retains_grad
    (h * 3).sum().backward()
    np.testing.assert_array_equal(h.grad.numpy(), [3.0, 3.0])
    other = x * 2
    (other * 3).sum().backward()
    assert other.grad is None


def test_no_grad_and_enable_grad():
    x = leaf([1.0])
    with eager.no_grad():
        y = x * 2
        with eager.enable_grad():
            z = x * 2
    assert not y.requires_grad
    assert y.grad_fn is None
    assert z.requires_grad
    assert eager.is_grad_enabled()

    @eager.no_grad()
    def double(t):
        return t * 2

    assert not double(x).requires_grad


def test_detach_shares_storage_and_cuts_history():
    x = leaf([1.0, 2.0])
    y = x * 2
    d = y.detach()
    assert not d.requires_grad
    assert d.grad_fn is None
    d[0] = 100.0
    assert y[0].item() == 100.0


def test_requires_grad_switch_on_non_leaf_off_raises():
    x = leaf([1.0])
    y = x * 2
    with pytest.raises(BackwardError, match="detach"):
        y.requires_grad_(False)


# ----- in-place ops and version counters ---------------------------------------------------------

INPLACE_AFTER_SAVE = [
    (lambda x: x.exp(), lambda y: y.add_(1)),
    (lambda x: x.sigmoid(), lambda y: y.mul_(2)),
    (lambda x: x * 1.0, lambda y: y.zero_()),
]


@pytest.mark.parametrize("make, modify", INPLACE_AFTER_SAVE)
def test_modified_saved_tensor_raises_on_backward(make, modify):
    x = leaf([1.0, 2.0])
    y = make(x)
    z = y * y
    modify(y)
    with pytest.raises(InplaceError, match="MulBackward0.*modified by an in-place operation"):
        z.sum().backward()
    assert x.grad is None


# Each op keeps only what the gradients of its inputs that require grad read, as in PyTorch.
CONSTANT_OPERAND_OPS = [
    ("mul_scalar", lambda y: y * 2.0, [2.0, 2.0]),
    ("rmul_scalar", lambda y: 2.0 * y, [2.0, 2.0]),
    ("div_scalar", lambda y: y / 4.0, [0.25, 0.25]),
    ("mul_constant_tensor", lambda y: y * eager.tensor([3.0, 5.0]), [3.0, 5.0]),
    ("add_constant_tensor", lambda y: y + eager.tensor([3.0, 5.0]), [1.0, 1.0]),
]


@pytest.mark.parametrize("name, op, expected", CONSTANT_OPERAND_OPS,
                         ids=[case[0] for case in CONSTANT_OPERAND_OPS])
def test_inplace_on_operand_no_rule_reads(name, op, expected):
    x = leaf([1.0, 2.0])
    y = x * 1.0
    z = op(y)
    y.add_(1.0)
    z.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), expected)


def test_inplace_on_operand_other_rule_reads_raises():
    x = leaf([1.0, 2.0])
    w = leaf([3.0, 5.0])
    y = x * 1.0
    z = y * w
    y.add_(1.0)
    with pytest.raises(InplaceError, match="MulBackward0.*input 0"):
        z.sum().backward()
    assert w.grad is None


def test_setitem_after_save_raises():
    x = leaf([1.0, 2.0])
    y = x * 1.0
    z = y.exp()
    y[0] = 5.0
    z2 = (z * y).sum()
    z2.backward()
    np.testing.assert_allclose(x.grad.numpy(), [5.0 * np.exp(1.0), np.exp(2.0) * 3.0])
    w = x * 1.0
    v = w * w
    w[1] = 0.0
    with pytest.raises(InplaceError, match="version 1"):
        v.sum().backward()


def test_inplace_on_view_bumps_shared_version():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    y = x * 1.0
    z = y * y
    y.T[0].zero_()
    assert y._version == 1
    with pytest.raises(InplaceError):
        z.sum().backward()


@pytest.mark.parametrize("modify", [lambda t: t.add_(1.0), lambda t: t.mul_(2.0),
                                    lambda t: t.zero_(), lambda t: t.__setitem__(0, 1.0),
                                    lambda t: t.__iadd__(1.0)])
def test_inplace_on_leaf_requiring_grad_raises(modify):
    x = leaf([1.0, 2.0])
    with pytest.raises(InplaceError, match="leaf tensor that requires grad"):
        modify(x)
    np.testing.assert_array_equal(x.detach().numpy(), [1.0, 2.0])
    assert x._version == 0
    with eager.no_grad():
        modify(x)
    assert x._version == 1


def test_inplace_on_non_leaf_is_differentiated():
    torch = pytest.importorskip("torch")
    values = [0.5, -1.0, 2.0]
    x = leaf(values)
    y = x * 2
    y.add_(x)
    y.mul_(3.0)
    y.relu_()
    y.sum().backward()
    tx = torch.tensor(values, requires_grad=True)
    ty = tx * 2
    ty.add_(tx)
    ty.mul_(3.0)
    ty.relu_()
    ty.sum().backward()
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy())
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())


def test_setitem_with_grad_value_flows_to_both():
    x = leaf([1.0, 2.0, 3.0])
    v = leaf(10.0)
    y = x * 1.0
    y[1] = v * 2
    (y * eager.tensor([1.0, 2.0, 3.0], dtype=eager.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 0.0, 3.0])
    assert v.grad.item() == 4.0


def test_version_counter_counts_inplace_ops():
    t = eager.tensor([1.0, 2.0])
    assert t._version == 0
    t.add_(1.0)
    t *= 2.0
    t[0] = 0.0
    assert t._version == 3
    np.testing.assert_array_equal(t.numpy(), [0.0, 6.0])


# ----- gradcheck and detect_anomaly --------------------------------------------------------------


def test_gradcheck_reports_worst_element():
    x = leaf([1.0, 2.0, 3.0])

    def detached_square(t):
        # The analytic derivative is t (one factor is detached); the numerical one is 2 t.
        return t * t.detach()

    with pytest.raises(GradcheckError, match=r"worst element is d output\[2\] / d input\[2\]: "
                                              r"analytic 3 vs numerical 6"):
        eager.autograd.gradcheck(detached_square, [x])


def test_gradcheck_detects_wrong_rule():
    x = leaf([1.0, 2.0, 3.0])

    def half_detached_square(t):
        return t * t.detach()

    with pytest.raises(GradcheckError, match="analytic .* vs numerical"):
        eager.autograd.gradcheck(half_detached_square, [x])
    assert eager.autograd.gradcheck(half_detached_square, [x], raise_exception=False) is False


def test_gradcheck_rejects_float32():
    with pytest.raises(GradcheckError, match="float64"):
        eager.autograd.gradcheck(lambda t: t * 2, [eager.tensor([1.0], requires_grad=True)])


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
def test_detect_anomaly_names_op_and_creation_line():
    x = leaf([0.0, 1.0])
    with eager.autograd.detect_anomaly():
        y = eager.sqrt(x)  # creation line reported below
        with pytest.raises(AnomalyError, match=r"SqrtBackward0 returned NaN or infinity .* created "
                                               r"at .*test_autograd_api.py:\d+: y = eager.sqrt\(x\)"):
            y.sum().backward()


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
def test_without_detect_anomaly_nan_passes_silently():
    x = leaf([0.0, 1.0])
    eager.sqrt(x).sum().backward()
    assert np.isinf(x.grad.numpy()[0])


DOUBLE_BACKWARD_MODELS = [
    lambda: eager.nn.Sequential(eager.nn.Linear(3, 4), eager.nn.Tanh(), eager.nn.Linear(4, 2)),
    lambda: eager.nn.Sequential(eager.nn.Linear(3, 4), eager.nn.Sigmoid(), eager.nn.Linear(4, 3),
                                eager.nn.Softmax(dim=1)),
    lambda: eager.nn.Sequential(eager.nn.Linear(3, 3, bias=False), eager.nn.LogSoftmax(dim=1)),
]


@pytest.mark.parametrize("make_model", DOUBLE_BACKWARD_MODELS)
def test_double_backward_through_modules(make_model):
    eager.manual_seed(4)
    model = make_model().double()
    x = leaf(np.random.default_rng(5).normal(size=(2, 3)))

    def input_gradient(t):
        (g,) = eager.autograd.grad((model(t) ** 2).sum(), t, create_graph=True)
        return g

    assert eager.autograd.gradcheck(input_gradient, [x])


@pytest.mark.parametrize("loss", [
    lambda out: eager.cross_entropy(out, eager.tensor([0, 1])),
    lambda out: eager.mse_loss(out, eager.zeros_like(out)),
    lambda out: eager.binary_cross_entropy_with_logits(out, eager.ones_like(out)),
    lambda out: eager.binary_cross_entropy(eager.sigmoid(out), eager.ones_like(out) * 0.3),
])
def test_gradient_penalty_reaches_parameters(loss):
    eager.manual_seed(6)
    model = eager.nn.Sequential(eager.nn.Linear(3, 2), eager.nn.Tanh()).double()
    weight = model[0].weight
    x = leaf(np.random.default_rng(7).normal(size=(2, 3)))

    def penalty(w):
        with eager.no_grad():
            weight.copy_(w)
        out = eager.nn.functional.linear(x, w, model[0].bias).tanh()
        (g,) = eager.autograd.grad(loss(out), x, create_graph=True)
        return (g ** 2).sum()

    w = leaf(weight.detach().numpy().copy())
    assert eager.autograd.gradcheck(penalty, [w])
