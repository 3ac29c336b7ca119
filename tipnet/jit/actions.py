"""The only code that writes joint investigations on this node. Each do_* records an audit event
and queues, in the same transaction, the message that tells the other parties (link.py)."""

import json
import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipnet.audit.actions import record
from tipnet.cases.enums import PersonRole
from tipnet.lib import onward

from . import link, retention, wire
from . import text as signed_text
from .access import MEMBER_ROLES, SIGNER_ROLES, gone_items
from .enums import ItemKind, Kind, State, TaskStatus
from .models import Agreement, Item, Member, Signature
from .state import settle


def _check_text(agreement: Agreement) -> dict[str, Any]:
    text = signed_text.text_of(agreement)
    try:
        wire.clean_text(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    return text


def _rehash(agreement: Agreement) -> dict[str, Any]:
    text = _check_text(agreement)
    agreement.text_sha256 = signed_text.digest(text)
    return text


def _not_ended(agreement: Agreement) -> None:
    if agreement.state == State.ENDED:
        raise ValidationError(_("The agreement has ended."))


def party(node: str, country: str, agency: str, leader: str = "", members=()) -> dict[str, Any]:
    """One party of an agreement, as its text names it."""
    return {
        "node": node,
        "country": country,
        "agency": agency,
        "leader": leader,
        "members": list(members),
    }


def do_propose(
    actor,
    case,
    *,
    kind: str,
    title: str,
    purpose: str,
    period_start: date,
    period_end: date,
    partners: list[dict[str, Any]],
    governing_law: str = "",
    confidentiality: str = "",
    victim_support: str = "",
    costs: str = "",
    retention_days: int | None = None,
    leader: str = "",
    members_text=(),
    member_users=(),
) -> Agreement:
    """Propose a joint or parallel investigation from `case` to the `partners`' nodes.

    This node's party is the actor's agency; the actor and `member_users` become the members who
    see the workspace here. Raises ValidationError (nothing stored or sent) on a bad text or a
    partner node the registry does not know.
    """
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose a form of investigation.")})
    mine = party(
        settings.TIPNET_NODE_ID,
        settings.TIPNET_NODE_COUNTRY,
        actor.agency.code,
        leader or actor.display_name(),
        members_text,
    )
    agreement = Agreement(
        kind=kind,
        state=State.PROPOSED,
        title=title,
        purpose=purpose,
        period_start=period_start,
        period_end=period_end,
        governing_law=governing_law,
        confidentiality=confidentiality,
        victim_support=victim_support,
        costs=costs,
        retention_days=retention_days,
        parties=[mine, *partners],
        proposed_by_node=settings.TIPNET_NODE_ID,
        agency=actor.agency,
        case=case,
    )
    with transaction.atomic(durable=True):
        text = _rehash(agreement)
        agreement.save()
        for user in {actor, *member_users}:
            if user.has_role(*MEMBER_ROLES):
                Member.objects.create(agreement=agreement, user=user)
        link.broadcast(actor, agreement, link.AGREEMENT, {"text": text})
        record(
            "jit:agreement:propose",
            actor=actor,
            obj=agreement,
            kind=kind,
            parties=agreement.nodes(),
            sha256=agreement.text_sha256,
        )
    return agreement


AMENDABLE = (
    *signed_text.TEXT_FIELDS,
    "period_start",
    "period_end",
    "parties",
    "retention_days",
)


def do_amend(actor, agreement: Agreement, **changes: Any) -> Agreement:
    """Amend the text: a new version, which every party signs again before it is in force."""
    _not_ended(agreement)
    unknown = set(changes) - set(AMENDABLE) - {"kind"}
    if unknown:
        raise ValidationError(f"not amendable: {sorted(unknown)}")
    with transaction.atomic(durable=True):
        for name, value in changes.items():
            setattr(agreement, name, value)
        agreement.version += 1
        agreement.state = State.AMENDED
        agreement.updated_at = timezone.now()
        text = _rehash(agreement)
        agreement.save()
        link.broadcast(actor, agreement, link.AGREEMENT, {"text": text})
        record(
            "jit:agreement:amend",
            actor=actor,
            obj=agreement,
            version=agreement.version,
            sha256=agreement.text_sha256,
        )
    return agreement


def do_sign(actor, agreement: Agreement) -> Signature:
    """Sign the current version for this node's party with the node's key (an authorised
    officer only); in force once every party signed it."""
    _not_ended(agreement)
    if not actor.has_role(*SIGNER_ROLES):
        raise ValidationError(_("Only a prosecutor or a central-authority officer may sign."))
    node = settings.TIPNET_NODE_ID
    if agreement.signatures.filter(node=node, version=agreement.version).exists():
        raise ValidationError(_("This version is already signed for this node."))
    fields = {
        "agreement": str(agreement.uid),
        "version": agreement.version,
        "text_sha256": agreement.text_sha256,
        "node": node,
        "signer": actor.display_name(),
        "role": next(r for r in SIGNER_ROLES if actor.has_role(r)),
        "signed_at": timezone.now().replace(microsecond=0).isoformat(),
    }
    value = signed_text.sign(fields)
    with transaction.atomic(durable=True):
        signature = Signature.objects.create(
            agreement=agreement,
            node=node,
            version=fields["version"],
            text_sha256=fields["text_sha256"],
            signer=fields["signer"],
            signer_role=fields["role"],
            signed_at=fields["signed_at"],
            value=value,
        )
        link.broadcast(actor, agreement, link.SIGNATURE, fields | {"signature": value})
        settle(agreement)
        record("jit:agreement:sign", actor=actor, obj=agreement, version=agreement.version)
    return signature


def do_extend(actor, agreement: Agreement, until: date) -> Agreement:
    """Extend the period of an agreement in force."""
    if not agreement.is_sharing:
        raise ValidationError(_("Only an agreement in force can be extended."))
    current_end = agreement.extended_until or agreement.period_end
    if until <= current_end:
        raise ValidationError({"until": _("The new end must be after the current end.")})
    with transaction.atomic(durable=True):
        agreement.extended_until, agreement.state = until, State.EXTENDED
        agreement.updated_at = timezone.now()
        agreement.save(update_fields=["extended_until", "state", "updated_at"])
        payload = {"agreement": str(agreement.uid), "until": until.isoformat()}
        link.broadcast(actor, agreement, link.EXTENSION, payload)
        record("jit:agreement:extend", actor=actor, obj=agreement, until=until)
    return agreement


def do_end(actor, agreement: Agreement, reason: str = "") -> Agreement:
    """End the agreement on every party's node: nothing more is shared."""
    _not_ended(agreement)
    with transaction.atomic(durable=True):
        agreement.state, agreement.updated_at = State.ENDED, timezone.now()
        agreement.ended_at = agreement.updated_at
        agreement.save(update_fields=["state", "updated_at", "ended_at"])
        payload = {"agreement": str(agreement.uid), "reason": reason[:500]}
        link.broadcast(actor, agreement, link.END, payload)
        record("jit:agreement:end", actor=actor, obj=agreement)
    return agreement


def do_add_member(actor, agreement: Agreement, user) -> Member:
    """Let another user of this node see and work the workspace."""
    if not user.has_role(*MEMBER_ROLES):
        raise ValidationError(_("Only investigators, prosecutors and central authorities join."))
    if agreement.members.filter(user=user).exists():
        raise ValidationError(_("This user is already a member."))
    with transaction.atomic():
        member = Member.objects.create(agreement=agreement, user=user)
        record("jit:member:add", actor=actor, obj=agreement, user=user.username)
    return member


def do_attach_case(actor, agreement: Agreement, case) -> Agreement:
    """Name this node's own case of the investigation (its persons can then be shared)."""
    with transaction.atomic():
        agreement.case = case
        agreement.save(update_fields=["case"])
        record("jit:agreement:attach_case", actor=actor, obj=agreement, case=case.reference)
    return agreement


# ---------------------------------------------------------------- the workspace


def _share(actor, agreement: Agreement, kind: str, body: dict, item: Item | None = None, **extra):
    """Store and send an item of this node (a new one, or a new revision of `item`)."""
    if not agreement.is_sharing:
        raise ValidationError(
            _("Items are shared only while the agreement is in force and within its period.")
        )
    try:
        wire.clean_body(kind, body)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic(durable=True):
        if item is None:
            item = Item(agreement=agreement, uid=uuid.uuid4(), kind=kind, revision=0)
            item.owner_node = settings.TIPNET_NODE_ID
        item.revision += 1
        item.body, item.updated_at = json.dumps(body), timezone.now()
        for name, value in extra.items():
            setattr(item, name, value)
        item.save()
        payload = {
            "agreement": str(agreement.uid),
            "uid": str(item.uid),
            "kind": kind,
            "revision": item.revision,
            "body": body,
        }
        link.broadcast(actor, agreement, link.ITEM, payload)
        record("jit:item:share", actor=actor, obj=item, kind=kind, revision=item.revision)
    return item


def _own(item: Item) -> dict[str, Any]:
    if item.owner_node != settings.TIPNET_NODE_ID or item.is_withdrawn:
        raise ValidationError(_("Only the node that shared an item may change it."))
    body: dict[str, Any] = json.loads(item.body)
    return body


def person_body(row) -> dict[str, Any]:
    """What travels of a person of this node's case: names, roles and Interpol references."""
    interpol = row.person.identifiers.filter(kind__in=wire.INTERPOL_KINDS)
    return {
        "name": row.person.full_name,
        "latin_name": row.person.latin_name,
        "role": row.role,
        "chain_role": row.chain_role,
        "case_reference": row.case.reference,
        "interpol": [{"kind": i.kind, "value": i.normalised} for i in interpol],
    }


def do_share_person(actor, agreement: Agreement, row) -> Item:
    """Share a suspect or witness of this node's case, with its role in the chain."""
    if agreement.case_id is None or row.case_id != agreement.case_id:
        raise ValidationError(_("Share persons of this node's own case of the investigation."))
    if row.role not in (PersonRole.SUSPECT, PersonRole.WITNESS):
        raise ValidationError(_("Only suspects and witnesses are shared in the chain."))
    if agreement.items.filter(source=row, is_withdrawn=False).exists():
        raise ValidationError(_("This person is already shared."))
    # Sharing in the chain sends the person to the other parties' nodes: a forward, which a
    # police message's handling code may forbid (tipnet.lib.onward).
    others = [n for n in agreement.nodes() if n != settings.TIPNET_NODE_ID]
    refusal = onward.refusal("forward", person_ids=[row.person_id], to=",".join(others))
    if refusal:
        raise ValidationError(refusal)
    return _share(actor, agreement, ItemKind.PERSON, person_body(row), source=row)


def do_add_task(actor, agreement, title: str, owner: str = "", due: date | None = None) -> Item:
    """Add a task to the operational action plan."""
    body = {"title": title, "owner": owner, "due": due.isoformat() if due else "", "status": "open"}
    return _share(actor, agreement, ItemKind.TASK, body)


def do_set_task_status(actor, item: Item, status: str) -> Item:
    """Move a task of this node to another status."""
    body = _own(item)
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    return _share(actor, item.agreement, item.kind, body | {"status": status}, item)


def do_add_note(actor, agreement, held_on: date, text: str) -> Item:
    """Record the notes of a meeting of the parties."""
    return _share(actor, agreement, ItemKind.NOTE, {"held_on": held_on.isoformat(), "text": text})


def do_log_evidence(
    actor, agreement, description: str, sha256: str, collected_by: str, collected_on: date
) -> Item:
    """Log an evidence item: what it is, its SHA-256, who collected it and when."""
    body = {
        "description": description,
        "sha256": sha256.strip().lower(),
        "collected_by": collected_by,
        "collected_on": collected_on.isoformat(),
        "custody": [],
    }
    return _share(actor, agreement, ItemKind.EVIDENCE, body)


def do_transfer_custody(actor, item: Item, to: str, on: date) -> Item:
    """Record that an evidence item of this node passed into the custody of `to`."""
    body = _own(item)
    if item.kind != ItemKind.EVIDENCE:
        raise ValidationError(_("Only evidence changes hands."))
    body["custody"] = [*body["custody"], {"to": to, "on": on.isoformat()}]
    return _share(actor, item.agreement, item.kind, body, item)


def sop_uid(agreement: Agreement, pair: str, step: str) -> uuid.UUID:
    """One item per node and step, so that marking a step again revises the same item."""
    return uuid.uuid5(agreement.uid, f"sop:{settings.TIPNET_NODE_ID}:{pair}:{step}")


def do_mark_step(actor, agreement: Agreement, pair: str, step: str, done: bool) -> Item:
    """Mark a step of the procedure for a pair of countries done (or not) for this node."""
    from .sops import find_step

    if find_step(pair, step) is None:
        raise ValidationError({"step": _("No such step.")})
    uid = sop_uid(agreement, pair, step)
    item = agreement.items.filter(uid=uid).first()
    body = {"pair": pair, "step": step, "done": done}
    if item is None:
        return _share(actor, agreement, ItemKind.SOP, body, uid=uid)
    return _share(actor, agreement, ItemKind.SOP, body, item)


def do_withdraw_item(actor, item: Item) -> Item:
    """Withdraw an item of this node: it disappears on every node (a tombstone stays)."""
    _own(item)
    # Allowed after the end too: taking data back is never blocked.
    agreement = item.agreement
    with transaction.atomic(durable=True):
        item.is_withdrawn, item.body, item.updated_at = True, "", timezone.now()
        item.source = None
        item.save()
        payload = {"agreement": str(agreement.uid), "uid": str(item.uid), "kind": item.kind}
        link.broadcast(actor, agreement, link.WITHDRAWAL, payload)
        record("jit:item:withdraw", actor=actor, obj=item, kind=item.kind)
    return item


def do_expire_items(agreement: Agreement) -> int:
    """Turn the other parties' items into tombstones once the agreement's period to return or
    delete them after the end has passed; returns how many. The reads already leave them out
    (access.live_items); this removes their content from this node and audits it."""
    if not retention.is_past_retention(agreement):
        return 0
    with transaction.atomic():
        items = list(gone_items(agreement).filter(expired_at__isnull=True).select_for_update())
        now = timezone.now()
        for item in items:
            item.body, item.source, item.expired_at = "", None, now
            item.save(update_fields=["body", "source", "expired_at"])
        if items:
            record(
                "jit:item:expire",
                obj=agreement,
                agency=agreement.agency.code,
                items=len(items),
                closed_on=retention.closed_on(agreement),
                days=retention.days_allowed(agreement),
            )
    return len(items)
