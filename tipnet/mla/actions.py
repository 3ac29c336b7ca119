"""Writes to MLA. Each `do_*` validates, saves in one transaction and records an audit event.

Invalid input raises django.core.exceptions.ValidationError (or lifecycle.TransitionError, a
ValueError) before anything is stored. Audit events carry ids, codes and node ids, never the
names of persons concerned.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from tipnet.audit.actions import record
from tipnet.directory.models import Agency as DirectoryAgency
from tipnet.directory.models import Country, CountryGuide
from tipnet.lib import onward

from . import lifecycle, link
from .completeness import final_check
from .enums import Direction, Proceedings, State, Urgency
from .measures import MEASURES, clean_fields
from .models import (
    BilateralTreaty,
    DeadlinePolicy,
    MlaMeasure,
    MlaPerson,
    MlaRequest,
    Reminder,
    StateProfile,
    TreatyStatus,
)
from .resolver import resolve
from .transitions import (
    PERSON_FIELDS,
    apply_transition,
    check_transition,
    local_side,
    remote_side,
    step_time,
    store_files,
)
from .treaties import read_treaty_file

# ---------------------------------------------------------------- treaty data


def _ca_agency(code: str, name: str | None):
    found = DirectoryAgency.objects.filter(country_id=code, name_en=name).first() if name else None
    if found is None:
        guide = CountryGuide.objects.filter(country_id=code).select_related("central_authority")
        first = guide.first()
        found = first.central_authority if first is not None else None
    return found


def _load_profile(code: str, data) -> StateProfile:
    profile, _created = StateProfile.objects.get_or_create(country=Country.objects.get(code=code))
    for name, fact in (("languages", data.languages), ("channels", data.channels)):
        if not getattr(profile, f"{name}_verified"):
            setattr(profile, name, fact.value)
            setattr(profile, f"{name}_source", fact.source)
            setattr(profile, f"{name}_verified", fact.verified)
    ca = data.central_authority
    if not profile.central_authority_verified:
        profile.central_authority = _ca_agency(code, ca.agency if ca else None)
        profile.central_authority_source = ca.source if ca else ""
        profile.central_authority_verified = bool(ca and ca.verified and profile.central_authority)
    profile.save()
    return profile


def _load_statuses(profile: StateProfile, parties: dict) -> None:
    for instrument, fact in parties.items():
        row = TreatyStatus.objects.filter(profile=profile, instrument=instrument).first()
        if row is not None and row.is_verified:
            continue
        TreatyStatus.objects.update_or_create(
            profile=profile,
            instrument=instrument,
            defaults={
                "status": fact.status,
                "date": fact.date,
                "source": fact.source,
                "is_verified": fact.verified,
            },
        )


def _load_treaty(data) -> None:
    a, b = sorted(s.upper() for s in data.states)
    if BilateralTreaty.objects.filter(code=data.code, is_verified=True).exists():
        return
    BilateralTreaty.objects.update_or_create(
        code=data.code,
        defaults={
            "title": data.title,
            "state_a": a,
            "state_b": b,
            "in_force_on": data.in_force_on,
            "languages": data.languages,
            "channels": data.channels,
            "source": data.source,
            "is_verified": data.verified,
        },
    )


def do_load_treaties(actor, path=None) -> dict:
    """Load the treaty data file into the database (idempotent; verified facts are kept)."""
    data = read_treaty_file(path)
    unknown = [c for c in data.states if not Country.objects.filter(code=c).exists()]
    if unknown:
        raise ValueError(f"treaty file: unknown country code(s): {', '.join(unknown)}")
    with transaction.atomic():
        for code, state in data.states.items():
            _load_statuses(_load_profile(code, state), state.parties)
        for treaty in data.bilateral:
            _load_treaty(treaty)
        counts = {"states": len(data.states), "bilateral": len(data.bilateral)}
        record(
            "mla:treaties:load", actor=actor, states=counts["states"], bilateral=counts["bilateral"]
        )
    return counts


def do_add_bilateral_treaty(
    actor,
    *,
    code,
    states,
    title,
    source,
    is_verified=False,
    in_force_on=None,
    languages=(),
    channels=(),
) -> BilateralTreaty:
    """Record a bilateral MLA treaty between two states, with its source."""
    pair = sorted({str(s).upper() for s in states})
    if len(pair) != 2 or Country.objects.filter(code__in=pair).count() != 2:
        raise ValidationError({"states": _("Name two different known states.")})
    if not str(source).strip():
        raise ValidationError({"source": _("Every treaty fact needs its source.")})
    with transaction.atomic():
        treaty = BilateralTreaty.objects.create(
            code=code,
            title=title,
            state_a=pair[0],
            state_b=pair[1],
            source=source,
            is_verified=is_verified,
            in_force_on=in_force_on,
            languages=list(languages),
            channels=list(channels),
        )
        record("mla:treaty:create", actor=actor, obj=treaty, code=code)
    return treaty


def do_set_party_status(actor, row: TreatyStatus, *, status, source, is_verified, date=None):
    """Change one state's status under one instrument (node administrators)."""
    if not str(source).strip():
        raise ValidationError({"source": _("Every treaty fact needs its source.")})
    with transaction.atomic():
        row.status, row.source, row.is_verified, row.date = status, source, is_verified, date
        row.full_clean()
        row.save()
        record("mla:status:update", actor=actor, obj=row, status=status, verified=is_verified)
    return row


def do_set_deadlines(actor, basis: str, acknowledge: int, decide: int, execute: int):
    """Set the target days of one legal basis (reminders only; states never change by time)."""
    if min(acknowledge, decide, execute) < 1 or max(acknowledge, decide, execute) > 3650:
        raise ValidationError({"days": _("Days must be between 1 and 3650.")})
    with transaction.atomic():
        policy, _c = DeadlinePolicy.objects.update_or_create(
            basis=basis,
            defaults={
                "acknowledge_days": acknowledge,
                "decide_days": decide,
                "execute_days": execute,
            },
        )
        record("mla:deadlines:update", actor=actor, obj=policy, basis=basis)
    return policy


# ---------------------------------------------------------------- drafting

# The request fields each wizard step edits (persons and measures have their own actions).
STEP_FIELDS = {
    "authority": (
        "requesting_authority",
        "conducting_authority",
        "proceedings",
        "subject",
        "case_number",
    ),
    "state": ("requested_state", "requested_authority"),
    "basis": ("legal_basis",),
    "urgency": ("urgency", "deadline", "deadline_reason", "confidentiality"),
    "facts": ("facts", "offences", "purpose"),
    "procedures": (
        "procedures",
        "contact_name",
        "contact_email",
        "contact_phone",
        "assurances",
        "annexes",
        "signatory",
    ),
}
TEXT_LIMIT = 20000


def _editable(req: MlaRequest) -> None:
    if req.direction != Direction.OUTGOING or req.state != State.DRAFT:
        raise ValidationError(_("Only a draft outgoing request can be edited."))


def _clean_value(name: str, value):
    field = MlaRequest._meta.get_field(name)
    assert isinstance(field, Field)  # request fields, never a reverse relation
    if value is None or value == "":
        return None if field.null else ""
    if isinstance(value, str) and len(value) > TEXT_LIMIT:
        raise ValidationError({name: _("At most %(n)d characters.") % {"n": TEXT_LIMIT}})
    try:
        return field.clean(value.strip() if isinstance(value, str) else value, None)
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from None


def _no_central_authority() -> str:
    return _(
        "No central authority is known for this state; it must be added to the treaty data first."
    )


def _check_step(req: MlaRequest, clean: dict) -> None:
    if "requested_state" in clean:
        code = (clean["requested_state"] or "").upper()
        if code == req.requesting_state or not Country.objects.filter(code=code).exists():
            raise ValidationError({"requested_state": _("Choose another known state.")})
        clean["requested_state"] = code
        resolution = resolve(req.requesting_state, code)
        if resolution.central_authority is None:
            raise ValidationError({"requested_state": _no_central_authority()})
    deadline = clean.get("deadline")
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})


def _apply_basis(req: MlaRequest, clean: dict, state_changed: bool) -> None:
    """Set basis, rule, language, channel and counterpart from the resolver after a change."""
    if "legal_basis" not in clean and not state_changed:
        return
    wanted = clean.get("legal_basis", req.legal_basis)
    options = resolve(req.requesting_state, req.requested_state)
    if "legal_basis" in clean and options.option(wanted) is None:
        raise ValidationError(
            {"legal_basis": _("This pair of states does not support that legal basis.")}
        )
    chosen = options.option(wanted) or (options.bases[0] if options.bases else None)
    resolution = resolve(req.requesting_state, req.requested_state, chosen.code if chosen else None)
    req.legal_basis = chosen.code if chosen else ""
    req.basis_rule = chosen.rule if chosen else ""
    req.language = resolution.languages[0] if resolution.languages else ""
    req.channel = resolution.channel
    ca = resolution.central_authority
    if ca is not None and (state_changed or not req.requested_authority):
        req.requested_authority = ca.name_en
    req.counterpart_node = getattr(ca, "node_id", "") or ""


def do_create_request(
    actor, case, *, requested_state: str = "", at=None, check_reference: str = ""
) -> MlaRequest:
    """Open a draft outgoing request for `case`, prefilled from the case and the actor's agency.

    `at` back-dates a request drafted on paper before it was recorded here (never in the future).
    `check_reference` is the reference of a cross-border check whose hit led to the request: the
    facts quote it, so that the requested state finds the record its node matched.
    """
    if at is not None and at > timezone.now():
        raise ValidationError({"at": _("A step cannot be dated in the future.")})
    agency = actor.agency
    directory = getattr(agency, "directory_agency", None)
    req = MlaRequest(
        direction=Direction.OUTGOING,
        agency=agency,
        case=case,
        created_by=actor,
        requesting_state=agency.country,
        case_number=case.reference,
        requesting_authority=directory.name_en if directory else agency.name,
        subject=case.title,
        facts=_facts(case.summary, check_reference),
        offences=case.offence_articles,
        proceedings=Proceedings.INVESTIGATION,
        urgency=Urgency.ROUTINE,
        contact_name=actor.display_name(),
        contact_email=actor.email or "",
    )
    if at is not None:
        req.created_at = req.state_changed_at = at
    req.reference = f"MLA-{agency.code}-{req.uid.hex[:8].upper()}"
    with transaction.atomic():
        if requested_state:
            clean = {"requested_state": requested_state}
            _check_step(req, clean)
            req.requested_state = clean["requested_state"]
            _apply_basis(req, clean, state_changed=True)
        req.save()
        extra = {"check_reference": check_reference} if check_reference else {}
        record("mla:request:create", actor=actor, obj=req, case_id=case.pk, **_dated(at), **extra)
    return req


# A cross-border check's reference, as the answering node issued it (tipnet.checks).
CHECK_REFERENCE = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def _facts(summary: str, check_reference: str) -> str:
    if not check_reference:
        return summary
    if not CHECK_REFERENCE.fullmatch(check_reference):
        raise ValidationError({"check_reference": _("Not a check's reference.")})
    quoted = _(
        "A cross-border check found a record of the person at the requested state's node; "
        "the reference of its answer is %(reference)s."
    ) % {"reference": check_reference}
    return f"{summary}\n\n{quoted}" if summary else quoted


def do_update_request(actor, req: MlaRequest, step: str, data: dict) -> MlaRequest:
    """Save the fields of one wizard step of a draft; nothing is saved if any value is invalid."""
    _editable(req)
    names = STEP_FIELDS.get(step)
    if names is None:
        raise ValidationError(_("Unknown step."))
    clean = {n: _clean_value(n, data[n]) for n in names if n in data}
    _check_step(req, clean)
    changed = "requested_state" in clean and clean["requested_state"] != req.requested_state
    with transaction.atomic():
        for name, value in clean.items():
            setattr(req, name, value)
        _apply_basis(req, clean, changed)
        req.save()
        record("mla:request:update", actor=actor, obj=req, step=step, fields=sorted(clean))
    return req


def do_add_measure(actor, req: MlaRequest, kind: str, fields: dict) -> MlaMeasure:
    """Add one measure of assistance (a module of measures.MEASURES) to a draft."""
    _editable(req)
    if kind not in MEASURES:
        raise ValidationError({"kind": _("Choose one of the listed measures.")})
    with transaction.atomic():
        measure = MlaMeasure.objects.create(
            request=req, kind=kind, fields=clean_fields(kind, fields)
        )
        record("mla:measure:create", actor=actor, obj=req, kind=kind)
    return measure


def do_remove_measure(actor, req: MlaRequest, measure_id) -> None:
    """Remove one measure from a draft."""
    _editable(req)
    with transaction.atomic():
        deleted, _rows = req.measures.filter(pk=measure_id).delete()
        if not deleted:
            raise ValidationError(_("No such measure in this request."))
        record("mla:measure:delete", actor=actor, obj=req, measure_id=measure_id)


def _clean_person(data: dict) -> dict:
    clean = {}
    for name in PERSON_FIELDS:
        field = MlaPerson._meta.get_field(name)
        assert isinstance(field, Field)  # person fields, never a reverse relation
        value = str(data.get(name) or "").strip()
        try:
            clean[name] = field.clean(value, None) if value or not field.blank else value
        except ValidationError as exc:
            raise ValidationError({name: exc.messages}) from None
    return clean


def do_add_person(actor, req: MlaRequest, data: dict, case_person=None) -> MlaPerson:
    """Add a person concerned to a draft, from a person of its case or typed in."""
    _editable(req)
    clean = _clean_person(data)
    if case_person is not None and case_person.case_id != req.case_id:
        raise ValidationError(_("That person is not in this request's case."))
    # A person received under a handling code that forbids export stays out of the letter.
    refusal = case_person and onward.refusal("export", person_ids=[case_person.person_id])
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        person = MlaPerson.objects.create(request=req, case_person=case_person, **clean)
        record("mla:person:create", actor=actor, obj=req, person_row=person.pk)
    return person


def do_update_person(actor, req: MlaRequest, person: MlaPerson, data: dict) -> MlaPerson:
    """Change the personal data of one person concerned in a draft."""
    _editable(req)
    if person.request_id != req.pk:
        raise ValidationError(_("No such person in this request."))
    clean = _clean_person({**{n: getattr(person, n) for n in PERSON_FIELDS}, **data})
    with transaction.atomic():
        for name, value in clean.items():
            setattr(person, name, value)
        person.save()
        record("mla:person:update", actor=actor, obj=req, person_row=person.pk)
    return person


def do_remove_person(actor, req: MlaRequest, person_id) -> None:
    """Remove one person concerned from a draft."""
    _editable(req)
    with transaction.atomic():
        deleted, _rows = req.persons.filter(pk=person_id).delete()
        if not deleted:
            raise ValidationError(_("No such person in this request."))
        record("mla:person:delete", actor=actor, obj=req, person_row=person_id)


# ---------------------------------------------------------------- lifecycle


def _dated(at) -> dict:
    """The audit detail of a back-dated step: the date it happened (the event's own time is now)."""
    return {"at": at.isoformat()} if at is not None else {}


def do_transition(
    actor, req: MlaRequest, name: str, fields: dict | None = None, files=(), *, at=None
):
    """Perform the local transition `name` on `req`; refused with a clear error if not allowed.

    Raises lifecycle.TransitionError (a ValueError) and changes nothing when the lifecycle,
    the side or the fields do not allow it. "submit" goes through do_submit. `at` back-dates a
    step taken on paper (see transitions.step_time; a ValidationError on "at" otherwise).
    """
    if name == "submit":
        return do_submit(actor, req, at=at)
    with transaction.atomic(durable=True):
        req = MlaRequest.objects.select_for_update().get(pk=req.pk)
        t, clean = check_transition(req, name, local_side(req), fields or {})
        when = step_time(req, at)
        files = list(files)
        if files and name in ("report_partial", "report_executed"):
            store_files(req, "result", files)
        apply_transition(req, t, clean, actor=actor, at=when)
        record(f"mla:request:{name}", actor=actor, obj=req, state=req.state, **_dated(at))
        link.queue_transition(actor, req, name, clean, files)
    return req


def do_record_counterpart_step(
    actor, req: MlaRequest, name: str, fields: dict | None = None, *, at=None
) -> MlaRequest:
    """Record a step the other state took on paper in a request handled outside the network.

    A request on the network learns the other side's steps from its messages only; one sent on
    paper learns them from letters, which its own officers record here. Refused (TransitionError)
    for a request on the network, or when the lifecycle does not allow the step.
    """
    with transaction.atomic(durable=True):
        req = MlaRequest.objects.select_for_update().get(pk=req.pk)
        if not req.is_off_network:
            raise lifecycle.TransitionError(
                _("The other state's steps arrive from its node for a request on the network.")
            )
        t, clean = check_transition(req, name, remote_side(req), fields or {})
        apply_transition(req, t, clean, actor=actor, at=step_time(req, at))
        record(
            "mla:request:record_step",
            actor=actor,
            obj=req,
            transition=name,
            state=req.state,
            **_dated(at),
        )
    return req


def do_submit(actor, req: MlaRequest, *, at=None, off_network: bool = False) -> MlaRequest:
    """Check the draft is complete, render the signed-for letter and submit it.

    Refused (ValidationError listing every missing element) when the final completeness check
    fails; nothing changes then. `off_network` records a request that is sent on paper, as to a
    state with no node: no message goes to another node, now or at any later step, and the other
    state's steps are recorded by hand (`do_record_counterpart_step`). The letter is rendered for
    printing, except for a back-dated submission (`at`), whose paper letter is already in the
    file (see transitions.step_time).
    """
    from .letters import render_pdf  # WeasyPrint loads only when a letter is rendered

    with transaction.atomic(durable=True):
        req = MlaRequest.objects.select_for_update().get(pk=req.pk)
        t = lifecycle.check("submit", req.state, local_side(req), {})
        when = step_time(req, at)
        gaps = final_check(
            req,
            resolve(req.requesting_state, req.requested_state, req.legal_basis)
            if req.requested_state
            else None,
        )
        if gaps:
            raise ValidationError([str(g.message) for g in gaps])
        req.is_off_network = req.is_off_network or off_network
        if not req.is_off_network or at is None:
            pdf = render_pdf(req, req.language or "en")
            letter = (f"{req.reference}.pdf", "application/pdf", pdf)
            store_files(req, "letter", [letter])
        apply_transition(req, t, {}, actor=actor, at=when)
        record(
            "mla:request:submit",
            actor=actor,
            obj=req,
            basis=req.legal_basis,
            requested=req.requested_state,
            off_network=req.is_off_network,
            **_dated(at),
        )
        if not req.is_off_network:
            link.queue_request(actor, req, letter)
    return req


def do_acknowledge(actor, req, **fields):
    """Acknowledge receipt of an incoming request (requested side); it becomes "received"."""
    return do_transition(actor, req, "acknowledge", fields)


def do_return_deficient(actor, req, **fields):
    """Return a submitted request as deficient, listing the `missing` elements."""
    return do_transition(actor, req, "return_deficient", fields)


def do_revise(actor, req, **fields):
    """Take a returned outgoing request back to draft to complete it."""
    return do_transition(actor, req, "revise", fields)


def do_assess(actor, req, **fields):
    """Register a received request and start assessing it."""
    return do_transition(actor, req, "assess", fields)


def do_request_info(actor, req, **fields):
    """Ask the requesting state for additional information (18(16)); needs `questions`."""
    return do_transition(actor, req, "request_info", fields)


def do_provide_info(actor, req, **fields):
    """Answer a request for additional information; needs `information`."""
    return do_transition(actor, req, "provide_info", fields)


def do_consult(actor, req, **fields):
    """Open a consultation before refusal or postponement (18(26)); needs `subject`."""
    return do_transition(actor, req, "consult", fields)


def do_end_consultation(actor, req, **fields):
    """End a consultation and return to assessment; needs `outcome`."""
    return do_transition(actor, req, "end_consultation", fields)


def do_accept(actor, req, **fields):
    """Accept the request for execution."""
    return do_transition(actor, req, "accept", fields)


def do_postpone(actor, req, **fields):
    """Postpone execution (18(25)); needs `reason` and a future `review_on` date."""
    return do_transition(actor, req, "postpone", fields)


def do_resume(actor, req, **fields):
    """Resume execution of a postponed request."""
    return do_transition(actor, req, "resume", fields)


def do_report_partial(actor, req, files=(), **fields):
    """Send part of the results; needs `summary`; `files` are (name, type, bytes)."""
    return do_transition(actor, req, "report_partial", fields, files)


def do_report_executed(actor, req, files=(), **fields):
    """Send the final results; needs `summary`; `files` are (name, type, bytes)."""
    return do_transition(actor, req, "report_executed", fields, files)


def do_refuse(actor, req, **fields):
    """Refuse the request; needs a `ground` the basis provides and written `reasons` (18(23))."""
    return do_transition(actor, req, "refuse", fields)


def do_withdraw(actor, req, **fields):
    """Withdraw a submitted request: assistance is no longer required (18(24)); needs `reason`."""
    return do_transition(actor, req, "withdraw", fields)


def do_close(actor, req, **fields):
    """Close an executed, refused or withdrawn request."""
    return do_transition(actor, req, "close", fields)


def do_set_counterpart_node(actor, req: MlaRequest, node_id: str) -> MlaRequest:
    """Name the counterpart's node id once it is known; it cannot change after a reply."""
    node_id = str(node_id or "").strip()
    if not node_id or len(node_id) > 64:
        raise ValidationError({"counterpart_node": _("Give a node id of at most 64 characters.")})
    if req.counterpart_node and req.events.exclude(from_node="").exists():
        raise ValueError(_("The counterpart has already replied from its node."))
    with transaction.atomic():
        req.counterpart_node = node_id
        req.save(update_fields=["counterpart_node"])
        record("mla:request:counterpart", actor=actor, obj=req, node=node_id)
    return req


def do_raise_reminder(req: MlaRequest, clock: str, due_on) -> Reminder | None:
    """Raise one reminder for an expired clock (once per clock and due date); no state change."""
    with transaction.atomic():
        reminder, created = Reminder.objects.get_or_create(request=req, clock=clock, due_on=due_on)
        if not created:
            return None
        record(
            "mla:reminder:raise",
            obj=req,
            agency=req.agency.code if req.agency else "",
            clock=clock,
            due_on=due_on.isoformat(),
        )
    return reminder
