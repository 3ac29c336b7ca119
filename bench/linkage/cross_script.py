"""Cross-script name retrieval: for each name in Cyrillic or Arabic, find its Latin form.

    nice -n 10 .venv/bin/python bench/linkage/cross_script.py

Data: Wikidata name tokens (Latin <-> Russian, Latin <-> Arabic; Merhav & Ash, COLING 2018,
CC0) in bench/linkage/data (or $TIPNET_NAMES_DIR), and bench/linkage/data/central_asian.tsv
(80 Central Asian full names in Cyrillic with spellings as found in records; any Latin
spelling of the same person counts as the right answer). For each
language 5,000 distinct pairs are drawn with a fixed seed from the evaluation half of the file
(odd positions after the shuffle; the even half is the only part to look at when changing
the rules). Each native name is ranked against all Latin names of the sample: top-1 and top-5
are the share whose true Latin form is first / among the first five. Peer: anyascii then
Jaro-Winkler on lower case (rapidfuzz cdist), in the same run. Prints JSON.
"""

import csv
import json
import os
import random
import time
from pathlib import Path

import anyascii
import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from tipnet.linkage import best_matches

HERE = Path(__file__).parent / "data"
# the Wikidata name pairs (see data/README.md); another folder with the same files may be named
DATA = Path(os.environ.get("TIPNET_NAMES_DIR", str(HERE)))
N = 5000


def load(path: Path) -> list[tuple[str, str, str]]:
    """(latin, native, person) rows; a file without a person column pairs tokens one to one."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r["latin"], r["native"], r.get("person") or r["native"]) for r in reader]


def evaluation_sample(rows: list[tuple], seed: int = 7) -> list[tuple]:
    rows = rows[:]
    random.Random(seed).shuffle(rows)  # noqa: S311 - a reproducible sample, not a secret
    seen, sample = set(), []
    for latin, native, person in rows[1::2]:
        key = anyascii.anyascii(latin).lower()
        if key not in seen:
            seen.add(key)
            sample.append((latin, native, person))
        if len(sample) == N:
            break
    return sample


def _truth(rows: list[tuple]) -> tuple[list[str], list[str], list[set[int]]]:
    """Queries, candidates and, per query, every candidate that is the same person."""
    latins = list(dict.fromkeys(lat for lat, _, _ in rows))
    index = {lat: i for i, lat in enumerate(latins)}
    natives = list(dict.fromkeys(nat for _, nat, _ in rows))
    person_of = {nat: person for _, nat, person in rows}
    spellings: dict[str, set[int]] = {}
    for lat, _, person in rows:
        spellings.setdefault(person, set()).add(index[lat])
    return natives, latins, [spellings[person_of[n]] for n in natives]


def _rates(ranked: list[list[int]], answers: list[set[int]]) -> dict:
    top1 = np.mean([bool(r[:1]) and r[0] in a for r, a in zip(ranked, answers, strict=True)])
    top5 = np.mean([bool(set(r[:5]) & a) for r, a in zip(ranked, answers, strict=True)])
    return {"top1": round(float(top1), 4), "top5": round(float(top5), 4)}


def peer(natives: list[str], latins: list[str]) -> list[list[int]]:
    matrix = process.cdist(
        [anyascii.anyascii(n).lower() for n in natives],
        [lat.lower() for lat in latins],
        scorer=JaroWinkler.normalized_similarity,
        dtype=np.float32,
        workers=-1,
    )
    return np.argsort(-matrix, axis=1, kind="stable")[:, :5].tolist()


def run(rows: list[tuple]) -> dict:
    natives, latins, answers = _truth(rows)
    out: dict = {"queries": len(natives), "candidates": len(latins)}
    t = time.perf_counter()
    ranked = peer(natives, latins)
    out["peer_anyascii_jw"] = {**_rates(ranked, answers), "s": round(time.perf_counter() - t, 2)}
    t = time.perf_counter()
    ranked = [[j for j, _ in row] for row in best_matches(natives, latins, k=5)]
    out["tipnet"] = {**_rates(ranked, answers), "s": round(time.perf_counter() - t, 2)}
    out["top1_ratio_tipnet_over_peer"] = round(
        out["tipnet"]["top1"] / max(out["peer_anyascii_jw"]["top1"], 1e-9), 3
    )
    return out


def main() -> None:
    out = {"load_average": os.getloadavg()}
    out["russian"] = run(evaluation_sample(load(DATA / "wikidata_names_en_ru_train.tsv")))
    out["arabic"] = run(evaluation_sample(load(DATA / "wikidata_names_en_ar_train.tsv")))
    out["central_asian"] = run(load(HERE / "central_asian.tsv"))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
