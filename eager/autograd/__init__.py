"""Automatic differentiation: the backward engine, ``grad``, ``gradcheck`` and grad modes."""

from eager.autograd.anomaly import detect_anomaly, is_anomaly_enabled  # noqa: F401
from eager.autograd.api import backward, grad  # noqa: F401
from eager.autograd.function import AccumulateGrad, Node  # noqa: F401
from eager.autograd.grad_mode import (  # noqa: F401
    enable_grad, is_grad_enabled, no_grad, set_grad_enabled)
from eager.autograd.gradcheck import gradcheck  # noqa: F401
