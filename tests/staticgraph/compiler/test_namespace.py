import random
import time

from staticgraph.compiler.codegen import Namespace


def first_free_identifier(taken, base):
    """Reference: scan base, base_1, base_2, ... from the start."""
    name, count = base, 0
    while name in taken:
        count += 1
        name = f"{base}_{count}"
    taken.add(name)
    return name


def test_identifiers_match_scan_from_start():
    rng = random.Random(0)
    hints = [rng.choice(["a", "a_1", "a_2", "b", "b_1_1", "a_1_1"]) for _ in range(500)]
    namespace = Namespace()
    reference_taken = set(namespace.taken)
    for hint in hints:
        assert namespace.identifier(hint) == first_free_identifier(reference_taken, hint)


def test_identifiers_are_unique():
    namespace = Namespace()
    names = [namespace.identifier("index") for _ in range(1000)]
    assert len(set(names)) == len(names)
    assert names[:3] == ["index", "index_1", "index_2"]


def test_repeated_hint_costs_linear_time():
    namespace = Namespace()
    start = time.perf_counter()
    for _ in range(20_000):
        namespace.identifier("index")
    # Scanning from index_1 on every call took 6.6 s for 8,000 calls, so about 40 s here.
    assert time.perf_counter() - start < 2.0
