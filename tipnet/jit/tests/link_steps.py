"""Steps a jit test performs inside a real node process (`tipnet shell -c`), printing JSON.

What a user would do on each node's pages, through the jit app's own actions; the exchange
sees ordinary local changes. `wire(type)` hands the test the sealed bytes of this node's last
message of a type, so it can deliver them out of order or twice.
"""

import base64
import json
from datetime import date, timedelta

from django.conf import settings

from tipnet.accounts.actions import do_create_agency, do_create_user
from tipnet.accounts.models import Agency, User

PASSWORD = "Correct-horse-battery-9"


def _prosecutor() -> User:
    user = User.objects.filter(username="prosecutor").first()
    if user is None:
        node, country = settings.TIPNET_NODE_ID, settings.TIPNET_NODE_COUNTRY
        agency = Agency.objects.filter(code=node).first() or do_create_agency(
            None, node, f"{node} (fictional)", country
        )
        user = do_create_user(None, "prosecutor", PASSWORD, agency, ["prosecutor"], "Prosecutor")
    return user


def _agreement(uid: str):
    from tipnet.jit.models import Agreement

    return Agreement.objects.get(uid=uid)


def setup(suspects: list) -> None:
    """A prosecutor and a case of this node with `suspects` [(name, chain role, notice)]."""
    from tipnet.cases import actions as cases

    user = _prosecutor()
    case = cases.do_create_case(
        user,
        title=f"Dubai clubs ({settings.TIPNET_NODE_ID})",
        route=[("UZ", "origin"), ("AE", "destination")],
    )
    for name, role, notice in suspects:
        person = cases.do_create_person(user, full_name=name)
        if notice:
            cases.do_add_identifier(user, person, "interpol_notice", notice)
        cases.do_add_person_to_case(user, case, person, "suspect", role, "suspected")
    print(json.dumps({"case": case.pk}))


def propose(case_id: int, partner: str) -> None:
    from tipnet.cases.models import Case
    from tipnet.jit import actions

    user = _prosecutor()
    agreement = actions.do_propose(
        user,
        Case.objects.get(pk=case_id),
        kind="parallel",
        title="Dubai clubs chain",
        purpose="Convict the whole chain.",
        period_start=date.today() - timedelta(days=30),
        period_end=date.today() + timedelta(days=335),
        partners=[actions.party(partner, partner[:2], partner, "Partner leader")],
    )
    actions.do_sign(user, agreement)
    print(json.dumps({"uid": str(agreement.uid)}))


def do(uid: str, name: str, *args) -> None:
    """Run the jit action `name` as this node's prosecutor on the agreement (or its items)."""
    from tipnet.cases.models import Case
    from tipnet.jit import actions

    user, agreement = _prosecutor(), _agreement(uid)
    if name == "attach_case":
        actions.do_attach_case(user, agreement, Case.objects.get(pk=args[0]))
    elif name == "share_all":
        for row in agreement.case.case_persons.filter(role="suspect"):
            actions.do_share_person(user, agreement, row)
    elif name == "withdraw":  # the shared person of that chain role
        item = next(i for i in agreement.items.filter(is_withdrawn=False) if args[0] in i.body)
        actions.do_withdraw_item(user, item)
    elif name == "amend":
        actions.do_amend(user, agreement, purpose=args[0])
    elif name == "extend":
        actions.do_extend(user, agreement, date.fromisoformat(args[0]))
    elif name == "task":
        actions.do_add_task(user, agreement, args[0])
    else:
        getattr(actions, f"do_{name}")(user, agreement, *args)
    show(uid)


def show(uid: str) -> None:
    """The agreement as this node holds it: state, version, verified signatures, live items."""
    from tipnet.jit.models import Agreement
    from tipnet.jit.text import signature_fields, verify

    agreement = Agreement.objects.filter(uid=uid).first()
    if agreement is None:
        print(json.dumps(None))
        return
    items = agreement.items.all()
    print(
        json.dumps(
            {
                "state": agreement.state,
                "version": agreement.version,
                "sha256": agreement.text_sha256,
                "extended_until": str(agreement.extended_until or ""),
                "signed": sorted(
                    f"{s.node}:v{s.version}"
                    for s in agreement.signatures.all()
                    if verify(signature_fields(s), s.value)
                ),
                "chain": sorted(
                    f"{json.loads(i.body)['chain_role']}@{i.owner_node}"
                    for i in items
                    if i.kind == "person" and not i.is_withdrawn
                ),
                "live": sorted(f"{i.kind}@{i.owner_node}" for i in items if not i.is_withdrawn),
                "tombstones": sum(1 for i in items if i.is_withdrawn),
            }
        )
    )


def wire(message_type: str) -> None:
    """The sealed bytes of this node's last queued message of `message_type` (base64)."""
    from tipnet.exchange.models import OutboxMessage, OutboxWire

    row = OutboxMessage.objects.filter(type=message_type).order_by("-id").first()
    raw = bytes(OutboxWire.objects.get(outbox=row).wire)
    print(json.dumps({"wire": base64.b64encode(raw).decode()}))


def outbox(message_type: str) -> None:
    """The states of this node's messages of `message_type`, oldest first."""
    from tipnet.exchange.models import OutboxMessage

    rows = OutboxMessage.objects.filter(type=message_type).order_by("id")
    print(json.dumps([row.state for row in rows]))


def pending() -> None:
    """How many of this node's messages are still on their way."""
    from tipnet.exchange.models import OutboxMessage

    on_way = OutboxMessage.objects.filter(state__in=["queued", "sent", "send_failed"])
    print(json.dumps({"pending": on_way.count()}))
