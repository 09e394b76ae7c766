"""Funder, implementer and network dashboards: who sees what, approved figures, freshness, cost."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from indicators import services
from indicators.models import Indicator, IndicatorSnapshot, ProgressUpdate
from indicators.selectors import figures_for, indicators_of_projects
from indicators.services import snapshots
from partners.models import Organisation, User
from projects.models import Project
from tests.factories import (
    FundingFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgressUpdateFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose on-commit work runs at its end, as after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def login(client, username):
    client.force_login(User.objects.get(username=username))


def funder_dashboard(short_name):
    return reverse("dashboard", args=[Organisation.objects.get(short_name=short_name).pk, "funder"])


def test_setec_viewer_sees_only_the_project_setec_funds(client, demo):
    login(client, "setec-viewer")
    response = client.get(reverse("dashboards"), follow=True)
    assert response.redirect_chain[-1][0] == funder_dashboard("setec")
    text = response.text
    assert "Supporting women&#x27;s emancipation" in text
    assert "16,322 EUR (23.3 % of the budget)" in text
    assert "Circular Economy" not in text and "displacement" not in text
    assert "Figures computed" in text


def test_eu_viewer_sees_the_eu_funded_projects_and_nothing_else(client, demo):
    login(client, "eu-viewer")
    eu = client.get(funder_dashboard("EU")).text
    assert "Circular Economy" in eu
    assert "Supporting women" not in eu
    lid = client.get(funder_dashboard("LiD")).text  # the EU oversees its facility
    assert "From displacement to integration" in lid


def test_dashboards_of_other_organisations_are_404(client, demo):
    login(client, "setec-viewer")
    assert client.get(funder_dashboard("EU")).status_code == 404
    login(client, "outsider")
    assert client.get(funder_dashboard("setec")).status_code == 404
    setec = Organisation.objects.get(short_name="setec")
    mam = Project.objects.get(code="mam-la-ensenada")
    url = reverse("dashboard-project", args=[setec.pk, "funder", mam.pk])
    assert client.get(url).status_code == 404
    login(client, "setec-viewer")
    assert client.get(url).status_code == 200
    other = Project.objects.get(code="circular-la-victoria-el-agustino")
    assert (
        client.get(reverse("dashboard-project", args=[setec.pk, "funder", other.pk])).status_code
        == 404
    )


def test_funders_see_approved_figures_only(client, demo):
    setec = Organisation.objects.get(short_name="setec")
    mam = Project.objects.get(code="mam-la-ensenada")
    beneficiaries = Indicator.objects.get(code="MAM-7")
    assert beneficiaries.updates.filter(status="submitted").exists()  # 180 more, not approved
    login(client, "setec-viewer")
    text = client.get(reverse("dashboard-project", args=[setec.pk, "funder", mam.pk])).text
    assert "1,200 people" in text
    assert "1,380" not in text


def test_drill_down_shows_bars_category_shares_and_periods(client, demo, committed):
    associates = Indicator.objects.get(code="CE-5")
    editor, manager = (
        User.objects.get(username="aspem-editor"),
        User.objects.get(username="aspem-manager"),
    )
    women, men = (
        c
        for c in Indicator.objects.get(code="CE-5")
        .indicator_dimensions.get()
        .dimension.categories.all()
    )
    update = services.create_update(
        indicator=associates,
        by=editor,
        figures=services.Figures(
            as_of=associates.project.start_date, parts={women: Decimal(50), men: Decimal(30)}
        ),
        submit=True,
    )
    with committed():
        services.approve_update(update=update, by=manager)
    login(client, "eu-viewer")
    eu = Organisation.objects.get(short_name="EU")
    text = client.get(
        reverse("dashboard-project", args=[eu.pk, "funder", associates.project_id])
    ).text
    section = text.split(f'id="indicator-{associates.pk}"')[1].split("</article>")[0]
    assert "80 associates" in section and "50 %" in section
    # A share target of 160 implies 96 women: the share holds, the count is not reached.
    assert escape("50 of 96, 46 to go — share 62.5 %, on course for 60 %") in section
    assert "target met" not in section
    assert "<svg" in section and 'role="img"' in section
    assert "S1 2025" in section  # the per-period table


def test_a_count_target_per_category_reads_as_so_many_of_so_many(client, demo):
    # Approved in the demo: 2 associations from La Victoria and 1 from El Agustino, of 4 each.
    strengthened = Indicator.objects.get(code="CE-4")
    login(client, "eu-viewer")
    eu = Organisation.objects.get(short_name="EU")
    text = client.get(
        reverse("dashboard-project", args=[eu.pk, "funder", strengthened.project_id])
    ).text
    section = text.split(f'id="indicator-{strengthened.pk}"')[1].split("</article>")[0]
    victoria, agustino = section.split('<tr class="category">')[1:3]
    # Two thirds of the associations, but half of its own target: no shares are compared, and
    # the words and the colour say the same as the figures.
    assert "2 of 4, 2 to go" in victoria and "standing short" in victoria
    assert " vs " not in section and "66.7" not in section
    assert 'width="50.00"' in victoria and "#9a6700" in victoria
    assert "1 of 4" in agustino and 'width="25.00"' in agustino


def test_an_indicator_without_a_target_is_reported_not_on_track(client, demo):
    tracked = Indicator.objects.get(code="MAM-6")  # the area built: no target, one approved figure
    assert tracked.target_value is None
    assert IndicatorSnapshot.objects.get(indicator=tracked).status == "reported"
    assert tracked.project.snapshot.reported >= 1
    login(client, "setec-viewer")
    setec = Organisation.objects.get(short_name="setec")
    text = client.get(
        reverse("dashboard-project", args=[setec.pk, "funder", tracked.project_id])
    ).text
    section = text.split(f'id="indicator-{tracked.pk}"')[1].split("</article>")[0]
    assert '<span class="badge reported">Reported</span>' in section
    assert "On track" not in section
    portfolio = client.get(funder_dashboard("setec")).text
    assert "Reported" in portfolio


def test_network_dashboard_rolls_figures_up_the_organisation_tree(client, demo):
    login(client, "conamovidi-manager")
    conamovidi = Organisation.objects.get(short_name="CONAMOVIDI")
    project = Project.objects.get(code="conamovidi-network")
    text = client.get(
        reverse("dashboard-project", args=[conamovidi.pk, "network", project.pk])
    ).text
    table = text.split("Across the network")[1].split("</table>")[0]
    assert "16,100" in table  # 5,400 + 4,100 + 3,900 + 2,700 meals
    assert "9,500" in table  # Lima: its two soup kitchens
    assert table.index("CONAMOVIDI") < table.index("Provincial organisation of Lima")


def test_snapshots_hold_the_same_figures_as_a_direct_computation(demo):
    from django.utils import timezone

    indicators = list(indicators_of_projects(list(Project.objects.values_list("pk", flat=True))))
    live = figures_for(indicators, today=timezone.localdate(), with_provisional=False)
    for indicator in indicators:
        snapshot = IndicatorSnapshot.objects.get(pk=indicator.pk)
        assert snapshot.stale_since is None
        assert (snapshot.achieved, snapshot.status) == (
            live[indicator.pk].approved.achieved,
            live[indicator.pk].approved.status,
        ), indicator.code


def test_approval_updates_the_snapshot_at_once_without_a_broker(client, demo, committed):
    associates = Indicator.objects.get(code="CE-3")
    pending = associates.updates.get(status="submitted")
    with committed():
        services.approve_update(update=pending, by=User.objects.get(username="aspem-manager"))
    snapshot = IndicatorSnapshot.objects.get(pk=associates.pk)
    assert (snapshot.achieved, snapshot.stale_since) == (Decimal(6), None)


def test_approval_is_saved_when_the_broker_is_down_and_the_repair_catches_up(
    monkeypatch, demo, committed
):
    from indicators import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.recompute_indicator, "apply_async", broker_down)
    indicator = Indicator.objects.get(code="CE-3")
    pending = indicator.updates.get(status="submitted")
    with committed():
        services.approve_update(update=pending, by=User.objects.get(username="aspem-manager"))
    assert ProgressUpdate.objects.get(pk=pending.pk).status == "approved"
    snapshot = IndicatorSnapshot.objects.get(pk=indicator.pk)
    assert snapshot.stale_since is not None and snapshot.achieved is None  # as before approval
    assert tasks.repair_stale_snapshots() == 1
    snapshot.refresh_from_db()
    assert (snapshot.achieved, snapshot.stale_since) == (Decimal(6), None)


def test_recomputing_twice_changes_nothing(demo):
    before = list(
        IndicatorSnapshot.objects.order_by("pk").values_list(
            "pk", "achieved", "status", "categories"
        )
    )
    snapshots.recompute()
    snapshots.recompute()
    after = list(
        IndicatorSnapshot.objects.order_by("pk").values_list(
            "pk", "achieved", "status", "categories"
        )
    )
    assert before == after


def test_recompute_snapshots_command_reports_what_it_did(demo):
    from io import StringIO

    out = StringIO()
    call_command("recompute_snapshots", verbosity=0, stdout=out)
    assert "Recomputed 46 indicators" in out.getvalue()
    IndicatorSnapshot.objects.filter(indicator__code="CE-1").update(
        stale_since="2026-01-01T00:00Z", achieved=None
    )
    call_command("recompute_snapshots", "--stale", verbosity=0, stdout=(out := StringIO()))
    assert "Recomputed 1 indicators" in out.getvalue()
    assert IndicatorSnapshot.objects.get(indicator__code="CE-1").achieved == Decimal(30)


def funded_portfolio(funder, count):
    for _ in range(count):
        project = ProjectFactory()
        FundingFactory(project=project, funder=funder)
        PartnershipFactory(project=project)
        for _ in range(2):
            ProgressUpdateFactory(indicator=IndicatorFactory(project=project))
    snapshots.recompute()


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_funder_dashboard_costs_the_same_queries_for_3_or_300_projects(client):
    funder = OrganisationFactory(kind="funder")
    viewer = MembershipFactory(organisation=funder, role="viewer").user
    client.force_login(viewer)
    url = reverse("dashboard", args=[funder.pk, "funder"])
    funded_portfolio(funder, 3)
    few = queries(client, url)
    funded_portfolio(funder, 297)
    many = queries(client, url)
    assert few == many
    text = client.get(url).text
    assert "<dt>Projects</dt><dd>300</dd>" in text
    assert text.count('<li class="card">') == 25
    assert "Page 1 of 12" in text
    project = Project.objects.filter(fundings__funder=funder).first()
    drill = reverse("dashboard-project", args=[funder.pk, "funder", project.pk])
    small = queries(client, drill)
    for _ in range(20):
        IndicatorFactory(project=project)
    snapshots.recompute()
    assert queries(client, drill) == small


def test_a_network_that_does_not_oversee_its_members_has_no_network_dashboard(client, demo):
    """PUCP's member IDEHPUCP works on Lives in Dignity; PUCP's people do not see that project,
    so no network view may show it to them."""
    pucp = Organisation.objects.get(short_name="PUCP")
    assert not pucp.oversees_members
    viewer = MembershipFactory(organisation=pucp, role="viewer").user
    client.force_login(viewer)
    lid = Project.objects.get(partnerships__organisation__short_name="IDEHPUCP")
    assert client.get(reverse("project", args=[lid.pk])).status_code == 404
    network = reverse("dashboard", args=[pucp.pk, "network"])
    assert client.get(network).status_code == 404
    drill = reverse("dashboard-project", args=[pucp.pk, "network", lid.pk])
    assert client.get(drill).status_code == 404
    index = client.get(reverse("dashboards"), follow=True).text
    assert network not in index and "displacement" not in index
    own = client.get(reverse("dashboard", args=[pucp.pk, "implementer"])).text
    assert "Santa Anita" in own and "displacement" not in own


def test_a_milestone_reads_done_or_not_by_period_without_a_value_axis(client, demo):
    milestone = Indicator.objects.select_related("project").get(code="SA-1")
    partner = milestone.project.partnerships.select_related("organisation").first()
    member = partner.organisation.memberships.select_related("user").first()
    client.force_login(member.user)
    text = client.get(reverse("project-report", args=[milestone.project_id])).text
    section = text.split(f'id="indicator-{milestone.pk}"')[1].split("</article>")[0]
    assert "chart timeline" not in section and ">0.5<" not in section
    assert "<td>S2 2023</td><td>not done</td>" in section
    assert '<td>S1 2024</td><td><span class="ok">✓ done</span></td>' in section


def test_a_told_indicator_reads_reported_and_a_share_so_many_of_so_many(client, demo):
    """The printable report and the dashboards word what is achieved as the project page does
    (indicators.wording.achieved): no number for an indicator told in words."""
    project = Project.objects.get(code="santa-anita-public-spaces")
    told = IndicatorFactory(
        project=project, code="SA-T", measure="qualitative", unit="", target_value=None
    )
    ProgressUpdateFactory(indicator=told, value=None, narrative="The platform met twice.")
    share = IndicatorFactory(
        project=project, code="SA-P", measure="percentage", unit="", target_value=Decimal(80)
    )
    ProgressUpdateFactory(indicator=share, value=None, numerator=Decimal(3), denominator=Decimal(5))
    snapshots.recompute([told.pk, share.pk])
    member = project.partnerships.select_related("organisation").first().organisation
    client.force_login(member.memberships.select_related("user").first().user)
    text = client.get(reverse("project-report", args=[project.pk])).text

    def achieved(indicator):
        section = text.split(f'id="indicator-{indicator.pk}"')[1].split("</article>")[0]
        return section.split('<dd class="achieved">')[1].split("</dd>")[0]

    assert achieved(told).strip() == "reported"
    assert achieved(share).startswith("60 % (3 of 5)")
