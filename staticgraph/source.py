"""Source locations of nodes: the first stack frame outside this package, which is the user's line."""

import linecache
import os
import sys
from typing import NamedTuple

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


class SourceLocation(NamedTuple):
    """File and line of the user's code that created a node."""

    filename: str
    lineno: int

    def code(self):
        """Return the stripped text of the line, or '' when the file cannot be read."""
        return linecache.getline(self.filename, self.lineno).strip()

    def __str__(self):
        text = f"{self.filename}:{self.lineno}"
        code = self.code()
        return f"{text} ({code})" if code else text


# One shared SourceLocation per user line, so a loop that builds many nodes on one line
# adds no object per node for the garbage collector to scan. The table grows with the
# number of distinct lines that create nodes.
_locations = {}


def user_location():
    """Return the SourceLocation of the innermost frame outside ``staticgraph``."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    if frame is None:
        return None
    key = (frame.f_code.co_filename, frame.f_lineno)
    location = _locations.get(key)
    if location is None:
        location = _locations[key] = SourceLocation(*key)
    return location


def describe_location(location):
    """Return 'created at FILE:LINE (code)' or a note that the location is unknown."""
    if location is None:
        return "created at an unknown location"
    return f"created at {location}"
