"""``Executable``: a compiled graph that is called with arrays and updates variables atomically."""

import itertools
import linecache
import logging
import time

import numpy as np

from .compiler import codegen, pipeline, symbolic
from .compiler.passes.memory import fresh_array_output, planned_peak_bytes, slot_sizes
from .errors import DTypeError, ExecutionError, FeedError, NumericsError, ShapeError, StaticGraphError, UpdateError
from .node import format_shape
from .source import describe_location

logger = logging.getLogger(__name__)

_serial = itertools.count()


class Executable:
    """The result of ``staticgraph.compile``: call it with the input arrays.

    ``source`` is the generated Python function; ``report()`` lists the passes
    with node counts, rewrites and times; ``ir`` is the optimized compiler IR.

    NOTE: with a memory plan, intermediate values live in buffers the
    executable keeps between calls, so one executable must not be called from
    two threads at once.
    """

    def __init__(self, graph, ir, single_output, records, check_numerics=False):
        self.graph = graph
        self.ir = ir
        self._single = single_output
        self._records = records
        self._input_names = list(ir.inputs)
        self._input_specs = [(ir.nx.nodes[name]["shape"], ir.nx.nodes[name]["dtype"]) for name in ir.inputs]
        self._variable_names = ir.variables
        self._output_kinds = [ir.nx.nodes[name]["kind"] for name in ir.outputs]
        assigned = {value for _, value in ir.updates}  # these become read-only variable values
        self._output_fresh = [fresh_array_output(ir, name) and name not in assigned for name in ir.outputs]
        self._output_assigned = [name in assigned for name in ir.outputs]
        self._all_outputs_fresh = all(self._output_fresh)
        self._variable_data = [graph.nx.nodes[name] for name in self._variable_names]
        self._update_targets = [(name, graph.nx.nodes[name]) for name, _ in ir.updates]
        self._fits = [_fast_check(shape, dtype) for shape, dtype in self._input_specs]
        self._plan = ir.memory_plan
        self._buffers = []  # one view per planned slot view, into byte arrays kept between calls
        self._buffer_key = None  # the fed shapes they were allocated for
        copied = set() if self._plan is None else self._plan.copied_updates
        self._copied = [value in copied for _, value in ir.updates]
        self._own_values = {}  # update index -> (writable array, read-only view stored as the variable's value)
        start = time.perf_counter()
        self._function, self._code = self._build(check_numerics)
        self._codegen_seconds = time.perf_counter() - start

    def _build(self, check_numerics):
        namespace_hint = None
        if check_numerics:
            namespace_hint = "check_numerics"
        code = codegen.generate(self.ir, check_numerics=namespace_hint)
        if check_numerics:
            code.namespace["check_numerics"] = self._check_numerics
        self.filename = f"<staticgraph-executable-{next(_serial)}>"
        linecache.cache[self.filename] = (len(code.source), None, code.source.splitlines(True), self.filename)
        exec(compile(code.source, self.filename, "exec"), code.namespace)  # noqa: S102 - our own generated code
        return code.namespace["compiled"], code

    def __repr__(self):
        return (
            f"<staticgraph.Executable inputs={self._input_names} outputs={list(self.ir.outputs)} "
            f"updates={len(self.ir.updates)}>"
        )

    @property
    def source(self):
        """The generated Python source."""
        return self._code.source

    def report(self, batch_size=None):
        """Return a table of the passes: nodes before and after, what each rewrote, time.

        With ``batch_size``, a last line estimates the memory plan at that size:
        the buffers kept between calls and the peak of the arrays one call
        allocates, with every ``None`` dim set to ``batch_size``.
        """
        text = pipeline.format_report(self._records, self._codegen_seconds)
        if batch_size is None:
            return text
        kept, peak = planned_peak_bytes(self.ir, batch_size)
        return (
            f"{text}\nplanned memory at batch size {batch_size}: {_format_bytes(kept)} in buffers kept between "
            f"calls, peak {_format_bytes(peak)} allocated during a call (estimate)"
        )

    @property
    def pass_records(self):
        return list(self._records)

    # --- running ----------------------------------------------------------------

    def __call__(self, *args, **kwargs):
        if kwargs or len(args) != len(self._input_names):
            feeds = self._bind_feeds(args, kwargs)
            args = [feeds[name] for name in self._input_names]
        arrays = [
            value if fits(value) else self._convert_feed(name, value, spec)
            for value, fits, name, spec in zip(args, self._fits, self._input_names, self._input_specs)
        ]
        variables = [data["value"] for data in self._variable_data]
        extra = (variables,)
        if self._plan is not None and self._plan.views:
            self._check_buffers(arrays)
            extra = (variables, self._buffers)
        try:
            outputs, new_values = self._function(*arrays, *extra)
        except StaticGraphError:
            raise
        except Exception as error:  # noqa: BLE001 - re-raised with the failing node's details
            raise self._execution_error(error) from error
        # Outputs are finished before the updates, which may write into arrays that outputs view.
        results = outputs if self._all_outputs_fresh else self._finish_outputs(outputs)
        if new_values:
            self._assign(new_values, arrays, variables)
        return results[0] if self._single else results

    def _finish_outputs(self, outputs):
        """Return the outputs as arrays the caller may keep and write, copying where needed."""
        results = []
        for value, fresh, assigned, kind in zip(outputs, self._output_fresh, self._output_assigned, self._output_kinds):
            if fresh:
                results.append(value)
            elif assigned:
                results.append(np.array(value))  # the update stores this value read-only
            else:
                results.append(self._finish_output(value, kind))
        return results

    def _check_buffers(self, arrays):
        """Allocate the planned buffers again when a fed array's shape differs from the previous call's."""
        key = tuple([array.shape for array in arrays])
        if key == self._buffer_key:
            return
        feed_shapes = dict(zip(self._input_names, key))
        views = self._plan.views
        shapes = [symbolic.evaluate(shape, feed_shapes) for _, shape, _ in views]
        nbytes = [int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize for shape, (_, _, dtype) in zip(shapes, views)]
        self._buffers = []  # the old views go first, so their memory can be reused
        slots = [np.empty(size, np.uint8) for size in slot_sizes(self._plan, nbytes)]
        self._buffers = [
            slots[slot][:size].view(dtype).reshape(shape) for (slot, _, dtype), shape, size in zip(views, shapes, nbytes)
        ]
        self._buffer_key = key
        logger.debug("executable: allocated %d buffers for input shapes %s", len(self._buffers), key)

    def _bind_feeds(self, args, kwargs):
        if len(args) > len(self._input_names):
            raise FeedError(
                f"executable takes {len(self._input_names)} input(s) {self._input_names}, got {len(args)} positional array(s)"
            )
        feeds = dict(zip(self._input_names, args))
        unknown = [name for name in kwargs if name not in self._input_names]
        if unknown:
            raise FeedError(f"unknown input names {unknown}; this executable's inputs are {self._input_names}")
        twice = [name for name in kwargs if name in feeds]
        if twice:
            raise FeedError(f"inputs {twice} were given both positionally and by name; give each once")
        feeds.update(kwargs)
        missing = [name for name in self._input_names if name not in feeds]
        if missing:
            raise FeedError(f"missing values for placeholders {missing}; pass one array per input {self._input_names}")
        return feeds

    def _convert_feed(self, name, value, spec):
        shape, dtype = spec
        if isinstance(value, np.ndarray):
            if value.dtype != dtype and not np.can_cast(value.dtype, dtype, casting="safe"):
                raise DTypeError(
                    f"feed for placeholder {name!r} has dtype {value.dtype}, expected {dtype}; "
                    f"convert it with array.astype({dtype.name!r})"
                )
            array = value.astype(dtype, copy=False)
        else:
            try:
                array = np.asarray(value, dtype=dtype)
            except (TypeError, ValueError) as error:
                raise DTypeError(f"feed for placeholder {name!r} cannot be converted to {dtype}: {error}") from None
        if array.ndim != len(shape) or any(want is not None and want != got for want, got in zip(shape, array.shape)):
            raise ShapeError(
                f"feed for placeholder {name!r} has shape {format_shape(array.shape)}, expected "
                f"{format_shape(shape)} (? takes any size); reshape the array or the placeholder"
            )
        return array

    def _assign(self, new_values, feeds, variables):
        """Check every new value's shape, then store them all, so a failed check changes nothing.

        A value computed into a buffer has its variable's shape by plan. It is
        copied into the variable's array when this executable made that array,
        else into a new one. Every other value is stored as it is when this
        call allocated it, else copied. All copies of old values are made
        before any variable's array is written.
        """
        copies, stored, others = [], [], []
        own_values = self._own_values
        for index, ((variable, data), value) in enumerate(zip(self._update_targets, new_values)):
            if not self._copied[index]:
                if np.shape(value) != data["shape"]:
                    raise self._update_shape_error(variable, value, data)
                others.append((data, value))
                continue
            own = own_values.get(index)
            if own is not None and data["value"] is own[1]:
                copies.append((own[0], value))
            else:
                stored.append((data, self._own_copy(index, value)))
        if others:
            stored += self._stored_values(others, feeds, variables)
        for array, value in copies:
            np.copyto(array, value)
        for data, array in stored:
            data["value"] = array

    def _own_copy(self, index, value):
        """Copy a buffered update value into a new array this executable owns; return its read-only view."""
        array = np.array(value)
        view = array.view()
        view.setflags(write=False)
        self._own_values[index] = (array, view)
        return view

    @staticmethod
    def _stored_values(pairs, feeds, variables):
        """Return ``(data, read-only array)`` pairs, copying each value that this call did not allocate."""
        inputs = {id(array) for array in feeds}
        inputs.update(id(array) for array in variables)
        stored = []
        for data, value in pairs:
            owned = type(value) is np.ndarray and value.flags.owndata and id(value) not in inputs
            array = value if owned else np.array(value)
            array.setflags(write=False)
            stored.append((data, array))
        return stored

    @staticmethod
    def _update_shape_error(variable, value, data):
        return UpdateError(
            f"update for variable {variable!r} produced shape {format_shape(np.shape(value))} at run time, expected "
            f"{format_shape(data['shape'])}; no variable was changed. Make the new value's shape match "
            "(a None dim in the update's graph took a different size)"
        )

    @staticmethod
    def _finish_output(value, kind):
        if type(value) is np.ndarray and kind == "op" and value.flags.owndata and value.flags.writeable:
            return value
        array = np.asarray(value)
        if kind != "op" or not array.flags.writeable or array is value and not array.flags.owndata:
            return array.copy()
        return array

    # --- errors -----------------------------------------------------------------

    def _failing_frame(self, error):
        traceback = error.__traceback__
        frame_info = None
        while traceback is not None:
            if traceback.tb_frame.f_code.co_filename == self.filename:
                frame_info = (traceback.tb_frame, traceback.tb_lineno)
            traceback = traceback.tb_next
        return frame_info

    def _execution_error(self, error):
        frame_info = self._failing_frame(error)
        node_name = None if frame_info is None else self._code.line_to_node.get(frame_info[1])
        if node_name is None:
            return ExecutionError(f"compiled executable failed: {type(error).__name__}: {error}")
        frame, _ = frame_info
        data = self.ir.nx.nodes[node_name]
        input_lines = []
        for input_name in data["inputs"]:
            value = frame.f_locals.get(self._code.local_names.get(input_name))
            shape = format_shape(np.shape(value)) if value is not None else "unknown"
            input_lines.append(f"  input {input_name!r}: run-time shape {shape}, dtype {getattr(value, 'dtype', '?')}")
        return ExecutionError(
            f"node {node_name!r} ({data['op']!r}) failed at run time: {type(error).__name__}: {error}\n"
            + "\n".join(input_lines)
            + f"\n  the node was {describe_location(data['source'])}\n"
            "  fix: check that the fed arrays' None dims agree with each other and that index values are in range"
        )

    def _check_numerics(self, value, node_name):
        array = np.asarray(value)
        if np.all(np.isfinite(array)):
            return
        data = self.ir.nx.nodes[node_name]
        kind = "NaN" if np.isnan(array).any() else "inf"
        raise NumericsError(
            f"check_numerics: node {node_name!r} ({data['op']!r}) produced {kind}; it was "
            f"{describe_location(data['source'])}. Inputs: {list(data['inputs'])}. "
            "Look for log or division of zero or negative values, or overflow in exp"
        )


def _fast_check(shape, dtype):
    """Return a predicate: is a fed value usable as it is, an ndarray of exactly this dtype and (partly known) shape?"""
    if None not in shape:
        return lambda value: type(value) is np.ndarray and value.dtype == dtype and value.shape == shape
    known = [(axis, dim) for axis, dim in enumerate(shape) if dim is not None]
    rank = len(shape)

    def fits(value):
        if type(value) is not np.ndarray or value.dtype != dtype or value.ndim != rank:
            return False
        value_shape = value.shape
        for axis, dim in known:
            if value_shape[axis] != dim:
                return False
        return True

    return fits


def _format_bytes(count):
    for unit in ("B", "KiB", "MiB"):
        if count < 1024 or unit == "MiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GiB"
