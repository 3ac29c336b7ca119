"""Steps an MLA test performs inside a real node process (`tipnet shell -c`), printing JSON.

The delivery tests start real nodes; these functions are what a user would do on each node's
pages, called through the mla app's own actions so the exchange sees ordinary local transitions.
"""

import json

from tipnet.accounts.actions import do_create_agency, do_create_user
from tipnet.accounts.models import Agency, User

PASSWORD = "Correct-horse-battery-9"


def _user(username: str, code: str, country: str, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        agency = Agency.objects.filter(code=code).first() or do_create_agency(
            None, code, f"{code} (fictional)", country
        )
        user = do_create_user(None, username, PASSWORD, agency, [role], username.title())
    return user


def submit_to_ae() -> None:
    """On the Uzbek node: draft a complete request to the UAE from a new case and submit it."""
    from tipnet.cases.actions import do_create_case
    from tipnet.directory import demo as directory_demo
    from tipnet.mla import actions
    from tipnet.mla.tests.conftest import fill_draft

    directory_demo.load()
    actions.do_load_treaties(None)
    prosecutor = _user("prosecutor", "UZ-GPO", "UZ", "prosecutor")
    case = do_create_case(
        prosecutor,
        title="Recruitment of workers for Dubai",
        offence_articles="Criminal Code of Uzbekistan, art. 135",
        summary="Three women were recruited in Tashkent with false job offers in Dubai.",
        route=[("UZ", "origin"), ("AE", "destination")],
    )
    req = fill_draft(prosecutor, actions.do_create_request(prosecutor, case, requested_state="AE"))
    req = actions.do_submit(prosecutor, req)
    print(json.dumps({"uid": str(req.uid)}))


def transition(uid: str, name: str, fields: dict, files: list | None = None) -> None:
    """Perform the local transition `name` as this node's central authority (or prosecutor)."""
    from django.conf import settings

    from tipnet.mla import actions
    from tipnet.mla.models import MlaRequest

    country = settings.TIPNET_NODE_COUNTRY
    actor = _user(
        f"central_{country.lower()}", settings.TIPNET_NODE_ID, country, "central_authority"
    )
    req = MlaRequest.objects.get(uid=uid)
    attached = [(n, t, c.encode()) for n, t, c in files or []]
    actions.do_transition(actor, req, name, fields, attached)
    print(json.dumps({"state": MlaRequest.objects.get(uid=uid).state}))


def central_user() -> None:
    """Create this node's central-authority test user (password PASSWORD) if missing."""
    from django.conf import settings

    country = settings.TIPNET_NODE_COUNTRY
    user = _user(
        f"central_{country.lower()}", settings.TIPNET_NODE_ID, country, "central_authority"
    )
    print(json.dumps({"username": user.username}))


def show(uid: str) -> None:
    """Print the request's state, direction, counterpart and files on this node."""
    from tipnet.mla.models import MlaRequest

    req = MlaRequest.objects.filter(uid=uid).first()
    if req is None:
        print(json.dumps(None))
        return
    files = sorted(f"{f.kind}:{f.filename}" for f in req.files.all())
    print(
        json.dumps(
            {
                "state": req.state,
                "direction": req.direction,
                "pk": req.pk,
                "counterpart_node": req.counterpart_node,
                "files": files,
            }
        )
    )


def die_before_commit(uid: str, name: str, fields: dict, after_queueing: bool) -> None:
    """Perform `name` but kill this process inside the action's transaction, just before it
    would commit: after both the transition and its message are written (`after_queueing`),
    or after the transition only. Nothing but this process can end the transaction then."""
    import os
    import sys

    from django.db import connection

    from tipnet.mla import link

    original = link.queue_transition

    def dying(*args, **kwargs):
        if after_queueing:
            original(*args, **kwargs)
        if connection.in_atomic_block:  # the test reads this line to know where it died
            sys.stderr.write(f"killed inside the transaction ({connection.vendor})\n")
            sys.stderr.flush()
        os._exit(9)

    link.queue_transition = dying
    transition(uid, name, fields)


def outbox(uid: str) -> None:
    """Print the types of the messages of the request's conversation in this node's outbox."""
    from tipnet.exchange.models import OutboxMessage

    types = OutboxMessage.objects.filter(conversation_id=uid).values_list("type", flat=True)
    print(json.dumps(sorted(types)))
