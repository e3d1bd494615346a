"""``detect_anomaly``: record where ops are created and check backward for NaN and inf."""

import os
import traceback

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class AnomalyMode:
    """Holder of the anomaly-detection flag read by ops and the engine."""

    enabled = False


class detect_anomaly:
    """Context manager that makes backward raise on the first NaN or inf gradient.

    While it is active every op stores the stack of the code that created it,
    and the error names the op (``grad_fn`` class) and that stack. Ops run
    slower in this mode.
    """

    def __init__(self, check_nan=True):
        self.check_nan = check_nan

    def __enter__(self):
        self.previous = AnomalyMode.enabled
        AnomalyMode.enabled = self.check_nan
        return self

    def __exit__(self, *exc_info):
        AnomalyMode.enabled = self.previous
        return False


def is_anomaly_enabled():
    """Return whether anomaly detection is on."""
    return AnomalyMode.enabled


def capture_trace():
    """Return the creation stack of the op being recorded, without frames inside ``eager``."""
    frames = traceback.extract_stack()
    user_frames = [frame for frame in frames if not os.path.abspath(frame.filename).startswith(_PACKAGE_DIR)]
    return user_frames[-5:]


def format_trace(trace):
    """Return the creating line first, then the stack that led to it."""
    if not trace:
        return "an unknown line (the op was created outside detect_anomaly())"
    last = trace[-1]
    stack = "".join(traceback.format_list(trace)).rstrip()
    return f"{last.filename}:{last.lineno}: {last.line}\nCreation stack (most recent call last):\n{stack}"
