# Networks are named and described in English, Russian and Uzbek, as countries are; the
# existing name and description become the English ones.

from django.db import migrations, models

import tipnet.directory.validators


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_knowledge_exchange"),
    ]

    operations = [
        migrations.RenameField("practitionernetwork", "name", "name_en"),
        migrations.RenameField("practitionernetwork", "description", "description_en"),
        migrations.AlterField(
            model_name="practitionernetwork",
            name="name_en",
            field=models.CharField(
                max_length=255,
                validators=[tipnet.directory.validators.validate_single_line],
                verbose_name="name (English)",
            ),
        ),
        migrations.AlterField(
            model_name="practitionernetwork",
            name="description_en",
            field=models.TextField(
                blank=True,
                validators=[tipnet.directory.validators.validate_multiline],
                verbose_name="description (English)",
            ),
        ),
        migrations.AddField(
            model_name="practitionernetwork",
            name="name_ru",
            field=models.CharField(
                blank=True,
                max_length=255,
                validators=[tipnet.directory.validators.validate_single_line],
                verbose_name="name (Russian)",
            ),
        ),
        migrations.AddField(
            model_name="practitionernetwork",
            name="name_uz",
            field=models.CharField(
                blank=True,
                max_length=255,
                validators=[tipnet.directory.validators.validate_single_line],
                verbose_name="name (Uzbek)",
            ),
        ),
        migrations.AddField(
            model_name="practitionernetwork",
            name="description_ru",
            field=models.TextField(
                blank=True,
                validators=[tipnet.directory.validators.validate_multiline],
                verbose_name="description (Russian)",
            ),
        ),
        migrations.AddField(
            model_name="practitionernetwork",
            name="description_uz",
            field=models.TextField(
                blank=True,
                validators=[tipnet.directory.validators.validate_multiline],
                verbose_name="description (Uzbek)",
            ),
        ),
    ]
