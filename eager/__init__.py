"""``eager``: a define-by-run autograd on NumPy that behaves like PyTorch.

    >>> import eager
    >>> x = eager.tensor(3.0, requires_grad=True)
    >>> (x * x).backward()
    >>> x.grad
    tensor(6.)
"""

from eager import autograd  # noqa: F401
from eager.autograd import (  # noqa: F401
    detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled)
from eager.dtypes import (  # noqa: F401
    bool, double, float, float16, float32, float64, int32, int64, long)
from eager.ops.functional import *  # noqa: F401,F403
from eager.ops.functional import abs, all, any, max, min, pow, sum  # noqa: F401
from eager.random import default_generator, manual_seed  # noqa: F401
from eager.tensor import Tensor, as_tensor, from_numpy, tensor  # noqa: F401
from eager.ops import methods as _methods  # noqa: F401,E402
from eager import random  # noqa: F401,E402
from eager import nn, optim  # noqa: F401,E402
from eager.creation import (  # noqa: F401,E402
    arange, empty, full, ones, ones_like, rand, randn, zeros, zeros_like)
from eager.visualize import draw, to_dot  # noqa: F401,E402
