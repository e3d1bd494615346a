"""The machine a run measured on: CPU, Python, library versions and thread counts."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "XLA_FLAGS")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def git_commit() -> str | None:
    try:
        completed = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                                   cwd=Path(__file__).parent, timeout=5, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() or None


def library_versions(peer_versions: dict[str, str]) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("eager-vs-static", "numpy", "networkx", "matplotlib", "threadpoolctl"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    versions.update(peer_versions)
    return versions


def thread_counts() -> dict[str, object]:
    """Thread pools of the BLAS (through threadpoolctl), PyTorch and JAX, as far as they are loaded."""
    counts: dict[str, object] = {}
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        counts["blas"] = "threadpoolctl not installed"
    else:
        counts["blas"] = [f"{pool.get('internal_api')} {pool.get('version')}: {pool.get('num_threads')} threads"
                          for pool in threadpool_info()]
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        counts["torch"] = f"{torch.get_num_threads()} intra-op, {torch.get_num_interop_threads()} inter-op"
    if "jax" in sys.modules:
        jax = sys.modules["jax"]
        counts["jax"] = f"{jax.device_count()} CPU device(s); XLA's thread pool is set only through XLA_FLAGS"
    for variable in THREAD_VARIABLES:
        if variable in os.environ:
            counts[variable] = os.environ[variable]
    return counts


def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def busy_warning(environment: dict) -> str | None:
    """Return a warning when other processes already keep the cores busy, else None."""
    load = environment.get("load_average")
    if load is None or load < 0.5 * environment["cores"]:
        return None
    return (f"warning: the 1-minute load average is {load:.1f} on {environment['cores']} cores before the run; "
            "multi-threaded libraries wait for descheduled threads, so their times are inflated "
            "(--threads 1, the default, gives steadier numbers on a shared machine)")


def describe(peer_versions: dict[str, str]) -> dict[str, object]:
    return {
        "cpu": cpu_model(),
        "cores": usable_cores(),
        "load_average": load_average(),
        "platform": platform.platform(),
        "commit": git_commit(),
        "versions": library_versions(peer_versions),
        "threads": thread_counts(),
    }


def summary_lines(environment: dict) -> list[str]:
    versions = ", ".join(f"{name} {version}" for name, version in environment["versions"].items())
    lines = [f"machine: {environment['cpu']}, {environment['cores']} usable cores, {environment['platform']}",
             f"versions: {versions}"]
    if environment.get("commit"):
        lines.append(f"commit: {environment['commit']}")
    for name, value in environment["threads"].items():
        text = "; ".join(value) if isinstance(value, list) else value
        lines.append(f"threads, {name}: {text}")
    return lines
