"""Country rows read in the reader's language, also from a table computed once and cached."""

from django.core.cache import cache
from django.utils import translation

from tipnet.stats.labels import country_label


def test_a_cached_country_label_reads_in_each_readers_language():
    cache.set("stats-test-label", [country_label("kg")])
    (label,) = cache.get("stats-test-label")
    with translation.override("ru"):
        assert str(label) == "Киргизия"
    with translation.override("uz"):
        assert str(label).startswith("Qirg") and str(label) != "Kyrgyzstan"
    assert str(label) == "Kyrgyzstan"


def test_an_unknown_code_keeps_its_code_and_no_code_reads_unknown():
    assert str(country_label("XQ")) == "XQ"
    with translation.override("ru"):
        assert str(country_label("")) != "Unknown"
