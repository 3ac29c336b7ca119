"""Messy, historical-style records: recall fixes, the kept model, the chosen threshold, explain."""

import json

import numpy as np
import pytest

from tipnet.linkage.cli import main
from tipnet.linkage.engine import TARGET_PRECISION, choose_threshold, explain, link
from tipnet.linkage.features import prepare_record
from tipnet.linkage.model import FORMAT, VERSION
from tipnet.linkage.synthetic import HISTORICAL_FIELDS, historical_records
from tipnet.linkage.tests.conftest import read_csv, write_csv

FIELD_ARGS = [a for role in HISTORICAL_FIELDS for a in ("--field", f"{role}={role}")]
# Three made-up records: B is A with day and month swapped, C shares only the name and sex.
PROBES = [
    {"id": "probe-a", "given_name": "Shukhrat", "surname": "Yusupov", "date_of_birth": "1985-03-07",
     "place": "Tashkent", "postcode": "100170", "sex": "m"},
    {"id": "probe-b", "given_name": "Shukhrat", "surname": "Yusupov", "date_of_birth": "1985-07-03",
     "place": "Tashkent", "postcode": "100170", "sex": "m"},
    {"id": "probe-c", "given_name": "Shukhrat", "surname": "Yusupov", "date_of_birth": "1962-11-25",
     "place": "Samarkand", "postcode": "140100", "sex": "m"},
]  # fmt: skip


@pytest.fixture(scope="module")
def records() -> list[dict[str, str]]:
    return list(historical_records(300, seed=11))


@pytest.fixture(scope="module")
def linked(records):
    """One de-duplication of 300 historical-style people with the default (chosen) threshold."""
    rows = [prepare_record(r, HISTORICAL_FIELDS, r["id"]) for r in records]
    with link([rows], set(HISTORICAL_FIELDS)) as result:
        clusters = {uid: cid for _, uid, cid in result.cluster_rows()}
        return rows, clusters, result.model, result.estimate


def _true_pairs(records):
    by_person = {}
    for r in records:
        by_person.setdefault(r["person"], []).append(r)
    for group in by_person.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                yield a, b


def test_historical_records_are_deduplicated_with_high_recall_and_precision(records, linked):
    _, clusters, _, _ = linked
    pairs = list(_true_pairs(records))
    found = sum(clusters[a["id"]] == clusters[b["id"]] for a, b in pairs)
    members = {}
    for uid, cid in clusters.items():
        members.setdefault(cid, []).append(uid)
    predicted = sum(len(m) * (len(m) - 1) // 2 for m in members.values())
    wrong = predicted - found
    assert found / len(pairs) >= 0.85
    assert wrong / predicted <= 0.08


@pytest.mark.parametrize("field", ["given_name", "date_of_birth", "postcode", "place"])
def test_a_pair_with_a_missing_field_is_still_linked(linked, field):
    rows, _, model, estimate = linked
    missing = {**PROBES[0], "id": "probe-d", field: ""}
    probes = [prepare_record(p, HISTORICAL_FIELDS, p["id"]) for p in (PROBES[0], missing)]
    steps, probability = explain(
        [[*rows, *probes]], set(HISTORICAL_FIELDS), model, "probe-a", "probe-d"
    )
    assert {s.comparison: s for s in steps}[field].match_weight == 0
    assert probability >= estimate.threshold


def test_pairs_with_a_missing_field_are_mostly_linked(records, linked):
    _, clusters, _, _ = linked
    pairs = [(a, b) for a, b in _true_pairs(records) if not a["postcode"] or not b["postcode"]]
    assert len(pairs) >= 30
    found = sum(clusters[a["id"]] == clusters[b["id"]] for a, b in pairs)
    # 0.79 here since persons are joined through each record's best pair (engine.best_links):
    # a weak pair that is neither record's best no longer joins them, which costs some of
    # these pairs and keeps records that fit several persons from merging them (#19 reported
    # a recall of 0.66 on messy records before the fixes)
    assert found / len(pairs) >= 0.75


def test_a_day_month_swap_scores_above_a_non_match(linked):
    rows, _, model, _ = linked
    probes = [prepare_record(p, HISTORICAL_FIELDS, p["id"]) for p in PROBES]
    table = [*rows, *probes]
    roles = set(HISTORICAL_FIELDS)
    swapped, p_swapped = explain([table], roles, model, "probe-a", "probe-b")
    other, p_other = explain([table], roles, model, "probe-a", "probe-c")
    dob = {s.comparison: s for s in swapped}["date_of_birth"]
    assert dob.level == "day and month swapped"
    assert dob.match_weight > 3
    assert {s.comparison: s for s in other}["date_of_birth"].match_weight < 0
    assert p_swapped > 0.9 > p_other


def test_the_threshold_is_the_lowest_with_the_target_precision():
    probabilities = np.array([1.0] * 90 + [0.9] * 10 + [0.6] * 10 + [0.2] * 5)
    chosen = choose_threshold(probabilities)
    # at 0.9 the expected precision is 99/100; adding the 0.6 pairs would drop it to 0.954
    assert chosen.threshold == 0.9
    assert chosen.precision >= TARGET_PRECISION
    assert chosen.pairs == 100
    assert chosen.recall == pytest.approx(99 / (99 + 6 + 1))


def test_the_chosen_threshold_estimate_is_close_to_the_truth(records, linked):
    _, _, _, estimate = linked
    assert estimate is not None
    assert 0.5 <= estimate.threshold < 1
    assert estimate.precision >= TARGET_PRECISION


@pytest.fixture(scope="module")
def saved(tmp_path_factory, records):
    """`tipnet link --save-model` on a CSV of the records (trains once for the CLI tests)."""
    folder = tmp_path_factory.mktemp("model")
    path = write_csv(folder / "people.csv", records[:600])
    args = [str(path), "--id", "id", *FIELD_ARGS]
    model = folder / "model.json"
    status = main([*args, "--out", str(folder / "pairs.csv"), "--save-model", str(model)])
    assert status == 0
    return folder, args, model


def test_a_saved_model_records_version_roles_and_size_and_scores_the_same(saved):
    folder, args, model = saved
    document = json.loads(model.read_text())
    assert document["format"] == FORMAT
    assert document["version"] == VERSION
    assert document["roles"] == sorted(HISTORICAL_FIELDS)
    assert document["training_records"] == 600
    again = folder / "again.csv"
    assert main([*args, "--out", str(again), "--model", str(model)]) == 0
    first = {(r["left_id"], r["right_id"]) for r in read_csv(folder / "pairs.csv")}
    assert first
    assert {(r["left_id"], r["right_id"]) for r in read_csv(again)} == first


def test_a_model_for_other_roles_is_refused(saved, capsys):
    folder, _, model = saved
    out = folder / "refused.csv"
    fewer = [str(folder / "people.csv"), "--id", "id", "--field", "surname=surname"]
    assert main([*fewer, "--out", str(out), "--model", str(model)]) == 2
    err = capsys.readouterr().err
    assert "was made for the roles" in err and "this run gives surname" in err
    assert not out.exists()


def test_a_file_that_is_not_a_model_is_refused(saved, capsys):
    folder, args, _ = saved
    bogus = folder / "bogus.json"
    bogus.write_text('{"hello": 1}')
    assert main([*args, "--out", str(folder / "x.csv"), "--model", str(bogus)]) == 2
    assert "is not a tipnet link model" in capsys.readouterr().err


def test_the_chosen_threshold_is_printed_and_an_explicit_one_overrides_it(saved, capsys):
    folder, args, model = saved
    assert main([*args, "--out", str(folder / "t.csv"), "--model", str(model)]) == 0
    assert "chosen by the model: estimated precision" in capsys.readouterr().err
    out = folder / "t2.csv"
    assert main([*args, "--out", str(out), "--model", str(model), "--threshold", "0.999"]) == 0
    assert "chosen by the model" not in capsys.readouterr().err
    assert all(float(r["match_probability"]) >= 0.999 for r in read_csv(out))


def test_explain_prints_each_comparison_with_its_level_and_weight(saved, records, capsys):
    _, args, model = saved
    a, b = records[1]["id"], records[2]["id"]
    explain_args = ["explain", a, b, *args, "--model", str(model)]
    assert main(explain_args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["comparison", "level", "weight", "total"]
    names = [line.split()[0] for line in lines[1:-1]]
    assert names == ["prior", "given_name", "surname", "date_of_birth", "sex", "place", "postcode"]
    total = sum(float(line.split()[-2]) for line in lines[1:-1])
    assert lines[-1].startswith("match probability")
    assert float(lines[-1].split("weight ")[1].rstrip(")")) == pytest.approx(total, abs=0.05)


def test_explain_names_an_unknown_id(saved, capsys):
    _, args, model = saved
    assert main(["explain", "nobody", "P0000001-0", *args, "--model", str(model)]) == 2
    assert "no record with the id 'nobody'" in capsys.readouterr().err


def test_the_learned_similarity_gives_a_foreign_name_its_latin_spelling():
    from tipnet.linkage.features import learned_spellings

    fields = {"given_name": ["g"], "surname": ["s"]}
    cyrillic = prepare_record({"g": "Пьер", "s": "Зерфюсс"}, fields, "1")
    latin = prepare_record({"g": "Pierre", "s": "Zehrfuss"}, fields, "2")
    other = prepare_record({"g": "John", "s": "Smith"}, fields, "3")
    # the rules alone spell it Zerfyuss: no shared spelling, no shared key
    assert not set(cyrillic["surname_skels"]) & set(latin["surname_skels"])
    assert not set(cyrillic["name_keys"]) & {"zhrfs"}
    assert learned_spellings([[cyrillic, latin, other]]) == 1
    assert set(cyrillic["surname_skels"]) & set(latin["surname_skels"])
    assert "zhrfs" in cyrillic["name_keys"]
    assert other["surname_skels"] == ["smith"]
