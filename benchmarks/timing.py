"""Chunked wall-clock timing of a step callable."""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class TimingSettings:
    """Settings for timing each case.

    ``repeat`` chunks are timed per implementation; each chunk runs enough
    calls to last about ``chunk_s`` seconds and its mean per call is one
    sample.  Before a chunk that follows another library's chunk the harness
    sleeps ``pause_s`` seconds, because on a 2-core machine PyTorch's and
    NumPy's thread pools slow each other down for about 0.1 s after a burst
    of work.
    """

    repeat: int = 5
    chunk_s: float = 0.05
    pause_s: float = 0.2
    warmup_s: float = 0.05
    max_calls: int = 100_000


def calls_per_chunk(step, settings: TimingSettings) -> int:
    """Warm a step up for ``warmup_s`` (at least two calls) and return how many calls fill a chunk."""
    calls = 0
    start = time.perf_counter()
    elapsed = 0.0
    while calls < 2 or elapsed < settings.warmup_s:
        step()
        calls += 1
        elapsed = time.perf_counter() - start
    per_call = elapsed / calls
    return max(1, min(settings.max_calls, round(settings.chunk_s / per_call)))


def time_chunk(step, calls: int, pause_s: float) -> float:
    """Collect garbage, pause, then return the mean seconds per call over ``calls`` back-to-back calls."""
    gc.collect()
    time.sleep(pause_s)
    start = time.perf_counter()
    for _ in range(calls):
        step()
    return (time.perf_counter() - start) / calls
