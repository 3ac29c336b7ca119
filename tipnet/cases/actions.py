"""Writes to cases. Each `do_*` validates, saves in one transaction and records an audit event.

Invalid input raises django.core.exceptions.ValidationError before anything is stored. Audit
events never carry victims' names: only ids, codes and counts.
"""

import hashlib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipnet.audit.actions import record
from tipnet.lib import onward

from .enums import (
    COURT_OUTCOMES,
    NEXT_STAGES,
    ChainRole,
    Confidentiality,
    EventKind,
    ExploitationForm,
    GrantLevel,
    IdentifierKind,
    LegKind,
    Outcome,
    PersonRole,
    Sex,
    Stage,
    SuspectStatus,
)
from .models import (
    Case,
    CaseEvent,
    CaseGrant,
    CasePerson,
    CaseTask,
    Document,
    Identifier,
    Person,
    PersonNameKey,
    ReferenceCounter,
    RouteLeg,
    TaskStatus,
)
from .names import name_keys, normalise_identifier, sealed_name_keys
from .validation import PartialDate, country_code, country_list, sniff_content_type


def _require(value: str, allowed, field: str) -> str:
    if value not in allowed:
        raise ValidationError({field: _("Choose one of the listed values.")})
    return value


def _text(value: str, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": limit}})
    return value


def _next_reference(agency, year: int) -> tuple[int, str]:
    counter, _created = ReferenceCounter.objects.get_or_create(agency=agency, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{agency.code}-{year}-{counter.last:06d}"


def _clean_forms(forms) -> list[str]:
    forms = list(dict.fromkeys(forms or []))
    for code in forms:
        _require(code, ExploitationForm.values, "exploitation_forms")
    return forms


def _clean_route(legs) -> list[tuple[str, str]]:
    clean = []
    for country, kind in legs or []:
        try:
            clean.append((country_code(country), _require(kind, LegKind.values, "route")))
        except ValidationError as exc:
            raise ValidationError({"route": exc.messages}) from None
    return clean


def do_create_case(
    actor,
    *,
    title: str,
    agency=None,
    offence_articles: str = "",
    exploitation_forms=(),
    summary: str = "",
    confidentiality: str = Confidentiality.CONFIDENTIAL,
    opened_on: date | None = None,
    route=(),
) -> Case:
    """Open a case for `agency` (the actor's by default) with the next reference of its year."""
    agency = agency or actor.agency
    opened_on = opened_on or timezone.localdate()
    fields = {
        "title": _text(title, "title", 200),
        "offence_articles": _text(offence_articles, "offence_articles", 200, False),
        "exploitation_forms": _clean_forms(exploitation_forms),
        "summary": _text(summary, "summary", 20000, False),
        "confidentiality": _require(confidentiality, Confidentiality.values, "confidentiality"),
        "opened_on": opened_on,
    }
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("The date cannot be in the future.")})
    legs = _clean_route(route)
    with transaction.atomic():
        year = opened_on.year
        serial, reference = _next_reference(agency, year)
        case = Case.objects.create(
            agency=agency, year=year, serial=serial, reference=reference, created_by=actor, **fields
        )
        RouteLeg.objects.bulk_create(
            RouteLeg(case=case, position=i, country=c, kind=k) for i, (c, k) in enumerate(legs)
        )
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.STAGE,
            occurred_on=case.opened_on,
            stage_to=Stage.DETECTION,
            created_by=actor,
        )
        record("cases:case:create", actor=actor, obj=case, reference=reference)
    return case


CASE_FIELDS = ("title", "offence_articles", "exploitation_forms", "summary", "confidentiality")


def do_update_case(actor, case: Case, **data) -> Case:
    """Change the descriptive fields of `case` (never its stage: see do_change_stage)."""
    clean = {
        "title": lambda v: _text(v, "title", 200),
        "offence_articles": lambda v: _text(v, "offence_articles", 200, False),
        "exploitation_forms": _clean_forms,
        "summary": lambda v: _text(v, "summary", 20000, False),
        "confidentiality": lambda v: _require(v, Confidentiality.values, "confidentiality"),
    }
    changed = {k: clean[k](v) for k, v in data.items() if k in clean}
    with transaction.atomic():
        for name, value in changed.items():
            setattr(case, name, value)
        case.updated_at = timezone.now()
        case.save(update_fields=[*changed, "updated_at"])
        record("cases:case:update", actor=actor, obj=case, fields=sorted(changed))
    return case


def do_set_route(actor, case: Case, legs) -> list[RouteLeg]:
    """Replace the route of `case` with `legs`, a list of (country code, leg kind)."""
    clean = _clean_route(legs)
    with transaction.atomic():
        case.route.all().delete()
        rows = RouteLeg.objects.bulk_create(
            RouteLeg(case=case, position=i, country=c, kind=k) for i, (c, k) in enumerate(clean)
        )
        record("cases:route:set", actor=actor, obj=case, countries=[c for c, _k in clean])
    return rows


def do_change_stage(
    actor,
    case: Case,
    to_stage: str,
    occurred_on: date | None = None,
    outcome: str = "",
    note: str = "",
) -> CaseEvent:
    """Move `case` to `to_stage` on a date; closing needs an outcome the stage allows."""
    occurred_on = occurred_on or timezone.localdate()
    if to_stage not in NEXT_STAGES.get(case.stage, ()):
        raise ValidationError(
            {
                "stage": _("A case cannot move from %(a)s to %(b)s.")
                % {"a": case.stage, "b": to_stage}
            }
        )
    if to_stage == Stage.CLOSED:
        _require(outcome, Outcome.values, "outcome")
        if outcome in COURT_OUTCOMES and case.stage != Stage.TRIAL:
            raise ValidationError({"outcome": _("Only a court can convict or acquit.")})
    elif outcome:
        raise ValidationError({"outcome": _("An outcome is given only when a case is closed.")})
    last = case.events.filter(kind=EventKind.STAGE).order_by("-occurred_on").first()
    if occurred_on > timezone.localdate() or (last and occurred_on < last.occurred_on):
        raise ValidationError(
            {"occurred_on": _("The date must be between the last stage change and today.")}
        )
    with transaction.atomic():
        event = CaseEvent.objects.create(
            case=case,
            kind=EventKind.STAGE,
            occurred_on=occurred_on,
            stage_from=case.stage,
            stage_to=to_stage,
            description=_text(note, "note", 2000, False),
            created_by=actor,
        )
        case.stage, case.outcome, case.updated_at = to_stage, outcome, timezone.now()
        case.save(update_fields=["stage", "outcome", "updated_at"])
        record("cases:case:stage", actor=actor, obj=case, stage=to_stage, outcome=outcome)
    return event


def do_add_event(actor, case: Case, kind: str, occurred_on: date, description: str) -> CaseEvent:
    """Add a dated event (not a stage change) to the timeline of `case`."""
    allowed = [k for k in EventKind.values if k != EventKind.STAGE]
    _require(kind, allowed, "kind")
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    with transaction.atomic():
        event = CaseEvent.objects.create(
            case=case,
            kind=kind,
            occurred_on=occurred_on,
            description=_text(description, "description", 5000),
            created_by=actor,
        )
        record("cases:event:create", actor=actor, obj=event, case_id=case.pk, kind=kind)
    return event


def _store_keys(person: Person, clear: bool = False) -> None:
    # Keyed hashes unless `clear` is asked for a person who was never a victim: a new person
    # starts keyed, since the role they will get is not known yet.
    keys = name_keys(person.full_name)
    if person.is_sealed or not clear:
        keys = sealed_name_keys(keys)
    PersonNameKey.objects.filter(person=person).delete()
    PersonNameKey.objects.bulk_create(PersonNameKey(person=person, key=k) for k in sorted(keys))


def _keys_for_new_role(person: Person, role: str) -> None:
    """Keep a person's name keys in step with a role just given: a victim is sealed for good
    (keyed hashes only); anyone else, on their first role, gets clear keys for fuzzy search."""
    if role == PersonRole.VICTIM and not person.is_sealed:
        person.is_sealed = True
        person.save(update_fields=["is_sealed"])
        _store_keys(person)
    elif not person.is_sealed and person.case_roles.count() == 1:
        _store_keys(person, clear=True)


def _check_role(role: str, chain_role: str, status: str) -> tuple[str, str]:
    _require(role, PersonRole.values, "role")
    if role != PersonRole.SUSPECT:
        if chain_role or status:
            raise ValidationError({"chain_role": _("Only a suspect has a chain role or status.")})
        return "", ""
    if chain_role:
        _require(chain_role, ChainRole.values, "chain_role")
    return chain_role, _require(status or SuspectStatus.SUSPECTED, SuspectStatus.values, "status")


def do_create_person(
    actor,
    *,
    full_name: str,
    sex: str = Sex.UNKNOWN,
    birth: PartialDate | None = None,
    citizenships=(),
    similar_to=(),
) -> Person:
    """Record a new person with the name as written; the Latin form and keys are derived.

    Names and birth date are stored encrypted and the name keys as keyed hashes until the
    person's first role is given (do_add_person_to_case). `similar_to` names the persons the
    user was warned about and chose not to link (ids only), kept in the audit event.
    """
    birth = birth or PartialDate(None)
    try:
        countries = country_list(list(citizenships))
    except ValidationError as exc:
        raise ValidationError({"citizenships": exc.messages}) from None
    person = Person(
        full_name=_text(full_name, "full_name", 200),
        sex=_require(sex, Sex.values, "sex"),
        birth_year=birth.year,
        birth_month=birth.month,
        birth_day=birth.day,
        birth_precision=birth.precision,
        citizenships=countries,
        created_by=actor,
    )
    with transaction.atomic():
        person.save()
        _store_keys(person)
        if similar_to:
            record(
                "cases:person:create",
                actor=actor,
                obj=person,
                similar_to=sorted({int(pk) for pk in similar_to}),
            )
        else:
            record("cases:person:create", actor=actor, obj=person)
    return person


def do_add_person_to_case(
    actor, case: Case, person: Person, role: str, chain_role: str = "", status: str = ""
) -> CasePerson:
    """Give `person` a role in `case` (a suspect with a chain role and a status).

    The victim role seals the person in the same transaction: their name keys become keyed
    hashes, and stay so even if the role goes (see Person.is_sealed).
    """
    chain_role, status = _check_role(role, chain_role, status)
    if case.case_persons.filter(person=person, role=role).exists():
        raise ValidationError({"role": _("This person already has this role in the case.")})
    with transaction.atomic():
        row = CasePerson.objects.create(
            case=case, person=person, role=role, chain_role=chain_role, status=status
        )
        _keys_for_new_role(person, role)
        record("cases:case_person:create", actor=actor, obj=row, case_id=case.pk, role=role)
    return row


def do_update_case_person(actor, row: CasePerson, chain_role: str, status: str) -> CasePerson:
    """Change a suspect's role in the chain or status."""
    row.chain_role, row.status = _check_role(row.role, chain_role, status)
    with transaction.atomic():
        row.save(update_fields=["chain_role", "status"])
        record("cases:case_person:update", actor=actor, obj=row, status=row.status)
    return row


def do_add_identifier(
    actor, person: Person, kind: str, value: str, country: str = ""
) -> Identifier:
    """Attach an identifier to `person`, normalised (phones to E.164); ValidationError if bad."""
    _require(kind, IdentifierKind.values, "kind")
    try:
        country = country_code(country) if country else ""
    except ValidationError as exc:
        raise ValidationError({"country": exc.messages}) from None
    try:
        normalised = normalise_identifier(kind, value, country)
    except ValueError:
        raise ValidationError(
            {"value": _("This is not a valid %(kind)s.") % {"kind": kind}}
        ) from None
    with transaction.atomic():
        identifier = Identifier.objects.create(
            person=person,
            kind=kind,
            value=_text(value, "value", 300),
            normalised=normalised,
            country=country,
        )
        record("cases:identifier:create", actor=actor, obj=identifier, kind=kind)
    return identifier


def max_document_bytes() -> int:
    return settings.TIPNET_CASE_DOCUMENT_MAX_MB * 1024 * 1024


def do_upload_document(actor, case: Case, title: str, filename: str, data: bytes) -> Document:
    """Store a file of an allowed type (judged by its bytes) with its SHA-256."""
    if len(data) > max_document_bytes():
        raise ValidationError({"file": _("The file is larger than the limit.")})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ValidationError({"file": _("This type of file is not accepted.")})
    with transaction.atomic():
        document = Document.objects.create(
            case=case,
            title=_text(title, "title", 200),
            filename=_text(filename, "file", 200)[-200:],
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
            uploaded_by=actor,
        )
        record("cases:document:upload", actor=actor, obj=document, sha256=document.sha256)
    return document


def do_grant_case(
    actor,
    case: Case,
    *,
    agency=None,
    user=None,
    level: str = GrantLevel.READ,
    reason: str = "",
    expires_on: date | None = None,
    expires_at: datetime | None = None,
) -> CaseGrant:
    """Share `case` with another agency or one user, for a stated reason.

    The grant ends with the day `expires_on` (the node's time zone), or at the moment
    `expires_at`; either must lie ahead, and only one may be given.
    """
    expires_at = _grant_expiry(expires_on, expires_at)
    if (agency is None) == (user is None):
        raise ValidationError({"agency": _("Choose an agency or a user.")})
    if agency is not None and agency.pk == case.agency_id:
        raise ValidationError({"agency": _("The case already belongs to this agency.")})
    # Apps whose records carry use restrictions (police messages' handling codes) may forbid it.
    refusal = onward.refusal("share", case_ids=[case.pk], to=agency or user)
    if refusal:
        raise ValidationError({"agency": refusal})
    with transaction.atomic():
        grant = CaseGrant.objects.create(
            case=case,
            agency=agency,
            user=user,
            level=_require(level, GrantLevel.values, "level"),
            reason=_text(reason, "reason", 300),
            granted_by=actor,
            expires_at=expires_at,
        )
        record("cases:grant:create", actor=actor, obj=grant, case_id=case.pk, level=level)
    return grant


def grant_end(day: date) -> datetime:
    """The moment a grant that runs until the end of `day` ends: the next midnight here."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _grant_expiry(expires_on: date | None, expires_at: datetime | None) -> datetime | None:
    if expires_on is not None and expires_at is not None:
        raise ValidationError({"expires_on": _("Give the expiry as a date only.")})
    if expires_on is not None:
        if expires_on < timezone.localdate():
            raise ValidationError({"expires_on": _("The expiry date cannot be in the past.")})
        return grant_end(expires_on)
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            expires_at = timezone.make_aware(expires_at)
        if expires_at <= timezone.now():
            raise ValidationError({"expires_at": _("The expiry cannot be in the past.")})
    return expires_at


def do_revoke_grant(actor, grant: CaseGrant) -> None:
    """Withdraw a grant at once."""
    with transaction.atomic():
        record("cases:grant:revoke", actor=actor, obj=grant, case_id=grant.case_id)
        grant.delete()


def resolve_grantee(agency_code: str = "", username: str = ""):
    """The agency or user a grant names, by code or user name; ValidationError when unknown."""
    from tipnet.accounts.models import Agency, User

    if bool(agency_code) == bool(username):
        raise ValidationError({"agency": _("Choose an agency or a user.")})
    if agency_code:
        agency = Agency.objects.filter(code=agency_code.strip().upper(), is_active=True).first()
        if agency is None:
            raise ValidationError({"agency": _("No such agency on this node.")})
        return {"agency": agency}
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"username": _("No such user on this node.")})
    return {"user": user}


def _task_fields(case: Case, title: str, assignee, due_on: date | None) -> dict:
    from .access import task_assignees

    if assignee is None or not task_assignees(case).filter(pk=assignee.pk).exists():
        raise ValidationError(
            {"assignee": _("Choose a user of an agency that works on this case.")}
        )
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    return {"title": _text(title, "title", 200), "assignee": assignee, "due_on": due_on}


def do_add_task(actor, case: Case, *, title: str, assignee, due_on: date | None = None) -> CaseTask:
    """Give a user of the case's agencies a task on `case`, with an optional due date."""
    fields = _task_fields(case, title, assignee, due_on)
    with transaction.atomic():
        task = CaseTask.objects.create(case=case, created_by=actor, **fields)
        record(
            "cases:task:create",
            actor=actor,
            obj=task,
            case_id=case.pk,
            assignee=assignee.pk,
            due_on=due_on,
        )
    return task


def do_set_task_status(actor, task: CaseTask, status: str) -> CaseTask:
    """Mark a task done, or open it again."""
    _require(status, TaskStatus.values, "status")
    if status == task.status:
        return task
    with transaction.atomic():
        task.status = status
        task.done_at = timezone.now() if status == TaskStatus.DONE else None
        task.save(update_fields=["status", "done_at"])
        record("cases:task:status", actor=actor, obj=task, case_id=task.case_id, status=status)
    return task
