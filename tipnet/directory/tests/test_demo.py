from django.apps import apps
from django.utils import translation

from tipnet.audit.models import AuditEvent
from tipnet.directory import demo
from tipnet.directory.models import Agency, ContactPoint, Event, PractitionerNetwork

FOCUS = {"UZ", "KG", "KZ", "TJ", "TM", "RU", "TR", "AE", "TH"}


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_app_config("directory").get_models()
    }


def test_loading_twice_writes_nothing_the_second_time(db):
    first_summary = demo.load()
    counts, events = _counts(), AuditEvent.objects.count()
    assert demo.load() == "already loaded"
    assert _counts() == counts
    assert AuditEvent.objects.count() == events
    assert "agencies" in first_summary and "\n" not in first_summary


def test_it_covers_every_focus_country_with_agencies_contacts_and_a_guide(db):
    demo.load()
    for code in FOCUS:
        agencies = Agency.objects.filter(country_id=code)
        assert 2 <= agencies.count() <= 8, code
        assert ContactPoint.objects.filter(agency__country_id=code).exists(), code
        assert agencies.first().country.guide.entries.exists(), code


def test_every_demo_person_is_fictional_with_e164_phone_and_example_mail(db):
    demo.load()
    for contact in ContactPoint.objects.all():
        assert contact.is_fictional
        assert contact.phone.startswith("+") and contact.email.endswith("@example.org")
        contact.full_clean()


def test_every_guide_entry_has_a_source_and_none_claims_verification(db):
    demo.load()
    entries = [e for a in Agency.objects.all() if hasattr(a.country, "guide")
               for e in a.country.guide.entries.all()]  # fmt: skip
    assert entries and all(e.source for e in entries)
    assert not any(e.is_verified for e in entries)


def test_it_has_the_node_agency_networks_and_events(db):
    demo.load()
    assert Agency.objects.get(node_id="UZ-GPO").name_ru.startswith("Генеральная прокуратура")
    assert set(PractitionerNetwork.objects.values_list("code", flat=True)) == {
        "casc",
        "seajust",
        "ca-experts",
    }
    cities = set(Event.objects.values_list("city", flat=True))
    assert {"Tashkent", "Abu Dhabi", "Bishkek", "Bangkok"} <= cities
    assert all(e.eventparticipant_set.exists() for e in Event.objects.all())


def test_every_page_renders_the_demo_in_each_language(investigator, client_as):
    demo.load()
    client = client_as(investigator)
    event = Event.objects.get(city="Tashkent")
    agency = Agency.objects.get(node_id="UZ-GPO")
    contact = ContactPoint.objects.filter(agency=agency).first()
    urls = [
        "/directory/",
        "/directory/agencies/",
        f"/directory/agencies/{agency.pk}/",
        "/directory/contacts/?country=UZ&language=ru&is_24_7=on",
        f"/directory/contacts/{contact.pk}/",
        "/directory/networks/",
        "/directory/networks/casc/",
        "/directory/countries/",
        "/directory/countries/AE/",
        "/directory/events/?year=2025",
        f"/directory/events/{event.pk}/",
    ]
    for lang, word in [("en", "fictional"), ("ru", "вымышленный"), ("uz", "to‘qima")]:
        client.post("/i18n/setlang/", {"language": lang, "next": "/"})
        for url in urls:
            assert client.get(url).status_code == 200, (lang, url)
        assert word in client.get(f"/directory/events/{event.pk}/").content.decode()


def test_the_finder_names_an_authority_for_every_focus_country_and_measure(db):
    from tipnet.directory.finder import find
    from tipnet.mla.measures import MEASURES

    demo.load()
    for code in FOCUS:
        for measure in MEASURES:
            assert find(Agency.objects.all(), code, measure).agencies, (code, measure)


def test_the_demo_has_follow_ups_materials_and_stale_and_fresh_contacts(db):
    from tipnet.directory.models import EventMaterial, FollowUp
    from tipnet.directory.staleness import is_stale

    demo.load()
    assert FollowUp.objects.values("status").distinct().count() >= 3
    assert EventMaterial.objects.filter(content_type="text/plain").count() >= 2
    stale = [is_stale(c) for c in ContactPoint.objects.filter(verified_on__isnull=False)]
    assert True in stale and False in stale
    local = Agency.objects.exclude(region="")
    assert local.filter(country_id="UZ").exists() and local.filter(country_id="AE").exists()


def test_the_demo_networks_are_named_and_described_in_russian_and_uzbek(db):
    demo.load()
    for network in PractitionerNetwork.objects.all():
        assert network.name_ru and network.name_uz and network.description_ru, network.code
        assert network.description_uz, network.code
        assert network.name_ru != network.name_en != network.name_uz, network.code


def test_a_node_loaded_before_translations_gets_them_once(db):
    demo.load()
    PractitionerNetwork.objects.update(name_ru="", name_uz="", description_ru="", description_uz="")
    demo.load()
    assert not PractitionerNetwork.objects.filter(name_ru="").exists()
    assert demo.load() == "already loaded"


def test_every_demo_agency_is_named_in_russian_and_uzbek_latin(db):
    demo.load()
    agencies = Agency.objects.all()
    assert agencies.count() == len(demo.AGENCIES)
    cyrillic = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
    for agency in agencies:
        assert agency.name_ru and agency.name_uz, agency.name_en
        assert cyrillic & set(agency.name_ru.lower()), agency.name_en
        assert not cyrillic & set(agency.name_uz.lower()), agency.name_en
        assert agency.name_uz != agency.name_en, agency.name_en
    with translation.override("uz"):
        assert Agency.objects.get(country_id="KG", kind="prosecutor", region="").name == (
            "Qirg‘iziston Respublikasi Bosh prokuraturasi"
        )
    with translation.override("ru"):
        assert Agency.objects.get(region="Osh").name == "Прокуратура Ошской области"


def test_a_foreign_agency_is_found_and_shown_by_its_uzbek_name(investigator, client_as):
    demo.load()
    client = client_as(investigator)
    client.post("/i18n/setlang/", {"language": "uz", "next": "/"})
    page = client.get("/directory/agencies/?q=Qozog‘iston").content.decode()
    assert "Qozog‘iston Respublikasi Ichki ishlar vazirligi" in page
    assert "Ministry of Internal Affairs of the Republic of Kazakhstan" not in page


def test_a_node_loaded_before_uzbek_agency_names_gets_them_once(db):
    demo.load()
    Agency.objects.update(name_uz="")
    demo.load()
    assert not Agency.objects.filter(name_uz="").exists()
    assert demo.load() == "already loaded"
