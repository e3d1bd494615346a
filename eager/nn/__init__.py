"""Neural-network building blocks with PyTorch's names, defaults and printing."""

from eager.nn import functional, init  # noqa: F401
from eager.nn.containers import ModuleList, Sequential  # noqa: F401
from eager.nn.layers import (  # noqa: F401
    Dropout, Flatten, Identity, LeakyReLU, Linear, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh)
from eager.nn.loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss  # noqa: F401
from eager.nn.module import Module  # noqa: F401
from eager.nn.parameter import Parameter  # noqa: F401
