"""Snapshots keep what was achieved in every category, overall and per period, and each
period's percentage of its target: every snapshot is recomputed (the worker repairs stale
snapshots when it starts and every 30 s under beat; `manage.py recompute_snapshots` does it
where no worker runs)."""

from django.db import migrations, models
from django.utils import timezone


def mark_stale(apps, schema_editor):
    apps.get_model("indicators", "IndicatorSnapshot").objects.update(stale_since=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("indicators", "0016_share_targets_met_by_count")]

    operations = [
        migrations.AddField(
            model_name="indicatorsnapshot",
            name="parts",
            field=models.JSONField(default=dict, verbose_name="achieved by category"),
        ),
        migrations.RunPython(mark_stale, migrations.RunPython.noop),
    ]
