"""A funder's dashboard says how many people its projects reach: from the one indicator per
beneficiary group that counts each person once, by sex where known, and over time."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import progress, services
from indicators.models import Indicator
from indicators.services import setup
from partners.models import Organisation, User

pytestmark = pytest.mark.django_db


def dashboard(client, username, short_name):
    client.force_login(User.objects.get(username=username))
    organisation = Organisation.objects.get(short_name=short_name)
    return client.get(reverse("dashboard", args=[organisation.pk, "funder"])).text


def test_the_eu_sees_the_people_its_project_reaches_by_sex(client, demo):
    page = dashboard(client, "eu-viewer", "EU")
    section = page[page.index('id="people-reached"') :]
    # CE-1 (30 officials, 13 of them women) counts its group's people; CE-2..CE-5 have none
    # approved, and CE-4 counts associations, never people.
    assert "<strong>30</strong> people, in 1 beneficiary group" in section
    assert "<strong>13</strong> women; 17 not reported by sex" in section
    assert '31 Dec 2025</td><td class="num">30' in section.replace("\n", "")


def test_an_indicator_not_flagged_is_never_added_to_the_people_reached(
    client, demo, django_capture_on_commit_callbacks
):
    """CE-2 counts people too, but not flagged: its 160 are not added (a person trained and
    then employed would be counted twice)."""
    workers = Indicator.objects.get(code="CE-2")
    Indicator.objects.filter(pk=workers.pk).update(counts_people_reached=False)
    with django_capture_on_commit_callbacks(execute=True):
        update = services.create_update(
            indicator=workers,
            by=User.objects.get(username="aspem-editor"),
            figures=services.Figures(as_of=date(2025, 12, 31), value=Decimal(160)),
            submit=True,
        )
        services.approve_update(update=update, by=User.objects.get(username="aspem-manager"))
    page = dashboard(client, "eu-viewer", "EU")
    assert "<strong>30</strong> people, in 1 beneficiary group" in page
    Indicator.objects.filter(pk=workers.pk).update(counts_people_reached=True)
    page = dashboard(client, "eu-viewer", "EU")
    assert "<strong>190</strong> people, in 2 beneficiary groups" in page


def test_one_indicator_per_group_counts_its_people_and_it_must_be_a_count(demo):
    """Every problem at once, nothing saved."""
    associations = Indicator.objects.get(code="CE-4")  # same group as CE-5, which is flagged
    manager = User.objects.get(username="aspem-manager")
    definition = {**setup.current_definition(associations), "counts_people_reached": True}
    with pytest.raises(ValidationError) as refused:
        setup.change_indicator(
            indicator=associations,
            by=manager,
            definition={**definition, "measure": "percentage", "target_value": Decimal(50)},
        )
    messages = refused.value.message_dict["counts_people_reached"]
    assert "Only a count can count the people reached." in messages
    assert any(message.startswith("CE-5 already counts the people") for message in messages)
    ungrouped = {**definition, "beneficiary_group": None}
    with pytest.raises(ValidationError) as refused:
        setup.change_indicator(indicator=associations, by=manager, definition=ungrouped)
    assert refused.value.message_dict["counts_people_reached"] == [
        "Choose the beneficiary group whose people it counts."
    ]
    associations.refresh_from_db()
    assert not associations.counts_people_reached


def test_the_people_reached_by_the_end_of_each_half_year():
    assert progress.half_year_ends(date(2025, 3, 1), date(2026, 7, 1)) == [
        date(2025, 6, 30),
        date(2025, 12, 31),
        date(2026, 6, 30),
    ]
    quarters = [(date(2025, 3, 31), Decimal(5)), (date(2025, 9, 30), Decimal(12))]
    halves = [(date(2025, 6, 30), None), (date(2025, 12, 31), Decimal(30))]
    ends = [date(2025, 6, 30), date(2025, 12, 31)]
    assert progress.reach_to_date([quarters, halves], ends) == [Decimal(5), Decimal(42)]


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.none() | st.integers(0, 1000),
            st.dictionaries(st.sampled_from(["women", "men", "other"]), st.integers(0, 300)),
        ),
        max_size=8,
    )
)
def test_people_reached_adds_up_as_a_naive_count_would(rows):
    figures = [
        (
            None if achieved is None else Decimal(achieved),
            {f"sex/{slug}": str(value) for slug, value in parts.items()},
        )
        for achieved, parts in rows
    ]
    reach = progress.people_reached(figures)
    counted = [(achieved, parts) for achieved, parts in rows if achieved is not None]
    assert reach.groups == len(counted)
    assert reach.people == sum(achieved for achieved, _parts in counted)
    for slug in ("women", "men", "other"):
        assert reach.by_sex.get(slug, 0) == sum(parts.get(slug, 0) for _a, parts in counted)
    told = sum(sum(parts.values()) for _a, parts in counted)
    assert reach.not_by_sex == max(reach.people - told, 0)
