"""Load every ISO 3166-1 country from pycountry, with Russian and Uzbek names."""

from django.db import migrations

from tipnet.directory.countries import country_rows


def load(apps, schema_editor):
    Country = apps.get_model("directory", "Country")
    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        Country(code=a2, alpha3=a3, name_en=en, name_ru=ru, name_uz=uz)
        for a2, a3, en, ru, uz in country_rows()
        if a2 not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
