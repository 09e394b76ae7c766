"""The history reads as sentences in the reader's language, with every author named."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.numbers import formatted
from indicators import services
from indicators.history import indicator_history, update_history
from indicators.models import Indicator
from indicators.services.setup import current_definition
from indicators.services.updates import NewUpdate
from tests.factories import MembershipFactory, UserFactory

from .conftest import report

pytestmark = pytest.mark.django_db


def change(team, by, **changes):
    indicator = team["indicator"]
    definition = {**current_definition(indicator), **changes}
    services.change_indicator(indicator=indicator, by=by, definition=definition)


def sentences(entries) -> list[str]:
    return [sentence for entry in entries for sentence in entry.sentences]


def test_a_translated_unit_and_a_target_read_as_sentences_naming_the_person(team):
    ana = UserFactory(username="ana", first_name="Ana", last_name="Quispe")
    MembershipFactory(organisation=team["ngo"], role="manager", user=ana)
    change(team, ana, translations={"es": {"unit": "mujeres"}})
    change(
        team, ana, translations={"es": {"unit": "mujeres capacitadas"}}, target_value=Decimal(10)
    )

    said = sentences(indicator_history(Indicator.objects.get(pk=team["indicator"].pk))[:2])

    assert "Ana Quispe changed the target from 160 to 10." in said
    assert "Ana Quispe changed the unit (Spanish) from “mujeres” to “mujeres capacitadas”." in said
    assert "Ana Quispe set the unit (Spanish) to “mujeres”." in sentences(
        indicator_history(team["indicator"])
    )
    assert not any("translations" in s or "10.0000" in s or "{" in s for s in said)


def test_the_history_is_written_in_the_readers_language(team):
    change(team, team["manager"], target_value=Decimal("1600"))
    with translation.override("es"):
        said = sentences(indicator_history(team["indicator"])[:1])
        thousands = formatted(Decimal(1600))  # with Spanish grouping
    assert thousands != "1,600"
    assert said == [f"{team['manager']} cambió el campo «meta» de 160 a {thousands}."]


def test_a_change_nobody_made_is_said_to_be_the_portals(team):
    indicator = team["indicator"]
    indicator.name = "Renamed by a data migration"
    indicator._history_user = None
    indicator.save()
    (latest,) = indicator_history(indicator)[:1]
    assert latest.who == "The portal (no person)"
    (said,) = latest.sentences
    assert said.startswith("The portal (no person) changed the name from “Indicator ")
    assert said.endswith("to “Renamed by a data migration”.")


def test_an_imported_update_names_the_person_and_the_import(team):
    services.create_updates(
        project=team["project"],
        by=team["editor"],
        rows=[
            NewUpdate(
                indicator=team["indicator"],
                figures=services.Figures(value=Decimal(4), period=team["first_half"]),
            )
        ],
    )
    update = team["indicator"].updates.get()
    (created,) = update_history(update)
    assert created.who == f"{team['editor']}, importing a spreadsheet"


def test_a_stored_decimal_is_no_change_when_it_is_the_same_number(team):
    update = report(team, value=Decimal(5))
    update.value = Decimal("5.0000")
    update._history_user = team["editor"]
    update.save()
    assert [e.action for e in update_history(update)] == ["created"]


def test_the_indicator_page_shows_sentences(client, team):
    change(team, team["manager"], target_value=Decimal(200))
    client.force_login(team["manager"])
    text = client.get(reverse("indicators:indicator", args=[team["indicator"].pk])).text
    assert f"{team['manager']} changed the target from 160 to 200." in text
