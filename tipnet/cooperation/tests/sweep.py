"""The cooperation app's part of the standing sweep (tests/test_sweep.py): an incoming police
message of the other agency, with a person, an identifier and a file that name markers."""

import uuid

from tipnet.cooperation import link
from tipnet.cooperation.inbound import do_receive_message
from tipnet.exchange.envelope import Attachment
from tipnet.exchange.envelope import Message as Envelope

MARKERS = {
    "coop subject": "Quillpen-Zarafshon subject",
    "coop body": "Vexmoor-Kattaqorgon narrative",
    "coop person": "Brindlewick Oqtosh",
    "coop identifier": "brindlewick.oqtosh@example.org",
    "coop file": "Marrowgate-Chust statement",
}

PARAMS = {
    "thread_id": {"other": "thread"},
    "cooperation:item_id": {"other": "coop_item"},
    "cooperation:file_id": {"other": "coop_file"},
}


def build(world, owner, case) -> None:
    m = MARKERS
    payload = {
        "schema": link.SCHEMA,
        "thread": str(uuid.uuid4()),
        "message": str(uuid.uuid4()),
        "kind": "opening",
        "thread_kind": "request",
        "reference": "COOP-OUT-SWEEP0000001",
        "subject": m["coop subject"],
        "handling_code": "H2",
        "from_agency": "Police of another node (fictional)",
        "to_agency": owner.agency.code,
        "body": m["coop body"],
        "items": [
            {
                "full_name": m["coop person"],
                "identifiers": [{"kind": "email", "value": m["coop identifier"]}],
            }
        ],
    }
    pdf = b"%PDF-1.4\n% " + m["coop file"].encode() + b"\n%%EOF\n"
    message = do_receive_message(
        Envelope(
            type=link.MESSAGE,
            sender="KG-GPO",
            recipient="UZ-GPO",
            payload=payload,
            attachments=[Attachment("statement.pdf", "application/pdf", pdf)],
        )
    )
    world.ids.update(
        thread=message.thread_id,
        coop_item=message.items.get().pk,
        coop_file=message.files.get().pk,
    )
