"""``Parameter``: a leaf tensor that a ``Module`` registers when it is assigned as an attribute."""

import numpy as np

from eager import formatting
from eager.tensor import Tensor, to_array


class Parameter(Tensor):
    """A tensor that requires grad by default and is registered by ``Module.__setattr__``.

    ``Parameter(t)`` shares ``t``'s storage, as in PyTorch.
    """

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            array = np.empty((0,), dtype=np.float32)
        elif isinstance(data, Tensor):
            array = data._data
        else:
            array = to_array(data, None)
        self._data = array
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self):
        return "Parameter containing:\n" + formatting.format_tensor(self)
