"""Run one case on every implementation: build, first call, agreement, interleaved timing, memory."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import time
from dataclasses import dataclass

from benchmarks import agreement, peers
from benchmarks.memory import measure_step_memory
from benchmarks.results import ABSENT, DISAGREE, ERROR, OK, UNSUPPORTED, CaseResult, ImplResult
from benchmarks.timing import TimingSettings, calls_per_chunk, time_chunk
from benchmarks.workloads.base import Case, Unsupported

logger = logging.getLogger(__name__)


@dataclass
class _Prepared:
    impl: peers.Implementation
    module: object
    step: object
    result: ImplResult


def run_case(case: Case, implementations, settings: TimingSettings, measure_memory: bool = True) -> CaseResult:
    """Measure one case; implementations that are absent, fail or disagree are reported, not timed."""
    results, prepared = [], []
    reference = None
    for impl in implementations:
        item, outputs = _prepare(case, impl)
        results.append(item.result)
        if item.step is None:
            continue
        if impl.name == peers.REFERENCE:
            reference = outputs
        elif not _agrees(case, item.result, reference, outputs):
            continue
        prepared.append(item)

    with _frozen_heap():
        _time_interleaved(prepared, settings)
        if measure_memory:
            for item in prepared:
                _measure_memory(case, item)
    _set_ratios(results)
    return CaseResult(case.workload, case.variant, case.size, case.size_label, results)


@contextlib.contextmanager
def _frozen_heap():
    """Move every object alive now into the garbage collector's permanent generation for the block.

    With PyTorch, JAX and PyTensor loaded a full collection scans several
    hundred thousand objects and takes about 0.5 s on a busy 2-core machine.
    Frozen, a collection inside a timed chunk costs what the step's own
    garbage costs, whichever other libraries share the process.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _prepare(case: Case, impl):
    """Build the step and make its first call; return the prepared item and its outputs as arrays."""
    module, reason = peers.load(impl)
    result = ImplResult(impl.name, ABSENT, reason or "")
    item = _Prepared(impl, module, None, result)
    if module is None:
        return item, None
    try:
        start = time.perf_counter()
        step = module.build(case, **impl.options)
        result.build_s = time.perf_counter() - start
        start = time.perf_counter()
        outputs = module.to_numpy(step())
        result.first_call_s = time.perf_counter() - start
    except Unsupported:
        result.status, result.message = UNSUPPORTED, "no version of this workload"
        return item, None
    except Exception as error:  # a failing implementation is a result to report, not a crash
        logger.debug("%s failed on %s", impl.name, case.key, exc_info=True)
        result.status, result.message = ERROR, f"{type(error).__name__}: {error}"
        return item, None
    result.status = OK
    item.step = step
    return item, outputs


def _agrees(case: Case, result: ImplResult, reference, outputs) -> bool:
    if reference is None:
        result.status, result.message = ERROR, "the NumPy reference failed, so nothing can be checked"
        return False
    agrees, error, message = agreement.compare(case.output_names, reference, outputs, case.tolerance)
    result.max_error = error
    if not agrees:
        result.status, result.message = DISAGREE, message
    return agrees


def _time_interleaved(prepared: list[_Prepared], settings: TimingSettings) -> None:
    """Time chunks round-robin, rotating the starting implementation each round.

    The pause comes before a chunk whose runtime differs from the previous
    chunk's: NumPy-based implementations share one BLAS pool, while PyTorch,
    XLA and Numba keep their own.
    """
    for item in prepared:
        _guarded(item, lambda: setattr(item.result, "calls_per_chunk", calls_per_chunk(item.step, settings)))
    previous_runtime = None
    for round_index in range(settings.repeat):
        active = [item for item in prepared if item.result.status == OK]
        shift = round_index % max(1, len(active))
        for item in active[shift:] + active[:shift]:
            pause = settings.pause_s if item.impl.runtime != previous_runtime else 0.0
            previous_runtime = item.impl.runtime
            _guarded(item, lambda: item.result.chunk_times.append(
                time_chunk(item.step, item.result.calls_per_chunk, pause)))


def _guarded(item: _Prepared, action) -> None:
    """Run ``action``; if the step raises, mark the implementation as failed and drop its samples."""
    try:
        action()
    except Exception as error:  # a step that fails on a later call is reported like one that fails at once
        logger.debug("%s failed while timing", item.impl.name, exc_info=True)
        item.result.status, item.result.message = ERROR, f"{type(error).__name__}: {error}"
        item.result.chunk_times.clear()


def _measure_memory(case: Case, item: _Prepared) -> None:
    if not item.impl.tracemalloc_visible or item.result.status != OK:
        return
    try:
        build = functools.partial(item.module.build, case, **item.impl.options)
        item.result.memory_step, item.result.memory_retained = measure_step_memory(build)
    except Exception as error:
        logger.warning("memory measurement of %s on %s failed: %s", item.impl.name, case.key, error)


def _set_ratios(results: list[ImplResult]) -> None:
    baseline = next((r.median_s for r in results if r.implementation == peers.REFERENCE), None)
    if not baseline:
        return
    for result in results:
        if result.median_s is not None:
            result.ratio = result.median_s / baseline
