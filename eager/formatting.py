"""Tensor printing in PyTorch's layout: ``tensor([1., 2.], requires_grad=True)``.

Floats print with 4 decimals, or as ``1.`` when every value is an integer,
or in scientific notation when the magnitudes span more than 1000x, exceed
1e8 or fall below 1e-4. Lines wrap at 80 characters and tensors with more
than 1000 elements show only their first and last 3 entries per dimension.
"""

import math

import numpy as np

PRECISION = 4
LINE_WIDTH = 80
THRESHOLD = 1000
EDGE_ITEMS = 3
_DEFAULT_DTYPES = (np.dtype(np.float32), np.dtype(np.int64), np.dtype(np.bool_))


class _ElementFormatter:
    """Formats single elements at one common width chosen from the whole tensor."""

    def __init__(self, values):
        self.kind = values.dtype.kind
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        if self.kind == "f":
            self._scan_floats(values.astype(np.float64).ravel())
        else:
            for value in values.ravel().tolist():
                self.width = max(self.width, len(str(value)))

    def _scan_floats(self, values):
        finite = values[np.isfinite(values)]
        nonzero = finite[finite != 0]
        magnitudes = np.abs(nonzero)
        if magnitudes.size == 0:
            return
        largest = float(magnitudes.max())
        smallest = float(magnitudes.min())
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        wide_range = largest / smallest > 1000.0 or largest > 1.0e8
        if self.int_mode:
            self.sci_mode = wide_range
        else:
            self.sci_mode = wide_range or smallest < 1.0e-4
        self.width = max(len(self._text(value)) for value in nonzero.tolist())

    def _text(self, value):
        if self.kind != "f":
            return str(value)
        if not math.isfinite(value):
            return str(value)
        if self.sci_mode:
            return f"{value:.{PRECISION}e}"
        if self.int_mode:
            return f"{value:.0f}."
        return f"{value:.{PRECISION}f}"

    def format(self, value):
        text = self._text(value)
        return " " * (self.width - len(text)) + text


def _summarized(values):
    """Return the entries printed when the tensor is summarized (edges of every dimension)."""
    if values.ndim == 0:
        return values
    if values.shape[0] > 2 * EDGE_ITEMS:
        head = values[:EDGE_ITEMS]
        tail = values[-EDGE_ITEMS:]
        values = np.concatenate([head, tail])
    if values.ndim == 1:
        return values
    return np.stack([_summarized(row) for row in values]) if len(values) else values


def _vector_text(values, indent, summarize, formatter):
    element_width = formatter.width + 2
    per_line = max(1, math.floor((LINE_WIDTH - indent) / element_width))
    items = values.tolist()
    if summarize and len(items) > 2 * EDGE_ITEMS:
        texts = [formatter.format(v) for v in items[:EDGE_ITEMS]] + [" ..."]
        texts += [formatter.format(v) for v in items[-EDGE_ITEMS:]]
    else:
        texts = [formatter.format(v) for v in items]
    lines = [", ".join(texts[i:i + per_line]) for i in range(0, len(texts), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _array_text(values, indent, summarize, formatter):
    if values.ndim == 0:
        return formatter.format(values.item())
    if values.ndim == 1:
        return _vector_text(values, indent, summarize, formatter)
    rows = range(values.shape[0])
    if summarize and values.shape[0] > 2 * EDGE_ITEMS:
        head = [_array_text(values[i], indent + 1, summarize, formatter) for i in rows[:EDGE_ITEMS]]
        tail = [_array_text(values[i], indent + 1, summarize, formatter) for i in rows[-EDGE_ITEMS:]]
        parts = head + ["..."] + tail
    else:
        parts = [_array_text(values[i], indent + 1, summarize, formatter) for i in rows]
    separator = "," + "\n" * (values.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def format_array(values, indent):
    """Return the bracketed text of ``values`` as PyTorch lays it out."""
    if values.size == 0:
        return "[]"
    summarize = values.size > THRESHOLD
    formatter = _ElementFormatter(_summarized(values) if summarize else values)
    return _array_text(values, indent, summarize, formatter)


def format_tensor(tensor, prefix="tensor("):
    """Return ``repr(tensor)``: values, then dtype, size, grad_fn or requires_grad."""
    values = tensor._data
    body = format_array(values, len(prefix))
    suffixes = []
    if values.size == 0 and values.shape != (0,):
        suffixes.append(f"size={tuple(values.shape)}")
    if values.dtype not in _DEFAULT_DTYPES:
        suffixes.append(f"dtype=eager.{values.dtype.name}")
    if tensor._grad_fn is not None:
        suffixes.append(f"grad_fn=<{type(tensor._grad_fn).__name__}>")
    elif tensor._requires_grad:
        suffixes.append("requires_grad=True")
    text = prefix + body
    for suffix in suffixes:
        last_line = text.rsplit("\n", 1)[-1]
        if len(last_line) + len(suffix) + 2 > LINE_WIDTH:
            text += ",\n" + " " * len(prefix) + suffix
        else:
            text += ", " + suffix
    return text + ")"
