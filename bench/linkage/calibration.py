"""How well the model's probabilities match the truth: estimated against true precision.

    nice -n 10 .venv/bin/python bench/linkage/calibration.py --people 10000
    nice -n 10 .venv/bin/python bench/linkage/calibration.py --people 10000 --without sex

Links the seeded synthetic records (``tipnet.linkage.synthetic``, seed 1) with the threshold
the model chooses, and prints one JSON object: the model's estimated precision of the pairs at
that threshold against their true precision (the generator's person ids), and, for the pairs
binned by probability (0.05-0.1, ..., 0.9-0.99, ≥ 0.99), their number, mean probability and
share of true pairs. ``--without`` leaves fields out of the model.

It also measures, on pairs of different synthetic people drawn at random (names as drawn,
before any spelling noise), how much more often fields agree together than the product of
their separate agreement rates, the independence the model assumes (``dependence``).
"""

import argparse
import json
import random
import time
from collections import Counter

from tipnet.linkage.engine import STRONG_LINK, link
from tipnet.linkage.features import prepare_record
from tipnet.linkage.synthetic import FIELDS, person, records

GROUPS = {
    "given_name+sex": ("given", "sex"),
    "given_name+surname": ("given", "surname"),
    "given_name+surname+sex+patronymic": ("given", "surname", "sex", "patronymic"),
}


def dependence(people: int = 20_000, pairs: int = 400_000) -> dict[str, float]:
    """Joint agreement rate of each group of fields / the product of their agreement rates."""
    rng = random.Random(7)  # noqa: S311 - reproducible sample, not secrets
    drawn = [person(i, rng) for i in range(people)]
    agree: Counter[str] = Counter()
    joint: Counter[str] = Counter()
    for _ in range(pairs):
        a, b = rng.sample(drawn, 2)
        same = {key for key in ("given", "surname", "sex", "patronymic") if a[key] == b[key]}
        agree.update(same)
        joint.update(name for name, keys in GROUPS.items() if same.issuperset(keys))
    out = {}
    for name, keys in GROUPS.items():
        product = 1.0
        for key in keys:
            product *= agree[key] / pairs
        out[name] = round(joint[name] / pairs / product, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--without", nargs="*", default=[], choices=sorted(FIELDS))
    options = parser.parse_args()
    generated = list(records(options.people, seed=options.seed))
    truth = {r["id"]: r["person"] for r in generated}
    fields = {k: v for k, v in FIELDS.items() if k not in options.without}
    rows = [prepare_record(r, fields, r["id"]) for r in generated]
    t = time.perf_counter()
    with link([rows], set(fields)) as result:
        estimate = result.estimate
        assert estimate is not None  # the model chose the threshold
        count, true, total = Counter(), Counter(), Counter()
        kept = kept_true = 0
        for a, b, p in result.backend.pairs(result.predictions, False, 0.0):
            key = ">=0.99" if p >= STRONG_LINK else f"{int(p * 10) / 10:.1f}"
            count[key] += 1
            true[key] += truth[a] == truth[b]
            total[key] += p
            if p >= estimate.threshold:
                kept += 1
                kept_true += truth[a] == truth[b]
    out = {
        "people": options.people,
        "records": len(generated),
        "without": options.without,
        "seconds": round(time.perf_counter() - t),
        "threshold": round(estimate.threshold, 4),
        "pairs": kept,
        "estimated_precision": round(estimate.precision, 4),
        "true_precision": round(kept_true / kept, 4) if kept else None,
        "bins": {
            key: {
                "pairs": count[key],
                "mean_p": round(total[key] / count[key], 3),
                "true": round(true[key] / count[key], 3),
            }
            for key in sorted(count)
        },
    }
    out["dependence"] = dependence()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
