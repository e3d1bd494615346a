"""Common mistakes raise eager's own exceptions with a message that explains the fix,
and leave parameters, gradients and optimizer state unchanged."""

import numpy as np
import pytest

import eager
from eager import nn
from eager.errors import (
    BackwardError, DTypeError, EagerError, IndexOutOfRangeError, InplaceError, ModuleError,
    NotATensorError, OptimizerError, ShapeError, StateDictError)


def snapshot(model):
    params = {name: p.detach().numpy().copy() for name, p in model.named_parameters()}
    grads = {name: None if p.grad is None else p.grad.numpy().copy()
             for name, p in model.named_parameters()}
    return params, grads


def assert_unchanged(model, before):
    params, grads = snapshot(model)
    for name, value in before[0].items():
        np.testing.assert_array_equal(params[name], value, err_msg=name)
    for name, value in before[1].items():
        if value is None:
            assert grads[name] is None, name
        else:
            np.testing.assert_array_equal(grads[name], value, err_msg=name)


# ----- mistakes from the study text ----------------------------------------------------------------

LAYERS_WITHOUT_TENSOR_ARGUMENTS = [
    (nn.ReLU, "relu"), (nn.Sigmoid, "sigmoid"), (nn.Tanh, "tanh"), (nn.Softmax, "softmax"),
    (nn.LogSoftmax, "log_softmax"), (nn.LeakyReLU, "leaky_relu"), (nn.Dropout, "dropout"),
    (nn.Flatten, "flatten"),
]


@pytest.mark.parametrize("layer, functional", LAYERS_WITHOUT_TENSOR_ARGUMENTS)
def test_layer_constructed_with_tensor_raises_in_forward(layer, functional):
    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(2, 2)

        def forward(self, x):
            x = self.linear(x)
            x = layer(x)  # the mistake: constructing the layer with the tensor
            return x

    name = layer.__name__
    with pytest.raises(ModuleError, match=rf"nn\.{name} is a layer: construct it once.*"
                                          rf"nn\.{name}\(\)\(x\).*nn\.functional\.{functional}\(x\)"):
        Model()(eager.ones(1, 2))


def test_linear_constructed_with_tensor_raises():
    with pytest.raises(ModuleError, match=r"nn\.Linear is a layer"):
        nn.Linear(eager.ones(2, 3), 4)


@pytest.mark.parametrize("make", [
    lambda out, target: nn.CrossEntropyLoss(out, target),
    lambda out, target: nn.MSELoss(out, target.float()),
    lambda out, target: nn.BCELoss(out),
    lambda out, target: nn.BCEWithLogitsLoss(out, target),
    lambda out, target: nn.NLLLoss(out, target),
    lambda out, target: nn.CrossEntropyLoss(out),
])
def test_loss_constructed_with_tensors_raises(make):
    out = nn.Linear(2, 3)(eager.ones(4, 2))
    target = eager.tensor([0, 1, 2, 0])
    with pytest.raises(ModuleError, match=r"loss module: construct it once .* loss_fn\(output, target\)"):
        make(out, target)


def test_cross_entropy_loss_with_class_weight_is_allowed():
    loss_fn = nn.CrossEntropyLoss(eager.tensor([1.0, 2.0, 3.0]))
    loss = loss_fn(eager.zeros(2, 3), eager.tensor([0, 2]))
    assert loss.item() == pytest.approx(np.log(3.0))


@pytest.mark.parametrize("use", [
    lambda layer, x: nn.Linear(2, 2)(layer),
    lambda layer, x: x + layer,
    lambda layer, x: layer + x,
    lambda layer, x: x * layer,
    lambda layer, x: layer * 2,
    lambda layer, x: eager.relu(layer),
    lambda layer, x: eager.sum(layer),
    lambda layer, x: x @ layer,
    lambda layer, x: eager.cross_entropy(layer, eager.tensor([0])),
    lambda layer, x: eager.cat([x, layer]),
])
def test_module_passed_as_data_says_to_call_it(use):
    x = eager.ones(1, 2)
    layer = nn.ReLU()  # the mistake: the layer object flows on as if it were the activation
    with pytest.raises(NotATensorError, match=r"received the module ReLU\(\) where a tensor was "
                                              r"expected.*must be called.*ReLU\(\)\(x\)"):
        use(layer, x)


def test_missing_super_init_names_class_and_fix():
    class Forgetful(nn.Module):
        def __init__(self):
            self.layer = nn.Linear(2, 2)

    with pytest.raises(ModuleError, match=r"Forgetful\.__init__ did not call super\(\)\.__init__\(\)"
                                          r".*Add `super\(\)\.__init__\(\)`"):
        Forgetful()


def test_missing_super_init_without_layers_raises_on_call():
    class Bare(nn.Module):
        def __init__(self):
            self.scale = 2.0

        def forward(self, x):
            return x * self.scale

    model = Bare()
    with pytest.raises(ModuleError, match=r"Bare\.__init__ did not call super\(\)\.__init__\(\)"):
        model(eager.ones(2))
    with pytest.raises(ModuleError, match="super"):
        list(model.parameters())


# ----- autograd mistakes ---------------------------------------------------------------------------


def test_non_scalar_backward_leaves_grads_unchanged():
    model = nn.Linear(3, 2)
    model(eager.ones(1, 3)).sum().backward()
    before = snapshot(model)
    out = model(eager.ones(4, 3))
    with pytest.raises(BackwardError, match=r"shape \(4, 2\).*output\.sum\(\)\.backward\(\)"):
        out.backward()
    assert_unchanged(model, before)


def test_failed_backward_changes_no_grad():
    a = eager.tensor([1.0, 2.0], requires_grad=True)
    b = eager.tensor([3.0, 4.0], requires_grad=True)
    h = a * 1.0
    saved = h * h
    loss = saved.sum() + (b * 2).sum()
    h.add_(1.0)
    with pytest.raises(InplaceError):
        loss.backward()
    assert a.grad is None
    assert b.grad is None


def test_retain_grad_not_written_when_backward_fails():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.retain_grad()
    y = h * 1.0
    z = y * y
    y.mul_(2.0)
    with pytest.raises(InplaceError):
        (z.sum() + h.sum()).backward()
    assert h.grad is None


def test_graph_kept_after_failed_backward():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    with pytest.raises(BackwardError):
        y.backward(eager.tensor([1.0, 1.0]))
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])


# ----- shape mismatches name both shapes -----------------------------------------------------------

SHAPE_MISMATCHES = [
    ("add", lambda: eager.ones(2, 3) + eager.ones(4), r"add: shapes \(2, 3\) and \(4,\)"),
    ("sub", lambda: eager.ones(2, 3) - eager.ones(3, 2), r"sub: shapes \(2, 3\) and \(3, 2\)"),
    ("mul", lambda: eager.ones(5) * eager.ones(4), r"mul: shapes \(5,\) and \(4,\)"),
    ("div", lambda: eager.ones(5) / eager.ones(2, 4), r"div: shapes \(5,\) and \(2, 4\)"),
    ("pow", lambda: eager.ones(5) ** eager.ones(4), r"pow: shapes \(5,\) and \(4,\)"),
    ("maximum", lambda: eager.maximum(eager.ones(3), eager.ones(2)), r"\(3,\) and \(2,\)"),
    ("where", lambda: eager.where(eager.ones(3) > 0, eager.ones(3), eager.ones(2)),
     r"where: shapes \(3,\) and \(3,\) and \(2,\)"),
    ("matmul", lambda: eager.ones(2, 3) @ eager.ones(2, 3),
     r"matmul: cannot multiply shapes \(2, 3\) and \(2, 3\)"),
    ("matmul_vector", lambda: eager.ones(3) @ eager.ones(4), r"shapes \(3,\) and \(4,\)"),
    ("linear", lambda: nn.Linear(4, 2)(eager.ones(5, 3)),
     r"input of shape \(5, 3\).*weight of shape \(2, 4\)"),
    ("cat", lambda: eager.cat([eager.ones(2, 3), eager.ones(2, 4)]), r"\(2, 3\), \(2, 4\)"),
    ("stack", lambda: eager.stack([eager.ones(2), eager.ones(3)]), r"\(2,\), \(3,\)"),
    ("reshape", lambda: eager.ones(2, 3).reshape(4, 2), r"shape \(2, 3\).*to \(4, 2\)"),
    ("expand", lambda: eager.ones(2, 3).expand(3, 3), r"shape \(2, 3\) to \(3, 3\)"),
    ("mse_loss", lambda: eager.mse_loss(eager.ones(4, 1), eager.ones(4)),
     r"input shape \(4, 1\) and target shape \(4,\)"),
    ("bce", lambda: eager.binary_cross_entropy(eager.ones(3) * 0.5, eager.ones(2)),
     r"input shape \(3,\) and target shape \(2,\)"),
    ("cross_entropy", lambda: eager.cross_entropy(eager.ones(4, 3), eager.tensor([0, 1])),
     r"input of shape \(4, 3\) needs a target of shape \(4,\).*got \(2,\)"),
    ("setitem", lambda: eager.ones(2, 3).__setitem__(0, eager.ones(4)),
     r"value of shape \(4,\).*tensor of shape \(2, 3\)"),
    ("add_", lambda: eager.ones(2, 3).add_(eager.ones(4, 3)), r"\(2, 3\) and \(4, 3\)"),
    ("inplace_grow", lambda: eager.ones(3).add_(eager.ones(2, 3)),
     r"shape \(2, 3\) cannot be written in place into a tensor of shape \(3,\)"),
]


@pytest.mark.parametrize("name, action, message", SHAPE_MISMATCHES,
                         ids=[case[0] for case in SHAPE_MISMATCHES])
def test_shape_mismatch_names_both_shapes(name, action, message):
    with pytest.raises(ShapeError, match=message):
        action()


def test_shape_error_is_value_error():
    with pytest.raises(ValueError):
        eager.ones(2) + eager.ones(3)


def test_class_index_out_of_range():
    with pytest.raises(IndexOutOfRangeError, match=r"class indices in \[0, 2\].*0 to 3"):
        eager.cross_entropy(eager.ones(2, 3), eager.tensor([0, 3]))


def test_float_class_indices_rejected():
    with pytest.raises(ShapeError, match="integer tensor"):
        eager.cross_entropy(eager.ones(2, 3), eager.tensor([0.0, 1.0]))


def test_dim_out_of_range():
    with pytest.raises(IndexOutOfRangeError, match=r"sum: dim 2 is out of range.*\[-2, 1\]"):
        eager.ones(2, 3).sum(2)


def test_integer_requires_grad_message():
    with pytest.raises(DTypeError, match=r"dtype int64.*eager.tensor\(\[1\., 2\.\]\)"):
        eager.tensor([1, 2, 3], requires_grad=True)


def test_all_errors_share_base_class():
    with pytest.raises(EagerError):
        eager.ones(2) @ eager.ones(3)


# ----- load_state_dict -----------------------------------------------------------------------------


def test_load_state_dict_lists_all_problems():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    before = snapshot(model)
    state = {key: np.zeros_like(value) for key, value in model.state_dict().items()}
    del state["0.bias"]
    state["2.weight"] = np.zeros((2, 3))
    state["3.weight"] = np.zeros((1, 1))
    with pytest.raises(StateDictError) as info:
        model.load_state_dict(state)
    message = str(info.value)
    assert "missing keys: 0.bias" in message
    assert "unexpected keys: 3.weight" in message
    assert "2.weight: checkpoint shape (2, 3), model shape (1, 3)" in message
    assert "no parameter was changed" in message
    assert_unchanged(model, before)


def test_load_state_dict_strict_false_reports_keys():
    model = nn.Linear(2, 3)
    state = model.state_dict()
    del state["bias"]
    state["other"] = np.zeros(1)
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == ["bias"]
    assert result.unexpected_keys == ["other"]


def test_load_state_dict_nonstrict_shape_mismatch():
    model = nn.Linear(2, 3)
    before = snapshot(model)
    with pytest.raises(StateDictError, match=r"weight: checkpoint shape \(3, 3\)"):
        model.load_state_dict({"weight": np.zeros((3, 3)), "bias": np.zeros(3)}, strict=False)
    assert_unchanged(model, before)


# ----- optimizers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda: eager.optim.SGD([], lr=0.1),
                                  lambda: eager.optim.Adam(iter([]))])
def test_optimizer_without_parameters(make):
    with pytest.raises(OptimizerError, match=r"empty parameter list.*model\.parameters\(\)"):
        make()


def test_optimizer_built_before_layers_registered():
    class Late(nn.Module):
        def __init__(self):
            super().__init__()

    with pytest.raises(OptimizerError, match="empty parameter list"):
        eager.optim.SGD(Late().parameters(), lr=0.1)


@pytest.mark.parametrize("optimizer", [eager.optim.SGD, eager.optim.Adam])
def test_optimizer_rejects_non_leaf(optimizer):
    w = eager.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(OptimizerError, match=r"non-leaf tensor .*MulBackward0.*detach\(\)"):
        optimizer([w * 2], lr=0.1)


def test_optimizer_rejects_non_tensor():
    with pytest.raises(OptimizerError, match="is a ndarray, not a tensor"):
        eager.optim.SGD([np.ones(2)], lr=0.1)


@pytest.mark.parametrize("options, message", [
    (dict(lr=-0.1), "invalid lr"), (dict(lr=0.1, momentum=-1), "invalid momentum"),
    (dict(lr=0.1, nesterov=True), "Nesterov momentum requires momentum > 0"),
])
def test_sgd_rejects_bad_hyperparameters(options, message):
    with pytest.raises(OptimizerError, match=message):
        eager.optim.SGD([eager.tensor([1.0], requires_grad=True)], **options)


def test_failed_step_changes_nothing():
    model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    optimizer = eager.optim.Adam(model.parameters(), lr=0.1)
    model(eager.ones(3, 2)).sum().backward()
    optimizer.step()
    model(eager.ones(3, 2)).sum().backward()
    state_before = optimizer.state_dict()
    before = snapshot(model)
    model[1].bias.grad = eager.tensor([1.0, 2.0])
    with pytest.raises(OptimizerError, match=r"parameter 3 has shape \(1,\) but its \.grad has "
                                             r"shape \(2,\)"):
        optimizer.step()
    before[1]["1.bias"] = np.array([1.0, 2.0], dtype=np.float32)
    assert_unchanged(model, before)
    state_after = optimizer.state_dict()
    for index, values in state_before["state"].items():
        for key, value in values.items():
            np.testing.assert_array_equal(state_after["state"][index][key], value)


# ----- cross_entropy on probabilities --------------------------------------------------------------


@pytest.fixture
def fresh_probability_warning(monkeypatch):
    from eager.ops import nn_ops

    monkeypatch.setattr(nn_ops, "_warned_probabilities", [False])


def test_cross_entropy_warns_once_on_probabilities(fresh_probability_warning):
    probabilities = eager.softmax(eager.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]]), dim=1)
    with pytest.warns(UserWarning, match="cross_entropy expects unnormalized logits"):
        eager.cross_entropy(probabilities, eager.tensor([2, 0]))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        eager.cross_entropy(probabilities, eager.tensor([2, 0]))
        nn.CrossEntropyLoss()(probabilities, eager.tensor([2, 0]))


@pytest.mark.parametrize("logits", [[[1.0, 2.0, 3.0]], [[0.2, 0.3, 0.1]], [[-0.5, 0.5, 1.0]],
                                    [[0.6, 0.4]] * 1 + [[3.0, -1.0]]])
def test_cross_entropy_silent_on_logits(fresh_probability_warning, logits):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        eager.cross_entropy(eager.tensor(logits), eager.tensor([0] * len(logits)))


def test_cross_entropy_warning_from_module_softmax(fresh_probability_warning):
    model = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))
    with pytest.warns(UserWarning, match="expects unnormalized logits"):
        nn.CrossEntropyLoss()(model(eager.ones(5, 4)), eager.tensor([0, 1, 2, 0, 1]))


def test_load_state_dict_non_numeric_value():
    model = nn.Linear(2, 1)
    before = snapshot(model)
    state = model.state_dict()
    state["bias"] = np.array(["x"])
    with pytest.raises(StateDictError, match="bias: checkpoint dtype <U1 is not numeric"):
        model.load_state_dict(state)
    assert_unchanged(model, before)


def test_module_to_integer_dtype_rejected():
    model = nn.Linear(2, 1)
    with pytest.raises(DTypeError, match="floating dtype, got int64"):
        model.to(eager.int64)
    assert model.weight.dtype == eager.float32


def test_tensor_compared_with_none():
    t = eager.tensor([1.0])
    assert (t == None) is False  # noqa: E711 - the comparison under test
    assert (t != None) is True  # noqa: E711
