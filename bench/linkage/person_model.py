"""Train the model that explains a person-search match in the cases app, and write it.

    nice -n 10 .venv/bin/python bench/linkage/person_model.py   # about a minute

A person in `cases` has a name as written (one field), a date of birth that may be partial
and a sex, so the model has the roles full_name, date_of_birth and sex. It is trained without
labels, as `tipnet link` trains, on the historical-style records of the seeded generator
(``tipnet.linkage.synthetic.historical_records``, seed 3, 20,000 people: missing fields,
partial and swapped dates, nicknames, both scripts), and written to
``tipnet/linkage/data/person_model.json`` in the layout of ``tipnet link --save-model``.
The run is deterministic up to Splink's sampling, which is seeded.
"""

import sys
from pathlib import Path

from tipnet.linkage.engine import link
from tipnet.linkage.features import prepare_record
from tipnet.linkage.model import save
from tipnet.linkage.pair import PERSON_MODEL, PERSON_ROLES
from tipnet.linkage.synthetic import historical_records

PEOPLE = 20_000
SEED = 3


def main() -> None:
    fields = {
        "full_name": ["given_name", "surname"],
        "date_of_birth": ["date_of_birth"],
        "sex": ["sex"],
    }
    assert set(fields) == PERSON_ROLES
    rows = [
        prepare_record(record, fields, record["id"])
        for record in historical_records(PEOPLE, seed=SEED)
    ]
    with link([rows], PERSON_ROLES, cluster=False) as result:
        estimate = None
        if result.estimate is not None:
            estimate = {
                "precision": result.estimate.precision,
                "recall": result.estimate.recall,
                "f1": result.estimate.f1,
                "pairs": result.estimate.pairs,
            }
        save(PERSON_MODEL, result.model, PERSON_ROLES, len(rows), result.threshold, estimate)
    print(f"{len(rows)} records; model written to {PERSON_MODEL}", file=sys.stderr)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
