"""One spec per differentiable op: how to call it, its operand shapes, bounds and domain.

``apply(ops, *operands, **params)`` calls the op through a namespace
(``NUMPY``, ``eager``, ``staticgraph`` or a PyTorch adapter), so one spec
drives the NumPy reference, both modes and the oracle. ``kind`` sets the
operand shapes:

- ``unary``: one operand;
- ``binary``: two operands with broadcast-compatible shapes;
- ``same_shape``: two operands of one shape;
- ``matmul``: two operands that ``matmul`` accepts;
- ``concat`` / ``stack``: one to three operands passed as a sequence.

``bounds`` gives the interval that the per-op tests draw each operand's
elements from. ``valid(operands, params)`` runs on the concrete NumPy values.
It keeps operands at least ``KINK_MARGIN`` away from kinks and ties and at
least ``DOMAIN_MARGIN`` inside domains, so central finite differences with a
step of 1e-6 never cross a kink. The program strategy applies the same
predicate to intermediate values.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from tests.strategies.numpy_ops import NUMPY
from tests.strategies.shapes import (
    MAX_DIMS,
    broadcast_shapes,
    concat_shapes,
    float_arrays,
    matmul_shapes,
    shapes,
)

KINK_MARGIN = 1e-3
DOMAIN_MARGIN = 1e-2
EXP_LIMIT = 6.0


def _no_params(shapes):
    return st.just({})


def _always_valid(operands, params):
    return True


@dataclass(frozen=True)
class OpSpec:
    name: str
    apply: Callable
    kind: str = "unary"
    bounds: tuple = ((-3.0, 3.0),)
    valid: Callable = _always_valid
    params: Callable = _no_params
    min_ndim: int = 0
    max_ndim: int = MAX_DIMS

    def bounds_of(self, position):
        """Return ``(low, high)`` for operand ``position``; the last entry repeats."""
        return self.bounds[min(position, len(self.bounds) - 1)]

    def accepts(self, shape):
        return self.min_ndim <= len(shape) <= self.max_ndim

    def __repr__(self):
        return f"OpSpec({self.name!r})"


# Domain predicates on NumPy operands.


def _positive(operands, params):
    return bool(np.all(operands[0] >= DOMAIN_MARGIN))


def _nonzero_second(operands, params):
    return bool(np.all(np.abs(operands[1]) >= DOMAIN_MARGIN))


def _nonzero(operands, params):
    return bool(np.all(np.abs(operands[0]) >= DOMAIN_MARGIN))


def _away_from_zero(operands, params):
    return bool(np.all(np.abs(operands[0]) >= KINK_MARGIN))


def _small_enough_for_exp(operands, params):
    return bool(np.all(operands[0] <= EXP_LIMIT))


def _no_elementwise_tie(operands, params):
    return bool(np.all(np.abs(operands[0] - operands[1]) >= KINK_MARGIN))


def _positive_base(operands, params):
    return bool(np.all(operands[0] >= 0.1) and np.all(np.abs(operands[1]) <= 3.0))


def _inside_unit_interval(operands, params):
    return bool(np.all((operands[0] >= 0.02) & (operands[0] <= 0.98)))


def _away_from_clamp_bounds(operands, params):
    x = operands[0]
    for bound in (params.get("min"), params.get("max")):
        if bound is not None and np.any(np.abs(x - bound) < KINK_MARGIN):
            return False
    return True


def _scalar_power_domain(operands, params):
    x, exponent = operands[0], params["exponent"]
    if float(exponent) != int(exponent):
        return bool(np.all(x >= DOMAIN_MARGIN))
    if exponent < 0:
        return bool(np.all(np.abs(x) >= 0.1))
    return True


def _no_reduction_tie(operands, params):
    """The two largest (and two smallest) elements along the reduced dims differ."""
    x = np.asarray(operands[0])
    dim = params.get("dim")
    if dim is None:
        x = x.reshape(-1)
        dim = 0
    if x.ndim == 0 or x.shape[dim] < 2:
        return True
    ordered = np.sort(x, axis=dim)
    top_gap = np.take(ordered, -1, axis=dim) - np.take(ordered, -2, axis=dim)
    bottom_gap = np.take(ordered, 1, axis=dim) - np.take(ordered, 0, axis=dim)
    return bool(np.all(top_gap >= KINK_MARGIN) and np.all(bottom_gap >= KINK_MARGIN))


# Parameter strategies; each takes the operand shapes.


def _dim(ndim):
    return st.integers(-ndim, ndim - 1)


def _reduction_params(shapes):
    ndim = len(shapes[0])
    if ndim == 0:
        return st.just({})
    with_dim = st.fixed_dictionaries({"dim": _dim(ndim), "keepdim": st.booleans()})
    return st.one_of(st.just({}), with_dim)


def _sum_params(shapes):
    """Like ``_reduction_params``, and also a tuple of distinct dims, which sum and mean accept."""
    ndim = len(shapes[0])
    if ndim < 2:
        return _reduction_params(shapes)
    dims = st.lists(_dim(ndim), min_size=1, max_size=ndim, unique_by=lambda dim: dim % ndim).map(tuple)
    with_dims = st.fixed_dictionaries({"dim": dims, "keepdim": st.booleans()})
    return st.one_of(_reduction_params(shapes), with_dims)


def _softmax_params(shapes):
    return st.fixed_dictionaries({"dim": _dim(len(shapes[0]))})


def _logsumexp_params(shapes):
    return st.fixed_dictionaries({"dim": _dim(len(shapes[0])), "keepdim": st.booleans()})


def _loss_params(shapes):
    return st.fixed_dictionaries({"reduction": st.sampled_from(["mean", "sum", "none"])})


@st.composite
def _reshape_params(draw, shapes):
    shape = shapes[0]
    size = int(np.prod(shape, dtype=np.int64))
    choices = [(size,), (1, size), (size, 1), tuple(reversed(shape)), (-1,), ()]
    if size != 1:
        choices.remove(())
    if len(shape) >= 2:
        choices.append((shape[0], -1))
    return {"shape": draw(st.sampled_from(choices))}


def _transpose_params(shapes):
    dim = _dim(len(shapes[0]))
    return st.fixed_dictionaries({"dim0": dim, "dim1": dim})


def _permute_params(shapes):
    return st.permutations(range(len(shapes[0]))).map(lambda dims: {"dims": tuple(dims)})


def _squeeze_params(shapes):
    ndim = len(shapes[0])
    with_dim = _dim(ndim).map(lambda dim: {"dim": dim})
    return st.one_of(st.just({}), with_dim) if ndim else st.just({})


def _unsqueeze_params(shapes):
    ndim = len(shapes[0])
    return st.integers(-ndim - 1, ndim).map(lambda dim: {"dim": dim})


@st.composite
def _expand_params(draw, shapes):
    # A 0-d operand gets at least one new dim: expand() with no sizes is invalid in PyTorch.
    new_dims = draw(st.integers(0 if shapes[0] else 1, 1))
    sizes = [draw(st.integers(1, 3)) for _ in range(new_dims)]
    for size in shapes[0]:
        options = [-1, 1, 2, 3] if size == 1 else [-1, size]
        sizes.append(draw(st.sampled_from(options)))
    return {"sizes": tuple(sizes)}


@st.composite
def _index_params(draw, shapes):
    """Draw a basic index (integers and non-empty forward slices) over the leading dims."""
    index = []
    for size in shapes[0][: draw(st.integers(1, len(shapes[0])))]:
        if draw(st.booleans()):
            index.append(draw(st.integers(-size, size - 1)))
            continue
        start = draw(st.integers(0, size - 1))
        stop = draw(st.one_of(st.none(), st.integers(start + 1, size)))
        step = draw(st.sampled_from([None, 1, 2]))
        index.append(slice(start, stop, step))
    return {"index": tuple(index)}


@st.composite
def _clamp_params(draw, shapes):
    low, high = sorted(draw(st.floats(-2, 2)) for _ in range(2))
    present = draw(st.sampled_from(["both", "min", "max"]))
    return {"min": None if present == "max" else low, "max": None if present == "min" else high}


def _exponent_params(shapes):
    exponents = st.sampled_from([2, 3, -1, 0.5, 1.5, 2.0, -0.5])
    return exponents.map(lambda exponent: {"exponent": exponent})


def _scalar_params(shapes):
    magnitude = st.floats(0.1, 2)
    scalar = st.one_of(magnitude, magnitude.map(lambda value: -value))
    return scalar.map(lambda value: {"scalar": value})


def _where_params(shapes):
    condition_shape = np.broadcast_shapes(*shapes)
    size = int(np.prod(condition_shape, dtype=np.int64))
    flags = st.lists(st.booleans(), min_size=size, max_size=size)
    return flags.map(lambda values: {"condition": np.array(values, dtype=bool).reshape(condition_shape)})


def _bce_params(shapes):
    target = float_arrays(shapes[0], 0.0, 1.0)
    reduction = st.sampled_from(["mean", "sum", "none"])
    return st.fixed_dictionaries({"target": target, "reduction": reduction})


@st.composite
def _cross_entropy_params(draw, shapes):
    rows, classes = shapes[0]
    labels = draw(st.lists(st.integers(0, classes - 1), min_size=rows, max_size=rows))
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    return {"target": np.array(labels, dtype=np.int64), "reduction": reduction}


def _concat_params(shapes):
    ndim = len(shapes[0])
    differing = [d for d in range(ndim) if len({shape[d] for shape in shapes}) > 1]
    return st.sampled_from(differing or list(range(-ndim, ndim))).map(lambda dim: {"dim": dim})


def _stack_params(shapes):
    ndim = len(shapes[0])
    return st.integers(-ndim - 1, ndim).map(lambda dim: {"dim": dim})


# Call helpers shared by several specs.


def _reduce(name):
    def apply(ops, x, dim=None, keepdim=False):
        if dim is None:
            return getattr(ops, name)(x)
        return getattr(ops, name)(x, dim=dim, keepdim=keepdim)

    return apply


def _select(name):
    def apply(ops, x, dim=None, keepdim=False):
        if dim is None:
            return getattr(ops, name)(x)
        return getattr(ops, name)(x, dim=dim, keepdim=keepdim)[0]

    return apply


def _squeeze(ops, x, dim=None):
    return ops.squeeze(x) if dim is None else ops.squeeze(x, dim)


def _clamp(ops, x, min=None, max=None):
    return ops.clamp(x, min=min, max=max)


POSITIVE = ((0.1, 4.0),)
UNIT = ((0.05, 0.95),)
LOSS = ((-3.0, 3.0),)

SPECS = [
    # Elementwise, one operand.
    OpSpec("neg", lambda ops, x: ops.neg(x)),
    OpSpec("neg_operator", lambda ops, x: -x),
    OpSpec("exp", lambda ops, x: ops.exp(x), valid=_small_enough_for_exp),
    OpSpec("log", lambda ops, x: ops.log(x), bounds=POSITIVE, valid=_positive),
    OpSpec("sqrt", lambda ops, x: ops.sqrt(x), bounds=POSITIVE, valid=_positive),
    OpSpec("abs", lambda ops, x: ops.abs(x), valid=_away_from_zero),
    OpSpec("tanh", lambda ops, x: ops.tanh(x)),
    OpSpec("sigmoid", lambda ops, x: ops.sigmoid(x)),
    OpSpec("relu", lambda ops, x: ops.relu(x), valid=_away_from_zero),
    OpSpec("clamp", _clamp, valid=_away_from_clamp_bounds, params=_clamp_params),
    OpSpec(
        "pow_scalar",
        lambda ops, x, exponent: ops.pow(x, exponent),
        bounds=POSITIVE,
        valid=_scalar_power_domain,
        params=_exponent_params,
    ),
    OpSpec(
        "pow_operator_scalar",
        lambda ops, x, exponent: x**exponent,
        valid=_scalar_power_domain,
        params=_exponent_params,
    ),
    # Python scalars on either side of an operator.
    OpSpec("add_scalar", lambda ops, x, scalar: x + scalar, params=_scalar_params),
    OpSpec("radd_scalar", lambda ops, x, scalar: scalar + x, params=_scalar_params),
    OpSpec("sub_scalar", lambda ops, x, scalar: x - scalar, params=_scalar_params),
    OpSpec("rsub_scalar", lambda ops, x, scalar: scalar - x, params=_scalar_params),
    OpSpec("mul_scalar", lambda ops, x, scalar: x * scalar, params=_scalar_params),
    OpSpec("rmul_scalar", lambda ops, x, scalar: scalar * x, params=_scalar_params),
    OpSpec("div_scalar", lambda ops, x, scalar: x / scalar, params=_scalar_params),
    OpSpec(
        "rdiv_scalar", lambda ops, x, scalar: scalar / x, bounds=POSITIVE, valid=_nonzero, params=_scalar_params
    ),
    OpSpec("mul_function_scalar", lambda ops, x, scalar: ops.mul(x, scalar), params=_scalar_params),
    # Elementwise, two broadcast operands.
    OpSpec("add", lambda ops, a, b: ops.add(a, b), kind="binary"),
    OpSpec("sub", lambda ops, a, b: ops.sub(a, b), kind="binary"),
    OpSpec("mul", lambda ops, a, b: ops.mul(a, b), kind="binary"),
    OpSpec("div", lambda ops, a, b: ops.div(a, b), kind="binary", bounds=((-3, 3), (0.2, 3)), valid=_nonzero_second),
    OpSpec("add_operator", lambda ops, a, b: a + b, kind="binary"),
    OpSpec("sub_operator", lambda ops, a, b: a - b, kind="binary"),
    OpSpec("mul_operator", lambda ops, a, b: a * b, kind="binary"),
    OpSpec(
        "div_operator", lambda ops, a, b: a / b, kind="binary", bounds=((-3, 3), (-3, -0.2)), valid=_nonzero_second
    ),
    OpSpec("pow", lambda ops, a, b: ops.pow(a, b), kind="binary", bounds=((0.2, 3), (-2, 2)), valid=_positive_base),
    OpSpec("pow_operator", lambda ops, a, b: a**b, kind="binary", bounds=((0.2, 3), (-2, 2)), valid=_positive_base),
    OpSpec("maximum", lambda ops, a, b: ops.maximum(a, b), kind="binary", valid=_no_elementwise_tie),
    OpSpec("minimum", lambda ops, a, b: ops.minimum(a, b), kind="binary", valid=_no_elementwise_tie),
    OpSpec(
        "where",
        lambda ops, a, b, condition: ops.where(ops.constant(condition), a, b),
        kind="binary",
        params=_where_params,
    ),
    # Linear algebra.
    OpSpec("matmul", lambda ops, a, b: ops.matmul(a, b), kind="matmul"),
    OpSpec("matmul_operator", lambda ops, a, b: a @ b, kind="matmul"),
    # Reductions.
    OpSpec("sum", _reduce("sum"), params=_sum_params),
    OpSpec("mean", _reduce("mean"), params=_sum_params),
    OpSpec("max", _select("max"), valid=_no_reduction_tie, params=_reduction_params),
    OpSpec("min", _select("min"), valid=_no_reduction_tie, params=_reduction_params),
    OpSpec("logsumexp", lambda ops, x, **kw: ops.logsumexp(x, **kw), params=_logsumexp_params, min_ndim=1),
    OpSpec("softmax", lambda ops, x, dim: ops.softmax(x, dim=dim), params=_softmax_params, min_ndim=1),
    OpSpec("log_softmax", lambda ops, x, dim: ops.log_softmax(x, dim=dim), params=_softmax_params, min_ndim=1),
    # Shape and layout.
    OpSpec("reshape", lambda ops, x, shape: ops.reshape(x, shape), params=_reshape_params),
    OpSpec("transpose", lambda ops, x, dim0, dim1: ops.transpose(x, dim0, dim1), params=_transpose_params, min_ndim=1),
    OpSpec("permute", lambda ops, x, dims: ops.permute(x, dims), params=_permute_params, min_ndim=1),
    OpSpec("squeeze", _squeeze, params=_squeeze_params),
    OpSpec("unsqueeze", lambda ops, x, dim: ops.unsqueeze(x, dim), params=_unsqueeze_params),
    OpSpec("expand", lambda ops, x, sizes: ops.expand(x, *sizes), params=_expand_params),
    OpSpec("index", lambda ops, x, index: x[index], params=_index_params, min_ndim=1),
    OpSpec("cat", lambda ops, *seq, dim: ops.cat(list(seq), dim=dim), kind="concat", params=_concat_params, min_ndim=1),
    OpSpec("stack", lambda ops, *seq, dim: ops.stack(list(seq), dim=dim), kind="stack", params=_stack_params),
    # Losses.
    OpSpec("mse_loss", lambda ops, a, b, reduction: ops.mse_loss(a, b, reduction=reduction), kind="same_shape",
           params=_loss_params),
    OpSpec(
        "binary_cross_entropy",
        lambda ops, x, target, reduction: ops.binary_cross_entropy(x, ops.constant(target), reduction=reduction),
        bounds=UNIT,
        valid=_inside_unit_interval,
        params=_bce_params,
    ),
    OpSpec(
        "binary_cross_entropy_with_logits",
        lambda ops, a, b, reduction: ops.binary_cross_entropy_with_logits(a, b, reduction=reduction),
        kind="same_shape",
        bounds=((-3, 3), (0, 1)),
        params=_loss_params,
    ),
    OpSpec(
        "cross_entropy",
        lambda ops, x, target, reduction: ops.cross_entropy(x, ops.constant(target), reduction=reduction),
        params=_cross_entropy_params,
        min_ndim=2,
        max_ndim=2,
    ),
]

SPECS_BY_NAME = {spec.name: spec for spec in SPECS}
assert len(SPECS_BY_NAME) == len(SPECS), "op spec names must be unique"


def evaluate(spec, operands, params):
    """Return ``spec`` applied to NumPy operands as a float64 array."""
    return np.asarray(spec.apply(NUMPY, *operands, **params), dtype=np.float64)


@st.composite
def operand_shapes(draw, spec):
    """Draw operand shapes for a per-op test of ``spec``."""
    if spec.kind == "unary":
        return (draw(shapes(min_dims=spec.min_ndim, max_dims=spec.max_ndim)),)
    if spec.kind == "binary":
        return draw(broadcast_shapes(2))
    if spec.kind == "same_shape":
        shape = draw(shapes())
        return (shape, shape)
    if spec.kind == "matmul":
        return draw(matmul_shapes())
    if spec.kind == "concat":
        return draw(concat_shapes(min_dims=spec.min_ndim))[0]
    if spec.kind == "stack":
        shape = draw(shapes())
        return (shape,) * draw(st.integers(1, 3))
    raise ValueError(f"unknown op kind {spec.kind!r} in spec {spec.name!r}")


@st.composite
def op_calls(draw, spec):
    """Draw ``(operands, params)`` for one call of ``spec`` that passes its domain check."""
    shapes_ = draw(operand_shapes(spec))
    operands = [draw(float_arrays(shape, *spec.bounds_of(i))) for i, shape in enumerate(shapes_)]
    params = draw(spec.params(shapes_))
    assume(spec.valid(operands, params))
    return operands, params
