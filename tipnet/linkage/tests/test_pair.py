"""Explaining two person records given as plain fields (``tipnet.linkage.pair``)."""

import json

import pytest

from tipnet.linkage.model import ModelError
from tipnet.linkage.pair import PERSON_MODEL, PERSON_ROLES, explain_pair


def test_the_kept_model_is_made_for_the_persons_roles():
    document = json.loads(PERSON_MODEL.read_text(encoding="utf-8"))
    assert set(document["roles"]) == PERSON_ROLES
    assert document["training_records"] > 10_000


def test_each_comparison_gets_its_level_and_a_missing_field_weighs_nothing():
    steps, probability = explain_pair(
        {"full_name": "Shukhrat Yusupov", "date_of_birth": "1985"},
        {"full_name": "Шухрат Юсупов", "date_of_birth": "1985-03-14", "sex": "male"},
    )
    levels = {step.comparison: (step.level, step.match_weight) for step in steps}
    assert list(levels) == ["prior", "full_name", "date_of_birth", "sex"]
    assert levels["full_name"][1] > 5
    assert levels["date_of_birth"][0] == "partial date that agrees"
    assert levels["date_of_birth"][1] > 0
    assert levels["sex"] == ("sex is NULL", 0.0)
    assert 0.0 <= probability <= 1.0


def test_a_role_the_model_does_not_know_is_refused():
    with pytest.raises(ValueError, match="phone"):
        explain_pair({"full_name": "A B", "phone": "+998901234567"}, {"full_name": "A B"})


def test_a_model_made_for_other_roles_is_refused(tmp_path):
    document = json.loads(PERSON_MODEL.read_text(encoding="utf-8"))
    document["roles"] = ["given_name", "surname"]
    other = tmp_path / "other.json"
    other.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ModelError, match="roles"):
        explain_pair({"full_name": "A B"}, {"full_name": "A B"}, model_path=other)
