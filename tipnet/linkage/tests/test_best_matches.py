import time

import pytest

from tipnet.linkage import best_matches


def test_it_finds_each_name_across_scripts():
    candidates = ["Gulnora Karimova", "Shuhrat Yusupov", "Nursultan Nazarbayev", "Aida Asanova"]
    queries = ["Шухрат Юсупов", "Гульнара Каримова", "Назарбаев Нұрсұлтан"]
    result = best_matches(queries, candidates, k=2)
    assert [r[0][0] for r in result] == [1, 0, 2]
    assert all(len(r) == 2 for r in result)
    assert all(r[0][1] >= r[1][1] for r in result)


def test_scores_are_in_the_unit_interval_and_k_is_capped():
    result = best_matches(["Ann"], ["Bob", "Ann"], k=10)
    assert [i for i, _ in result[0]] == [1, 0]
    assert all(0.0 <= s <= 1.0 for _, s in result[0])
    assert result[0][0][1] == 1.0


def test_empty_inputs_give_empty_results():
    assert best_matches([], ["Ann"]) == []
    assert best_matches(["Ann"], []) == [[]]


def test_k_must_be_positive():
    with pytest.raises(ValueError, match="k must be at least 1"):
        best_matches(["Ann"], ["Ann"], k=0)


def test_it_ranks_blocks_of_queries_like_single_queries():
    candidates = [f"Candidate{i} Karimov" for i in range(50)] + ["Shuhrat Yusupov"]
    queries = ["Шухрат Юсупов"] * 300  # more than one block of queries
    result = best_matches(queries, candidates, k=1)
    assert {r[0][0] for r in result} == {50}


def test_two_thousand_by_two_thousand_is_vectorised():
    syllables = ["ka", "ri", "mo", "su", "pa", "te", "lo", "ni", "da", "gu"]
    words = [a + b + c for a in syllables for b in syllables for c in syllables]
    names = [f"{words[i % 1000]} {words[(i * 7 + 3 + i // 1000) % 1000]}ov" for i in range(2000)]
    started = time.perf_counter()
    result = best_matches(names, names, k=3)
    # a Python double loop over 4 million pairs takes minutes; cdist takes about a second
    assert time.perf_counter() - started < 30
    assert all(r[0][0] == i for i, r in enumerate(result))
