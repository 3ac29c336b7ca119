from django.db import migrations

import tipnet.lib.sealedfields
from tipnet.lib.sealedfields import decrypt_binary_columns, encrypt_binary_columns

# Police attachments were kept in clear beside a sealed subject and text; seal the files too.


def seal_files(apps, schema_editor):
    encrypt_binary_columns(schema_editor, "cooperation_attachment", ["content"])


def open_files(apps, schema_editor):
    decrypt_binary_columns(schema_editor, "cooperation_attachment", ["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0001_threads"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="content",
            field=tipnet.lib.sealedfields.EncryptedBinaryField(),
        ),
        migrations.RunPython(seal_files, open_files),
    ]
