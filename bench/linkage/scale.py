"""De-duplicate synthetic person records with `tipnet link`'s engine and measure it.

    nice -n 10 .venv/bin/python bench/linkage/scale.py --people 400000   # about 1,000,000 records
    nice -n 10 .venv/bin/python bench/linkage/scale.py --people 160000 --peer   # with Splink
    nice -n 10 .venv/bin/python bench/linkage/scale.py --people 40000 --backend spark

The records come from the seeded generator in tipnet.linkage.synthetic (typos, part swaps,
Cyrillic and Latin spellings, partial dates). The run goes through the command's own code
(read CSV, normalise, train, score, cluster, write), times each stage and reports peak memory
(the process's maximum resident set, DuckDB included), the number of candidate pairs the
blocking rules generate, pairs scored per second and pairwise precision/recall against the
generator's person ids. Prints one JSON object.

With ``--peer``, Splink configured as its documentation's de-duplication example (the peer of
``messy.py``) then runs on the same CSV in a child process, so that its peak memory is its
own; both are scored by the pairs their clusters imply.

With ``--backend spark`` the model runs on a local Spark session; the peak memory is then the
Python driver's (``peak_rss_gib``) plus the Spark JVM's (``jvm_peak_rss_gib``, its VmHWM), and
``jvm_heap_max_gib`` is the heap the session was given.
"""

import argparse
import csv
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from messy import cluster_score

from tipnet.linkage import cli
from tipnet.linkage.backends import BACKENDS
from tipnet.linkage.engine import blocking_rules, link
from tipnet.linkage.evaluate import Score
from tipnet.linkage.synthetic import FIELDS, records


def generate(path: Path, people: int, seed: int) -> dict[str, str]:
    truth = {}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = None
        for row in records(people, seed=seed):
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
            truth[row["id"]] = row["person"]
    return truth


def count_candidates(result, roles: set[str], n: int) -> int:
    """Exact number of pairs the prediction blocking rules generate (what predict() scores)."""
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    # the engine registered the records as the table "file_1" on the backend's connection
    frame = result.backend.api.register("file_1")
    counts = count_comparisons_from_blocking_rules(
        frame,
        blocking_rules=blocking_rules(roles, n),
        link_type="dedupe_only",
        record_sample_proportion=1.0,
    )
    return int(counts[-1]["cumulative_comparison_count"])


def jvm_memory(backend) -> dict:
    """The Spark JVM's peak resident memory (VmHWM) and its maximum heap, in GiB."""
    jvm = backend.spark.sparkContext._jvm
    pid = int(jvm.java.lang.ProcessHandle.current().pid())
    status = Path(f"/proc/{pid}/status").read_text()
    hwm_kib = int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])
    return {
        "jvm_peak_rss_gib": round(hwm_kib / 2**20, 2),
        "jvm_heap_max_gib": round(jvm.java.lang.Runtime.getRuntime().maxMemory() / 2**30, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=400_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=None, help="default: the model's")
    parser.add_argument("--peer", action="store_true", help="also run Splink on the same CSV")
    parser.add_argument("--backend", choices=BACKENDS, default="duckdb")
    parser.add_argument(
        "--no-count", action="store_true", help="skip counting the candidate pairs (slow on Spark)"
    )
    options = parser.parse_args()
    out: dict = {
        "people": options.people,
        "seed": options.seed,
        "backend": options.backend,
        "cpus": os.cpu_count(),
        "load_average_start": os.getloadavg(),
    }
    work = Path(tempfile.mkdtemp(prefix="tipnet-bench-"))
    source = work / "records.csv"
    t = time.perf_counter()
    truth = generate(source, options.people, options.seed)
    out["records"] = len(truth)
    out["generate_s"] = round(time.perf_counter() - t, 1)
    specs = [f"{role}={cols[0]}" for role, cols in FIELDS.items()]
    stages = {}
    t0 = time.perf_counter()
    roles, rows = cli.load(str(source), "id", specs)
    stages["read_and_normalise_s"] = time.perf_counter() - t0
    marks = []

    def progress(stage: str, total: int) -> None:
        marks.append((stage, time.perf_counter()))
        print(f"[{time.strftime('%H:%M:%S')}] {stage}", file=sys.stderr, flush=True)

    result = link(
        [rows], roles, threshold=options.threshold, backend=options.backend, progress=progress
    )
    del rows
    pairs_path, clusters_path = work / "pairs.csv", work / "clusters.csv"
    t = time.perf_counter()
    marks.append(("write", t))
    n_pairs = cli.write_csv(str(pairs_path), ["l", "r", "p"], result.pairs(), "write pairs")
    n_clustered = cli.write_csv(
        str(clusters_path), ["d", "id", "c"], result.cluster_rows(), "write clusters"
    )
    end = time.perf_counter()
    for (stage, start), (_, stop) in zip(marks, [*marks[1:], ("end", end)], strict=True):
        stages[f"{stage}_s"] = stages.get(f"{stage}_s", 0) + stop - start
    out["stages"] = {k: round(v, 1) for k, v in stages.items()}
    out["total_s"] = round(end - t0, 1)
    out["peak_rss_gib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)
    out["load_average_end"] = os.getloadavg()
    out["threshold"] = round(result.threshold, 4)
    if result.estimate is not None:  # what the model expects of its pairs, without labels
        out["estimate"] = {
            "precision": round(result.estimate.precision, 4),
            "recall": round(result.estimate.recall, 4),
        }
    out["pairs_at_threshold"] = n_pairs
    assigned = {}
    with clusters_path.open() as handle:
        next(handle)
        for line in handle:
            _, uid, cid = line.rstrip("\n").split(",")
            assigned[uid] = cid
    out["clusters_pairwise"] = cluster_score(assigned, truth)
    del assigned
    out["clustered_records"] = n_clustered
    tp = 0
    with pairs_path.open() as handle:
        next(handle)
        for line in handle:
            a, b, _ = line.rstrip("\n").split(",")
            tp += truth[a] == truth[b]
    true_pairs = sum(n * (n - 1) // 2 for n in Counter(truth.values()).values())
    out["pairwise"] = Score(tp, n_pairs - tp, true_pairs - tp).as_dict()
    try:
        if options.no_count:
            raise RuntimeError("not counted (--no-count)")
        t = time.perf_counter()
        out["candidate_pairs"] = count_candidates(result, roles, len(truth))
        out["count_s"] = round(time.perf_counter() - t, 1)
        out["pairs_scored_per_s"] = round(
            out["candidate_pairs"] / stages["score candidate pairs_s"]
        )
    except Exception as error:  # the figure is optional; the run itself is measured above
        out["candidate_pairs_error"] = repr(error)
    if options.backend == "spark":
        out.update(jvm_memory(result.backend))
        out["peak_rss_total_gib"] = round(out["peak_rss_gib"] + out["jvm_peak_rss_gib"], 2)
    result.close()
    if options.peer:
        out["peer"] = run_peer(source, truth)
    print(json.dumps(out, indent=1))


def _peer_child(source: str, clusters_path: str) -> None:
    """In a child process: the documented Splink configuration on the same records."""
    import logging

    import pandas as pd
    from messy import splink_documented

    logging.getLogger("splink").setLevel(logging.ERROR)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False).rename(
        columns={
            "id": "unique_id",
            "given_name": "first_name",
            "date_of_birth": "dob",
            "place": "birth_place",
            "person": "truth",
        }
    )[["unique_id", "first_name", "surname", "dob", "birth_place", "sex", "document", "truth"]]
    frame = frame.replace("", None)
    result = splink_documented(frame)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec
    status = Path("/proc/self/status").read_text()
    hwm_kib = int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])
    result["peak_rss_gib"] = round(hwm_kib / 2**20, 2)
    Path(clusters_path + ".json").write_text(json.dumps(result))


def run_peer(source: Path, truth: dict[str, str]) -> dict:
    import multiprocessing

    clusters_path = str(source.with_name("peer_clusters.csv"))
    child = multiprocessing.get_context("spawn").Process(
        target=_peer_child, args=(str(source), clusters_path)
    )
    child.start()
    child.join()
    return json.loads(Path(clusters_path + ".json").read_text())


if __name__ == "__main__":
    main()
