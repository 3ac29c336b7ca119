"""A person's coarse age group in clear, for the statistics' suspects by age group; and on each
role, copies of the person's clear sex, age group and first citizenship, with the index the
statistics read a period's suspects from.

The birth year stays encrypted; the group ("child" when under 18 in the year the person was
recorded, "adult", or "" when unknown) is derived from it here for the persons already recorded
and on every save after.
"""

from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    CasePerson = apps.get_model("cases", "CasePerson")
    # Only rows with a birth year have a group; the encrypted column is NULL when there is none.
    rows = Person.objects.exclude(birth_year__isnull=True).only("id", "birth_year", "created_at")
    batch = []
    for person in rows.iterator(chunk_size=BATCH):
        year = person.birth_year
        if year is None:
            continue
        person.age_group = "child" if year > person.created_at.year - 18 else "adult"
        batch.append(person)
        if len(batch) >= BATCH:
            Person.objects.bulk_update(batch, ["age_group"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["age_group"])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE cases_caseperson cp SET person_sex = p.sex, person_age_group = p.age_group, "
            "person_citizenship = COALESCE(LEFT(p.citizenships ->> 0, 2), '') "
            "FROM cases_person p WHERE p.id = cp.person_id"
        )
        return
    roles = CasePerson.objects.select_related("person").only(
        "id", "person", "person__sex", "person__age_group", "person__citizenships"
    )
    batch = []
    for role in roles.iterator(chunk_size=BATCH):
        person = role.person
        role.person_sex = person.sex
        role.person_age_group = person.age_group
        role.person_citizenship = str(person.citizenships[0])[:2] if person.citizenships else ""
        batch.append(role)
        if len(batch) >= BATCH:
            CasePerson.objects.bulk_update(
                batch, ["person_sex", "person_age_group", "person_citizenship"]
            )
            batch = []
    if batch:
        CasePerson.objects.bulk_update(
            batch, ["person_sex", "person_age_group", "person_citizenship"]
        )


def field(length):
    return models.CharField(blank=True, default="", editable=False, max_length=length)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_case_task")]

    operations = [
        migrations.AddField(model_name="person", name="age_group", field=field(8)),
        migrations.AddField(model_name="caseperson", name="person_sex", field=field(8)),
        migrations.AddField(model_name="caseperson", name="person_age_group", field=field(8)),
        migrations.AddField(model_name="caseperson", name="person_citizenship", field=field(2)),
        migrations.RunPython(fill, migrations.RunPython.noop),
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
                ],
                name="cases_caseperson_suspects",
            ),
        ),
    ]
