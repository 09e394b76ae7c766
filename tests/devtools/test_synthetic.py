import pytest
from django.core.management import CommandError, call_command

from indicators.models import ProgressUpdate, UpdateValue
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_generate_portfolio_adds_the_projects_and_updates_asked_for():
    call_command("generate_portfolio", projects=3, updates=500, verbosity=0)
    assert Project.objects.filter(code__startswith="synthetic-").count() == 3
    assert ProgressUpdate.objects.count() == 500
    assert UpdateValue.objects.exists()


def test_generated_parts_never_exceed_their_totals():
    call_command("generate_portfolio", projects=2, updates=300, verbosity=0)
    for update in ProgressUpdate.objects.prefetch_related("values"):
        assert sum(v.value for v in update.values.all()) <= (update.value or 0)


def test_generating_twice_adds_a_second_batch_with_new_codes():
    call_command("generate_portfolio", projects=2, updates=10, verbosity=0)
    call_command("generate_portfolio", projects=2, updates=10, verbosity=0)
    assert Project.objects.count() == 4


def test_generate_portfolio_refuses_nonsense_sizes():
    with pytest.raises(CommandError):
        call_command("generate_portfolio", projects=0, updates=10, verbosity=0)
