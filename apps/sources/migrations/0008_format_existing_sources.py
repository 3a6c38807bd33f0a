"""Store the Chicago forms of the sources already in the case file, in batches."""

from django.db import migrations

BATCH_SIZE = 500


def format_existing(apps, schema_editor):
    # The formatter of today: it reads only the source's own fields, which this state has.
    from apps.sources.chicago import formatted_forms

    Source = apps.get_model("sources", "Source")
    FormattedReference = apps.get_model("sources", "FormattedReference")
    database = schema_editor.connection.alias
    last_pk = 0
    # Batches by key range: neither database holds every source in memory at once.
    while batch := list(Source.objects.using(database).filter(pk__gt=last_pk).order_by("pk")[:BATCH_SIZE]):
        FormattedReference.objects.using(database).bulk_create(
            [FormattedReference(source_id=source.pk, **formatted_forms(source)) for source in batch]
        )
        last_pk = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0007_formatted_reference"),
    ]

    operations = [
        migrations.RunPython(format_existing, migrations.RunPython.noop, elidable=True),
    ]
