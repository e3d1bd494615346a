"""Memory planning: liveness analysis, buffers shared between values and kept across calls, in-place kernels.

The plan covers nodes whose kernel can write into a given array: fused
elementwise groups and single ufunc ops (``out=``), and 2-D matrix products
(``np.matmul(out=)``).
Walking the statements in order, such a node

- writes in place into an input that dies at it, when that input is an array
  this call allocated, of the node's dtype and symbolic shape, and no view of
  it is still live (elementwise only, because ``matmul`` cannot overlap its inputs);
- else takes a free buffer slot, or a new one.

A slot is one block of bytes that the executable keeps between calls and
allocates again only when the fed arrays' shapes change (see
``symbolic.evaluate``). Each value in a slot sees it through a view of its own
shape and dtype at the slot's start, so values of different shapes share a
slot when their lifetimes do not overlap. The slot is as large as its largest
view. Outputs never live in a slot, because the caller keeps them, and neither
does any value that a view reaching an output may share memory with. An
update value lives in a slot when it has its variable's shape and dtype: the
executable copies it into the variable's array after the call.
"""

import logging
from typing import NamedTuple

import numpy as np

from ...ops import elementwise as E
from ...ops import linalg, nn_ops, random_ops, reductions, shape_ops
from ..symbolic import is_concrete, symbolic_shapes
from .fusion import FusedElementwise, ufunc_name

logger = logging.getLogger(__name__)

# The size assumed for each run-time dim when slots are matched to values. Only the ranking of sizes matters.
NOMINAL_DIM = 1024

# Ops whose kernel always returns a new array (or a NumPy scalar), never a view of an input.
_FRESH = (
    FusedElementwise,
    E.BinaryOp,
    E.Where,
    E.Neg, E.Exp, E.Log, E.Sqrt, E.Sign, E.Abs, E.Tanh, E.Sigmoid, E.Softplus, E.Relu, E.Clamp, E.Cast,
    E.ZerosLike, E.OnesLike,
    linalg.MatMul,
    reductions.Reduction, reductions.ArgExtremum,
    nn_ops.Softmax, nn_ops.LogSoftmax, nn_ops.NLLLoss, nn_ops.NLLLossBackward,
    shape_ops.Concat, shape_ops.Stack, shape_ops.ScatterLike,
    random_ops.RandomNormal, random_ops.DropoutMask, random_ops.RandomUniform,
)

# Ops that may return (a view of) their first input and only read the others' shapes.
_VIEW_OF_FIRST = (
    shape_ops.Reshape, shape_ops.ReshapeLike, shape_ops.Permute, shape_ops.Squeeze, shape_ops.Unsqueeze,
    shape_ops.Expand, shape_ops.GetItem, reductions.SumLike, reductions.BroadcastLike, reductions.ExpandReduced,
    E.StopGradient,
)


class MemoryPlan(NamedTuple):
    """The output array of each planned node: ``slots[name]`` (an index into ``views``) or ``in_place[name]`` (an input's name).

    ``views[i]`` is ``(slot, symbolic shape, dtype)``: an array of that shape
    and dtype at the start of buffer slot ``slot``. ``slot_count`` is the
    number of slots. ``copied_updates`` are the update values that live in a
    slot, which the executable copies into their variables.
    """

    slots: dict
    in_place: dict
    views: list
    slot_count: int
    copied_updates: frozenset = frozenset()


def storage_owners(ir, order):
    """Return {name: tuple of the names whose arrays the node's value may share memory with}.

    An op in ``_FRESH`` owns its array. Placeholders, variables and constants own
    theirs too, but are never written to. Any other op may share its inputs' memory.
    """
    nodes = ir.node_data
    owners = {}
    for name in order:
        data = nodes[name]
        op = data["op"]
        if data["kind"] != "op" or isinstance(op, _FRESH):
            owners[name] = (name,)
        elif isinstance(op, _VIEW_OF_FIRST):
            owners[name] = owners[data["inputs"][0]]
        else:
            owners[name] = tuple(dict.fromkeys(owner for input_name in data["inputs"] for owner in owners[input_name]))
    return owners


def _last_uses(ir, order, owners):
    """Return {owner: position of the last statement that reads it or a view of it}; outputs live forever."""
    nodes = ir.node_data
    position_of = {name: position for position, name in enumerate(order)}
    last = {}
    for name in order:
        for input_name in nodes[name]["inputs"]:
            for owner in owners[input_name]:
                last[owner] = max(last.get(owner, -1), position_of[name])
    forever = len(order)
    for root in ir.roots():
        for owner in owners[root]:
            last[owner] = forever
    for name in order:
        last.setdefault(name, position_of[name])
    return last


def estimated_bytes(shape, dtype, dim_size=NOMINAL_DIM):
    """Return the bytes of an array of a symbolic shape, each run-time dim counted as ``dim_size``."""
    size = 1
    for dim in shape or ():
        size *= dim if isinstance(dim, int) else dim_size
    return size * np.dtype(dtype).itemsize


def _writable_kind(data):
    """Return "fused", "ufunc" or "matmul" for a node whose kernel can write into a given array, else None."""
    op = data["op"]
    if isinstance(op, FusedElementwise):
        return "fused"
    if ufunc_name(op) is not None and len(data["shape"]) >= 1:
        return "ufunc"
    if isinstance(op, linalg.MatMul) and len(data["shape"]) == 2:
        inputs = data["inputs"]
        return "matmul" if inputs[0] != inputs[1] else None
    return None


class _Planner:
    def __init__(self, ir):
        self.ir = ir
        self.nodes = ir.node_data
        self.order = [name for name in ir.topological_order()]
        self.shapes = symbolic_shapes(ir)
        self.owners = storage_owners(ir, self.order)
        self.last = _last_uses(ir, self.order, self.owners)
        self.copied_updates = _copied_update_values(ir, self.owners, self.shapes)
        self.slot_of = {}  # owner name -> slot index, for values that live in a slot
        self.free = []  # free slot indices
        self.capacity = []  # per slot: the largest estimated bytes of a value in it
        self.views = {}  # (slot, shape, dtype) -> view index
        self.donors = set()  # values whose array a later node took over in place
        self.copied = set()  # update values placed in a slot
        self.plan = MemoryPlan({}, {}, [], 0)

    def run(self):
        for position, name in enumerate(self.order):
            data = self.nodes[name]
            kind = data["kind"] == "op" and _writable_kind(data)
            if kind and is_concrete(self.shapes[name]):
                self._place(name, data, kind, position)
            self._release(data["inputs"], position)
        return self.plan._replace(slot_count=len(self.capacity), copied_updates=frozenset(self.copied))

    def _kept_by_caller(self, name):
        """Return whether the caller keeps ``name``'s array: an output, or shared with one."""
        return self.last[name] == len(self.order) and name not in self.copied_updates

    def _place(self, name, data, kind, position):
        if kind in ("fused", "ufunc"):
            donor = self._dying_input(name, data, position, kind)
            if donor is not None:
                self.plan.in_place[name] = donor
                self.donors.add(donor)  # its slot now belongs to ``name``
                if donor in self.slot_of:
                    self.slot_of[name] = self.slot_of[donor]
                    self._note_copied(name)
                return
        if self._kept_by_caller(name):
            return
        shape, dtype = self.shapes[name], data["dtype"]
        slot = self._take_slot(estimated_bytes(shape, dtype))
        key = (slot, shape, dtype)
        if key not in self.views:
            self.views[key] = len(self.plan.views)
            self.plan.views.append(key)
        self.plan.slots[name] = self.views[key]
        self.slot_of[name] = slot
        self._note_copied(name)

    def _note_copied(self, name):
        if name in self.copied_updates:
            self.copied.add(name)

    def _take_slot(self, size):
        """Return the free slot that best fits ``size`` bytes (the smallest that fits it, else the largest), or a new one."""
        if not self.free:
            self.capacity.append(size)
            return len(self.capacity) - 1
        capacity = self.capacity
        holding = [slot for slot in self.free if capacity[slot] >= size]
        if holding:
            slot = min(holding, key=lambda index: (capacity[index], index))
        else:
            slot = max(self.free, key=lambda index: (capacity[index], -index))
        self.free.remove(slot)
        capacity[slot] = max(capacity[slot], size)
        return slot

    def _dying_input(self, name, data, position, kind):
        for input_name in dict.fromkeys(data["inputs"]):
            input_data = self.nodes[input_name]
            if input_data["kind"] != "op" or self.owners[input_name] != (input_name,):
                continue
            if not isinstance(input_data["op"], _FRESH) or self.last[input_name] != position:
                continue
            if input_data["dtype"] != data["dtype"] or self.shapes[input_name] != self.shapes[name]:
                continue
            if input_name in self.slot_of and self._kept_by_caller(name):
                continue  # an output must not stay in a slot
            if kind == "fused" and self._read_after_first_step(data, input_name):
                continue
            if self._viewed_by_other_input(data, input_name):
                continue
            return input_name
        return None

    def _viewed_by_other_input(self, data, input_name):
        """Return whether another input of the node may share memory with ``input_name`` (a view of it, say).

        Writing into the input would then change what the kernel reads through the other one.
        """
        return any(
            other != input_name and input_name in self.owners[other] for other in data["inputs"]
        )

    @staticmethod
    def _read_after_first_step(data, input_name):
        """Return whether a fused group reads the input in a step after the first one that writes the output."""
        steps = data["op"].steps
        position = data["inputs"].index(input_name)
        readers = [index for index, step in enumerate(steps) if ("input", position) in step.arguments]
        return len(readers) != 1 or readers[0] != _first_spine_step(steps)

    def _release(self, inputs, position):
        for input_name in dict.fromkeys(inputs):
            for owner in self.owners[input_name]:
                if self.last.get(owner) == position and owner in self.slot_of and owner not in self.donors:
                    self.free.append(self.slot_of.pop(owner))


def _copied_update_values(ir, owners, shapes):
    """Return the update values that may live in a slot: the executable copies them into their variables.

    Such a value has its variable's shape (known when the graph is built) and
    dtype, and no output may share memory with it.
    """
    nodes = ir.node_data
    output_owners = {owner for name in ir.outputs for owner in owners[name]}
    values = set()
    for variable, value in ir.updates:
        target, data = ir.source_graph.nx.nodes[variable], nodes[value]
        if value in output_owners or owners[value] != (value,) or data["dtype"] != target["dtype"]:
            continue
        shape = shapes.get(value)
        if shape is not None and tuple(shape) == tuple(target["shape"]) and None not in target["shape"]:
            values.add(value)
    return values


def _first_spine_step(steps):
    """Return the index of the innermost spine step, the first one to write the group's output array."""
    index = len(steps) - 1
    while True:
        step = steps[index]
        inner = [
            position for kind, position in step.arguments
            if kind == "step" and steps[position].cast is None and steps[position].dtype == step.dtype
        ]
        if not inner or step.cast is not None:
            return index
        index = inner[0]


def fresh_array_output(ir, name):
    """Return whether output ``name`` is certainly an ndarray that this call allocated, so it needs no copy.

    True for ops in ``_FRESH`` of rank 1 or more (0-d results may be NumPy
    scalars) that the memory plan leaves out of the buffer slots.
    """
    data = ir.node_data[name]
    if data["kind"] != "op" or not isinstance(data["op"], _FRESH) or len(data["shape"]) == 0:
        return False
    if isinstance(data["op"], (E.Cast, E.StopGradient)):
        return False  # astype to the same dtype may return its input
    plan = ir.memory_plan
    return plan is None or name not in plan.slots


def plan_memory(ir):
    """Assign output buffers and in-place writes (see the module docstring); returns whether any were planned."""
    plan = _Planner(ir).run()
    ir.memory_plan = plan
    ir.rewrite_counts["buffer_slots"] += plan.slot_count
    ir.rewrite_counts["values_in_slots"] += len(plan.slots)
    ir.rewrite_counts["in_place_kernels"] += len(plan.in_place)
    logger.debug("plan_memory: %d slots for %d values, %d in place", plan.slot_count, len(plan.slots),
                 len(plan.in_place))
    return False  # the plan is an annotation; the graph itself is unchanged


def slot_sizes(plan, view_bytes):
    """Return the bytes of each slot: the largest of its views, given each view's bytes."""
    sizes = [0] * plan.slot_count
    for (slot, _, _), size in zip(plan.views, view_bytes):
        sizes[slot] = max(sizes[slot], size)
    return sizes


def planned_peak_bytes(ir, batch_size):
    """Return ``(slot bytes, peak bytes of arrays allocated during a call)`` with every unknown dim = ``batch_size``.

    An estimate: unknown dims all take ``batch_size``, views count as free, and
    kernels' internal temporaries are not counted.
    """
    shapes = symbolic_shapes(ir)
    order = ir.topological_order()
    plan = ir.memory_plan or MemoryPlan({}, {}, [], 0)
    owners = storage_owners(ir, order)
    last = _last_uses(ir, order, owners)
    nodes = ir.node_data
    slot_bytes = sum(slot_sizes(plan, [estimated_bytes(shape, dtype, batch_size) for _, shape, dtype in plan.views]))
    live = {}
    peak = 0
    for position, name in enumerate(order):
        data = nodes[name]
        fresh = data["kind"] == "op" and owners[name] == (name,) and name not in plan.slots and name not in plan.in_place
        if fresh:
            live[name] = estimated_bytes(shapes[name], data["dtype"], batch_size)
            peak = max(peak, sum(live.values()))
        for owner in [owner for owner in live if last.get(owner, position) <= position]:
            del live[owner]
    return slot_bytes, peak
