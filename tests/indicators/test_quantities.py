"""Quantities that can be: whole counts of people, real currencies, and decimals shown as people
write them."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators import services
from indicators.models import Indicator
from indicators.services.setup import current_definition
from projects import services as project_services
from projects.models import Funding, Project
from tests.factories import FundingFactory, IndicatorFactory, OrganisationFactory, ProjectFactory

from .conftest import TODAY, report

pytestmark = pytest.mark.django_db


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def test_half_a_person_is_refused_with_the_unit_named(team):
    errors = refusal(lambda: report(team, value=Decimal("2.5")))
    assert errors["value"] == ["2.5 is not a whole number: this indicator counts whole associates."]
    assert not team["indicator"].updates.exists()


def test_a_fraction_of_a_category_is_refused_too(team):
    women, men = team["women"], team["men"]
    errors = refusal(lambda: report(team, parts={women: Decimal("1.5"), men: Decimal("2.5")}))
    assert errors["values"] == [
        f"{women.name}: 1.5 is not a whole number: this indicator counts whole associates.",
        f"{men.name}: 2.5 is not a whole number: this indicator counts whole associates.",
    ]


def test_a_percentages_numerator_and_denominator_count_whole_people(team):
    share = IndicatorFactory(
        project=team["project"], measure="percentage", unit="", target_value=Decimal(60)
    )
    errors = refusal(
        lambda: services.create_update(
            indicator=share,
            by=team["editor"],
            figures=services.Figures(
                as_of=date(2025, 3, 1), numerator=Decimal("4.5"), denominator=Decimal("9.5")
            ),
            today=TODAY,
        )
    )
    assert set(errors) == {"numerator", "denominator"}


def test_an_indicator_that_measures_fractions_takes_them(team):
    hectares = IndicatorFactory(project=team["project"], unit="hectares", whole_numbers=False)
    money = IndicatorFactory(project=team["project"], measure="amount", currency="PEN", unit="")
    for indicator in (hectares, money):
        update = services.create_update(
            indicator=indicator,
            by=team["editor"],
            figures=services.Figures(as_of=date(2025, 3, 1), value=Decimal("12.5")),
            today=TODAY,
        )
        assert update.value == Decimal("12.5")


def test_targets_of_a_count_are_whole(team):
    indicator = team["indicator"]
    definition = {**current_definition(indicator), "target_value": Decimal("160.5")}
    errors = refusal(
        lambda: services.change_indicator(
            indicator=indicator, by=team["manager"], definition=definition
        )
    )
    assert errors["target_value"] == [
        "160.5 is not a whole number: this indicator counts whole associates."
    ]
    errors = refusal(
        lambda: services.set_period_targets(
            indicator=indicator, by=team["manager"], targets={team["first_half"]: Decimal("0.5")}
        )
    )
    assert list(errors) == [f"period_{team['first_half'].pk}"]


def test_new_indicators_count_in_whole_numbers_unless_they_measure_money(team):
    count = services.create_indicator(
        project=team["project"], by=team["manager"], definition={"code": "9.1", "name": "People"}
    )
    money = services.create_indicator(
        project=team["project"],
        by=team["manager"],
        definition={"code": "9.2", "name": "Spent", "measure": "amount", "currency": "PEN"},
    )
    assert (count.whole_numbers, money.whole_numbers) == (True, False)


def test_an_indicator_currency_must_be_iso_4217(team):
    errors = refusal(
        lambda: services.create_indicator(
            project=team["project"],
            by=team["manager"],
            definition={"code": "9.3", "name": "Spent", "measure": "amount", "currency": "SOL"},
        )
    )
    assert errors["currency"] == [
        "SOL is not an ISO 4217 currency code: choose one from the list, such as PEN, USD or EUR."
    ]


def test_a_funding_in_soles_is_refused_until_the_currency_is_chosen(team):
    errors = refusal(
        lambda: project_services.add_funding(
            project=team["project"],
            by=team["manager"],
            funder=None,
            new_funder_name="Municipalidad de Lima",
            amount=Decimal(1000),
            currency="SOL",
        )
    )
    assert "not an ISO 4217 currency code" in errors["currency"][0]


def test_the_project_form_offers_the_usual_currencies_first_named_in_the_readers_language(
    client, team
):
    client.force_login(team["manager"])
    html = client.get(
        reverse("projects:edit", args=[team["project"].pk]), HTTP_ACCEPT_LANGUAGE="es"
    ).text
    offered = html[html.index('name="currency"') :]
    assert (
        offered.index('value="PEN"') < offered.index('value="USD"') < offered.index('value="AED"')
    )
    assert "USD · Dólar estadounidense" in html


def test_a_stored_code_that_is_no_currency_is_shown_marked_and_refused(client, team):
    project = team["project"]
    Project.objects.filter(pk=project.pk).update(currency="XYZ")
    client.force_login(team["manager"])
    url = reverse("projects:edit", args=[project.pk])
    assert "XYZ · not an ISO 4217 code" in client.get(url).text
    form = client.get(url).context["form"]
    data = {
        **{k: v for k, v in form.initial.items() if v is not None and k != "locations"},
        "language": "en",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["currency"] == [
        "XYZ is not an ISO 4217 currency code: choose one from the list, such as PEN, USD or EUR."
    ]


def test_the_migration_maps_soles_to_pen_and_leaves_other_codes_to_be_chosen(db):
    project = ProjectFactory(currency="SOL")
    other = ProjectFactory(currency="XYZ")
    funding = FundingFactory(project=project, funder=OrganisationFactory(), currency="sol")
    indicator = IndicatorFactory(project=project, measure="amount", currency="S/")
    migrations = (
        importlib.import_module("projects.migrations.0005_iso_currencies"),
        importlib.import_module("indicators.migrations.0014_whole_numbers"),
    )
    migrations[0].map_typed_currencies(apps, None)
    migrations[1].whole_where_stored_figures_are(apps, None)
    assert Project.objects.get(pk=project.pk).currency == "PEN"
    assert Project.objects.get(pk=other.pk).currency == "XYZ"
    assert Funding.objects.get(pk=funding.pk).currency == "PEN"
    assert Indicator.objects.get(pk=indicator.pk).currency == "PEN"


def test_the_migration_keeps_fractions_where_fractions_were_stored(team):
    with_fraction = IndicatorFactory(project=team["project"], target_value=Decimal("10.5"))
    reported = team["indicator"]
    report(team, value=Decimal(3))
    importlib.import_module(
        "indicators.migrations.0014_whole_numbers"
    ).whole_where_stored_figures_are(apps, None)
    assert Indicator.objects.get(pk=with_fraction.pk).whole_numbers is False
    assert Indicator.objects.get(pk=reported.pk).whole_numbers is True


def test_forms_reopen_figures_as_people_wrote_them(client, team):
    indicator = team["indicator"]
    client.force_login(team["manager"])
    targets = reverse("indicators:targets", args=[indicator.pk])
    client.post(
        targets, {f"share_{team['women'].pk}": "60", f"period_{team['first_half'].pk}": "60"}
    )
    html = client.get(targets).text
    assert 'value="60"' in html
    assert "6E+1" not in html and "60.0000" not in html
    definition = client.get(reverse("indicators:edit-indicator", args=[indicator.pk])).text
    assert 'name="target_value" value="160"' in definition


def test_the_update_form_asks_phones_for_whole_numbers_only_where_they_are_whole(client, team):
    client.force_login(team["editor"])
    html = client.get(reverse("indicators:report", args=[team["indicator"].pk])).text
    total = html[html.index('name="value"') - 200 : html.index('name="value"') + 200]
    assert 'inputmode="numeric"' in total and 'step="1"' in total
    hectares = IndicatorFactory(project=team["project"], unit="hectares", whole_numbers=False)
    html = client.get(reverse("indicators:report", args=[hectares.pk])).text
    total = html[html.index('name="value"') - 200 : html.index('name="value"') + 200]
    assert 'inputmode="decimal"' in total
