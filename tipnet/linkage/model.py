"""A trained linkage model kept in a file, and the explanation of one pair's score.

The file is JSON: ``format`` and ``version`` of this layout, the tipnet version that wrote it,
the roles it was trained for, the size of its training data, the threshold chosen then with the
model's own estimates, and Splink's trained settings (prior, and m and u of every level).
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = "tipnet-link-model"
VERSION = 1


class ModelError(ValueError):
    """A model file that cannot be used for this run (unreadable, other layout, other roles)."""


def save(
    path: str | Path,
    splink_model: dict[str, Any],
    roles: set[str],
    training_records: int,
    threshold: float,
    estimate: dict[str, float] | None,
) -> None:
    """Write the model of a finished run to ``path``."""
    import tipnet

    document = {
        "format": FORMAT,
        "version": VERSION,
        "tipnet_version": tipnet.__version__,
        "roles": sorted(roles),
        "training_records": training_records,
        "link_type": splink_model.get("link_type"),
        "threshold": threshold,
        "estimate": estimate,
        "splink": splink_model,
    }
    Path(path).write_text(json.dumps(document, indent=1), encoding="utf-8")


def load(path: str | Path, roles: set[str]) -> dict[str, Any]:
    """Read a model file and check it was made for ``roles``; return the whole document."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"cannot read the model {path}: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelError(f"{path} is not a tipnet link model.")
    if document.get("version") != VERSION:
        raise ModelError(
            f"{path} is a model of layout version {document.get('version')}; "
            f"this tipnet reads version {VERSION}: train it again with --save-model."
        )
    made_for = set(document.get("roles") or [])
    if made_for != roles:
        raise ModelError(
            f"the model {path} was made for the roles {', '.join(sorted(made_for))}; "
            f"this run gives {', '.join(sorted(roles))}. Give the same --field roles "
            "or train a new model with --save-model."
        )
    if not isinstance(document.get("splink"), dict):
        raise ModelError(f"{path} holds no trained parameters.")
    return document


@dataclass(frozen=True)
class Step:
    """One bar of the waterfall: a comparison, the level the pair reached and its weight."""

    comparison: str
    level: str
    match_weight: float


def waterfall(model: dict[str, Any], row: dict[str, Any]) -> list[Step]:
    """The waterfall of one scored pair: prior, each comparison's level and match weight.

    ``row`` is a row of Splink's comparison output with its intermediate columns
    (``gamma_<comparison>``, ``mw_<comparison>`` and ``mw_tf_adj_<comparison>``: the level
    and its match weight, log2 of m/u, plus the term-frequency adjustment of common values).
    """
    prior = model["probability_two_random_records_match"]
    steps = [Step("prior", "two random records", math.log2(prior / (1 - prior)))]
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        gamma = row.get(f"gamma_{name}")
        label = next(
            (
                level.get("label_for_charts", "")
                for level in comparison["comparison_levels"]
                if level.get("comparison_vector_value", _vector_value(comparison, level)) == gamma
            ),
            str(gamma),
        )
        weight = float(row.get(f"mw_{name}") or 0.0) + float(row.get(f"mw_tf_adj_{name}") or 0.0)
        steps.append(Step(name, label, weight))
    return steps


def _vector_value(comparison: dict[str, Any], level: dict[str, Any]) -> int:
    """Splink numbers levels from the last (0) upwards; the null level is -1."""
    if level.get("is_null_level"):
        return -1
    levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
    return len(levels) - 1 - levels.index(level)


def format_waterfall(steps: list[Step], probability: float) -> str:
    """Render the waterfall as a plain-text table, with the running total and probability."""
    width = max(len(s.comparison) for s in steps)
    level_width = max(len(s.level) for s in steps)
    lines = [f"{'comparison':{width}}  {'level':{level_width}}  {'weight':>7}  {'total':>7}"]
    total = 0.0
    for step in steps:
        total += step.match_weight
        lines.append(
            f"{step.comparison:{width}}  {step.level:{level_width}}  "
            f"{step.match_weight:7.2f}  {total:7.2f}"
        )
    lines.append(f"match probability {probability:.4f} (weight {total:.2f})")
    return "\n".join(lines)
