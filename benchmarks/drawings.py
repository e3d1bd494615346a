"""Pictures written next to the report: compute_z in both modes and the Iris training step.

matplotlib (the ``bench`` extra) renders them; without it nothing is drawn.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from benchmarks import demo
from benchmarks.workloads.compute_z import compute_z

logger = logging.getLogger(__name__)


def write_drawings(directory: Path) -> list[Path]:
    """Draw the three graphs into ``directory``; return the paths written."""
    if importlib.util.find_spec("matplotlib") is None:
        logger.info("matplotlib is not installed; no drawings written")
        return []
    directory.mkdir(parents=True, exist_ok=True)
    return [
        _draw_eager_compute_z(directory / "compute_z_eager.png"),
        _draw_static_compute_z(directory / "compute_z_static.png"),
        _draw_iris_step(directory / "iris_mlp_static.png"),
    ]


def _draw_eager_compute_z(path: Path) -> Path:
    import eager

    a, b, c = (eager.tensor([1.0, 2.0, 3.0], requires_grad=True) for _ in range(3))
    z = compute_z(eager, a, b, c)
    eager.draw(z, path, params={"a": a, "b": b, "c": c, "z": z}, title="compute_z in eager")
    return path


def _draw_static_compute_z(path: Path) -> Path:
    import staticgraph as sg

    with sg.Graph().as_default():
        a, b, c = (sg.placeholder(sg.float32, shape=(None,), name=name) for name in "abc")
        sg.draw(compute_z(sg, a, b, c), path, title="compute_z in staticgraph")
    return path


def _draw_iris_step(path: Path) -> Path:
    import eager
    import staticgraph as sg

    state = demo.eager_classifier(eager).state_dict()
    with sg.Graph().as_default():
        train_step, _ = demo.compile_static(sg, state, lr=0.1)
    sg.draw(train_step, path, title="Iris MLP training step, compiled")
    return path
