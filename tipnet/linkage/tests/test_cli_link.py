"""The `tipnet link` and `tipnet link evaluate` contract on real files."""

import json

import pytest

from tipnet.linkage.cli import main
from tipnet.linkage.synthetic import records
from tipnet.linkage.tests.conftest import read_csv, write_csv

FAKE_FIELDS = [
    "--field", "given_name=first_name", "--field", "surname=surname",
    "--field", "date_of_birth=dob", "--field", "place=city", "--field", "email=email",
]  # fmt: skip


@pytest.fixture(scope="module")
def deduplicated(tmp_path_factory):
    from tipnet.linkage.tests.conftest import DATA

    out = tmp_path_factory.mktemp("dedupe")
    status = main(
        [str(DATA / "fake_1000.csv"), "--id", "unique_id", *FAKE_FIELDS,
         "--out", str(out / "pairs.csv"), "--clusters", str(out / "clusters.csv")]
    )  # fmt: skip
    assert status == 0
    return out


def test_one_file_is_deduplicated_into_pairs_and_clusters(deduplicated):
    pairs = read_csv(deduplicated / "pairs.csv")
    assert list(pairs[0]) == ["left_id", "right_id", "match_probability"]
    assert all(float(p["match_probability"]) >= 0.9 for p in pairs)
    assert all(p["left_id"] != p["right_id"] for p in pairs)
    clusters = read_csv(deduplicated / "clusters.csv")
    assert list(clusters[0]) == ["id", "cluster_id"]
    assert len(clusters) == 1000


def test_evaluate_reports_pairwise_and_cluster_scores(deduplicated, fake_1000, capsys):
    capsys.readouterr()
    status = main(
        ["evaluate", str(fake_1000), "--id", "unique_id", "--truth", "cluster", "--json",
         "--pairs", str(deduplicated / "pairs.csv"),
         "--clusters", str(deduplicated / "clusters.csv")]
    )  # fmt: skip
    assert status == 0
    scores = json.loads(capsys.readouterr().out)
    assert set(scores) == {"pairwise", "clusters_pairwise", "clusters_exact"}
    assert scores["pairwise"]["precision"] >= 0.95
    assert scores["clusters_pairwise"]["f1"] >= 0.85


def test_two_files_are_linked_left_to_right(tmp_path):
    raw = list(records(150, seed=9))
    left = [r for r in raw if r["id"].endswith("-0")]
    right = [r for r in raw if r["id"].endswith("-1")]
    write_csv(tmp_path / "left.csv", left)
    write_csv(tmp_path / "right.csv", right)
    status = main(
        [str(tmp_path / "left.csv"), str(tmp_path / "right.csv"), "--id", "id",
         "--field", "given_name=given_name", "--field", "surname=surname",
         "--field", "date_of_birth=date_of_birth", "--field", "phone=phone",
         "--out", str(tmp_path / "pairs.csv"), "--clusters", str(tmp_path / "clusters.csv"),
         "--threshold", "0.8"]
    )  # fmt: skip
    assert status == 0
    pairs = read_csv(tmp_path / "pairs.csv")
    assert pairs and all(p["left_id"].endswith("-0") for p in pairs)
    assert all(p["right_id"].endswith("-1") for p in pairs)
    correct = sum(p["left_id"][:8] == p["right_id"][:8] for p in pairs)
    assert correct / len(pairs) >= 0.9
    assert correct / len(right) >= 0.8
    clusters = read_csv(tmp_path / "clusters.csv")
    assert list(clusters[0]) == ["id", "cluster_id", "dataset"]
    assert {c["dataset"] for c in clusters} == {"left", "right"}


def test_evaluate_counts_by_hand(tmp_path, capsys):
    truth = write_csv(
        tmp_path / "truth.csv",
        [{"id": i, "who": w} for i, w in [("a", "1"), ("b", "1"), ("c", "1"), ("d", "2")]],
    )
    pairs = write_csv(
        tmp_path / "pairs.csv",
        [
            {"left_id": "a", "right_id": "b", "match_probability": "0.99"},
            {"left_id": "c", "right_id": "d", "match_probability": "0.95"},
            {"left_id": "b", "right_id": "c", "match_probability": "0.40"},
        ],
    )
    clusters = write_csv(
        tmp_path / "clusters.csv",
        [{"id": i, "cluster_id": c} for i, c in [("a", "x"), ("b", "x"), ("c", "y"), ("d", "y")]],
    )
    capsys.readouterr()
    status = main(
        ["evaluate", str(truth), "--id", "id", "--truth", "who", "--pairs", str(pairs),
         "--clusters", str(clusters), "--threshold", "0.5", "--json"]
    )  # fmt: skip
    assert status == 0
    scores = json.loads(capsys.readouterr().out)
    # 3 true pairs (ab, ac, bc); kept at 0.5: ab (right), cd (wrong)
    assert scores["pairwise"] | {} == {
        "tp": 1, "fp": 1, "fn": 2, "precision": 0.5, "recall": 0.3333, "f1": 0.4
    }  # fmt: skip
    # clusters {a,b} and {c,d}: pairs ab (right) and cd (wrong); no cluster equals a true one
    assert scores["clusters_pairwise"]["tp"] == 1
    assert scores["clusters_pairwise"]["fp"] == 1
    assert scores["clusters_exact"]["tp"] == 0


def test_evaluate_refuses_ids_it_does_not_know(tmp_path, capsys):
    truth = write_csv(tmp_path / "truth.csv", [{"id": "a", "who": "1"}])
    pairs = write_csv(
        tmp_path / "pairs.csv", [{"left_id": "a", "right_id": "zz", "match_probability": "1"}]
    )
    status = main(["evaluate", str(truth), "--id", "id", "--truth", "who", "--pairs", str(pairs)])
    assert status == 2
    assert "unknown id" in capsys.readouterr().err
