"""The condensed figures that lists use agree with the full evaluation, rule for rule."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from indicators.models import Indicator
from indicators.selectors import figures_for, indicators_of_projects, status_counts
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_status_counts_match_the_full_evaluation_of_every_update():
    call_command("generate_portfolio", projects=6, updates=1500, seed=7, verbosity=0)
    call_command("load_demo", verbosity=0)
    today = timezone.localdate()
    project_ids = list(Project.objects.values_list("pk", flat=True))
    full = {pk: Counter[str]() for pk in project_ids}
    indicators = list(indicators_of_projects(project_ids))
    for figures in figures_for(indicators, today=today, with_provisional=False).values():
        full[figures.indicator.project_id][figures.approved.status] += 1
    condensed = status_counts(project_ids, today=today)
    assert {pk: condensed[pk] for pk in project_ids} == full
    # The comparison means something only if the portfolio mixes statuses and measures.
    assert len(sum(full.values(), Counter())) >= 4
    measures = set(Indicator.objects.values_list("measure", flat=True))
    assert measures >= {"count", "percentage", "amount", "milestone"}
    assert set(Indicator.objects.values_list("aggregation", flat=True)) == {"sum", "latest"}
