"""Tensor and module printing follows PyTorch's layout."""

import numpy as np
import pytest

import eager
from eager import nn


def compute_z(a, b, c):
    return (a - b) * 2 + c


@pytest.mark.parametrize("a, b, c, expected", [
    (1, 2, 3, "tensor(1)"),
    ([1], [2], [3], "tensor([1])"),
    ([[1]], [[2]], [[3]], "tensor([[1]])"),
])
def test_compute_z_integer_repr(a, b, c, expected):
    z = compute_z(eager.tensor(a), eager.tensor(b), eager.tensor(c))
    assert repr(z) == expected
    assert str(z) == expected
    assert z.dtype == eager.int64


def test_study_text_reprs():
    assert repr(eager.tensor(3.14, requires_grad=True)) == "tensor(3.1400, requires_grad=True)"
    assert repr(eager.tensor([1.0, 2.0, 3.0], requires_grad=True)) == \
        "tensor([1., 2., 3.], requires_grad=True)"


def test_study_text_gradient_example():
    w = eager.tensor(1.0, requires_grad=True)
    b = eager.tensor(0.5, requires_grad=True)
    x = eager.tensor([1.4])
    y = eager.tensor([2.1])
    loss = ((y - (w * x + b)) ** 2).sum()
    loss.backward()
    assert repr(w.grad) == "tensor(-0.5600)"
    assert repr(b.grad) == "tensor(-0.4000)"
    assert repr(2 * x * ((w * x + b) - y)) == "tensor([-0.5600], grad_fn=<MulBackward0>)"


REPR_CASES = [
    [0.0, 1.0, 10.0],
    [1e-5, 1.0],
    [1e9, 1.0],
    [[1.5, -2.25], [3.0, 4.125]],
    [[[1.0, 2.0]], [[3.0, 4.0]]],
    [float("nan"), 1.5, float("inf")],
    np.linspace(-3, 3, 30).tolist(),
    [[0.1] * 12] * 3,
    [],
    [1, 22, -333],
    [True, False],
]


@pytest.mark.parametrize("values", REPR_CASES)
def test_repr_matches_torch(values):
    torch = pytest.importorskip("torch")
    ours = repr(eager.tensor(values))
    theirs = repr(torch.tensor(values))
    assert ours == theirs


def test_repr_large_tensor_summarized_like_torch():
    torch = pytest.importorskip("torch")
    values = np.arange(2000, dtype=np.float32).reshape(40, 50) / 7
    assert repr(eager.tensor(values)) == repr(torch.tensor(values))


def test_repr_float64_names_dtype():
    text = repr(eager.tensor([1.5], dtype=eager.float64, requires_grad=True))
    assert text == "tensor([1.5000], dtype=eager.float64, requires_grad=True)"


def test_repr_grad_fn_names():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    assert "grad_fn=<SubBackward0>" in repr(x - 1)
    assert "grad_fn=<SumBackward0>" in repr(x.sum())
    assert "grad_fn=<ReluBackward0>" in repr(x.relu())
    assert "grad_fn=<PowBackward0>" in repr(x ** 2)


def test_sequential_repr_matches_torch_text():
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 32), nn.ReLU())
    expected = (
        "Sequential(\n"
        "  (0): Linear(in_features=4, out_features=16, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=16, out_features=32, bias=True)\n"
        "  (3): ReLU()\n"
        ")")
    assert repr(model) == expected


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer1 = nn.Linear(4, 16, bias=False)
        self.layer2 = nn.Sequential(nn.Sigmoid(), nn.Softmax(dim=1), nn.Tanh())

    def forward(self, x):
        return self.layer2(self.layer1(x))


EagerTwoLayer = TwoLayer


def test_custom_module_repr_matches_torch():
    torch = pytest.importorskip("torch")

    class TwoLayer(torch.nn.Module):  # noqa: F811 - same class name, so the reprs compare
        def __init__(self):
            super().__init__()
            self.layer1 = torch.nn.Linear(4, 16, bias=False)
            self.layer2 = torch.nn.Sequential(torch.nn.Sigmoid(), torch.nn.Softmax(dim=1),
                                              torch.nn.Tanh())

    assert repr(EagerTwoLayer()) == repr(TwoLayer())


def test_parameter_repr():
    param = nn.Parameter(eager.tensor([1.0, 2.0]))
    assert repr(param) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"


def test_format_spec_on_scalar_tensor():
    loss = eager.tensor(0.123456)
    assert f"{loss:.3f}" == "0.123"
    assert f"{loss}" == "tensor(0.1235)"
    assert f"{eager.tensor([1, 2])}" == "tensor([1, 2])"


def test_from_numpy_shares_storage():
    array = np.array([1.0, 2.0])
    shared = eager.from_numpy(array)
    array[0] = 5.0
    assert shared[0].item() == 5.0
    assert eager.as_tensor(array).numpy() is array
    assert eager.as_tensor(array, dtype=eager.float32).dtype == eager.float32
