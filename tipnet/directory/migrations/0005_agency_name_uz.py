# Agencies are named in Uzbek (Latin) as well, as countries and networks are: an Uzbek reader
# saw a foreign agency's English name. An Uzbek agency's local name is its Uzbek one.

from django.db import migrations, models

import tipnet.directory.validators


def uzbek_from_local(apps, schema_editor):
    from tipnet.directory.search import search_text

    Agency = apps.get_model("directory", "Agency")
    for agency in Agency.objects.filter(local_language="uz", name_uz="").exclude(name_local=""):
        agency.name_uz = agency.name_local
        agency.search_text = search_text(
            agency.name_en, agency.name_ru, agency.name_uz, agency.name_local
        )
        agency.save(update_fields=["name_uz", "search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_network_names_in_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="name_uz",
            field=models.CharField(
                blank=True,
                max_length=255,
                validators=[tipnet.directory.validators.validate_single_line],
                verbose_name="name (Uzbek)",
            ),
        ),
        migrations.RunPython(uzbek_from_local, migrations.RunPython.noop),
    ]
