"""The Spark backend: the same model gives the same matches as on DuckDB."""

from collections import defaultdict

import pytest

from tipnet.linkage.engine import link
from tipnet.linkage.features import prepare_record
from tipnet.linkage.synthetic import FIELDS, records


def _persons(cluster_rows) -> set[frozenset[str]]:
    members = defaultdict(set)
    for _, uid, cluster in cluster_rows:
        members[cluster].add(uid)
    return {frozenset(m) for m in members.values()}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return [prepare_record(r, FIELDS, r["id"]) for r in records(1200, seed=3)]


@pytest.fixture(scope="module")
def on_duckdb(rows):
    with link([rows], set(FIELDS)) as result:
        pairs = {(a, b): p for a, b, p in result.pairs()}
        return result.model, pairs, _persons(result.cluster_rows())


@pytest.mark.slow
def test_spark_finds_the_same_matches_and_persons_as_duckdb(rows, on_duckdb):
    model, expected_pairs, expected_persons = on_duckdb
    assert len(rows) > 2500 and len(expected_pairs) > 1000
    with link([rows], set(FIELDS), backend="spark", model=model) as result:
        pairs = {(a, b): p for a, b, p in result.pairs()}
        persons = _persons(result.cluster_rows())
    assert set(pairs) == set(expected_pairs)
    assert (
        max(abs(pairs[k] - expected_pairs[k]) for k in pairs) < 1e-6
    )  # float sums differ in the last digits
    assert persons == expected_persons


def test_a_saved_model_scores_the_same_pairs_again_without_training(rows, on_duckdb):
    model, expected_pairs, _ = on_duckdb
    stages = []
    with link([rows], set(FIELDS), model=model, progress=lambda s, _: stages.append(s)) as again:
        assert {(a, b) for a, b, _ in again.pairs()} == set(expected_pairs)
    assert stages == ["score candidate pairs", "cluster into persons"]


def test_a_model_trained_on_other_fields_is_refused(rows, on_duckdb):
    model, _, _ = on_duckdb
    with pytest.raises(ValueError, match="other fields"):
        link([rows], {"given_name", "surname"}, model=model)
    with pytest.raises(ValueError, match="number of files"):
        link([rows, rows], set(FIELDS), model=model)
