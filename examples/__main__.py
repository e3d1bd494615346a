"""Entry point of ``python -m examples``."""

import sys

from examples.cli import main

sys.exit(main())
