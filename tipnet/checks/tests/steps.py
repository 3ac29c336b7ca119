"""Steps the real-node tests run inside a node's process (`tipnet shell -c`); each prints JSON."""

import base64
import json

from django.core.exceptions import ValidationError

from tipnet.accounts.models import Agency, User, UserRole
from tipnet.cases.actions import do_add_identifier
from tipnet.cases.models import Case
from tipnet.checks import access, actions
from tipnet.checks.demo import BIRTH, _add_suspect, _suspect_row
from tipnet.checks.models import Hit, IncomingCheck, OutgoingCheck
from tipnet.exchange.models import OutboxWire

PASSWORD = "Correct-horse-battery-9"
PASSPORT = "AB7654321"


def _out(value) -> None:
    print(json.dumps(value, default=str))


def _user(username: str, agency: Agency, *roles: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, password=PASSWORD, agency=agency)
        UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles])
    return user


def seed(node_id: str, country: str, name: str, title: str) -> None:
    """An agency, an investigator, an officer of another agency, and a case with `name`."""
    from tipnet.cases.actions import do_create_case

    agency = Agency.objects.get_or_create(code=node_id, name=node_id, country=country)[0]
    other = Agency.objects.get_or_create(code=f"{country}-NGO", name="NGO", country=country)[0]
    investigator = _user("investigator", agency, "investigator")
    _user("stranger", other, "investigator")
    _user("analyst", agency, "analyst")
    case = do_create_case(
        investigator, title=title, route=[("UZ", "origin"), ("AE", "destination")]
    )
    row = _add_suspect(investigator, case, name) if name else None
    if row is not None and country == "UZ":
        do_add_identifier(investigator, row.person, "passport", PASSPORT, "UZ")
    lonely = None
    if country == "UZ":
        from tipnet.cases.actions import do_add_person_to_case, do_create_person

        person = do_create_person(investigator, full_name="Юсупов", sex="male")
        lonely = do_add_person_to_case(investigator, case, person, "suspect").pk
    _out(
        {
            "case": case.pk,
            "reference": case.reference,
            "row": row.pk if row else None,
            "lonely": lonely,
        }
    )


def check(case_id: int, row_ids: list[int], nodes: list[str], username: str = "investigator"):
    user = User.objects.get(username=username)
    case = Case.objects.get(pk=case_id)
    rows = [case.case_persons.get(pk=r) for r in row_ids]
    try:
        made = actions.do_check(user, case, rows, nodes, "untoc_27")
    except ValidationError as exc:
        _out({"refused": exc.messages})
        return
    _out({"checks": [str(c.uid) for c in made]})


def results(case_id: int) -> None:
    _out(
        [
            {
                "node": c.node,
                "result": c.result,
                "strength": c.strength,
                "reference": c.reference,
                "reason": c.reason,
            }
            for c in OutgoingCheck.objects.filter(case_id=case_id).order_by("id")
        ]
    )


def received() -> None:
    _out(
        [
            {"sender": i.sender, "result": i.result, "reason": i.reason}
            for i in IncomingCheck.objects.order_by("id")
        ]
    )


def wires() -> None:
    """The sealed bytes of every check message this node sent, as they went on the wire."""
    rows = OutboxWire.objects.filter(outbox__type__startswith="check.").select_related("outbox")
    _out([[r.outbox.recipient, base64.b64encode(bytes(r.wire)).decode()] for r in rows])


def resolve(reference: str, username: str) -> None:
    """Whether `username` on this node may resolve the reference, and to whom."""
    from django.http import Http404

    user = User.objects.get(username=username)
    try:
        hit = access.access_hit(user, reference)
    except Http404:
        _out({"resolved": False})
        return
    _out({"resolved": True, "name": hit.person.full_name})


def hits() -> None:
    _out([h.reference for h in Hit.objects.all()])


def demo_row(name: str) -> None:
    case = Case.objects.order_by("id").last()
    assert case is not None
    row = _suspect_row(case, name)
    _out({"case": case.pk, "row": row.pk if row else None, "birth": str(BIRTH)})
