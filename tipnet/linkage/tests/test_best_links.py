"""Which scored pairs join records into persons (``engine.best_links``)."""

import pyarrow as pa
import pytest

from tipnet.linkage.backends import make_backend
from tipnet.linkage.engine import STRONG_LINK, best_links


def _kept(pairs: list[tuple[str, str, float]], threshold: float, is_link: bool = False) -> set:
    engine = make_backend("duckdb")
    try:
        columns = {
            "unique_id_l": [a for a, _, _ in pairs],
            "unique_id_r": [b for _, b, _ in pairs],
            "match_probability": [p for _, _, p in pairs],
        }
        if is_link:
            columns["source_dataset_l"] = ["left"] * len(pairs)
            columns["source_dataset_r"] = ["right"] * len(pairs)
        frame = engine.api.register(pa.table(columns), dataset_display_name="scored")
        kept = best_links(engine, frame, threshold, is_link).as_record_list()
        return {(row["unique_id_l"], row["unique_id_r"]) for row in kept}
    finally:
        engine.close()


def test_a_record_that_fits_two_persons_joins_only_the_likelier():
    # a1-a2 and b1-b2 are two persons; x, with only a name and a year, fits both
    pairs = [("a1", "a2", 0.999), ("b1", "b2", 0.998), ("x", "a1", 0.95), ("x", "b1", 0.9)]
    assert _kept(pairs, 0.8) == {("a1", "a2"), ("b1", "b2"), ("x", "a1")}


def test_a_weak_pair_that_is_no_records_best_does_not_join():
    # b's best pair is with c and a's with d: the weaker a-b chain is cut
    pairs = [("a", "d", 0.9), ("b", "c", 0.9), ("a", "b", 0.85)]
    assert _kept(pairs, 0.8) == {("a", "d"), ("b", "c")}


def test_strong_pairs_always_join_and_pairs_below_the_threshold_never():
    strong = min(1.0, STRONG_LINK + 0.001)
    pairs = [("a", "b", 1.0), ("a", "c", strong), ("c", "d", 0.7)]
    assert _kept(pairs, 0.8) == {("a", "b"), ("a", "c")}


@pytest.mark.parametrize("is_link", [False, True])
def test_ties_are_broken_by_id_so_one_pair_is_each_records_best(is_link):
    pairs = [("a", "c", 0.9), ("b", "c", 0.9)]
    # c's best is a (ties by id); a's and b's best are c: both pairs are someone's best
    assert _kept(pairs, 0.8, is_link) == {("a", "c"), ("b", "c")}
    pairs = [("a", "c", 0.9), ("a", "d", 0.9), ("b", "d", 0.9), ("b", "c", 0.85)]
    assert ("b", "c") not in _kept(pairs, 0.8, is_link)
