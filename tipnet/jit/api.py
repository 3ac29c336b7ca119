"""The joint-investigations JSON API (mounted at /api/jit/): the same rules as the pages.

An agreement the token holder is not a member of answers 404 like a missing one (and is audited);
a refused action answers 422 in the one error shape, with nothing changed.
"""

import json
from datetime import date

from django.conf import settings
from ninja import Router, Schema
from ninja.pagination import paginate

from tipnet.api import Page

from . import actions
from . import chain as chain_view
from .access import access_agreement, access_agreement_to_sign, live_items, visible_agreements
from .enums import ItemKind
from .text import signature_fields, text_of, verify

router = Router()


class JitAgreementOut(Schema):
    id: int
    uid: str
    kind: str
    state: str
    version: int
    title: str
    period_start: date
    period_end: date
    extended_until: date | None
    nodes: list[str]
    text_sha256: str

    @staticmethod
    def resolve_uid(obj):
        return str(obj.uid)

    @staticmethod
    def resolve_nodes(obj):
        return obj.nodes()


class JitSignatureOut(Schema):
    node: str
    version: int
    text_sha256: str
    signer: str
    role: str
    signed_at: str
    signature: str
    verified: bool


class JitAgreementDetailOut(JitAgreementOut):
    text: dict
    signatures: list[JitSignatureOut]

    @staticmethod
    def resolve_text(obj):
        return text_of(obj)

    @staticmethod
    def resolve_signatures(obj):
        found = []
        for sig in obj.signatures.all():
            fields = signature_fields(sig)
            found.append(fields | {"signature": sig.value, "verified": verify(fields, sig.value)})
        return found


class JitChainLinkOut(Schema):
    role: str
    name: str
    latin_name: str
    node: str
    case_reference: str
    interpol: list[str]


class JitWorkspaceItemOut(Schema):
    id: int
    kind: str
    owner_node: str
    revision: int
    body: dict


@router.get(
    "/agreements", response=list[JitAgreementOut], summary="The agreements I am a member of"
)
@paginate(Page)
def agreement_list(request):
    return visible_agreements(request.auth)


@router.get("/agreements/{agreement_id}", response=JitAgreementDetailOut, summary="One agreement")
def agreement_detail(request, agreement_id: int):
    return access_agreement(request.auth, agreement_id)


@router.post(
    "/agreements/{agreement_id}/sign",
    response=JitAgreementDetailOut,
    summary="Sign the current version for this node (prosecutors and central authorities)",
)
def sign(request, agreement_id: int):
    agreement = access_agreement_to_sign(request.auth, agreement_id)
    actions.do_sign(request.auth, agreement)
    agreement.refresh_from_db()
    return agreement


@router.get(
    "/agreements/{agreement_id}/chain",
    response=list[JitChainLinkOut],
    summary="The whole chain: every shared person with the node that owns it",
)
def chain(request, agreement_id: int):
    agreement = access_agreement(request.auth, agreement_id)
    cols = chain_view.columns(agreement, settings.TIPNET_NODE_ID)
    return [
        {
            "role": column.role,
            "name": link.name,
            "latin_name": link.latin_name,
            "node": link.node,
            "case_reference": link.case_reference,
            "interpol": link.interpol,
        }
        for column in cols
        for link in column.links
    ]


@router.get(
    "/agreements/{agreement_id}/workspace",
    response=list[JitWorkspaceItemOut],
    summary="The action plan, meeting notes, evidence log and procedure progress",
)
def workspace(request, agreement_id: int):
    agreement = access_agreement(request.auth, agreement_id)
    items = live_items(agreement).exclude(kind=ItemKind.PERSON)
    return [
        {
            "id": item.pk,
            "kind": item.kind,
            "owner_node": item.owner_node,
            "revision": item.revision,
            "body": json.loads(item.body),
        }
        for item in items
    ]
