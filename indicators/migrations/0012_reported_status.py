from django.db import migrations, models
from django.utils import timezone


def mark_on_track_stale(apps, schema_editor):
    # Indicators without a target used to count as on track; their next recompute (the periodic
    # repair picks up anything stale) counts them as reported instead.
    snapshots = apps.get_model("indicators", "IndicatorSnapshot")
    snapshots.objects.filter(status="on_track", stale_since__isnull=True).update(
        stale_since=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0011_translations"),
    ]

    operations = [
        migrations.AddField(
            model_name="portfoliosnapshot",
            name="reported",
            field=models.PositiveIntegerField(default=0, verbose_name="reported, without a target"),
        ),
        migrations.AddField(
            model_name="projectsnapshot",
            name="reported",
            field=models.PositiveIntegerField(default=0, verbose_name="reported, without a target"),
        ),
        migrations.RunPython(mark_on_track_stale, migrations.RunPython.noop),
    ]
