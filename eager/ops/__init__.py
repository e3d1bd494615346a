"""The ops of ``eager``; importing this package attaches the Tensor methods."""

from eager.ops import methods  # noqa: F401
from eager.ops.functional import *  # noqa: F401,F403
