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
  same encodings, one query against the whole index, top 10 at threshold 0 (the peer).

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
from tipnet.linkage.encoding import CLK_BYTES, EncodingIndex, dice_many, person_encoding
from tipnet.linkage.synthetic import records

KEY = b"tipnet benchmark key 2026, not a secret"
QUERIES = 200


def _name(record: dict) -> str:
    return " ".join(x for x in (record["given_name"], record["surname"]) if x)


def _encode(rows: list[dict]) -> list[bytes]:
    out = []
    for r in rows:
        try:
            out.append(person_encoding(_name(r), r["date_of_birth"], r["sex"] or None, KEY))
        except ValueError:  # a typo made the date unreadable: encode without it
            out.append(person_encoding(_name(r), None, r["sex"] or None, KEY))
    return out


def _percentiles(seconds: list[float]) -> dict:
    p50, p95, p99 = np.percentile(np.asarray(seconds) * 1000, [50, 95, 99])
    return {
        "p50_ms": round(float(p50), 1),
        "p95_ms": round(float(p95), 1),
        "p99_ms": round(float(p99), 1),
    }


def main() -> None:
    n_index = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    n_encoded = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    out: dict = {"load_average": os.getloadavg(), "n_index": n_index, "n_encoded": n_encoded}
    rows = list(records(n_encoded // 2 + QUERIES, seed=11, max_records=4))
    index_rows, query_rows = rows[:n_encoded], rows[n_encoded : n_encoded + QUERIES]

    for cache in (encoding._gram_features, encoding._embeddings, encoding._positions):
        cache.cache_clear()
    t = time.perf_counter()
    real = _encode(index_rows)
    build = time.perf_counter() - t
    out["build_persons_per_s"] = round(n_encoded / build)
    out["build_s_for_1m_estimated"] = round(1_000_000 / (n_encoded / build))

    real_matrix = encoding.encoding_matrix(real)
    density = np.unpackbits(real_matrix, axis=1).mean(axis=0)
    out["set_bits_share"] = round(float(density.mean()), 3)
    rng = np.random.default_rng(5)
    filler_bits = rng.random((n_index - n_encoded, CLK_BYTES * 8), dtype=np.float32) < density
    matrix = np.concatenate([real_matrix, np.packbits(filler_bits, axis=1)])
    del filler_bits
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    index = EncodingIndex(matrix)
    out["index_from_matrix_s"] = round(time.perf_counter() - t, 2)
    out["index_mb"] = round(index.nbytes / 1e6, 1)
    out["row_matrix_mb"] = round(matrix.nbytes / 1e6, 1)
    out["max_rss_mb_before_index"] = round(rss_before / 1024, 1)
    queries = _encode(query_rows)

    latencies, hits = [], 0
    for q, r in zip(queries, query_rows, strict=True):
        t = time.perf_counter()
        top = index.top(q, 10)
        latencies.append(time.perf_counter() - t)
        hits += any(j < n_encoded and index_rows[j]["person"] == r["person"] for j, _ in top[:1])
    out["tipnet_index_top10"] = _percentiles(latencies)
    out["top1_is_same_synthetic_person"] = round(hits / QUERIES, 3)

    latencies = []
    for q in queries[:50]:
        t = time.perf_counter()
        dice_many(q, matrix)
        latencies.append(time.perf_counter() - t)
    out["tipnet_dice_many_row_matrix"] = _percentiles(latencies)

    t = time.perf_counter()
    clks = []
    for row in matrix:
        bits = bitarray(endian="big")
        bits.frombytes(row.tobytes())
        clks.append(bits)
    out["anonlink_convert_s"] = round(time.perf_counter() - t, 1)
    latencies, agree = [], 0
    for q in queries[:50]:
        qbits = bitarray(endian="big")
        qbits.frombytes(q)
        t = time.perf_counter()
        scores, _ = dice_coefficient_accelerated([[qbits], clks], threshold=0.0, k=10)
        latencies.append(time.perf_counter() - t)
        mine = index.top(q, 1)[0]
        agree += abs(float(scores[0]) - mine[1]) < 1e-6
    out["anonlink_top10"] = _percentiles(latencies)
    out["anonlink_same_best_score"] = f"{agree}/50"
    out["p95_ratio_anonlink_over_tipnet"] = round(
        out["anonlink_top10"]["p95_ms"] / out["tipnet_index_top10"]["p95_ms"], 2
    )
    out["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["load_average_after"] = os.getloadavg()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
