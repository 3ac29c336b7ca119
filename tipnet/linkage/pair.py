"""Explain how the linkage model scores two person records given as plain fields.

The cases app uses this to show, for a person that a search suggests, the same waterfall as
``tipnet link explain``: each comparison's level and match weight. It scores with a model kept
in a file (``PERSON_MODEL``, built by ``bench/linkage/person_model.py``), so nothing is trained
while a page waits. Two records alone say nothing about how common a name is, so the
term-frequency adjustment is left out: the weights are those of the level itself.
"""

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from tipnet.linkage.model import Step

# The roles a person of the cases app has: the name as written, a date of birth that may be
# only a year or a month, and a sex.
PERSON_ROLES = frozenset({"full_name", "date_of_birth", "sex"})
PERSON_MODEL = Path(__file__).parent / "data" / "person_model.json"


@lru_cache(maxsize=4)
def _model(path: str) -> dict[str, Any]:
    from tipnet.linkage.model import load

    trained: dict[str, Any] = load(path, set(PERSON_ROLES))["splink"]
    return trained


def explain_pair(
    left: Mapping[str, str | None],
    right: Mapping[str, str | None],
    model_path: str | Path = PERSON_MODEL,
) -> tuple[list[Step], float]:
    """Return the waterfall (prior first, then one step per comparison) and the probability.

    ``left`` and ``right`` map roles of ``PERSON_ROLES`` to raw values (a name in any script,
    a date as YYYY, YYYY-MM or YYYY-MM-DD, a sex); a missing or empty value reaches the
    comparison's null level, which weighs nothing. Raises ``ModelError`` for a model file made
    for other roles and ``ValueError`` for a role the model does not know.
    """
    from tipnet.linkage.engine import explain
    from tipnet.linkage.features import learned_spellings, prepare_record

    unknown = (set(left) | set(right)) - PERSON_ROLES
    if unknown:
        raise ValueError("roles the person model does not know: " + ", ".join(sorted(unknown)))
    fields = {role: [role] for role in PERSON_ROLES}
    rows = [prepare_record(left, fields, "left"), prepare_record(right, fields, "right")]
    learned_spellings([rows])
    model = _model(str(model_path))
    return explain([rows], set(PERSON_ROLES), model, "left", "right", term_frequencies=False)
