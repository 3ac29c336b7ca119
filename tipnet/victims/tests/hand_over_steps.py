"""Steps a hand-over test performs inside a real node process (`tipnet shell -c`), printing JSON.

AE-MOJ's caseworker plans a victim's return to a Tashkent shelter and sends the hand-over;
on UZ-GPO the shelter's caseworker lists it and acknowledges reception. All names are fictional.
"""

import json
from datetime import date, timedelta

from tipnet.accounts.actions import do_create_agency as create_node_agency
from tipnet.accounts.actions import do_create_user
from tipnet.accounts.models import Agency, User
from tipnet.directory.actions import do_create_agency
from tipnet.directory.models import Agency as DirectoryAgency
from tipnet.directory.models import Country

PASSWORD = "Correct-horse-battery-9"
SHELTER = "Oydin shelter (fictional)"
NAME, FAMILY = "Гулнора", "Rakhimova"


def _shelter() -> DirectoryAgency:
    found = DirectoryAgency.objects.filter(country_id="UZ", name_en=SHELTER).first()
    data = {"country": Country.objects.get(code="UZ"), "kind": "ngo", "name_en": SHELTER}
    return found or do_create_agency(None, data)


def _caseworker(username: str, code: str, country: str, directory=None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        agency = Agency.objects.filter(code=code).first()
        agency = agency or create_node_agency(None, code, f"{code} (fictional)", country)
        if directory is not None:
            agency.directory_agency = directory
            agency.save(update_fields=["directory_agency"])
        user = do_create_user(None, username, PASSWORD, agency, ["caseworker"], username.title())
    return user


def _consent(user, victim, purpose: str, recipient=None) -> None:
    from tipnet.victims.actions import do_give_consent

    data = {"purpose": purpose, "recipient": recipient, "given_on": date.today()}
    do_give_consent(user, victim, data | {"language": "uz", "explained_by": "Caseworker"})


def send(with_identity: bool) -> None:
    """On AE-MOJ: register a victim, record consents, plan the return and send the hand-over."""
    from tipnet.victims.actions import do_plan_return, do_register_victim
    from tipnet.victims.link import do_send_hand_over

    user, shelter = _caseworker("caseworker_ae", "AE-SHELTER", "AE"), _shelter()
    data = {"given_name": NAME, "family_name": FAMILY, "phone": "+971501234567"}
    victim = do_register_victim(user, data | {"sex": "female", "nationality": "UZ"})
    _consent(user, victim, "return")
    if with_identity:
        _consent(user, victim, "data_sharing", shelter)
    steps = {"from_country": "AE", "to_country": "UZ", "receiving_service": shelter}
    steps |= {"travel_documents": "Certificate of return", "reception_point": "Tashkent airport"}
    plan = do_plan_return(user, victim, steps | {"travel_on": date.today() + timedelta(days=2)})
    sent = do_send_hand_over(user, plan)
    print(json.dumps({"code": victim.code, "to": sent.recipient_node}))


def prepare_receiver() -> None:
    """On UZ-GPO: the shelter in the directory and its caseworker."""
    user = _caseworker("caseworker_oydin", "UZ-OYDIN", "UZ", _shelter())
    print(json.dumps({"username": user.username}))


def incoming() -> None:
    """On UZ-GPO: the hand-overs the shelter's caseworker sees, as they see them."""
    from tipnet.victims.access import access_incoming_hand_overs

    user = User.objects.get(username="caseworker_oydin")
    rows = [
        {"code": h.code, "identity": h.has_identity, "name": h.given_name, "from": h.from_node}
        for h in access_incoming_hand_overs(user)
    ]
    print(json.dumps(rows, ensure_ascii=False))


def acknowledge(code: str) -> None:
    """On UZ-GPO: acknowledge reception of the hand-over of `code`."""
    from tipnet.victims.access import access_incoming_hand_overs
    from tipnet.victims.link import do_acknowledge_hand_over

    user = User.objects.get(username="caseworker_oydin")
    do_acknowledge_hand_over(user, access_incoming_hand_overs(user).get(code=code))
    print(json.dumps({"acknowledged": code}))


def plan_of(code: str) -> None:
    """On AE-MOJ: the return plan of `code` as its caseworker sees it."""
    from tipnet.victims.models import RepatriationPlan

    plan = RepatriationPlan.objects.get(victim__code=code)
    sent = plan.sendings.get()
    stamp = plan.handed_over_at and plan.handed_over_at.isoformat()
    received = sent.received_at and sent.received_at.isoformat()
    print(json.dumps({"handed_over_at": stamp, "received_at": received}))
