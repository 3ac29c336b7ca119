"""An index on a case's last change, which the statistics' data version reads (its MAX) on every
view of the dashboard: one index probe instead of a scan of every case."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_caseperson_person_document")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["updated_at"], name="cases_case_updated"),
        ),
    ]
