"""``gradcheck``: analytic gradients against central finite differences in float64."""

import numpy as np

from eager.autograd.api import grad
from eager.errors import GradcheckError


def _outputs_of(fn, inputs):
    outputs = fn(*inputs)
    return list(outputs) if isinstance(outputs, tuple | list) else [outputs]


def numerical_jacobian(fn, inputs, index, output_index, eps):
    """Return d output / d inputs[index] by central differences, shape (output size, input size)."""
    values = inputs[index]._data
    columns = []
    # Graph recording stays on, so that fn may itself call autograd.grad (double backward).
    for position in np.ndindex(values.shape):
        original = values[position]
        values[position] = original + eps
        plus = np.array(_outputs_of(fn, inputs)[output_index]._data, dtype=np.float64)
        values[position] = original - eps
        minus = np.array(_outputs_of(fn, inputs)[output_index]._data, dtype=np.float64)
        values[position] = original
        columns.append(((plus - minus) / (2.0 * eps)).reshape(-1))
    return np.stack(columns, axis=1) if columns else np.zeros((0, 0))


def analytic_jacobian(fn, inputs, index, output_index):
    """Return d output / d inputs[index] by one backward pass per output element."""
    from eager.tensor import Tensor

    output = _outputs_of(fn, inputs)[output_index]
    rows = []
    for position in range(output._data.size):
        seed = np.zeros(output.shape, dtype=output.dtype)
        seed.reshape(-1)[position] = 1.0
        (value,) = grad(output, inputs[index], grad_outputs=Tensor._wrap(seed), retain_graph=True,
                        allow_unused=True)
        row = np.zeros(inputs[index].shape) if value is None else value._data
        rows.append(np.asarray(row, dtype=np.float64).reshape(-1))
    return np.stack(rows, axis=0) if rows else np.zeros((0, inputs[index]._data.size))


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Check the gradients of ``fn(*inputs)`` against central finite differences.

    Every input that requires grad should be float64, so the numerical
    derivative is accurate. Returns True when every Jacobian entry agrees
    within ``atol + rtol * |numerical|``. Otherwise it raises
    ``GradcheckError`` naming the input, the output and the worst element,
    or returns False when ``raise_exception=False``.
    """
    from eager.tensor import Tensor

    inputs = tuple(inputs) if isinstance(inputs, tuple | list) else (inputs,)
    for index, value in enumerate(inputs):
        if isinstance(value, Tensor) and value.requires_grad and value.dtype != np.float64:
            raise GradcheckError(
                f"gradcheck input {index} has dtype {value.dtype.name}; finite differences need "
                f"float64. Create it with dtype=eager.float64 or call .double().")
    checked = [i for i, value in enumerate(inputs) if isinstance(value, Tensor) and value.requires_grad]
    output_count = len(_outputs_of(fn, inputs))
    for output_index in range(output_count):
        for index in checked:
            analytic = analytic_jacobian(fn, inputs, index, output_index)
            numerical = numerical_jacobian(fn, inputs, index, output_index, eps)
            error = _worst_mismatch(analytic, numerical, atol, rtol)
            if error is not None:
                message = _report(index, output_index, inputs[index].shape, error)
                if raise_exception:
                    raise GradcheckError(message)
                return False
    return True


def _worst_mismatch(analytic, numerical, atol, rtol):
    excess = np.abs(analytic - numerical) - (atol + rtol * np.abs(numerical))
    if excess.size == 0 or not (np.any(excess > 0) or np.any(np.isnan(excess))):
        return None
    excess = np.where(np.isnan(excess), np.inf, excess)
    row, column = np.unravel_index(int(np.argmax(excess)), excess.shape)
    return row, column, analytic[row, column], numerical[row, column]


def _report(index, output_index, input_shape, error):
    row, column, analytic, numerical = error
    element = [int(i) for i in np.unravel_index(column, input_shape)] if input_shape else []
    return (
        f"gradcheck failed for input {index} (shape {input_shape}), output {output_index}: the "
        f"worst element is d output[{int(row)}] / d input{element}: analytic {float(analytic):.6g} "
        f"vs numerical {float(numerical):.6g} (difference {abs(analytic - numerical):.3g}).")
