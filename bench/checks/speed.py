"""One check against 1,000,000 encoded persons: latency, build rate and memory, beside anonlink.

    nice -n 10 .venv/bin/python bench/checks/speed.py [n_index] [n_encoded]

The index holds ``n_index`` (default 1,000,000) person encodings. ``n_encoded`` (default
50,000) of them are real: person encodings (name, date of birth, sex) of records drawn by
``tipnet.linkage.synthetic`` (Central Asian names in Cyrillic and Latin spellings, with typos
and partial dates), encoded with caches cleared, which gives the build rate. The rest are
random bit vectors with the same share of set bits per position as the real ones, so that the
scan does the same work (its cost does not depend on what the bits mean); encoding all
1,000,000 would take the build time printed as ``build_s_for_1m_estimated``.

Measured, in the same run:

* ``tipnet``: ``EncodingIndex.top(query, 10)`` (numpy popcount over 64-bit word planes), and
  ``dice_many`` on the plain row matrix;
* ``anonlink``: ``anonlink.similarities.dice_coefficient_accelerated`` (C++ popcount) on the
  same encodings, one query against the whole index, top 10 at Dice >= 0.5 (the peer; at
  threshold 0 it is slower still).

Each query is a person encoding of another record of the synthetic people, so the top hits
are meaningful; latency percentiles over 200 queries. Prints JSON with the load average.
"""

import json
import os
import resource
import sys
import time
import warnings

import numpy as np
import setuptools  # noqa: F401 - anonlink imports pkg_resources, which setuptools provides

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from anonlink.similarities import dice_coefficient_accelerated
from bitarray import bitarray

from tipnet.linkage import encoding
from tipnet.linkage.encoding import CLK_BYTES, EncodingIndex, dice_many, person_encodings
from tipnet.linkage.identifiers import parse_partial_date
from tipnet.linkage.synthetic import records

KEY = b"tipnet benchmark key 2026, not a secret"
QUERIES = 200
PEER_QUERIES = 20  # anonlink and the row-matrix scan are slower: fewer queries
# anonlink keeps only pairs at or above a threshold; the lowest band of a hit starts here
PEER_THRESHOLD = 0.5


def _name(record: dict) -> str:
    return " ".join(x for x in (record["given_name"], record["surname"]) if x)


def _date(text: str) -> str | None:
    try:
        parse_partial_date(text)
    except ValueError:  # a typo made the date unreadable: encode without it
        return None
    return text


def _encode(rows: list[dict]) -> np.ndarray:
    persons = [(_name(r), _date(r["date_of_birth"]), r["sex"] or None) for r in rows]
    return person_encodings(persons, KEY)


def _split(n_index: int) -> tuple[list[dict], list[dict]]:
    """Index records and query records: each query is the last record of a person whose other
    records are in the index."""
    by_person: dict[str, list[dict]] = {}
    for r in records(n_index, seed=11, max_records=4):
        by_person.setdefault(r["person"], []).append(r)
    index_rows, query_rows = [], []
    for rows in by_person.values():
        if len(query_rows) < QUERIES and len(rows) > 1:
            query_rows.append(rows.pop())
        index_rows.extend(rows)
    return index_rows[:n_index], query_rows


class Clock:
    """Wall-clock and CPU time of each timed call: on a shared machine the wall clock also
    counts the time other processes hold the cores, the CPU time only this one's work."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> "Clock":
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall.append(time.perf_counter() - self._wall)
        self.cpu.append(time.process_time() - self._cpu)

    def summary(self) -> dict:
        wall = np.percentile(np.asarray(self.wall) * 1000, [50, 95, 99])
        cpu = np.percentile(np.asarray(self.cpu) * 1000, [50, 95])
        return {
            "wall_p50_p95_p99_ms": [round(float(x), 1) for x in wall],
            "cpu_p50_p95_ms": [round(float(x), 1) for x in cpu],
        }


def main() -> None:
    n_index = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    n_encoded = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    out: dict = {"load_average": os.getloadavg(), "n_index": n_index, "n_encoded": n_encoded}
    index_rows, query_rows = _split(n_encoded)
    n_encoded = len(index_rows)

    for cache in (encoding._gram_features, encoding._gram_positions, encoding._feature_positions):
        cache.cache_clear()
    encoding._EMBEDDINGS.clear()
    build = Clock()
    with build:
        real = _encode(index_rows)
    out["build_persons_per_s_wall"] = round(n_encoded / build.wall[0])
    out["build_persons_per_s_cpu"] = round(n_encoded / build.cpu[0])
    out["build_s_for_1m_estimated_cpu"] = round(1_000_000 / (n_encoded / build.cpu[0]))

    real_matrix = real
    density = np.unpackbits(real_matrix, axis=1).mean(axis=0)
    out["set_bits_share"] = round(float(density.mean()), 3)
    rng = np.random.default_rng(5)
    filler = []
    for start in range(n_encoded, n_index, 50_000):
        size = min(50_000, n_index - start)
        bits = rng.random((size, CLK_BYTES * 8), dtype=np.float32) < density
        filler.append(np.packbits(bits, axis=1))
    matrix = np.concatenate([real_matrix, *filler])
    del filler
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    index = EncodingIndex(matrix)
    out["index_from_matrix_s"] = round(time.perf_counter() - t, 2)
    out["index_mb"] = round(index.nbytes / 1e6, 1)
    out["row_matrix_mb"] = round(matrix.nbytes / 1e6, 1)
    out["max_rss_mb_before_index"] = round(rss_before / 1024, 1)
    queries = _encode(query_rows)

    clock, hits = Clock(), 0
    for q_row, r in zip(queries, query_rows, strict=True):
        q = q_row.tobytes()
        with clock:
            top = index.top(q, 10)
        hits += any(j < n_encoded and index_rows[j]["person"] == r["person"] for j, _ in top[:1])
    out["tipnet_index_top10"] = clock.summary()
    out["top1_is_same_synthetic_person"] = round(hits / len(query_rows), 3)

    clock = Clock()
    for q_row in queries[:PEER_QUERIES]:
        with clock:
            dice_many(q_row.tobytes(), matrix)
    out["tipnet_dice_many_row_matrix"] = clock.summary()

    t = time.perf_counter()
    clks = []
    for row in matrix:
        bits = bitarray(endian="big")
        bits.frombytes(row.tobytes())
        clks.append(bits)
    out["anonlink_convert_s"] = round(time.perf_counter() - t, 1)
    clock, agree = Clock(), 0
    for q_row in queries[:PEER_QUERIES]:
        q = q_row.tobytes()
        qbits = bitarray(endian="big")
        qbits.frombytes(q)
        with clock:
            scores, _ = dice_coefficient_accelerated(
                [[qbits], clks], threshold=PEER_THRESHOLD, k=10
            )
        mine = index.top(q, 1)[0]
        agree += bool(len(scores)) and abs(float(scores[0]) - mine[1]) < 1e-6
    out["anonlink_top10"] = clock.summary()
    out["anonlink_same_best_score"] = f"{agree}/{PEER_QUERIES}"
    out["cpu_p95_ratio_anonlink_over_tipnet"] = round(
        out["anonlink_top10"]["cpu_p50_p95_ms"][1]
        / max(out["tipnet_index_top10"]["cpu_p50_p95_ms"][1], 1e-3),
        2,
    )
    out["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["load_average_after"] = os.getloadavg()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
