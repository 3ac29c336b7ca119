def _rows(response) -> int:
    assert response.status_code == 200
    return response.content.decode().count('data-testid="event-link"')


def test_it_lists_events_with_links(investigator, client_as, workshop, training):
    response = client_as(investigator).get("/directory/events/")
    assert _rows(response) == 2
    assert f'href="/directory/events/{workshop.pk}/" data-testid="event-link"' in (
        response.content.decode()
    )


def test_it_filters_events_by_country(investigator, client_as, workshop, training):
    response = client_as(investigator).get("/directory/events/", {"country": "KG"})
    assert _rows(response) == 1
    assert "Training in Bishkek" in response.content.decode()


def test_it_filters_events_by_kind(investigator, client_as, workshop, training):
    assert _rows(client_as(investigator).get("/directory/events/", {"kind": "workshop"})) == 1


def test_it_filters_events_by_year(investigator, client_as, workshop, training):
    response = client_as(investigator).get("/directory/events/", {"year": "2026"})
    assert _rows(response) == 1
    assert "Training in Bishkek" in response.content.decode()


def test_it_filters_events_by_period(investigator, client_as, workshop, training):
    client = client_as(investigator)
    assert _rows(client.get("/directory/events/", {"period": "past"})) == 2
    assert _rows(client.get("/directory/events/", {"period": "upcoming"})) == 0


def test_it_filters_events_by_network(investigator, client_as, workshop, training):
    response = client_as(investigator).get("/directory/events/", {"network": "casc"})
    assert _rows(response) == 1
    assert "CASC workshop" in response.content.decode()


def test_the_event_page_shows_title_participants_and_outcomes(investigator, client_as, workshop):
    body = client_as(investigator).get(f"/directory/events/{workshop.pk}/").content.decode()
    assert 'data-testid="event-title">CASC workshop in Tashkent<' in body
    assert body.count('data-testid="participant"') == 2
    participant = body.split('data-testid="participant"')[1]
    assert "Айбек Жумабаев" in participant or "Дильшод Рахимов" in participant
    assert "Speaker" in body and "Kyrgyzstan" in body
    assert "A checklist was agreed." in body and "Name 24/7 contact points." in body
    assert 'data-testid="participant-form"' not in body


def test_an_unknown_event_is_404(investigator, client_as, db):
    assert client_as(investigator).get("/directory/events/99999/").status_code == 404


def test_the_list_names_an_events_network_not_its_code(investigator, client_as, workshop):
    from tipnet.directory.actions import do_update_network

    do_update_network(None, workshop.network, {"name_en": "Central Asian circle — of experts"})
    page = client_as(investigator).get("/directory/events/").content.decode()
    assert ">Central Asian circle</span>" in page
    assert 'title="Central Asian circle — of experts"' in page
