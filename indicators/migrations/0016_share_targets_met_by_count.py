"""A share target is now met only once the count it implies is reached: every snapshot's
categories are recomputed (the worker repairs stale snapshots when it starts and every 30 s
under beat; `manage.py recompute_snapshots` does it where no worker runs)."""

from django.db import migrations
from django.utils import timezone


def mark_stale(apps, schema_editor):
    apps.get_model("indicators", "IndicatorSnapshot").objects.update(stale_since=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("indicators", "0015_dimension_owners")]

    operations = [migrations.RunPython(mark_stale, migrations.RunPython.noop)]
