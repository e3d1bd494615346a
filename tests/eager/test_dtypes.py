"""Type promotion follows PyTorch, including 0-d tensors and Python scalars."""

import itertools

import numpy as np
import pytest

import eager

DTYPES = ["float32", "float64", "int64", "bool"]
OPERANDS = [("tensor", dtype, shape) for dtype in DTYPES for shape in [(), (2,)]]
OPERANDS += [("scalar", "float", None), ("scalar", "int", None)]
OPS = {
    "add": (lambda m, a, b: m.add(a, b)),
    "mul": (lambda m, a, b: a * b),
    "maximum": (lambda m, a, b: m.maximum(a, b)),
    "where": (lambda m, a, b: m.where(m.tensor([True, False]), a, b)),
}


def make(module, kind, dtype, shape):
    if kind == "scalar":
        return 1.5 if dtype == "float" else 2
    values = np.ones(shape, dtype=dtype)
    if module.__name__ == "torch":
        return module.tensor(values)
    return eager.tensor(values)


def _valid(first, second):
    # PyTorch has no maximum/where for two Python scalars, and scalar-scalar pairs test nothing.
    return not (first[0] == "scalar" and second[0] == "scalar")


PAIRS = [(a, b) for a, b in itertools.product(OPERANDS, OPERANDS) if _valid(a, b)]
# torch.maximum takes tensors only (eager also accepts Python scalars).
CASES = [(op, a, b) for op in sorted(OPS) for a, b in PAIRS
         if not (op == "maximum" and "scalar" in (a[0], b[0]))]


@pytest.mark.parametrize("op, first, second", CASES, ids=[f"{o}-{a}-{b}" for o, a, b in CASES])
def test_result_dtype_matches_torch(op, first, second):
    torch = pytest.importorskip("torch")
    function = OPS[op]
    expected = function(torch, make(torch, *first), make(torch, *second))
    ours = function(eager, make(eager, *first), make(eager, *second))
    assert ours.dtype == np.dtype(str(expected.dtype).replace("torch.", ""))


@pytest.mark.parametrize("shape_b", [(), (2,)])
@pytest.mark.parametrize("dtype_b", ["float32", "float64"])
def test_gradients_keep_each_input_dtype(dtype_b, shape_b):
    a = eager.tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    b = eager.tensor(np.full(shape_b, 0.5, dtype=dtype_b), requires_grad=True)
    (a * b + eager.maximum(a, b)).sum().backward()
    assert a.grad.dtype == eager.float32
    assert b.grad.dtype == np.dtype(dtype_b)
    assert b.grad.shape == shape_b


@pytest.mark.parametrize("loss", [eager.mse_loss, eager.binary_cross_entropy_with_logits,
                                  lambda x, t: eager.binary_cross_entropy(eager.sigmoid(x), t)])
def test_losses_promote_like_torch(loss):
    x = eager.tensor(np.array([0.3, -0.2], dtype=np.float32), requires_grad=True)
    target = eager.tensor(np.array([0.5, 0.25]))
    out = loss(x, target)
    assert out.dtype == eager.float64
    out.backward()
    assert x.grad.dtype == eager.float32
