"""Small builders for case tests: synthetic names and numbers only."""

from tipnet.cases import actions
from tipnet.cases.validation import parse_partial_date


def make_case(user, title: str = "Recruitment for Dubai hotels", **extra):
    extra.setdefault("exploitation_forms", ["labour"])
    extra.setdefault("route", [("UZ", "origin"), ("AE", "destination")])
    return actions.do_create_case(user, title=title, **extra)


def add_person(user, case, name: str, role: str = "suspect", **extra):
    birth = parse_partial_date(extra.pop("birth", ""))
    person = actions.do_create_person(user, full_name=name, birth=birth, **extra)
    chain = "recruiter" if role == "suspect" else ""
    return actions.do_add_person_to_case(user, case, person, role, chain_role=chain)
