"""Workload registry: names, default and quick sizes, case factories and NumPy references."""

from __future__ import annotations

from benchmarks.workloads import compute_z, iris, mlp, op_chain
from benchmarks.workloads.base import Case

# Timed workloads in the order they run and print.  ``compile`` (graph build
# and compile cost) has its own runner and is listed separately.
TIMED = ("compute_z", "mlp", "mlp784", "iris_epoch", "iris_train", "op_chain")
COMPILE = "compile"
DEMO = "demo"
ALL = (DEMO, *TIMED, COMPILE)

_SIZES = {
    "compute_z": (compute_z.DEFAULT_SIZES, compute_z.QUICK_SIZES),
    "mlp": (mlp.DEFAULT_SIZES[mlp.SMALL], mlp.QUICK_SIZES[mlp.SMALL]),
    "mlp784": (mlp.DEFAULT_SIZES[mlp.WIDE], mlp.QUICK_SIZES[mlp.WIDE]),
    "op_chain": (op_chain.DEFAULT_SIZES, op_chain.QUICK_SIZES),
}
FIXED_SIZE = ("iris_epoch", "iris_train")
QUICK_SKIPS = ("iris_train",)


def default_sizes(workload: str, quick: bool) -> tuple[int, ...]:
    """Return the sizes a workload runs at unless ``--sizes`` chooses others."""
    full, short = _SIZES[workload]
    return short if quick else full


def make_cases(workload: str, sizes) -> list[Case]:
    if workload == "compute_z":
        return compute_z.make_cases(sizes)
    if workload in (mlp.SMALL, mlp.WIDE):
        return mlp.make_cases(workload, sizes)
    if workload in (iris.EPOCH, iris.TRAIN):
        return [iris.make_case(workload)]
    if workload == "op_chain":
        return op_chain.make_cases(sizes)
    raise KeyError(f"unknown workload {workload!r}; choose from {', '.join(ALL)}")


def build_numpy(case: Case):
    """Return the hand-written NumPy step of a case, the reference for values and times."""
    modules = {"compute_z": compute_z, "mlp": mlp, "mlp784": mlp, "iris_epoch": iris,
               "iris_train": iris, "op_chain": op_chain}
    return modules[case.workload].build_numpy(case)
