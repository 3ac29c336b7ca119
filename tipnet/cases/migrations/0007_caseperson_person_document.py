"""On each role, a copy of the person's document key (the keyed hash of their smallest passport
or national ID), in the index the statistics read a period's suspects from: person rows that
share a document are one person, told apart without a lookup of each row's identifiers.
"""

from django.db import migrations, models

# One statement on PostgreSQL (a hash join over the documents); a correlated subquery elsewhere.
FILL_POSTGRESQL = """UPDATE cases_caseperson cp SET person_document = d.keyed
FROM (SELECT person_id, MIN(keyed) AS keyed FROM cases_identifier
      WHERE kind IN ('passport', 'national_id') AND keyed <> '' GROUP BY person_id) d
WHERE d.person_id = cp.person_id"""
FILL = """UPDATE cases_caseperson SET person_document = COALESCE(
    (SELECT MIN(keyed) FROM cases_identifier i
     WHERE i.person_id = cases_caseperson.person_id
        AND i.kind IN ('passport', 'national_id') AND i.keyed <> ''), '')"""


def fill(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(FILL_POSTGRESQL if postgresql else FILL)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_person_age_group")]

    operations = [
        migrations.AddField(
            model_name="caseperson",
            name="person_document",
            field=models.CharField(
                blank=True, db_default="", default="", editable=False, max_length=64
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="caseperson", name="cases_caseperson_suspects"),
        migrations.AddIndex(
            model_name="caseperson",
            index=models.Index(
                condition=models.Q(("role", "suspect")),
                fields=["case"],
                include=[
                    "person",
                    "status",
                    "person_sex",
                    "person_age_group",
                    "person_citizenship",
                    "person_document",
                ],
                name="cases_caseperson_suspects",
            ),
        ),
    ]
