"""dtypes of ``staticgraph`` and the promotion rules that ops share.

Python floats make float32 values, Python ints int64 and bools bool; NumPy arrays
keep their dtype. Two inputs of the same category (bool < integer < floating)
promote as NumPy does; across categories the input of the higher category gives
its dtype, as in PyTorch (int64 tensor + float32 tensor -> float32). A 0-d input
does not widen a dimensioned input of its own category (float32 tensor * 0-d
float64 tensor -> float32), as in PyTorch.
"""

import builtins

import numpy as np

float32 = np.dtype("float32")
float64 = np.dtype("float64")
int64 = np.dtype("int64")
int32 = np.dtype("int32")
float16 = np.dtype("float16")
bool = np.dtype("bool")  # noqa: A001 - the public name mirrors ``numpy.bool``
float = float32  # noqa: A001 - PyTorch's aliases
double = float64
long = int64

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


def is_floating(dtype):
    return np.dtype(dtype).kind == "f"


def category(dtype):
    """Return 0 for bool, 1 for integers and 2 for floating dtypes."""
    kind = np.dtype(dtype).kind
    if kind not in _CATEGORY:
        raise TypeError(f"dtype {dtype} is not supported; use bool, an integer or a floating dtype")
    return _CATEGORY[kind]


def promote(a, b):
    """Return the dtype of a binary op on inputs of dtypes ``a`` and ``b``."""
    a, b = np.dtype(a), np.dtype(b)
    if category(a) == category(b):
        return np.promote_types(a, b)
    return a if category(a) > category(b) else b


def promote_operands(operands):
    """Return the dtype of an op on operands given as ``(dtype, ndim)`` pairs, by PyTorch's rules."""
    dtype, zero_dim = None, True
    for operand_dtype, ndim in operands:
        operand_dtype, operand_zero = np.dtype(operand_dtype), ndim == 0
        if dtype is None:
            dtype, zero_dim = operand_dtype, operand_zero
        elif operand_dtype == dtype:
            zero_dim = zero_dim and operand_zero
        elif category(dtype) != category(operand_dtype):
            if category(operand_dtype) > category(dtype):
                dtype, zero_dim = operand_dtype, operand_zero
        elif zero_dim != operand_zero:
            if zero_dim:
                dtype, zero_dim = operand_dtype, False
        else:
            dtype = np.promote_types(dtype, operand_dtype)
    return dtype


def python_scalar_dtype(value, partner=None):
    """Return the dtype of a Python scalar used as an operand next to ``partner``'s dtype.

    A scalar of the same or a lower category takes the partner's dtype, so ``x * 2``
    keeps float64 as in PyTorch. A float scalar next to an integer tensor gives float32.
    """
    if isinstance(value, (builtins.bool, np.bool_)):
        own = bool
    elif isinstance(value, (int, np.integer)):
        own = int64
    else:
        own = float32
    if partner is None:
        return own
    if category(own) <= category(partner):
        return np.dtype(partner)
    return own


def array_from_value(value, dtype=None):
    """Convert ``value`` to an ndarray with the package's dtype rules."""
    if dtype is not None:
        return np.array(value, dtype=np.dtype(dtype))
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, np.generic):
        return np.array(value)
    array = np.array(value)
    if array.dtype == np.float64:
        return array.astype(float32)
    if array.dtype.kind in "iu":
        return array.astype(int64)
    if array.dtype.kind not in "bf":
        raise TypeError(
            f"cannot make a value of dtype {array.dtype} from {value!r}; "
            "pass numbers, nested lists of numbers or a NumPy array"
        )
    return array
