"""The examples of chapters 12 and 13 of "Machine Learning with PyTorch and Scikit-Learn".

Each example defines its model once, as a function of the package namespace
(``eager`` or ``staticgraph``), trains it in both modes and reports the book's
recorded result beside each mode's. Run ``python -m examples`` for the list.
"""

from dataclasses import dataclass

# name -> (module, one-line summary); modules are imported only when their example runs.
EXAMPLES = {
    "gradients": ("examples.gradients", "dL/dw and dL/db of one squared error"),
    "xor": ("examples.xor", "Linear(2,1)+Sigmoid and a 2-4-4-1 ModuleList model on XOR data"),
    "noisy": ("examples.noisy", "a user-written NoisyLinear layer that adds Gaussian noise in training, on XOR data"),
    "iris": ("examples.iris", "4-16-3 classifier with softmax outputs and Adam on Iris"),
    "auto_mpg": ("examples.auto_mpg", "9-8-4-1 regression of fuel efficiency on Auto MPG"),
    "digits": ("examples.digits", "the book's MNIST classifier on scikit-learn's 8x8 digits, or MNIST with --mnist-dir"),
}


@dataclass(frozen=True)
class RunConfig:
    """Options of one run: which modes, quick or full training, the random seed and where MNIST is.

    ``seed`` seeds the weight initialization, the mini-batch order and the
    training noise. None means each model's default seed, which
    :func:`seed_for` returns.
    """

    modes: tuple = ("eager", "static")
    quick: bool = False
    seed: int = None
    mnist_dir: str = None

    def seed_for(self, default=1):
        """Return the requested seed, or ``default`` when none was requested.

        The default 1 follows the book's ``torch.manual_seed(1)``, but PyTorch's
        generator draws other numbers, so the initial weights differ from the book's.
        """
        return default if self.seed is None else self.seed
