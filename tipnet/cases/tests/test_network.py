"""The network picture: a stable layout, one hop at a time, GraphML, filters and hits of checks."""

import io
from datetime import timedelta

import networkx as nx
import pytest
from django.urls import reverse
from django.utils import timezone

from tipnet.audit.models import AuditEvent
from tipnet.cases import actions
from tipnet.cases.network import case_network
from tipnet.checks.models import OutgoingCheck

from .factories import add_person, make_case

pytestmark = pytest.mark.django_db

PHONE = "+998901112233"


@pytest.fixture
def linked(investigator, outsider):
    """Two cases of UZ-MVD and one of KG-MVD, linked by one phone; a victim in the first."""
    first = make_case(investigator, title="Recruitment in Samarkand")
    second = make_case(investigator, title="Transport to Almaty")
    foreign = make_case(outsider, title="Bishkek side")
    recruiter = add_person(investigator, first, "Rustam Alimov")
    driver = add_person(investigator, second, "Timur Saidov")
    stranger = add_person(outsider, foreign, "Azamat Kadyrov")
    victim = add_person(investigator, first, "Malika Yusupova", role="victim")
    for row in (recruiter, driver, stranger):
        actions.do_add_identifier(investigator, row.person, "phone", PHONE)
    actions.do_add_identifier(investigator, victim.person, "email", "malika.y@example.org")
    return {
        "first": first,
        "second": second,
        "foreign": foreign,
        "recruiter": recruiter,
        "driver": driver,
        "stranger": stranger,
        "victim": victim,
    }


def _hit(case, row, node="AE-MOJ", reference="AE-MOJ-H-7Q2K9"):
    return OutgoingCheck.objects.create(
        case=case,
        person=row.person,
        legal_basis="untoc_27",
        node=node,
        epoch=1,
        result="hit",
        strength="strong",
        reference=reference,
        reference_expires_at=timezone.now() + timedelta(days=30),
    )


def _graphml(client, case, **query):
    response = client.get(reverse("cases:network_graphml", args=[case.pk]), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/graphml+xml"
    return response.content.decode(), nx.read_graphml(io.BytesIO(response.content))


def test_the_layout_is_the_same_on_every_load(investigator, linked):
    graphs = [case_network(investigator, linked["first"]) for _ in range(3)]
    assert graphs[0] == graphs[1] == graphs[2]
    places = {(n["x"], n["y"]) for n in graphs[0]["nodes"]}
    assert len(places) == len(graphs[0]["nodes"]) > 4  # every node placed, none on another


def test_the_page_has_a_legend_filters_and_a_table_of_connections(client_as, investigator, linked):
    text = client_as(investigator).get(reverse("cases:network", args=[linked["first"].pk])).text
    assert 'data-testid="network-legend"' in text
    assert 'name="role" value="victim"' in text and 'name="kind" value="phone"' in text
    table = text.split('data-testid="network-connections"')[1].split("</table>")[0]
    assert "Rustam Alimov" in table and linked["second"].reference in table
    assert PHONE in table and "Malika Yusupova" in table
    assert "Azamat Kadyrov" not in text and linked["foreign"].reference not in text


def test_an_analyst_sees_no_victim_in_the_page_the_expansion_or_the_graphml(
    client_as, analyst, linked
):
    client = client_as(analyst)
    text = client.get(reverse("cases:network", args=[linked["first"].pk])).text
    assert "Rustam Alimov" in text and "Malika" not in text and "malika.y" not in text
    body, _graph = _graphml(client, linked["first"])
    assert "Rustam Alimov" in body and "Malika" not in body and "malika.y" not in body
    url = reverse("cases:network_expand", args=[linked["first"].pk])
    expanded = client.get(url, {"node": f"c{linked['first'].pk}"})
    assert expanded.status_code == 200 and "Malika" not in expanded.text
    refused = client.get(url, {"node": f"p{linked['victim'].person_id}"})
    assert refused.status_code == 404


def test_expand_adds_one_hop_around_a_person(client_as, investigator, linked):
    url = reverse("cases:network_expand", args=[linked["first"].pk])
    graph = client_as(investigator).get(url, {"node": f"p{linked['driver'].person_id}"}).json()
    ids = {n["id"] for n in graph["nodes"]}
    assert ids == {
        f"p{linked['driver'].person_id}",
        f"c{linked['second'].pk}",
        next(i for i in ids if i.startswith("iphone:")),
    }
    assert AuditEvent.objects.filter(tag="cases:network:expand").count() == 1


def test_expand_of_a_shared_identifier_gives_only_the_visible_holders(
    client_as, investigator, linked
):
    graph = case_network(investigator, linked["first"])
    phone = next(n["id"] for n in graph["nodes"] if n.get("type") == "phone")
    url = reverse("cases:network_expand", args=[linked["first"].pk])
    found = client_as(investigator).get(url, {"node": phone}).json()
    persons = {n["id"] for n in found["nodes"] if n["kind"] == "person"}
    assert persons == {f"p{linked['recruiter'].person_id}", f"p{linked['driver'].person_id}"}
    assert "Kadyrov" not in str(found)


@pytest.mark.parametrize(
    "node",
    ["", "p", "p0", "p-1", "c999999", "x1", "iphone:", "inope:abc", "p1 OR 1=1", "\x00", "c" * 500],
)
def test_hostile_nodes_answer_404_in_the_api_error_shape(client_as, investigator, linked, node):
    url = reverse("cases:network_expand", args=[linked["first"].pk])
    response = client_as(investigator).get(url, {"node": node})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_nodes_and_cases_of_another_agency_answer_like_missing_ones(
    client_as, investigator, outsider, linked
):
    client = client_as(investigator)
    mine = reverse("cases:network_expand", args=[linked["first"].pk])
    hidden = [f"p{linked['stranger'].person_id}", f"c{linked['foreign'].pk}"]
    answers = [client.get(mine, {"node": node}) for node in [*hidden, "p999999"]]
    assert {(a.status_code, a.content) for a in answers} == {(404, answers[-1].content)}
    foreign = reverse("cases:network_expand", args=[linked["foreign"].pk])
    missing = reverse("cases:network_expand", args=[999999])
    node = {"node": f"c{linked['foreign'].pk}"}
    assert client.get(foreign, node).content == client.get(missing, node).content
    assert client.get(foreign, node).status_code == 404
    for name in ("cases:network", "cases:network_graphml"):
        assert client.get(reverse(name, args=[linked["foreign"].pk])).status_code == 404


def test_the_graphml_holds_what_the_page_shows_and_nothing_else(client_as, investigator, linked):
    body, graph = _graphml(client_as(investigator), linked["first"])
    page = case_network(investigator, linked["first"])
    assert set(graph.nodes) == {n["id"] for n in page["nodes"]}
    assert graph.number_of_edges() == len(page["edges"])
    labels = {data["label"] for _id, data in graph.nodes(data=True)}
    assert {"Rustam Alimov", "Timur Saidov", "Malika Yusupova", PHONE} <= labels
    assert linked["second"].reference in labels
    assert "Kadyrov" not in body and linked["foreign"].reference not in body
    root = graph.nodes[f"c{linked['first'].pk}"]
    assert root["is_root"] is True and "x" in root and "y" in root
    assert AuditEvent.objects.filter(tag="cases:network:export").count() == 1


def test_filters_by_role_and_identifier_type_apply_to_the_page_and_the_graphml(
    client_as, investigator, linked
):
    client = client_as(investigator)
    _body, graph = _graphml(client, linked["first"], role="victim")
    persons = {d["label"] for _i, d in graph.nodes(data=True) if d["kind"] == "person"}
    assert persons == {"Malika Yusupova"}
    assert PHONE not in {d["label"] for _i, d in graph.nodes(data=True)}
    _body, graph = _graphml(client, linked["first"], kind="phone")
    kinds = {d.get("type") for _i, d in graph.nodes(data=True) if d["kind"] == "identifier"}
    assert kinds == {"phone"}
    url = reverse("cases:network", args=[linked["first"].pk])
    text = client.get(url, {"role": "victim", "kind": ["email", "bogus"]}).text
    assert "Rustam Alimov" not in text and "malika.y@example.org" in text


def test_a_hit_is_an_external_node_linked_to_its_person(client_as, investigator, analyst, linked):
    check = _hit(linked["first"], linked["recruiter"])
    graph = case_network(investigator, linked["first"])
    external = next(n for n in graph["nodes"] if n["kind"] == "external")
    assert external["label"] == "Known to AE-MOJ, reference AE-MOJ-H-7Q2K9"
    assert {"source": f"p{linked['recruiter'].person_id}", "target": f"x{check.pk}"}.items() <= {
        **next(e for e in graph["edges"] if e["target"] == f"x{check.pk}")
    }.items()
    text = client_as(investigator).get(reverse("cases:network", args=[linked["first"].pk])).text
    assert "Known to AE-MOJ, reference AE-MOJ-H-7Q2K9" in text
    body, _graph = _graphml(client_as(investigator), linked["first"])
    assert "AE-MOJ-H-7Q2K9" in body
    # Only those who may see the checks of the case see their answers.
    assert "AE-MOJ-H-7Q2K9" not in str(case_network(analyst, linked["first"]))
    assert "AE-MOJ-H-7Q2K9" not in _graphml(client_as(analyst), linked["first"])[0]


def test_a_no_hit_and_a_hit_on_another_agencys_case_are_not_drawn(investigator, outsider, linked):
    OutgoingCheck.objects.create(
        case=linked["first"],
        person=linked["recruiter"].person,
        legal_basis="untoc_27",
        node="KG-MVD",
        epoch=1,
        result="no_hit",
    )
    _hit(linked["foreign"], linked["stranger"], reference="KG-SECRET-1")
    graph = case_network(investigator, linked["first"])
    assert not [n for n in graph["nodes"] if n["kind"] == "external"]
    assert "KG-SECRET-1" not in str(graph)
