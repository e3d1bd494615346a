"""Units and tables in the printed report."""

from benchmarks import formatting as fmt


def test_seconds_pick_unit():
    assert fmt.seconds(2.5) == "2.5 s"
    assert fmt.seconds(0.0123) == "12.3 ms"
    assert fmt.seconds(4.2e-6) == "4.2 µs"
    assert fmt.seconds(None) == "-"


def test_no_exponent_between_units():
    assert fmt.size_in_bytes(1010 * 1024) == "1010 KiB"
    assert fmt.seconds(0.999) == "999 ms"


def test_text_table_aligns_columns():
    lines = fmt.text_table(["case", "ratio"], [["a", "1.00"], ["longer", "12.50"]]).splitlines()
    assert lines[0] == "case    ratio"
    assert lines[2] == "a        1.00"
    assert lines[3] == "longer  12.50"


def test_markdown_table_escapes_pipes():
    table = fmt.markdown_table(["case", "status"], [["x", "error: a|b"]])
    assert table.splitlines()[2] == "| x | error: a\\|b |"
