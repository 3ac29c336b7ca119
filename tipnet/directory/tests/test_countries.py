from django.utils import translation

from tipnet.audit.models import AuditEvent
from tipnet.directory.actions import do_sync_countries
from tipnet.directory.countries import country_names, forget_country_names, language_choices
from tipnet.directory.models import Country


def test_every_iso_country_is_loaded_with_russian_and_uzbek_names(db):
    assert Country.objects.count() == 249
    kg = Country.objects.get(code="KG")
    assert (kg.alpha3, kg.name_en, kg.name_ru) == ("KGZ", "Kyrgyzstan", "Киргизия")
    assert kg.name_uz.startswith("Qirg")


def test_names_missing_from_a_catalogue_fall_back_to_english(db):
    assert not Country.objects.filter(name_ru="").exists()
    assert not Country.objects.filter(name_uz="").exists()


def test_syncing_again_changes_nothing_and_records_nothing(db):
    before = AuditEvent.objects.count()
    assert do_sync_countries(None) == 0
    assert AuditEvent.objects.count() == before


def test_syncing_restores_a_changed_name_and_audits_it(db):
    Country.objects.filter(code="UZ").update(name_ru="?")
    assert do_sync_countries(None) == 1
    assert Country.objects.get(code="UZ").name_ru == "Узбекистан"
    assert AuditEvent.objects.last().tag == "directory:country:sync"


def test_language_choices_are_iso_639_1_codes(db):
    codes = dict(language_choices())
    assert "uz" in codes and "ky" in codes and "uzb" not in codes
    assert codes["uz"] == "Uzbek (uz)"


def test_country_names_follow_the_language_and_name_unknown_codes_by_themselves(db):
    forget_country_names()
    with translation.override("ru"):
        assert country_names(["KG", "XX"]) == {"KG": "Киргизия", "XX": "XX"}
    with translation.override("en"):
        assert country_names(["KG"]) == {"KG": "Kyrgyzstan"}


def test_syncing_makes_the_kept_country_names_be_read_again(db, django_capture_on_commit_callbacks):
    Country.objects.filter(code="UZ").update(name_en="?")
    forget_country_names()
    with translation.override("en"):
        assert country_names(["UZ"]) == {"UZ": "?"}  # kept from here on
        Country.objects.filter(code="UZ").update(name_en="??")
        assert country_names(["UZ"]) == {"UZ": "?"}
        with django_capture_on_commit_callbacks(execute=True):
            assert do_sync_countries(None) == 1
        assert country_names(["UZ"]) == {"UZ": "Uzbekistan"}
