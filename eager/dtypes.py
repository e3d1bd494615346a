"""dtypes of ``eager`` (plain ``numpy.dtype`` objects) and PyTorch's inference rules."""

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
float16 = np.dtype(np.float16)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
bool = np.dtype(np.bool_)  # noqa: A001 - mirrors torch.bool

float = float32  # noqa: A001 - mirrors torch.float
double = float64
long = int64

_DEFAULT_FLOAT = float32
_builtin_bool = type(True)


def is_floating(dtype):
    """Return whether ``dtype`` is a floating-point dtype."""
    return dtype.kind == "f"


def infer_dtype(data):
    """Return the dtype PyTorch gives ``data``: Python floats float32, ints int64, bools bool."""
    if isinstance(data, np.ndarray | np.generic):
        return data.dtype
    if isinstance(data, _builtin_bool):
        return bool
    array = np.asarray(data)
    if array.dtype.kind == "f":
        return _DEFAULT_FLOAT
    if array.dtype.kind in "iu":
        return int64
    return array.dtype


def name(dtype):
    """Return the printed name of ``dtype``, e.g. ``eager.float64``."""
    return "eager." + np.dtype(dtype).name
