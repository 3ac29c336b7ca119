"""The checks JSON API (mounted at /api/checks/): the same access rules and actions as the pages.

A case the token holder may not check answers 404 like a missing one (and is audited); a
refused check answers 422 in the one error shape, with nothing stored or sent.
"""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from . import access, actions
from .models import Kind, LegalBasis

router = Router()


class CheckOut(Schema):
    uid: str
    node: str
    person_id: int
    kind: str
    legal_basis: str
    consent_id: int | None = Field(None, description="the victim's consent it relied on")
    result: str
    strength: str
    reference: str
    reference_expires_at: datetime | None
    reason: str
    created_at: datetime
    answered_at: datetime | None


class CheckIn(Schema):
    persons: list[int] = Field(..., min_length=1, max_length=50, description="case person rows")
    nodes: list[str] = Field(..., min_length=1, max_length=50, description='node ids or "all"')
    legal_basis: Literal[tuple(LegalBasis.values)]  # type: ignore[valid-type]
    kind: Literal[tuple(Kind.values)] = Kind.PERSON  # type: ignore[valid-type]
    consent: int | None = Field(
        None,
        ge=1,
        le=2**31 - 1,
        description="missing-person checks: id of the victim's consent to cross-border checks "
        "in the victims register",
    )


def _out(check) -> dict:
    return {
        "uid": str(check.uid),
        "node": check.node,
        "person_id": check.person_id,
        "kind": check.kind,
        "legal_basis": check.legal_basis,
        "consent_id": check.consent_id,
        "result": check.result,
        "strength": check.strength,
        "reference": check.reference,
        "reference_expires_at": check.reference_expires_at,
        "reason": check.reason,
        "created_at": check.created_at,
        "answered_at": check.answered_at,
    }


@router.get("/cases/{case_id}", response=list[CheckOut], summary="The checks asked about a case")
def case_checks(request, case_id: int):
    _case, checks = access.access_case_checks(request.auth, case_id)
    return [_out(c) for c in checks[:200]]


@router.post("/cases/{case_id}", response={201: list[CheckOut]}, summary="Check persons of a case")
def ask(request, case_id: int, payload: CheckIn):
    case = access.access_case_for_check(request.auth, case_id)
    rows = {r.pk: r for r in access.checkable_rows(request.auth, case)}
    missing = [p for p in payload.persons if p not in rows]
    if missing:
        raise DjangoValidationError({"persons": _("Not a person of this case you may check.")})
    consent = None
    if payload.consent is not None:
        consent = access.access_check_consent(request.auth, case, payload.consent)
    made = actions.do_check(
        request.auth,
        case,
        [rows[p] for p in payload.persons],
        payload.nodes,
        payload.legal_basis,
        payload.kind,
        consent,
    )
    return Status(201, [_out(c) for c in made])
