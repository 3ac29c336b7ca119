"""Encoded against plaintext cross-script retrieval: what the privacy-preserving encoding costs.

    nice -n 10 .venv/bin/python bench/checks/accuracy.py

The same samples as bench/linkage/cross_script.py (Wikidata Latin <-> Russian and Latin <->
Arabic name tokens, 5,000 distinct pairs each from the evaluation half with a fixed seed, and
the 80 Central Asian full names in central_asian.tsv). Each native-script name is ranked
against all Latin names of its sample three ways, in the same run:

* ``plaintext``: ``tipnet.linkage.best_matches`` (the peer: what a node can do with the names);
* ``encoded``: ``tipnet.linkage.encoding.encoded_best_matches`` with XOR-folding hardening on
  (what the checks app exchanges);
* ``encoded_unhardened``: the same encodings without XOR-folding (a plain Bloom filter of the
  same length), to show what the hardening costs.

It also prints the Dice distribution of true pairs and of the best wrong candidate, and
("bands") the share of pairs that ``strength`` puts in each band on synthetic persons of the
region (``tipnet.linkage.synthetic``: typos, Cyrillic and Latin spellings, partial dates):
pairs of records of one person, pairs of different persons, and namesakes (different persons
given the same name). The strength thresholds were chosen on these. Prints JSON.

``russian_tuning`` and ``arabic_tuning`` draw 5,000 pairs the same way from the other half
(the even positions of the same shuffle): the split to try changes to the encoding on, so that
the evaluation half stays held out. With ``misses`` among the arguments, each set also prints
(to stderr) the queries that plaintext ranks right and the hardened encoding does not, with
the true spelling and the encoding's top candidate: where to look for what the encoding loses
(``accuracy.py arabic_tuning misses``; on the tuning split, never the held-out one).
"""

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "linkage"))

import random

import anyascii
from cross_script import DATA, HERE, N, _rates, _truth, evaluation_sample, load

from tipnet.linkage import best_matches
from tipnet.linkage.encoding import (
    dice,
    encoded_best_matches,
    name_encoding,
    person_encoding,
    strength,
)
from tipnet.linkage.identifiers import parse_partial_date
from tipnet.linkage.synthetic import records

# A fixed benchmark key (not a secret: the result must not depend on which key is used).
KEY = b"tipnet benchmark key 2026, not a secret"


def tuning_sample(rows: list[tuple], seed: int = 7) -> list[tuple]:
    """As ``evaluation_sample``, from the even positions: the half to tune the encoding on."""
    rows = rows[:]
    random.Random(seed).shuffle(rows)  # noqa: S311 - a reproducible sample, not a secret
    seen, sample = set(), []
    for latin, native, person in rows[0::2]:
        key = anyascii.anyascii(latin).lower()
        if key not in seen:
            seen.add(key)
            sample.append((latin, native, person))
        if len(sample) == N:
            break
    return sample


def _dice_quantiles(ranked: list[list[tuple[int, float]]], answers: list[set[int]]) -> dict:
    """Quantiles of the best true candidate's Dice and of the best wrong candidate's Dice."""
    true, wrong = [], []
    for row, answer in zip(ranked, answers, strict=True):
        right = [s for j, s in row if j in answer]
        others = [s for j, s in row if j not in answer]
        if right:
            true.append(max(right))
        if others:
            wrong.append(max(others))
    q = [0.05, 0.25, 0.5]
    return {
        "true_pair_dice_p05_p25_p50": [round(float(x), 3) for x in np.quantile(true, q)],
        "best_wrong_dice_p50_p95_p99": [
            round(float(x), 3) for x in np.quantile(wrong, [0.5, 0.95, 0.99])
        ],
    }


def _print_misses(natives, latins, answers, plain, encoded) -> int:
    """Print the queries plaintext ranks right at top-1 and the encoding does not."""
    count = 0
    for query, p, e, answer in zip(natives, plain, encoded, answers, strict=True):
        if p[0] in answer and e[0] not in answer:
            count += 1
            rank = [i + 1 for i, j in enumerate(e) if j in answer]
            true = ", ".join(latins[j] for j in sorted(answer)[:2])
            print(f"miss\t{query}\t{true}\t{latins[e[0]]}\t{rank}", file=sys.stderr)
    return count


def run(rows: list[tuple], misses: bool = False) -> dict:
    natives, latins, answers = _truth(rows)
    out: dict = {"queries": len(natives), "candidates": len(latins)}
    t = time.perf_counter()
    plain = [[j for j, _ in row] for row in best_matches(natives, latins, k=5)]
    out["plaintext"] = {**_rates(plain, answers), "s": round(time.perf_counter() - t, 2)}
    for label, harden in (("encoded", True), ("encoded_unhardened", False)):
        t = time.perf_counter()
        scored = encoded_best_matches(natives, latins, KEY, k=5, harden=harden)
        seconds = round(time.perf_counter() - t, 2)
        ranked = [[j for j, _ in row] for row in scored]
        out[label] = {**_rates(ranked, answers), "s": seconds, **_dice_quantiles(scored, answers)}
        if misses and harden:
            out["plaintext_hits_encoded_misses"] = _print_misses(
                natives, latins, answers, plain, ranked
            )
    out["encoded_minus_plaintext_top1_points"] = round(
        100 * (out["encoded"]["top1"] - out["plaintext"]["top1"]), 1
    )
    out["hardening_cost_top1_points"] = round(
        100 * (out["encoded_unhardened"]["top1"] - out["encoded"]["top1"]), 1
    )
    return out


def _date(text: str) -> str | None:
    try:
        parse_partial_date(text)
    except ValueError:  # a typo made the date unreadable
        return None
    return text


def _pair_band(a: dict, b: dict) -> str | None:
    encoded = []
    for r in (a, b):
        name = f"{r['given_name']} {r['surname']}"
        encoded.append(
            (
                name_encoding(name, KEY),
                person_encoding(name, _date(r["date_of_birth"]), r["sex"] or None, KEY),
            )
        )
    (name_a, person_a), (name_b, person_b) = encoded
    return strength(dice(name_a, name_b), dice(person_a, person_b), token_match=False)


def bands(n_people: int = 1500, n_pairs: int = 3000) -> dict:
    """Share of pairs in each strength band: one person, different persons, namesakes."""
    by_person: dict[str, list[dict]] = {}
    for r in records(n_people, seed=5):
        by_person.setdefault(r["person"], []).append(r)
    people = list(by_person.values())
    rng = random.Random(1)  # noqa: S311 - a reproducible sample, not a secret
    same = [_pair_band(rs[0], rs[1]) for rs in people if len(rs) > 1]
    pairs = [rng.sample(people, 2) for _ in range(n_pairs)]
    different = [_pair_band(x[0], y[0]) for x, y in pairs]
    namesakes = [
        _pair_band(x[0], dict(y[0], given_name=x[0]["given_name"], surname=x[0]["surname"]))
        for x, y in pairs[: n_pairs // 3]
    ]

    def shares(found: list[str | None]) -> dict:
        return {
            "pairs": len(found),
            "strong": round(found.count("strong") / len(found), 4),
            "possible": round(found.count("possible") / len(found), 4),
            "no_hit": round(found.count(None) / len(found), 4),
        }

    return {
        "same_person": shares(same),
        "different_persons": shares(different),
        "namesakes_other_date_or_sex": shares(namesakes),
    }


def main() -> None:
    out: dict = {"load_average": os.getloadavg()}
    misses = "misses" in sys.argv[1:]
    which = [a for a in sys.argv[1:] if a != "misses"] or [
        "russian",
        "arabic",
        "central_asian",
        "bands",
    ]
    files = {
        "russian": lambda: evaluation_sample(load(DATA / "wikidata_names_en_ru_train.tsv")),
        "arabic": lambda: evaluation_sample(load(DATA / "wikidata_names_en_ar_train.tsv")),
        "central_asian": lambda: load(HERE / "central_asian.tsv"),
        "russian_tuning": lambda: tuning_sample(load(DATA / "wikidata_names_en_ru_train.tsv")),
        "arabic_tuning": lambda: tuning_sample(load(DATA / "wikidata_names_en_ar_train.tsv")),
    }
    for name in which:
        out[name] = bands() if name == "bands" else run(files[name](), misses)
        print(name, json.dumps(out[name]), file=sys.stderr)
    out["load_average_after"] = os.getloadavg()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
