"""Steps a cooperation test performs inside a real node process (`tipnet shell -c`), printing
JSON: what an investigator would do on the node's pages, through the app's own actions."""

import base64
import json

from tipnet.accounts.actions import do_create_agency, do_create_user
from tipnet.accounts.models import Agency, User

PASSWORD = "Correct-horse-battery-9"


def _officer() -> User:
    from django.conf import settings

    user = User.objects.filter(username="investigator").first()
    if user is None:
        node = settings.TIPNET_NODE_ID
        agency = Agency.objects.filter(code=node).first() or do_create_agency(
            None, node, f"{node} police (fictional)", settings.TIPNET_NODE_COUNTRY
        )
        user = do_create_user(None, "investigator", PASSWORD, agency, ["investigator"], "Officer")
    return user


def _thread(uid: str):
    from tipnet.cooperation.models import Thread

    return Thread.objects.get(uid=uid)


def send(recipient: str, kind: str, code: str) -> None:
    """Open a case with a suspect and send it to `recipient`; print the thread uid."""
    from tipnet.cases import actions as cases
    from tipnet.cooperation import actions

    officer = _officer()
    case = cases.do_create_case(
        officer, title="Recruiters of dancers", summary="Fictional.", route=[("UZ", "origin")]
    )
    person = cases.do_create_person(officer, full_name="Malika Tursunova (fictional)")
    row = cases.do_add_person_to_case(officer, case, person, "suspect", "recruiter")
    cases.do_add_identifier(officer, person, "phone", "+998935550101")
    thread = actions.do_send(
        officer,
        case,
        kind=kind,
        recipient=recipient,
        subject="Recruiter of dancers",
        body="Fictional facts.",
        handling_code=code,
        person_ids=[row.pk],
        identifier_ids=[person.identifiers.get().pk],
    )
    print(json.dumps({"uid": str(thread.uid), "outbox": thread.messages.get().outbox_id}))


def reply(uid: str, body: str) -> None:
    from tipnet.cooperation import actions

    message = actions.do_reply(_officer(), _thread(uid), body)
    print(json.dumps({"outbox": message.outbox_id}))


def ask_consent(uid: str) -> None:
    from tipnet.cooperation import actions

    message = actions.do_request_consent(_officer(), _thread(uid), "To share with prosecutors.")
    print(json.dumps({"outbox": message.outbox_id}))


def answer_consent(uid: str, granted: bool) -> None:
    from tipnet.cooperation import actions

    message = actions.do_answer_consent(_officer(), _thread(uid), granted)
    print(json.dumps({"outbox": message.outbox_id}))


def forward_refusal(uid: str) -> None:
    from tipnet.cooperation.access import thread_refusal

    print(json.dumps({"reason": thread_refusal(_thread(uid), "forward")}))


def wire(outbox_id: str) -> None:
    """The sealed bytes of a sent message, to replay them by hand."""
    from tipnet.exchange.models import OutboxMessage

    row = OutboxMessage.objects.get(message_id=outbox_id)
    print(json.dumps({"wire": base64.b64encode(row.wire).decode()}))


def show(uid: str) -> None:
    """This node's copy of the thread `uid` (none: {})."""
    from tipnet.cooperation.models import Item, Thread
    from tipnet.cooperation.queries import messages_of

    thread = Thread.objects.filter(uid=uid).first()
    if thread is None:
        print(json.dumps({}))
        return
    rows = messages_of(thread)
    print(
        json.dumps(
            {
                "direction": thread.direction,
                "kind": thread.kind,
                "code": thread.handling_code,
                "consent": thread.consent,
                "agency": thread.agency.code,
                "messages": [[m.direction, m.kind, getattr(m, "delivery", "")] for m in rows],
                "persons": [
                    json.loads(i.data)["full_name"]
                    for i in Item.objects.filter(message__thread=thread)
                ],
            }
        )
    )


def ready() -> None:
    """Create this node's receiving agency and its investigator."""
    _officer()
    print(json.dumps({}))
