from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from django.urls import reverse

from dashboards import charts
from dashboards.templatetags.portal import clip, organisation_abbr
from tests.factories import OrganisationFactory, PartnershipFactory

D = Decimal


def category(**fields):
    row = {"category_name": "Women", "is_share_target": False, "met": None}
    row.update(fields)
    return row


def test_a_count_target_fills_the_bar_by_its_own_target_not_by_shares():
    (bar,) = charts.category_bars(
        [
            category(
                target_value="4",
                achieved_value="2",
                achieved_share="0.6667",
                target_share="0.5",
                met=False,
            )
        ]
    )
    assert not bar.is_share_target
    assert (bar.fill, bar.marker, bar.met) == (50.0, 100.0, False)
    assert (bar.achieved_value, bar.target_value) == (D(2), D(4))


def test_a_share_target_compares_shares_in_percent():
    (bar,) = charts.category_bars(
        [
            category(
                is_share_target=True,
                target_share="0.60",
                target_value="96",
                achieved_value="50",
                achieved_share="0.625",
                met=True,
            )
        ]
    )
    assert bar.is_share_target
    assert (bar.fill, bar.marker, bar.met) == (62.5, 60.0, True)
    assert (bar.achieved_share, bar.target_share) == (D("62.5"), D("60.0"))


def test_a_category_over_its_count_target_fills_the_bar_and_no_more():
    (bar,) = charts.category_bars([category(target_value="4", achieved_value="6", met=True)])
    assert bar.fill == 100.0


def test_nothing_reported_draws_an_empty_bar():
    (bar,) = charts.category_bars([category(target_value="4", achieved_value=None)])
    assert (bar.fill, bar.met) == (0.0, None)


@pytest.mark.parametrize(
    ("largest", "step"),
    [(D(160), D(50)), (D(7), D(2)), (D(1000), D(500)), (D("0.8"), D("0.2")), (D(0), D(1))],
)
def test_the_value_axis_steps_by_round_numbers(largest, step):
    assert charts.nice_step(largest) == step


def periods(*rows):
    return [
        {"name": name, "achieved_value": a, "cumulative_value": c, "target_value": t}
        for name, a, c, t in rows
    ]


def test_the_period_chart_has_an_axis_that_covers_the_target_and_lines_that_meet_it():
    chart = charts.period_chart(
        periods(("2024", "60", "60", "80"), ("2025", "40", "100", None)), D(160)
    )
    assert chart is not None
    assert [tick.value for tick in chart.ticks] == [0, 50, 100, 150, 200]
    top_tick, zero_tick = chart.ticks[-1], chart.ticks[0]
    assert zero_tick.y == chart.bottom and top_tick.y == chart.top
    # The whole target sits at 160 on the same scale as the ticks.
    span = zero_tick.y - top_tick.y
    assert chart.target_y == pytest.approx(zero_tick.y - span * 160 / 200)
    first, second = chart.columns
    # A period target spans its own column, at its value on the axis.
    assert first.target_y == pytest.approx(zero_tick.y - span * 80 / 200)
    assert first.right == pytest.approx(first.x + first.width)
    assert second.target_y is None
    # Columns stand on the axis; each label sits under the middle of its column.
    assert first.y + first.height == pytest.approx(chart.bottom)
    assert first.label_x == pytest.approx(first.x + first.width / 2)
    assert chart.has_period_targets


def test_with_many_periods_every_other_label_is_drawn_and_none_overlap():
    chart = charts.period_chart(
        periods(*[(f"M{n}", "1", str(n), None) for n in range(1, 13)]), None
    )
    assert chart is not None
    assert [c.name for c in chart.columns if c.labelled] == ["M1", "M3", "M5", "M7", "M9", "M11"]
    assert chart.target_y is None and not chart.has_period_targets


def test_a_chart_of_nothing_but_zeros_still_has_an_axis():
    chart = charts.period_chart(periods(("2024", "0", "0", None)), None)
    assert chart is not None
    assert [tick.value for tick in chart.ticks] == [0, 1]


@pytest.mark.parametrize(
    ("text", "length", "shown"),
    [
        (
            "Associates of the recyclers' associations strengthened",
            30,
            "Associates of the recyclers'…",
        ),
        ("Women builders", 30, "Women builders"),
        ("Supercalifragilistic", 10, "Supercali…"),
        ("Recyclers, associations", 11, "Recyclers…"),
        ("", 10, ""),
    ],
)
def test_long_titles_are_shortened_between_words(text, length, shown):
    assert clip(text, length) == shown
    assert len(clip(text, length)) <= length


@pytest.mark.django_db
def test_an_abbreviation_is_spelled_out_on_hover():
    mam = OrganisationFactory(name="Mano a Mano Peru", short_name="MAM")
    assert organisation_abbr(mam) == '<abbr title="Mano a Mano Peru">MAM</abbr>'
    same = OrganisationFactory(name="GROOTS", short_name="GROOTS")
    assert organisation_abbr(same) == "GROOTS"


@pytest.mark.django_db
def test_the_partner_list_spells_out_each_abbreviation(admin_client):
    partnership = PartnershipFactory(
        organisation=OrganisationFactory(name="Mano a Mano Peru", short_name="MAM")
    )
    text = admin_client.get(reverse("project", args=[partnership.project_id])).text
    assert "Mano a Mano Peru (MAM)" in text


def test_a_period_not_begun_has_no_figure_to_date():
    rows = periods(("S1 2026", "30", "30", None), ("S2 2026", None, "30", None))
    rows[0]["start"], rows[1]["start"] = "2026-01-01", "2026-07-01"
    chart = charts.period_chart(rows, D(75), today=date(2026, 6, 30))
    assert chart is not None
    assert [c.cumulative for c in chart.columns] == [D(30), None]
    assert chart.cumulative_points.count(",") == 1  # the line stops where the periods do


def test_long_period_names_are_thinned_until_the_drawn_labels_fit_side_by_side():
    names = [
        f"{half} semestre {year}" for year in (2025, 2026, 2027) for half in ("Primer", "Segundo")
    ]
    chart = charts.period_chart(periods(*[(n, "1", "1", None) for n in names]), None)
    assert chart is not None
    drawn = [c for c in chart.columns if c.labelled]
    assert 1 < len(drawn) < len(names)
    for left, right in pairwise(drawn):
        room = right.label_x - left.label_x
        assert room >= len("Segundo semestre 2025") * charts.CHARACTER_WIDTH
    short = charts.period_chart(periods(*[(f"S{n}", "1", "1", None) for n in range(6)]), None)
    assert short is not None and all(c.labelled for c in short.columns)
