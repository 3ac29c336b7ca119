"""Disclosure control: no published cell from 1 to threshold - 1, no hidden cell recoverable."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tipnet.stats.control import Table, control, coord, recoverable, suppress

LIMIT = 5


def family(sex_age: dict, cit_status: dict) -> list[Table]:
    """Two tables over one population that share the sex margin's grand total."""
    sexes = [("f", "F"), ("m", "M")]
    ages = [("c", "Child"), ("a", "Adult"), ("u", "Unknown")]
    first = Table("by_sex_age", "fam", "t1", "age", "sex", ages, sexes, sex_age)
    # A second table by sex and citizenship, whose sex totals are the first table's.
    second = Table(
        "by_cit_sex", "fam", "t2", "cit", "sex", [("UZ", "UZ"), ("KG", "KG")], sexes, cit_status
    )
    return [first, second]


small = st.integers(min_value=0, max_value=12)


@st.composite
def consistent(draw):
    sex_age = {(a, s): draw(small) for a in "cau" for s in "fm"}
    cit = {}
    for s in "fm":
        total = sum(v for (a, ss), v in sex_age.items() if ss == s)
        uz = draw(st.integers(min_value=0, max_value=total))
        cit[("UZ", s)], cit[("KG", s)] = uz, total - uz
    return sex_age, cit


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent())
def test_no_small_cell_is_shown_and_no_hidden_cell_can_be_worked_out(data):
    tables = family(*data)
    for t in tables:  # the generated tables really overlap
        assert t.value(None, "f") == sum(v for (_r, s), v in t.values.items() if s == "f")
    hidden = suppress(tables, LIMIT)
    assert recoverable(tables, hidden) == []
    for published in control(tables, LIMIT, base=0):
        for row in published.cells:
            for cell in row:
                assert cell.suppressed or not 0 < cell.value < LIMIT


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 30), min_size=1))
def test_one_way_tables_with_a_total_hide_at_least_two_cells(counts):
    t = Table(
        "one",
        "fam",
        "t",
        "x",
        "y",
        [(k, k) for k in sorted(counts)],
        [("n", "n")],
        {(k, "n"): v for k, v in counts.items()},
    )
    hidden = suppress([t], LIMIT)
    assert recoverable([t], hidden) == []
    assert all(not 0 < v < LIMIT or coord(x=k, y="n") in hidden for k, v in counts.items())


def test_a_single_small_cell_takes_a_second_one_with_it():
    t = Table(
        "one",
        "fam",
        "t",
        "x",
        "y",
        [("a", "a"), ("b", "b"), ("c", "c")],
        [("n", "n")],
        {("a", "n"): 3, ("b", "n"): 10, ("c", "n"): 20},
    )
    hidden = suppress([t], LIMIT)
    assert coord(x="a", y="n") in hidden and coord(x="b", y="n") in hidden
    assert coord(x="c", y="n") not in hidden


def test_rounding_applies_to_shown_cells_only():
    t = Table(
        "one",
        "fam",
        "t",
        "x",
        "y",
        [("a", "a"), ("b", "b"), ("c", "c")],
        [("n", "n")],
        {("a", "n"): 3, ("b", "n"): 12, ("c", "n"): 21},
    )
    (published,) = control([t], LIMIT, base=5)
    shown = [row[0].value for row in published.cells if not row[0].suppressed]
    assert all(v % 5 == 0 for v in shown)
    assert published.cells[0][0].text == "<5"
