"""`tipnet link evaluate`: precision, recall and F1 of PAIRS/CLUSTERS against a ground truth."""

import argparse
import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass

from tipnet.linkage.csvio import UsageError, read_csv

# (dataset, record id) -> the true entity of the record
Labels = dict[tuple[str, str], str]

LEFT, RIGHT = "left", "right"


@dataclass
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            **asdict(self),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def truth_labels(paths: list[str], id_column: str, truth_column: str) -> Labels:
    """Map (dataset, id) to the true entity of every record of the truth file(s)."""
    labels = {}
    for dataset, path in zip((LEFT, RIGHT), paths, strict=False):
        columns, rows = read_csv(path)
        for column in (id_column, truth_column):
            if column not in columns:
                raise UsageError(f"no column {column!r} in {path}.")
        for row in rows:
            labels[(dataset, row[id_column].strip())] = row[truth_column].strip()
    return labels


def _count_true_pairs(labels: Labels, is_link: bool) -> int:
    sizes = Counter((ds, label) for (ds, _), label in labels.items())
    if is_link:
        return sum(
            n * sizes.get((RIGHT, label), 0) for (ds, label), n in sizes.items() if ds == LEFT
        )
    return sum(n * (n - 1) // 2 for n in sizes.values())


def pairwise_score(pairs_path: str, labels: Labels, is_link: bool, threshold: float) -> Score:
    """Score the pairs at or above ``threshold`` against the truth."""
    _, rows = read_csv(pairs_path)
    tp = fp = 0
    for row in rows:
        try:
            probability = float(row["match_probability"])
            left = labels[(LEFT, row["left_id"])]
            right = labels[(RIGHT if is_link else LEFT, row["right_id"])]
        except KeyError as error:
            raise UsageError(f"{pairs_path}: unknown id or missing column {error}.") from None
        except ValueError:
            raise UsageError(f"{pairs_path}: match_probability is not a number.") from None
        if probability >= threshold:
            tp, fp = (tp + 1, fp) if left == right else (tp, fp + 1)
    return Score(tp, fp, _count_true_pairs(labels, is_link) - tp)


def cluster_scores(clusters_path: str, labels: Labels, is_link: bool) -> dict[str, Score]:
    """Pairwise scores of the pairs the clusters imply, and exact-cluster scores."""
    _, rows = read_csv(clusters_path)
    assigned: dict[tuple[str, str], str] = {}  # (dataset, id) -> cluster id
    for row in rows:
        key = (row.get("dataset", LEFT) if is_link else LEFT, row.get("id"))
        if key not in labels or not row.get("cluster_id"):
            raise UsageError(f"{clusters_path}: unknown id or missing cluster_id: {row}.")
        assigned[key] = row["cluster_id"]
    cells = Counter((cluster, ds, labels[(ds, uid)]) for (ds, uid), cluster in assigned.items())
    per_cluster = Counter((cluster, ds) for (ds, _), cluster in assigned.items())
    if is_link:
        predicted = sum(
            n * per_cluster.get((c, RIGHT), 0) for (c, ds), n in per_cluster.items() if ds == LEFT
        )
        tp = sum(n * cells.get((c, RIGHT, t), 0) for (c, ds, t), n in cells.items() if ds == LEFT)
    else:
        predicted = sum(n * (n - 1) // 2 for n in per_cluster.values())
        tp = sum(n * (n - 1) // 2 for n in cells.values())
    pairwise = Score(tp, predicted - tp, _count_true_pairs(labels, is_link) - tp)
    members: dict[str, set[tuple[str, str]]] = {}
    for key, cluster in assigned.items():
        members.setdefault(cluster, set()).add(key)
    truth: dict[str, set[tuple[str, str]]] = {}
    for key, label in labels.items():
        truth.setdefault(label, set()).add(key)
    true_sets = {frozenset(s) for s in truth.values()}
    exact = sum(frozenset(s) in true_sets for s in members.values())
    return {
        "clusters_pairwise": pairwise,
        "clusters_exact": Score(exact, len(members) - exact, len(true_sets) - exact),
    }


def main(argv: list[str]) -> int:
    """Entry point of `tipnet link evaluate`."""
    parser = argparse.ArgumentParser(
        prog="tipnet link evaluate",
        description="Compare PAIRS.csv and CLUSTERS.csv from `tipnet link` with a ground-truth "
        "column of the input file(s): records with the same value are the same person.",
    )
    parser.add_argument("inputs", nargs="+", metavar="FILE.csv")
    parser.add_argument("--id", required=True, dest="id_column")
    parser.add_argument("--truth", required=True, metavar="COLUMN")
    parser.add_argument("--pairs", required=True)
    parser.add_argument("--clusters")
    parser.add_argument("--threshold", type=float, default=0.0, metavar="P")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    options = parser.parse_args(argv)
    try:
        if len(options.inputs) > 2:
            raise UsageError("give the one or two input files the pairs came from.")
        is_link = len(options.inputs) == 2
        labels = truth_labels(options.inputs, options.id_column, options.truth)
        scores = {"pairwise": pairwise_score(options.pairs, labels, is_link, options.threshold)}
        if options.clusters:
            scores.update(cluster_scores(options.clusters, labels, is_link))
    except UsageError as error:
        print(f"tipnet link evaluate: error: {error}", file=sys.stderr)
        return 2
    if options.json:
        print(json.dumps({name: s.as_dict() for name, s in scores.items()}, indent=1))
        return 0
    print(f"{'':18} {'precision':>9} {'recall':>7} {'f1':>7} {'tp':>8} {'fp':>8} {'fn':>8}")
    for name, s in scores.items():
        print(
            f"{name:18} {s.precision:9.4f} {s.recall:7.4f} {s.f1:7.4f} {s.tp:8} {s.fp:8} {s.fn:8}"
        )
    return 0
