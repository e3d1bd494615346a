import gc

import pytest

from staticgraph.gcpause import cyclic_gc_paused


@pytest.fixture
def restore_gc():
    was_enabled = gc.isenabled()
    yield
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_pause_disables_then_enables(restore_gc):
    gc.enable()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_pause_keeps_disabled_collector_off(restore_gc):
    gc.disable()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_pause_enables_after_error(restore_gc):
    gc.enable()
    with pytest.raises(ValueError):
        with cyclic_gc_paused():
            raise ValueError("inside the block")
    assert gc.isenabled()
