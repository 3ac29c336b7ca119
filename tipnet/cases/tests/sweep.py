"""The cases' own part of the standing sweep (tests/test_sweep.py): a task on the other
agency's case, given to one of its users, whose title carries a marker."""

from tipnet.cases import actions

MARKERS = {"case task": "Sweeptasktitle"}
PARAMS = {
    "task_id": {"other": "case_task"},
    # The person search's explanation of a suggested person (cases.explain).
    "cases:person_id": {"other": "case_person"},
}


def build(world, owner, case) -> None:
    task = actions.do_add_task(
        owner, case, title=f"Interview {MARKERS['case task']}", assignee=owner
    )
    world.ids["case_task"] = task.pk
    world.ids["case_person"] = case.case_persons.filter(role="suspect").first().person_id
