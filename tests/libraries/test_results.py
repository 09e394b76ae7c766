"""A library's results across projects: the approved figures of the indicators linked to each
standard indicator, in the projects the reader sees, added up where they add up, by year and
by category; and the arithmetic of it, against a naive recomputation."""

import io
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from indicators import progress
from indicators.models import Category
from libraries.selectors import results_across_projects
from partners.models import Membership
from projects.models import Project
from tests.factories import (
    MembershipFactory,
)

D = Decimal


def test_counts_add_up_across_projects_and_percentages_combine_their_counts():
    count = progress.across_projects(
        "count",
        [
            progress.Contribution(D(30), parts={"sex/women": D(20)}, by_year={2024: D(30)}),
            progress.Contribution(D(12), parts={"sex/women": D(5)}, by_year={2025: D(12)}),
            progress.Contribution(None),  # linked, nothing approved yet
        ],
    )
    assert (count.value, count.contributing) == (D(42), 2)
    assert count.parts == {"sex/women": D(25)}
    assert count.by_year == {2024: D(30), 2025: D(12)}
    share = progress.across_projects(
        "percentage",
        [progress.Contribution(D(50), D(5), D(10)), progress.Contribution(D(25), D(10), D(40))],
    )
    assert (share.value, share.share) == (None, D("0.3"))  # 15 of 50, not the mean of 50 % and 25 %
    partial = progress.across_projects(
        "percentage", [progress.Contribution(D(50), D(5), D(10)), progress.Contribution(D(25))]
    )
    assert partial.share is None
    milestone = progress.across_projects("milestone", [progress.Contribution(D(1))])
    assert (milestone.value, milestone.share, milestone.contributing) == (None, None, 1)
    assert progress.across_projects("count", []).value is None


def test_by_year_adds_summed_periods_and_keeps_the_last_latest_value():
    periods = [(date(2024, 6, 30), D(10)), (date(2024, 12, 31), D(15)), (date(2025, 6, 30), None)]
    assert progress.by_year("sum", periods) == {2024: D(25)}
    assert progress.by_year("latest", list(reversed(periods))) == {2024: D(15)}


values = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2))


@settings(max_examples=200, derandomize=True)
@given(
    st.lists(
        st.tuples(
            values,
            st.dictionaries(
                st.sampled_from(["sex/women", "sex/men"]),
                values.filter(lambda v: v is not None),
                max_size=2,
            ),
        ),
        max_size=6,
    )
)
def test_a_count_across_projects_is_the_plain_sum_of_what_was_approved(rows):
    contributions = [progress.Contribution(value, parts=parts) for value, parts in rows]
    total = progress.across_projects("count", contributions)
    approved = [(value, parts) for value, parts in rows if value is not None]
    assert total.contributing == len(approved)
    assert total.value == (sum(value for value, _p in approved) if approved else None)
    for key in ("sex/women", "sex/men"):
        naive = sum((parts.get(key, 0) for _v, parts in approved), D(0))
        assert total.parts.get(key, D(0)) == naive


@pytest.mark.django_db
def test_the_network_sees_its_members_approved_figures_added_up_and_an_outsider_nothing(
    client, network_results
):
    library, viewer = network_results
    results = results_across_projects(viewer, library)["net-1"]
    assert results.total.value == D(42)
    assert results.total.parts == {"sex/women": D(21)}
    assert results.total.by_year == {2024: D(42)}
    assert [(row.project.title, row.value) for row in results.projects] == [
        ("Kitchens 1", D(30)),
        ("Kitchens 2", D(12)),
        ("Not yet", None),
    ]
    client.force_login(viewer)
    page = client.get(reverse("library", args=[library.pk]))
    assert "42" in page.text and "Sex: Women: 21" in page.text and "Kitchens 2" in page.text
    outsider = MembershipFactory(role=Membership.Role.ADMIN).user
    assert results_across_projects(outsider, library) == {}
    client.force_login(outsider)
    assert client.get(reverse("library", args=[library.pk])).status_code == 404
    assert Category.objects.count() == 1


@pytest.mark.django_db
def test_the_logframe_carries_the_library_code_and_the_approved_figure(client, network_results):
    library, viewer = network_results
    project = (
        library.entries.get().links.get(indicator__project__title="Kitchens 1").indicator.project
    )
    client.force_login(viewer)
    download = client.get(reverse("project-logframe", args=[project.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == (
        "Level", "Result", "Indicator", "Library code", "Baseline", "Baseline year", "Target",
        "Current value", "Current value as of", "Source of verification",
    )  # fmt: skip
    assert rows[1][2:4] == ("1 Women leaders trained", "NET-1")
    assert rows[1][7] == 30
    frame = pd.read_excel(io.BytesIO(content))
    assert frame.loc[0, "Library code"] == "NET-1" and frame.loc[0, "Current value"] == 30
    outsider = MembershipFactory(role=Membership.Role.ADMIN).user
    client.force_login(outsider)
    assert client.get(reverse("project-logframe", args=[project.pk])).status_code == 404


@pytest.mark.django_db
def test_the_networks_dashboard_shows_each_standard_indicators_total(client, network_results):
    library, viewer = network_results
    client.force_login(viewer)
    page = client.get(reverse("dashboard", args=[library.organisation_id, "network"]))
    assert page.status_code == 200
    rows = page.context["standard"]
    assert [
        (row.entry.code, row.results.total.value, len(row.results.projects)) for row in rows
    ] == [("NET-1", D(42), 3)]
    assert "Standard indicators across projects" in page.text


@pytest.mark.django_db
def test_the_results_workbook_holds_the_totals_and_each_projects_figure(client, network_results):
    library, viewer = network_results
    Project.objects.filter(title="Kitchens 2").update(title='=HYPERLINK("http://x","Kitchens 2")')
    client.force_login(viewer)
    download = client.get(reverse("library-results-xlsx", args=[library.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('network-indicators-v1-results.xlsx"')
    content = b"".join(download.streaming_content)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Across projects", "By project"]
    totals = list(book["Across projects"].iter_rows(values_only=True))
    assert totals[0][:8] == (
        "Code", "Indicator", "Measure", "Unit", "How figures combine", "Total across projects",
        "Projects with figures", "Projects linked",
    )  # fmt: skip
    assert totals[0][8:10] == ("Year 2024", "Sex: Women")
    assert totals[1][:10] == (
        "NET-1", "Women leaders trained", "Count", "people", "Sum of the updates", 42, 2, 3, 42, 21,
    )  # fmt: skip
    assert "each project counted once" in totals[1][10]
    projects = pd.read_excel(io.BytesIO(content), sheet_name="By project")
    assert list(projects["Approved figure"].fillna(-1)) == [
        12,
        30,
        -1,
    ]  # by project title: "=HYPERLINK…" first
    hostile = book["By project"]["D2"]
    assert (hostile.value, hostile.data_type) == ('=HYPERLINK("http://x","Kitchens 2")', "s")

    client.force_login(MembershipFactory(role=Membership.Role.ADMIN).user)
    assert client.get(reverse("library-results-xlsx", args=[library.pk])).status_code == 404


@pytest.mark.django_db
def test_the_results_workbook_follows_the_readers_language(client, network_results):
    library, viewer = network_results
    client.force_login(viewer)
    download = client.get(
        reverse("library-results-xlsx", args=[library.pk]), HTTP_ACCEPT_LANGUAGE="es"
    )
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert sheet.title == "Entre proyectos"
    assert sheet["A1"].value == "Código" and sheet["F1"].value == "Total entre proyectos"
