"""A caseworker's victim, a shelter run by another agency of the node, and a key in tmp_path."""

from datetime import date

import pytest

from conftest import make_user
from tipnet.accounts.models import Agency as NodeAgency
from tipnet.directory.actions import do_create_agency
from tipnet.directory.models import Country
from tipnet.victims import crypto
from tipnet.victims.actions import do_create_offer, do_give_consent, do_register_victim

NAME = "Гулнора"
FAMILY = "Rakhimova"


@pytest.fixture(autouse=True)
def field_key(tmp_path, settings):
    settings.TIPNET_FIELD_KEY_FILE = str(tmp_path / "keys" / "field.key")
    crypto._box.cache_clear()
    yield tmp_path / "keys" / "field.key"
    crypto._box.cache_clear()


@pytest.fixture
def shelter_dir(db):
    uz = Country.objects.get(code="UZ")
    data = {"country": uz, "kind": "ngo", "name_en": "Oydin shelter (fictional)"}
    return do_create_agency(None, data)


@pytest.fixture
def shelter_worker(shelter_dir):
    agency = NodeAgency.objects.create(
        code="UZ-OYDIN", name="Oydin shelter", country="UZ", directory_agency=shelter_dir
    )
    return make_user("sabina_shelter", agency, "caseworker")


@pytest.fixture
def offer(shelter_dir):
    return do_create_offer(None, shelter_dir, "shelter", "Tashkent")


@pytest.fixture
def victim(caseworker):
    data = {"given_name": NAME, "family_name": FAMILY, "phone": "+998901234567", "sex": "female"}
    return do_register_victim(caseworker, data)


def consent(victim, user, purpose: str, recipient=None):
    data = {"purpose": purpose, "recipient": recipient, "given_on": date.today()}
    data |= {"language": "uz", "explained_by": "K. Caseworker"}
    return do_give_consent(user, victim, data)


@pytest.fixture
def gpo_dir(db):
    uz = Country.objects.get(code="UZ")
    return do_create_agency(None, {"country": uz, "kind": "prosecutor", "name_en": "GPO"})
