"""The jit part of the standing sweep: an agreement of the other agency (TJ-GPO) with a partner
node, in force, with a person in the chain and a task, each carrying a marker.

The agreement arrives as a partner's proposal would (`receive.receive_agreement`), and the items
as the partner's messages would; its signatures are written with the ORM (the sweep's world has no
network registry to verify them against), which is said here as the rules ask.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from tipnet.jit import receive
from tipnet.jit.models import Agreement, Item, Signature
from tipnet.jit.state import settle

MARKERS = {
    "jit agreement title": "Sweepjitagreement",
    "jit purpose": "Sweepjitpurpose",
    "jit chain person": "Sweepjitchainov",
    "jit task": "Sweepjittask",
}

PARAMS = {
    "agreement_id": {"other": "jit_agreement"},
    "jit:item_id": {"other": "jit_item"},
}

PARTNER = "AE-MOJ"


def _text(owner) -> dict:
    def party(node, country, agency):
        return {"node": node, "country": country, "agency": agency, "leader": "", "members": []}

    return {
        "format": "tipnet-jit-agreement/1",
        "uid": str(uuid.uuid4()),
        "version": 1,
        "kind": "parallel",
        "title": MARKERS["jit agreement title"],
        "purpose": MARKERS["jit purpose"],
        "governing_law": "",
        "confidentiality": "",
        "victim_support": "",
        "costs": "",
        "period": {
            "start": (timezone.localdate() - timedelta(days=30)).isoformat(),
            "end": (timezone.localdate() + timedelta(days=335)).isoformat(),
        },
        "parties": [
            party(settings.TIPNET_NODE_ID, settings.TIPNET_NODE_COUNTRY, owner.agency.code),
            party(PARTNER, "AE", PARTNER),
        ],
    }


def _item(agreement, kind: str, body: dict) -> Item:
    uid = str(uuid.uuid4())
    payload = {"agreement": str(agreement.uid), "uid": uid, "kind": kind, "revision": 1}
    receive.receive_item(PARTNER, payload | {"body": body})
    return Item.objects.get(uid=uid)


def build(world, owner, case) -> None:
    text = _text(owner)
    receive.receive_agreement(PARTNER, {"text": text})
    agreement = Agreement.objects.get(uid=text["uid"])
    for node in agreement.nodes():
        Signature.objects.create(
            agreement=agreement,
            node=node,
            version=1,
            text_sha256=agreement.text_sha256,
            signer="Sweep signer",
            signer_role="prosecutor",
            signed_at=timezone.now(),
            value="not verified in the sweep",
        )
    settle(agreement)
    person = {"name": MARKERS["jit chain person"], "role": "suspect", "chain_role": "exploiter"}
    _item(agreement, "person", person | {"latin_name": "", "case_reference": "", "interpol": []})
    task = _item(agreement, "task", {"title": MARKERS["jit task"], "status": "open"})
    world.ids["jit_agreement"] = agreement.pk
    world.ids["jit_item"] = task.pk
