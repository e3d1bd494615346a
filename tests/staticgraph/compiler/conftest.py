import pytest

import staticgraph as sg


@pytest.fixture
def graph():
    """A fresh graph that is the default for the duration of the test."""
    fresh = sg.Graph()
    with fresh.as_default():
        yield fresh
