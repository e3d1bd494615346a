"""``Tensor``: a NumPy array with the autograd state PyTorch users expect.

The op methods and operators (``x + y``, ``x.sum()``, ``x.add_(y)``) are
attached by ``eager.ops.methods``. This module contains the state, the
conversions and the autograd entry points.
"""

import weakref

import numpy as np

from eager import dtypes, formatting
from eager.autograd import api
from eager.autograd.function import AccumulateGrad
from eager.errors import (
    BackwardError, DTypeError, InvalidArgumentError, InvalidTypeError, NotATensorError)


class Tensor:
    """An n-dimensional array that can record the operations applied to it.

    Instances are made by ``eager.tensor(...)`` and by ops. Class attributes
    hold the defaults, so creating an op's output only sets ``_data``.
    """

    _data = None
    _requires_grad = False
    _grad_fn = None
    _version_counter = None
    _accumulator = None
    _hooks = None
    _retains_grad = False
    grad = None

    __array_ufunc__ = None  # makes ``ndarray * tensor`` call Tensor.__rmul__

    def __init__(self, data, requires_grad=False, dtype=None):
        self._data = to_array(data, dtype)
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _wrap(cls, array):
        """Return a tensor that uses ``array`` as its storage, without copying or checks."""
        tensor = object.__new__(cls)
        tensor._data = array
        return tensor

    # ----- attributes --------------------------------------------------------------

    @property
    def shape(self):
        return self._data.shape

    @property
    def dtype(self):
        return self._data.dtype

    @property
    def ndim(self):
        return self._data.ndim

    @property
    def device(self):
        return "cpu"

    def size(self, dim=None):
        """Return the shape, or the size of dimension ``dim``."""
        return self._data.shape if dim is None else self._data.shape[dim]

    def dim(self):
        return self._data.ndim

    def numel(self):
        return self._data.size

    def __len__(self):
        if self._data.ndim == 0:
            raise InvalidTypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    @property
    def grad_fn(self):
        return self._grad_fn

    @property
    def is_leaf(self):
        """Whether the tensor was created by the user rather than by a recorded op."""
        return self._grad_fn is None

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` on a leaf in place and return the tensor."""
        if not self.is_leaf:
            if not requires_grad:
                raise BackwardError(
                    "requires_grad can only be switched off on leaf tensors; this tensor has "
                    f"grad_fn={self._grad_fn.name()}. Use .detach() to get a tensor without history.")
            return self
        if requires_grad and not dtypes.is_floating(self._data.dtype):
            raise DTypeError(
                f"only floating-point tensors can require gradients, but this tensor has dtype "
                f"{self._data.dtype.name}. Create it from floats (eager.tensor([1., 2.])) or pass "
                f"dtype=eager.float32 or eager.float64.")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def data(self):
        """A tensor sharing this tensor's storage, without history (changes are not tracked)."""
        return Tensor._wrap(self._data)

    @data.setter
    def data(self, value):
        self._data = value._data if isinstance(value, Tensor) else to_array(value, None)

    @property
    def _version(self):
        """Number of in-place changes made to this tensor's storage."""
        return 0 if self._version_counter is None else self._version_counter[0]

    def version_counter(self):
        """Return the shared ``[version]`` list, creating it on first use."""
        counter = self._version_counter
        if counter is None:
            counter = self._version_counter = [0]
        return counter

    def bump_version(self):
        self.version_counter()[0] += 1

    # ----- conversion --------------------------------------------------------------

    def numpy(self):
        """Return the NumPy array that stores this tensor (shared, not copied)."""
        if self._requires_grad:
            raise BackwardError(
                "numpy() was called on a tensor that requires grad; the array would leave the "
                "graph silently. Call tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def item(self):
        """Return the single value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise InvalidArgumentError(
                f"item() needs a tensor with one element, but this one has shape "
                f"{self._data.shape} ({self._data.size} elements). Index it or reduce it first.")
        return self._data.item()

    def tolist(self):
        return self._data.tolist()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise InvalidTypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.item())

    def __bool__(self):
        if self._data.size != 1:
            raise InvalidArgumentError(
                f"the truth value of a tensor with {self._data.size} elements is ambiguous; "
                f"use .any() or .all()")
        return bool(self._data.item())

    def __hash__(self):
        return id(self)

    def __repr__(self):
        return formatting.format_tensor(self)

    def __format__(self, format_spec):
        # As in PyTorch, a one-element tensor formats as its number: f"{loss:.4f}".
        if format_spec and self._data.ndim == 0:
            return format(self._data.item(), format_spec)
        return format(repr(self), format_spec)

    def __iter__(self):
        if self._data.ndim == 0:
            raise InvalidTypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __reduce__(self):
        return (_rebuild, (self._data, self._requires_grad))

    # ----- history -----------------------------------------------------------------

    def detach(self):
        """Return a tensor sharing the storage and version counter, without history."""
        tensor = Tensor._wrap(self._data)
        tensor._version_counter = self.version_counter()
        return tensor

    def detach_(self):
        """Remove this tensor's history in place, making it a leaf."""
        self._grad_fn = None
        self._requires_grad = False
        return self

    def retain_grad(self):
        """Keep ``.grad`` of this non-leaf tensor after backward (leaves keep it anyway)."""
        if self._grad_fn is None:
            if not self._requires_grad:
                raise BackwardError("retain_grad() was called on a tensor that does not require grad")
            return
        if self._retains_grad:
            return
        self._retains_grad = True
        self._grad_fn.register_prehook(_RetainGradHook(self))

    @property
    def retains_grad(self):
        return self._retains_grad

    def register_hook(self, hook):
        """Call ``hook(grad)`` whenever a gradient for this tensor is computed.

        The hook may return a tensor that replaces the gradient.
        """
        if not self._requires_grad:
            raise BackwardError(
                "register_hook() needs a tensor that requires grad; call .requires_grad_() first")
        if self._grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            self._hooks.append(hook)
        else:
            self._grad_fn.register_prehook(hook)
        return hook

    def grad_accumulator(self):
        """Return this leaf's ``AccumulateGrad`` node (created on first use)."""
        accumulator = self._accumulator
        if accumulator is None:
            accumulator = self._accumulator = AccumulateGrad(self)
        return accumulator

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute the gradient of this tensor with respect to graph leaves.

        The gradients are added into the leaves' ``.grad``. ``gradient`` is
        required unless the tensor has exactly one element.
        ``retain_graph`` defaults to ``create_graph``.
        """
        api.backward(self, gradient, retain_graph, create_graph, inputs)


class _RetainGradHook:
    """Pre-hook that stores a non-leaf tensor's gradient into its ``.grad``.

    The engine calls ``store`` only after the whole backward pass succeeded.
    """

    stores_grad = True

    def __init__(self, tensor):
        self.tensor_ref = weakref.ref(tensor)

    def store(self, grad, ops):
        tensor = self.tensor_ref()
        if tensor is None:
            return
        value = grad if ops.CREATES_GRAPH else Tensor._wrap(np.array(grad))
        tensor.grad = value if tensor.grad is None else tensor.grad + value


def _rebuild(array, requires_grad):
    return Tensor(array, requires_grad=requires_grad)


def to_array(data, dtype):
    """Convert ``data`` to a new NumPy array with PyTorch's dtype inference."""
    if isinstance(data, Tensor):
        data = data._data
    if _is_module(data):
        raise NotATensorError(module_message(data))
    target = np.dtype(dtype) if dtype is not None else dtypes.infer_dtype(data)
    try:
        array = np.array(data, dtype=target)
    except (TypeError, ValueError) as error:
        raise NotATensorError(
            f"cannot make a tensor from {type(data).__name__} {data!r:.60}: {error}. "
            f"Pass numbers, nested lists of numbers or a NumPy array.") from error
    if array.dtype.kind == "O":
        raise NotATensorError(f"cannot make a tensor from {type(data).__name__} values")
    return array


def _is_module(value):
    return getattr(type(value), "_is_eager_module", False)


def module_message(module):
    name = type(module).__name__
    function = getattr(type(module), "functional_name", None)
    alternative = f", or use eager.nn.functional.{function}(x)" if function else ""
    return (
        f"received the module {name}() where a tensor was expected. A module must be called "
        f"on a tensor: write y = {name}()(x), or create layer = {name}() once in __init__ and "
        f"write y = layer(x) in forward{alternative}.")


def from_numpy(array):
    """Return a tensor that shares ``array``'s storage (changes show in both)."""
    if not isinstance(array, np.ndarray):
        raise NotATensorError(f"from_numpy expects a numpy.ndarray, got {type(array).__name__}")
    return Tensor._wrap(array)


def as_tensor(data, dtype=None):
    """Return ``data`` as a tensor, sharing storage when it already is one or an array of ``dtype``."""
    if isinstance(data, Tensor) and (dtype is None or data.dtype == np.dtype(dtype)):
        return data
    if isinstance(data, np.ndarray) and (dtype is None or data.dtype == np.dtype(dtype)):
        return Tensor._wrap(data)
    return Tensor(data, dtype=dtype)


def tensor(data, requires_grad=False, dtype=None):
    """Create a leaf tensor holding a copy of ``data``.

    Python floats give float32, Python ints int64 and bools bool; NumPy
    arrays keep their dtype unless ``dtype`` is given. Only floating tensors
    may have ``requires_grad=True``.
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)
