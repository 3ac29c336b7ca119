"""One identity rule for every rendering of a request (access.may_see_identities).

For every persona and the states that matter, the request is read as JSON, as a page, as letters
(PDF through the API and the page, DOCX through both) and as its stored files: a victim's identity
appears in a rendering only when it appears in the JSON, and it appears for exactly the readers
who must see it (the drafting prosecutor, the owning agency's central authority once the
request has left the draft, and every central authority for an incoming request).
"""

import io
import json

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from conftest import make_user
from tipnet.audit.models import AuditEvent
from tipnet.mla import actions
from tipnet.mla.models import MlaRequest

# Markers that only the victim's record holds (a name and a birthplace, in Latin and Cyrillic).
NAME = "Zarmarkova Dilfuza"
BIRTHPLACE = "Qoraqalpogʻiston-Markerobod"
CYRILLIC = "Зармаркова"
MARKERS = (NAME, BIRTHPLACE, CYRILLIC)
PLACEHOLDER = "[identity withheld]"
PERSONAS = (
    "investigator",
    "prosecutor",
    "central_own",
    "central_other",
    "caseworker",
    "analyst",
    "outsider",
    "node_admin",
)
# Who must see the victim, per state; everyone else who may open the request sees it redacted.
MUST_SEE = {
    "draft": {"prosecutor"},
    "submitted": {"prosecutor", "central_own"},
    "incoming": {"central_own", "central_other"},
}
# Who may open the request at all (everyone else gets 404 from every rendering).
OPEN = {
    "draft": {"prosecutor", "central_own"},
    "submitted": {"prosecutor", "central_own", "central_other"},
    "incoming": {"central_own", "central_other"},
}


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def docx_text(content: bytes) -> str:
    return " ".join(" ".join(p.text.split()) for p in Document(io.BytesIO(content)).paragraphs)


def shown(text: str) -> set[str]:
    return {m for m in MARKERS if m in text}


@pytest.fixture
def central_own(uz_gpo):
    """A central-authority officer of the agency that drafts the request."""
    return make_user("bekzod_central", uz_gpo, "central_authority")


@pytest.fixture
def personas(
    investigator,
    prosecutor,
    central_own,
    ca_officer,
    caseworker,
    analyst,
    outsider,
    node_admin,
):
    return {
        "investigator": investigator,
        "prosecutor": prosecutor,
        "central_own": central_own,
        "central_other": ca_officer,
        "caseworker": caseworker,
        "analyst": analyst,
        "outsider": outsider,
        "node_admin": node_admin,
    }


def add_victim(prosecutor, req):
    actions.do_add_person(
        prosecutor,
        req,
        {
            "kind": "victim",
            "full_name": f"{NAME} ({CYRILLIC})",
            "birth_date": "2001-02-03",
            "birth_place": BIRTHPLACE,
            "citizenship": "Uzbekistan",
        },
    )


@pytest.fixture(params=["draft", "submitted", "incoming"])
def request_in_state(request, complete_to_ae, prosecutor):
    add_victim(prosecutor, complete_to_ae)
    if request.param != "draft":
        actions.do_submit(prosecutor, complete_to_ae)
    if request.param == "incoming":
        # The same request as the requested state's register holds it.
        MlaRequest.objects.filter(pk=complete_to_ae.pk).update(direction="incoming", agency=None)
        complete_to_ae.refresh_from_db()
    return request.param, complete_to_ae


def _json(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def _html(response) -> str:
    return response.content.decode()


def _pdf(response) -> str:
    return pdf_text(response.content)


def _docx(response) -> str:
    return docx_text(response.content)


def renderings(user, req, client_as, api_as) -> dict[str, tuple[int, str]]:
    """Every rendering of `req` as `user` reads it: name -> (status, text)."""
    page, api = client_as(user), api_as(user)
    base = f"/api/mla/requests/{req.pk}"
    answers = [
        ("json", api.get(base), _json),
        ("page", page.get(reverse("mla:detail", args=[req.pk])), _html),
        ("api pdf", api.get(f"{base}/letter?format=pdf"), _pdf),
        ("api docx", api.get(f"{base}/letter?format=docx"), _docx),
        ("page pdf", page.get(reverse("mla:letter", args=[req.pk, "pdf"])), _pdf),
        ("page docx", page.get(reverse("mla:letter", args=[req.pk, "docx"])), _docx),
    ]
    for f in req.files.all():
        answers.append((f"file {f.kind}", page.get(reverse("mla:file", args=[req.pk, f.pk])), _pdf))
    return {
        name: (r.status_code, read(r) if r.status_code == 200 else "") for name, r, read in answers
    }


def test_a_victim_appears_in_every_rendering_exactly_when_the_json_shows_it(
    request_in_state, personas, client_as, api_as
):
    state, req = request_in_state
    opened, identified = set(), set()
    for who, user in personas.items():
        seen = renderings(user, req, client_as, api_as)
        json_status, json_text = seen["json"]
        if json_status == 200:
            opened.add(who)
        if shown(json_text):
            identified.add(who)
            assert shown(json_text) == set(MARKERS), who
        for name, (status, text) in seen.items():
            context = (who, state, name)
            if name.startswith("file") and not shown(json_text):
                # The stored letter names everyone: only identity readers may open the files.
                assert status == 404 and not text, context
                continue
            assert (status == 200) == (json_status == 200), context
            if shown(json_text):
                assert NAME in text, context
            else:
                assert not shown(text), context
                assert status != 200 or PLACEHOLDER in text, context
    assert opened == OPEN[state]
    assert identified == MUST_SEE[state]


def test_a_central_authoritys_read_of_a_victims_identity_is_audited(
    complete_to_ae, prosecutor, central_own, ca_officer, api_as, client_as
):
    add_victim(prosecutor, complete_to_ae)
    actions.do_submit(prosecutor, complete_to_ae)

    def reads():
        return AuditEvent.objects.filter(tag="mla:request:read_identity")

    api_as(prosecutor).get(f"/api/mla/requests/{complete_to_ae.pk}")
    api_as(ca_officer).get(f"/api/mla/requests/{complete_to_ae.pk}/letter?format=docx")
    assert not reads().exists()
    api_as(central_own).get(f"/api/mla/requests/{complete_to_ae.pk}/letter?format=docx")
    client_as(central_own).get(reverse("mla:detail", args=[complete_to_ae.pk]))
    letter = complete_to_ae.files.get(kind="letter")
    client_as(central_own).get(reverse("mla:file", args=[complete_to_ae.pk, letter.pk]))
    events = list(reads().order_by("id"))
    assert [e.actor for e in events] == ["bekzod_central"] * 3
    assert [e.detail["rendering"] for e in events] == ["docx", "page", "file"]


def test_the_drafting_pages_of_a_central_authority_redact_the_victim_of_a_draft(
    complete_to_kz, prosecutor, central_own, client_as, api_as
):
    add_victim(prosecutor, complete_to_kz)
    victim = complete_to_kz.persons.get(kind="victim")
    page = client_as(central_own)
    step = page.get(reverse("mla:step", args=[complete_to_kz.pk, "persons"])).content.decode()
    check = page.get(reverse("mla:step", args=[complete_to_kz.pk, "check"])).content.decode()
    gaps = api_as(central_own).get(f"/api/mla/requests/{complete_to_kz.pk}/check").content
    assert not shown(step) and not shown(check) and not shown(gaps.decode())
    assert "Rustamov Akmal" in step
    edit = reverse("mla:person_edit", args=[complete_to_kz.pk, victim.pk])
    assert page.get(edit).status_code == 404
    patch = api_as(central_own).patch(
        f"/api/mla/requests/{complete_to_kz.pk}/persons/{victim.pk}",
        {"kind": "victim"},
        content_type="application/json",
    )
    assert patch.status_code == 404 and not shown(patch.content.decode())
    mine = client_as(prosecutor).get(reverse("mla:step", args=[complete_to_kz.pk, "persons"]))
    assert NAME in mine.content.decode()
    assert client_as(prosecutor).get(edit).status_code == 200


def test_the_redacted_letter_says_so_in_the_language_of_the_letter(
    complete_to_ae, prosecutor, ca_officer, api_as
):
    add_victim(prosecutor, complete_to_ae)
    actions.do_submit(prosecutor, complete_to_ae)
    url = f"/api/mla/requests/{complete_to_ae.pk}/letter?format=docx&lang=ru"
    text = docx_text(api_as(ca_officer).get(url).content)
    assert not shown(text) and "Rustamov Akmal" in text
    assert "[личность не раскрывается]" in text
