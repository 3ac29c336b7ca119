"""The sweep's world: one agency of the node that no persona belongs to, with a record of every
kind, each carrying a marker (a fictional name or number found nowhere else), so that a response
naming a marker shows that another agency's record reached a user who may not see it.

The records are made with the apps' own `do_*` actions; the two made with the ORM (an incoming
hand-over, which only a message from another node creates, and a file of a draft request, which
only a transition attaches) are said where they are made.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module
from importlib.util import find_spec
from io import BytesIO

from django.utils import timezone

from conftest import make_user
from tipnet.accounts.actions import do_create_token
from tipnet.accounts.models import Agency as NodeAgency
from tipnet.cases import actions as cases
from tipnet.cases.enums import GrantLevel
from tipnet.cases.tests.factories import add_person, make_case
from tipnet.directory import demo as directory_demo
from tipnet.directory.actions import (
    do_add_participant,
    do_create_agency,
    do_create_contact,
    do_create_event,
)
from tipnet.directory.models import Country, PractitionerNetwork
from tipnet.mla import actions as mla
from tipnet.mla.models import MlaFile
from tipnet.victims import actions as victims
from tipnet.victims.indicators import indicator_codes
from tipnet.victims.models import IncomingHandOver, Purpose, Status, Victim, new_code

# What a search probes with: given names only, so that an echo of the query in a search box is
# never mistaken for a leak (the markers below are family names and numbers).
PROBE = "Dilorom"

# Every marker is put into exactly one record of the other agency and appears nowhere else.
MARKERS = {
    "case title": "Zarafshonsweep",
    "case summary": "Sweepsummary",
    "case timeline": "Sweeptimeline",
    "case document title": "Sweepdoctitle",
    "case document bytes": "Sweepdocbytes",
    "case victim": "Sweepvictimova",
    "case suspect": "Sweepsuspectov",
    "case identifier": "SWP7734521",
    "grant reason": "Sweepgrantreason",
    "mla victim": "Sweepmlaova",
    "mla suspect": "Sweepmlaev",
    "mla facts": "Sweepmlafacts",
    "mla file": "Sweepmlafile",
    "victim": "Sweepzoda",
    "victim phone": "901117733",
    "victim contact notes": "Sweepcontactnote",
    "screening note": "Sweepscreennote",
    "consent explained by": "Sweepexplainer",
    "referral reason": "Sweepreferral",
    "goal": "Sweepgoaltext",
    "follow-up": "Sweepfollowup",
    "return travel documents": "Sweeptraveldoc",
    "hotline caller": "Sweephotlinova",
    "hotline summary": "Sweephotlinesummary",
    "incoming hand-over": "Sweephandoverova",
}

MISSING_INT = 987_654_321

# Apps that bring their own part of the world: a module `tipnet/<app>/tests/sweep.py` with
# MARKERS (added to those above), PARAMS (added to the sweep's path parameters) and
# `build(world, owner, case)`, which makes the app's records of the other agency with its own
# `do_*` actions and puts their ids into world.ids.
SWEEP_APPS = ("cases", "checks", "cooperation", "directory", "jit", "stats")


def app_sweeps() -> list:
    return [
        import_module(f"tipnet.{app}.tests.sweep")
        for app in SWEEP_APPS
        if find_spec(f"tipnet.{app}.tests.sweep") is not None
    ]


for _module in app_sweeps():
    MARKERS |= getattr(_module, "MARKERS", {})


@dataclass
class World:
    """The ids of the other agency's records (and of node-wide ones) that the sweep uses."""

    ids: dict = field(default_factory=dict)
    owner: object = None


def _pdf_with(text: str) -> bytes:
    # A tiny but well-formed PDF: the upload check sniffs the type from the bytes.
    return b"%PDF-1.4\n% " + text.encode() + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _directory(world: World) -> tuple:
    directory_demo.load()
    mla.do_load_treaties(None)
    tj = Country.objects.get(code="TJ")
    data = {"country": tj, "kind": "prosecutor", "name_en": "Prosecutor General (fictional)"}
    home = do_create_agency(None, data)
    provider = do_create_agency(None, {"country": tj, "kind": "ngo", "name_en": "Shelter Ray"})
    contact = do_create_contact(
        None,
        {"agency": home, "name": "Contact Point", "languages": ["tg", "ru"], "phone": ""},
    )
    event = do_create_event(
        None,
        {
            "kind": "workshop",
            "title": "Workshop in Dushanbe",
            "starts_on": date(2025, 5, 6),
            "ends_on": date(2025, 5, 7),
            "country": tj,
            "city": "Dushanbe",
        },
    )
    participant = do_add_participant(None, event, contact, "Speaker")
    world.ids.update(
        directory_agency=home.pk,
        contact=contact.pk,
        event=event.pk,
        participant=participant.pk,
        network=PractitionerNetwork.objects.order_by("code")[0].code,
    )
    return home, provider


def _case(world: World, owner, third) -> object:
    m = MARKERS
    case = make_case(
        owner,
        title=f"{m['case title']} recruitment",
        summary=f"{m['case summary']} of the facts.",
        route=[("TJ", "origin"), ("AE", "destination")],
    )
    row_victim = add_person(owner, case, f"{PROBE} {m['case victim']}", "victim", birth="1999-03")
    row_suspect = add_person(owner, case, f"Bahrom {m['case suspect']}", "suspect")
    victim = row_victim.person
    cases.do_add_identifier(owner, victim, "passport", m["case identifier"], "TJ")
    cases.do_add_event(owner, case, "interview", date(2026, 1, 5), m["case timeline"])
    document = cases.do_upload_document(
        owner, case, m["case document title"], "statement.pdf", _pdf_with(m["case document bytes"])
    )
    grant = cases.do_grant_case(
        owner, case, agency=third, level=GrantLevel.READ, reason=m["grant reason"]
    )
    world.ids.update(
        case=case.pk,
        case_reference=case.reference,
        row=row_victim.pk,
        row_suspect=row_suspect.pk,
        document=document.pk,
        grant=grant.pk,
    )
    return case


def _mla(world: World, owner, case) -> None:
    m = MARKERS
    req = mla.do_create_request(owner, case, requested_state="AE")
    mla.do_update_request(
        owner,
        req,
        "facts",
        {
            "facts": f"{m['mla facts']}: workers were recruited with false offers.",
            "offences": "Trafficking in persons.",
            "purpose": "To prove the exploitation.",
        },
    )
    person = mla.do_add_person(
        owner, req, {"kind": "victim", "full_name": f"{PROBE} {m['mla victim']}"}
    )
    mla.do_add_person(owner, req, {"kind": "suspect", "full_name": f"Akmal {m['mla suspect']}"})
    measure = mla.do_add_measure(
        owner, req, "records", {"records": "Salary records", "holder": "Fictional LLC"}
    )
    # Only a transition attaches a file, and a draft has had none: the row is made directly.
    file = MlaFile.objects.create(
        request=req,
        kind="annex",
        filename="annex.pdf",
        content_type="application/pdf",
        sha256="0" * 64,
        content=_pdf_with(m["mla file"]),
    )
    world.ids.update(request=req.pk, mla_person=person.pk, measure=measure.pk, mla_file=file.pk)


def _victim(world: World, owner, provider) -> None:
    m = MARKERS
    data = {
        "given_name": PROBE,
        "family_name": m["victim"],
        "phone": "+998" + m["victim phone"],
        "contact_notes": m["victim contact notes"],
        "sex": "female",
    }
    victim = victims.do_register_victim(owner, data)
    victims.do_screen(owner, victim, sorted(indicator_codes())[:2], note=m["screening note"])
    victims.do_decide_status(owner, victim, Status.IDENTIFIED, "Prosecutor", date(2026, 1, 6))
    given = {
        "given_on": date(2026, 1, 6),
        "language": "tg",
        "explained_by": m["consent explained by"],
    }
    consents = [
        victims.do_give_consent(
            owner, victim, {"purpose": purpose, "recipient": recipient, **given}
        )
        for purpose, recipient in [
            (Purpose.ASSISTANCE, None),
            (Purpose.RETURN, None),
            (Purpose.DATA_SHARING, provider),
        ]
    ]
    offer = victims.do_create_offer(None, provider, "shelter", "Dushanbe")
    referral = victims.do_refer(owner, victim, offer, m["referral reason"], shares_identity=True)
    goal = victims.do_add_goal(owner, victim, m["goal"])
    follow_up = victims.do_add_follow_up(
        owner, victim, timezone.localdate() + timedelta(days=7), m["follow-up"]
    )
    step = victims.do_create_sop_step(None, 1, "Medical check", 3)
    plan = victims.do_plan_return(
        owner,
        victim,
        {
            "from_country": "AE",
            "to_country": "TJ",
            "receiving_service": provider,
            "travel_documents": m["return travel documents"],
            "reception_point": "Dushanbe airport",
            "travel_on": timezone.localdate() + timedelta(days=20),
        },
    )
    world.ids.update(
        victim=victim.code,
        consent=consents[-1].pk,
        referral=referral.pk,
        goal=goal.pk,
        follow_up=follow_up.pk,
        sop_step=step.pk,
        plan=plan.pk,
    )


def _hotline_and_hand_over(world: World, owner, provider) -> None:
    m = MARKERS
    call = {
        "channel": "phone",
        "language": "tg",
        "caller_type": "person",
        "summary": m["hotline summary"],
        "urgency": "routine",
        "outcome": "screening",
    }
    victims.do_log_call(owner, call, person_name=m["hotline caller"])
    # Only a message from another node creates an incoming hand-over: the row is made directly.
    hand_over = IncomingHandOver.objects.create(
        message_id="8f0e4a52-8d9b-4f0e-9a53-5d2b7c1e0a11",
        from_node="AE-MOJ",
        code=new_code(),
        status=Status.IDENTIFIED,
        receiving_service=provider,
        from_country="AE",
        to_country="TJ",
        travel_documents="Return certificate",
        reception_point="Dushanbe airport",
        travel_on=timezone.localdate(),
        has_identity=True,
        given_name=PROBE,
        family_name=m["incoming hand-over"],
    )
    world.ids["hand_over"] = hand_over.pk


def build_world() -> World:
    """Make the other agency (TJ-GPO, to which no persona belongs) and its records."""
    world = World()
    home, provider = _directory(world)
    agency = NodeAgency.objects.create(
        code="TJ-GPO", name="Prosecutor General (fictional)", country="TJ", directory_agency=home
    )
    third = NodeAgency.objects.create(code="TM-MVD", name="Interior (fictional)", country="TM")
    owner = make_user("tahmina_other", agency, "investigator", "prosecutor", "caseworker")
    world.owner = owner
    case = _case(world, owner, third)
    _mla(world, owner, case)
    _victim(world, owner, provider)
    _hotline_and_hand_over(world, owner, provider)
    for module in app_sweeps():
        module.build(world, owner, case)
    token, _raw = do_create_token(owner, "sweep", 30)
    world.ids["token"] = token.pk
    world.ids["user"] = owner.pk
    world.ids["missing_victim"] = _missing_code()
    return world


def _missing_code() -> str:
    code = new_code()
    while Victim.objects.filter(code=code).exists():
        code = new_code()
    return code


def body_text(response) -> str:
    """The text of a response, read inside PDF, DOCX, XLSX and CSV bodies as well as HTML/JSON."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content.startswith(b"%PDF"):
        return _pdf_text(content) + content.decode("latin-1")
    if content.startswith(b"PK\x03\x04"):
        return _office_text(content)
    text = content.decode("utf-8", errors="replace")
    if kind == "application/json":
        import json

        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(content))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as exc:  # a malformed PDF is searched as bytes by the caller
        return f"(unreadable PDF: {exc})"


def _office_text(content: bytes) -> str:
    import zipfile

    names = zipfile.ZipFile(BytesIO(content)).namelist()
    if "word/document.xml" in names:
        from docx import Document

        doc = Document(BytesIO(content))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join(parts)
    if "xl/workbook.xml" in names:
        from openpyxl import load_workbook

        book = load_workbook(BytesIO(content), read_only=True)
        return "\n".join(
            str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
        )
    # Another zip: search the raw text of its members.
    archive = zipfile.ZipFile(BytesIO(content))
    return "\n".join(archive.read(n).decode("utf-8", errors="replace") for n in names)


def markers_in(text: str) -> list[str]:
    """The markers named in `text` (case-insensitive), as 'what: marker'."""
    low = text.lower()
    return [f"{what}: {value}" for what, value in MARKERS.items() if value.lower() in low]
