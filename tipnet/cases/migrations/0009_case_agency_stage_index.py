"""An index on a case's agency, stage and opening, for the case list filtered by stage.

With only (stage, opened_on) PostgreSQL read every case at that stage from the table and
dropped other agencies' (about half of them) before the list's bounded count could stop; with
the agency first the count reads the index alone (id included) and the page walks it in the
list's order (bench/README.md, the "case list, filtered" page).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_case_updated_index")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["agency", "stage", "-opened_on", "-id"], name="cases_agency_stage_opened"
            ),
        ),
    ]
