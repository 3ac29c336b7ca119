"""Keep the outbox's sealed bytes in their own table, and index the worker's two queries."""

import django.db.models.deletion
from django.db import migrations, models


def move_wires(apps, schema_editor):
    OutboxMessage = apps.get_model("exchange", "OutboxMessage")
    OutboxWire = apps.get_model("exchange", "OutboxWire")
    for pk, wire in OutboxMessage.objects.values_list("pk", "wire").iterator(chunk_size=100):
        OutboxWire.objects.create(outbox_id=pk, wire=wire)


def restore_wires(apps, schema_editor):
    OutboxMessage = apps.get_model("exchange", "OutboxMessage")
    OutboxWire = apps.get_model("exchange", "OutboxWire")
    for pk, wire in OutboxWire.objects.values_list("outbox_id", "wire").iterator(chunk_size=100):
        OutboxMessage.objects.filter(pk=pk).update(wire=wire)


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='OutboxWire',
            fields=[
                ('outbox', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='sealed', serialize=False, to='exchange.outboxmessage')),
                ('wire', models.BinaryField()),
            ],
        ),
        migrations.RunPython(move_wires, restore_wires),
        migrations.RemoveField(
            model_name='outboxmessage',
            name='wire',
        ),
        migrations.AlterField(
            model_name='outboxmessage',
            name='next_attempt_at',
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name='outboxmessage',
            index=models.Index(fields=['state', 'next_attempt_at', 'lease_until'], name='exchange_outbox_due'),
        ),
        migrations.AddIndex(
            model_name='outboxmessage',
            index=models.Index(fields=['state', 'created_at', 'lease_until'], name='exchange_outbox_age'),
        ),
    ]
