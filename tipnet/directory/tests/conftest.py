"""The smallest directory that proves the point: two countries, three agencies, three people."""

from datetime import date

import pytest

from tipnet.directory.actions import (
    do_add_guide_entry,
    do_add_member,
    do_add_participant,
    do_create_agency,
    do_create_contact,
    do_create_event,
    do_create_guide,
    do_create_network,
)
from tipnet.directory.models import Country


@pytest.fixture
def uz(db):
    return Country.objects.get(code="UZ")


@pytest.fixture
def kg(db):
    return Country.objects.get(code="KG")


@pytest.fixture
def gpo(uz):
    data = {
        "country": uz,
        "kind": "prosecutor",
        "name_en": "General Prosecutor's Office of the Republic of Uzbekistan",
        "name_ru": "Генеральная прокуратура Республики Узбекистан",
        "name_local": "O‘zbekiston Respublikasi Bosh prokuraturasi",
        "local_language": "uz",
        "node_id": "UZ-GPO",
    }
    return do_create_agency(None, data)


@pytest.fixture
def kg_police(kg):
    data = {
        "country": kg,
        "kind": "police",
        "name_en": "Ministry of Internal Affairs of the Kyrgyz Republic",
        "name_ru": "Министерство внутренних дел Кыргызской Республики",
        "local_language": "ky",
    }
    return do_create_agency(None, data)


@pytest.fixture
def uz_ngo(uz):
    data = {"country": uz, "kind": "ngo", "name_en": "Istiqbol shelter", "is_fictional": True}
    return do_create_agency(None, data)


def _contact(agency, name, languages, phone, is_24_7=False):
    data = {
        "agency": agency,
        "name": name,
        "languages": languages,
        "phone": phone,
        "email": "someone@example.org",
        "is_24_7": is_24_7,
        "is_fictional": True,
    }
    return do_create_contact(None, data)


@pytest.fixture
def dilshod(gpo):
    return _contact(gpo, "Дильшод Рахимов", ["uz", "ru", "en"], "+998712000101", is_24_7=True)


@pytest.fixture
def aibek(kg_police):
    return _contact(kg_police, "Айбек Жумабаев", ["ky", "ru"], "+996312000101")


@pytest.fixture
def malika(uz_ngo):
    return _contact(uz_ngo, "Malika Tursunova", ["uz", "en"], "+998712000102")


@pytest.fixture
def casc(gpo, kg_police):
    network = do_create_network(None, {"code": "casc", "name_en": "CASC"})
    do_add_member(None, network, gpo)
    do_add_member(None, network, kg_police)
    return network


@pytest.fixture
def guide(uz, gpo):
    guide = do_create_guide(None, uz, gpo, ["uz", "ru"])
    do_add_guide_entry(None, guide, "languages", "Uzbek or Russian.", "Minsk Convention 1993")
    do_add_guide_entry(
        None, guide, "central_authority", "The GPO.", "UNODC SHERLOC", is_verified=True
    )
    return guide


@pytest.fixture
def workshop(uz, gpo, casc, dilshod, aibek):
    data = {
        "kind": "workshop",
        "title": "CASC workshop in Tashkent",
        "starts_on": date(2025, 4, 15),
        "ends_on": date(2025, 4, 17),
        "country": uz,
        "city": "Tashkent",
        "organiser": gpo,
        "network": casc,
        "outcomes": "A checklist was agreed.",
        "follow_ups": "Name 24/7 contact points.",
    }
    event = do_create_event(None, data)
    do_add_participant(None, event, dilshod, "Speaker")
    do_add_participant(None, event, aibek, "Participant")
    return event


@pytest.fixture
def training(kg, malika):
    data = {
        "kind": "training",
        "title": "Training in Bishkek",
        "starts_on": date(2026, 2, 10),
        "ends_on": date(2026, 2, 12),
        "country": kg,
        "city": "Bishkek",
    }
    event = do_create_event(None, data)
    do_add_participant(None, event, malika, "Trainer")
    return event
