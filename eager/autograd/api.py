"""``backward`` and ``grad``: the two ways to start the backward engine."""

import numpy as np

import eager.tensor as tensor_module  # a partly initialized module while eager.tensor loads
from eager.autograd import engine
from eager.errors import BackwardError


def _as_sequence(value):
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _root_gradient(output, gradient, create_graph):
    """Return the seed gradient for ``output`` (ones for a one-element output)."""
    Tensor = tensor_module.Tensor
    if gradient is None:
        if output._data.size != 1:
            raise BackwardError(
                f"grad can be created implicitly only for outputs with one element, but the "
                f"output has shape {output.shape}. Reduce it first (output.sum().backward()) or "
                f"pass gradient= with a tensor of shape {output.shape}.")
        data = output._data
        seed = np.array(1, dtype=data.dtype) if data.ndim == 0 else np.ones(data.shape, data.dtype)
        return Tensor._wrap(seed) if create_graph else seed
    if not isinstance(gradient, Tensor):
        gradient = Tensor(gradient, dtype=output.dtype)
    if gradient.shape != output.shape:
        raise BackwardError(
            f"gradient has shape {gradient.shape} but the output has shape {output.shape}; "
            f"pass a gradient of the output's shape.")
    # A copy, because the seed may reach a leaf's .grad, which is updated in place.
    return gradient if create_graph else np.array(gradient._data)


def _roots(outputs, grad_outputs, create_graph):
    nodes, grads = [], []
    for index, output in enumerate(outputs):
        engine.check_root(output)
        grad = _root_gradient(output, grad_outputs[index] if grad_outputs else None, create_graph)
        node = output._grad_fn if output._grad_fn is not None else output.grad_accumulator()
        nodes.append(node)
        grads.append(grad)
    return nodes, grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Add the gradients of ``tensors`` into the ``.grad`` of the leaves they depend on.

    With ``inputs`` only those tensors receive gradients.
    """
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is None and grad_tensors is None and isinstance(tensors, tensor_module.Tensor):
        engine.check_root(tensors)
        node = tensors._grad_fn or tensors.grad_accumulator()
        seed = _root_gradient(tensors, None, create_graph)
        engine.run_backward((node,), (seed,), retain_graph, create_graph)
        return
    outputs = _as_sequence(tensors)
    grad_outputs = _as_sequence(grad_tensors)
    nodes, grads = _roots(outputs, grad_outputs, create_graph)
    if inputs is None:
        engine.run_backward(nodes, grads, retain_graph, create_graph)
        return
    results = grad(outputs, _as_sequence(inputs), grad_outputs, retain_graph, create_graph,
                   allow_unused=True)
    for tensor, value in zip(_as_sequence(inputs), results):
        if value is not None:
            tensor.grad = value if tensor.grad is None else tensor.grad + value


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """Return the gradients of ``outputs`` with respect to ``inputs`` as a tuple of tensors.

    Nothing is accumulated into ``.grad``. With ``create_graph=True`` the
    returned gradients are differentiable. An input the outputs do not depend
    on raises unless ``allow_unused=True``, which returns ``None`` for it.
    """
    Tensor = tensor_module.Tensor
    outputs = _as_sequence(outputs)
    inputs = _as_sequence(inputs)
    if retain_graph is None:
        retain_graph = create_graph
    for index, tensor in enumerate(inputs):
        if not isinstance(tensor, Tensor) or not tensor._requires_grad:
            raise BackwardError(
                f"input {index} of autograd.grad() does not require grad; only tensors with "
                f"requires_grad=True (or results computed from them) can be differentiated.")
    nodes, grads = _roots(outputs, _as_sequence(grad_outputs), create_graph)
    targets = [t._grad_fn if t._grad_fn is not None else t.grad_accumulator() for t in inputs]
    capture = dict.fromkeys(targets)
    engine.run_backward(nodes, grads, retain_graph, create_graph, capture=capture)

    results = []
    for index, (tensor, node) in enumerate(zip(inputs, targets)):
        value = capture[node]
        if value is None and not allow_unused:
            raise BackwardError(
                f"input {index} of autograd.grad() (shape {tensor.shape}) was not used to compute "
                f"the outputs. Pass allow_unused=True to get None for it.")
        if value is not None and not create_graph:
            value = Tensor._wrap(np.array(value, dtype=tensor.dtype))
        results.append(value)
    return tuple(results)
