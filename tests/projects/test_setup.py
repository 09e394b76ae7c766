"""Setting a project up: who may, and bad input refused with a message and nothing stored."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators import services as indicator_services
from indicators.models import Category, CategoryTarget, Dimension, Indicator, Period
from projects import services
from projects.models import Partnership, Project, Result
from tests.factories import (
    FundingFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    ngo = OrganisationFactory(name="NGO A", short_name="A")
    project = ProjectFactory(title="Project of A", code="project-a")
    PartnershipFactory(project=project, organisation=ngo)
    other = ProjectFactory(title="Project of B")
    PartnershipFactory(project=other, organisation=OrganisationFactory())
    funder = OrganisationFactory(kind="funder")
    FundingFactory(project=project, funder=funder)
    partner = OrganisationFactory(name="Partner P")
    PartnershipFactory(project=project, organisation=partner, role=Partnership.Role.EXTENDING)
    place = Dimension.objects.create(slug="place", name="Place", kind="location")
    Category.objects.create(dimension=place, slug="la-ensenada", name="La Ensenada", order=0)
    Category.objects.create(dimension=place, slug="elsewhere", name="Elsewhere", order=1)
    return {
        "project": project,
        "other": other,
        "funder": funder,
        "place": place,
        "manager": MembershipFactory(organisation=ngo, role="manager").user,
        "admin": MembershipFactory(organisation=ngo, role="admin").user,
        "editor": MembershipFactory(organisation=ngo, role="editor").user,
        "viewer": MembershipFactory(organisation=ngo, role="viewer").user,
        "partner_manager": MembershipFactory(organisation=partner, role="manager").user,
        "funder_viewer": MembershipFactory(organisation=funder, role="viewer").user,
        "outsider": UserFactory(),
    }


def setup_pages(project):
    pk = project.pk
    return [
        reverse("projects:edit", args=[pk]),
        reverse("projects:setup", args=[pk]),
        reverse("indicators:framework", args=[pk]),
        reverse("indicators:new", args=[pk]),
        reverse("indicators:framework-template", args=[pk]),
    ]


def test_outsiders_get_404_and_editors_viewers_funders_403_on_every_set_up_page(client, team):
    for who, status in (
        ("outsider", 404),
        ("editor", 403),
        ("viewer", 403),
        ("funder_viewer", 403),
        ("partner_manager", 403),
    ):
        client.force_login(team[who])
        for url in setup_pages(team["project"]):
            assert client.get(url).status_code == status, (who, url)
            assert client.post(url, {"action": "result"}).status_code == status, (who, url)
    client.force_login(team["manager"])
    for url in setup_pages(team["project"]):
        assert client.get(url).status_code == 200, url
    for url in setup_pages(team["other"]):
        assert client.get(url).status_code == 404, url


def test_set_up_writes_refuse_editors_through_the_services_too(team):
    with pytest.raises(PermissionDenied):
        services.add_result(project=team["project"], by=team["editor"], level="outcome", title="x")
    with pytest.raises(PermissionDenied):
        services.archive_project(project=team["project"], by=team["partner_manager"])
    with pytest.raises(PermissionDenied):
        indicator_services.create_indicator(
            project=team["project"], by=team["viewer"], definition={"code": "1", "name": "x"}
        )
    assert not Result.objects.exists() and not Indicator.objects.exists()


def new_project_post(**changes):
    data = {
        "code": "women-2025",
        "title": "Women learn a trade",
        "status": "active",
        "planned_start": "2025-01-01",
        "planned_end": "2025-12-31",
        "actual_start": "2025-01-06",
        "currency": "eur",
        "budget": "1000",
    }
    return {**data, **changes}


def test_a_manager_creates_a_project_their_organisation_implements(client, team):
    client.force_login(team["manager"])
    ngo = team["project"].partnerships.get(role=Partnership.Role.IMPLEMENTING).organisation
    response = client.post(reverse("projects:new"), new_project_post(implementer=ngo.pk))
    project = Project.objects.get(code="women-2025")
    assert response.url == reverse("projects:setup", args=[project.pk])
    assert project.currency == "EUR"
    assert project.partnerships.get().organisation == ngo
    assert project.history.first().history_user == team["manager"]


def test_the_actual_dates_follow_the_status_and_all_problems_show_at_once(client, team):
    client.force_login(team["manager"])
    ngo = team["project"].partnerships.get(role=Partnership.Role.IMPLEMENTING).organisation
    begun = client.post(
        reverse("projects:new"), new_project_post(implementer=ngo.pk, actual_start="")
    )
    assert begun.status_code == 400
    assert "The status says the project has begun: give the day it actually started." in begun.text
    closed = client.post(
        reverse("projects:new"),
        new_project_post(implementer=ngo.pk, status="closed", actual_start="2999-01-01"),
    )
    errors = closed.context["form"].errors
    assert errors["actual_start"] == [
        "The actual start cannot be in the future: give the planned start instead."
    ]
    assert errors["actual_end"] == [
        "The status says the project is closed: give the day it actually ended."
    ]
    waiting = client.post(
        reverse("projects:new"), new_project_post(implementer=ngo.pk, status="pipeline")
    )
    assert "no longer in the pipeline" in waiting.text
    assert not Project.objects.filter(code="women-2025").exists()
    planned = client.post(
        reverse("projects:new"),
        new_project_post(implementer=ngo.pk, status="pipeline", actual_start=""),
    )
    assert planned.status_code == 302


def test_a_new_project_with_a_taken_code_or_backwards_dates_is_not_stored(client, team):
    client.force_login(team["manager"])
    ngo = team["project"].partnerships.get(role=Partnership.Role.IMPLEMENTING).organisation
    taken = client.post(
        reverse("projects:new"), new_project_post(implementer=ngo.pk, code="project-a")
    )
    assert taken.status_code == 400 and "Another project already has this code." in taken.text
    backwards = client.post(
        reverse("projects:new"), new_project_post(implementer=ngo.pk, planned_end="2024-01-01")
    )
    assert "The end must not come before the start." in backwards.text
    assert not Project.objects.filter(code="women-2025").exists()


def test_every_problem_of_a_new_project_is_said_in_one_round(client, team):
    client.force_login(team["manager"])
    ngo = team["project"].partnerships.get(role=Partnership.Role.IMPLEMENTING).organisation
    response = client.post(
        reverse("projects:new"),
        new_project_post(
            implementer=ngo.pk,
            code="bad code!",
            planned_end="2024-01-01",
            sectors="15170, 4303",
            budget="12345678901234567890",
        ),
    )
    errors = response.context["form"].errors
    assert response.status_code == 400
    assert set(errors) == {"code", "planned_end", "sectors", "budget"}
    assert errors["code"] == ["Use letters, digits, hyphens and underscores only."]
    assert errors["planned_end"] == ["The end must not come before the start."]
    assert errors["sectors"][0].startswith("Give 5-digit DAC purpose codes")
    assert not Project.objects.filter(title="Women learn a trade").exists()


def test_editing_a_project_says_every_problem_at_once(client, team):
    client.force_login(team["manager"])
    project = team["project"]
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        new_project_post(code=team["other"].code, planned_end="2020-01-01", budget="-5"),
    )
    errors = response.context["form"].errors
    assert set(errors) == {"code", "planned_end", "budget"}
    assert errors["code"] == ["Another project already has this code."]


def test_editors_and_outsiders_cannot_start_projects(client, team):
    for who in ("editor", "viewer", "outsider"):
        client.force_login(team[who])
        assert client.get(reverse("projects:new")).status_code == 403
    other_ngo = team["other"].partnerships.get().organisation
    with pytest.raises(PermissionDenied):
        services.create_project(
            by=team["manager"],
            implementer=other_ngo,
            details=services.ProjectDetails(
                code="x", title="x", planned_start=date(2025, 1, 1), planned_end=date(2025, 2, 1)
            ),
        )


def test_funding_can_name_a_funder_not_in_the_portal_and_partners_keep_an_implementer(team):
    project, manager = team["project"], team["manager"]
    funding = services.add_funding(
        project=project,
        by=manager,
        funder=None,
        new_funder_name="Fundación Nueva",
        amount=Decimal("5000"),
        currency="PEN",
    )
    assert funding.funder.kind == "funder"
    assert project.partnerships.filter(organisation=funding.funder, role=1).exists()
    with pytest.raises(ValidationError, match="negative"):
        services.add_funding(
            project=project, by=manager, funder=team["funder"], amount=Decimal(-1), currency="EUR"
        )
    services.remove_funding(funding=funding, by=manager)
    assert not project.partnerships.filter(organisation=funding.funder).exists()
    implementer = project.partnerships.get(role=Partnership.Role.IMPLEMENTING)
    with pytest.raises(ValidationError, match="at least one implementing"):
        services.remove_partner(partnership=implementer, by=manager)


def test_beneficiary_group_shares_above_100_percent_are_refused(client, team):
    client.force_login(team["manager"])
    response = client.post(
        reverse("projects:setup", args=[team["project"].pk]),
        {"action": "group", "group-name": "Recyclers", "group-women_share": "150"},
    )
    assert response.status_code == 400
    assert not team["project"].beneficiary_groups.exists()
    client.post(
        reverse("projects:setup", args=[team["project"].pk]),
        {"action": "group", "group-name": "Recyclers", "group-women_share": "60"},
    )
    assert team["project"].beneficiary_groups.get().women_share == Decimal("0.6")


def test_results_are_numbered_by_the_tree_and_reorder(team):
    project, manager = team["project"], team["manager"]
    first = services.add_result(project=project, by=manager, level="objective", title="A")
    second = services.add_result(project=project, by=manager, level="objective", title="B")
    outcome = services.add_result(
        project=project, by=manager, level="outcome", title="B1", parent=second
    )
    assert [first.number, second.number, outcome.number] == ["1", "2", "2.1"]
    services.move_result(result=second, by=manager, up=True)
    numbers = dict(project.results.values_list("title", "number"))
    assert numbers == {"B": "1", "B1": "1.1", "A": "2"}
    assert list(project.results.order_by("order").values_list("title", flat=True)) == [
        "B",
        "B1",
        "A",
    ]
    with pytest.raises(ValidationError, match="cannot contribute"):
        services.add_result(
            project=project, by=manager, level="objective", title="X", parent=outcome
        )
    with pytest.raises(ValidationError, match="results under it"):
        services.remove_result(result=Result.objects.get(title="B"), by=manager)


def test_archiving_keeps_everything_and_takes_the_project_off_the_list(client, team):
    client.force_login(team["manager"])
    project = team["project"]
    client.post(reverse("projects:archive", args=[project.pk]))
    project.refresh_from_db()
    assert project.archived_at is not None
    assert "Project of A" not in client.get(reverse("portfolio-home")).text
    assert "Project of A" in client.get(reverse("projects:archived")).text
    assert client.get(reverse("project", args=[project.pk])).status_code == 200
    client.post(reverse("projects:archive", args=[project.pk]), {"restore": "1"})
    assert "Project of A" in client.get(reverse("portfolio-home")).text


def define(team, **changes):
    place = team["place"]
    definition = {
        "code": "1.1.a",
        "name": "Women trained",
        "target_value": Decimal(40),
        "dimensions": [indicator_services.DimensionUse(dimension=place, exhaustive=True)],
        **changes,
    }
    return indicator_services.create_indicator(
        project=team["project"], by=team["manager"], definition=definition
    )


def test_indicator_bad_input_gets_a_message_and_stores_nothing(team):
    la_ensenada = Category.objects.get(slug="la-ensenada")
    elsewhere = Category.objects.get(slug="elsewhere")
    target = indicator_services.CategoryTargetInput
    cases = [
        (
            {
                "category_targets": [
                    target(category=la_ensenada, value=Decimal(30)),
                    target(category=elsewhere, value=Decimal(20)),
                ]
            },
            "must add up to the total",
        ),
        (
            {
                "category_targets": [
                    target(category=la_ensenada, share=Decimal("0.7")),
                    target(category=elsewhere, share=Decimal("0.6")),
                ]
            },
            "more than 100 %",
        ),
        (
            {
                "dimensions": [],
                "category_targets": [target(category=la_ensenada, share=Decimal("0.6"))],
            },
            "does not use",
        ),
        ({"measure": "percentage", "target_value": Decimal(150)}, "above 100 %"),
        ({"target_value": Decimal(-5)}, "negative"),
    ]
    for changes, message in cases:
        with pytest.raises(ValidationError, match=message):
            define(team, **changes)
    assert not Indicator.objects.exists() and not CategoryTarget.objects.exists()
    define(team)
    with pytest.raises(ValidationError, match="Another indicator"):
        define(team)
    assert Indicator.objects.count() == 1


def test_periods_stay_inside_the_project_and_apart(team):
    project, manager = team["project"], team["manager"]
    add = indicator_services.add_period
    add(project=project, by=manager, name="H1", start=date(2025, 1, 1), end=date(2025, 6, 30))
    with pytest.raises(ValidationError, match="overlaps the period H1"):
        add(project=project, by=manager, name="Q2", start=date(2025, 4, 1), end=date(2025, 6, 30))
    with pytest.raises(ValidationError, match="within the project's dates"):
        add(project=project, by=manager, name="Late", start=date(2027, 1, 1), end=date(2027, 6, 30))
    with pytest.raises(ValidationError, match="must not come before"):
        add(project=project, by=manager, name="Back", start=date(2025, 9, 1), end=date(2025, 8, 1))
    assert list(Period.objects.values_list("name", flat=True)) == ["H1"]


def test_a_manager_adds_a_missing_place_within_another(client, team):
    from projects.models import Location

    peru = Location.objects.create(name="Peru", kind="country", code="PE")
    lima = Location.objects.create(name="Lima", kind="region", parent=peru)
    client.force_login(team["manager"])
    url = reverse("projects:new-place")
    orphan = client.post(url, {"name": "Pachacámac", "kind": "district", "parent": ""})
    assert orphan.status_code == 400 and "lies within another" in orphan.text
    added = client.post(
        url, {"name": "Pachacámac", "kind": "district", "parent": lima.pk, "next": "/projects/new/"}
    )
    assert added.url == "/projects/new/"
    assert Location.objects.get(name="Pachacámac").parent == lima
    again = client.post(url, {"name": "pachacámac", "kind": "district", "parent": lima.pk})
    assert "listed already" in again.text
    client.force_login(team["editor"])
    assert (
        client.post(url, {"name": "Lurín", "kind": "district", "parent": lima.pk}).status_code
        == 403
    )
    assert not Location.objects.filter(name="Lurín").exists()


def test_a_place_gets_its_point_only_whole_and_on_the_earth(client, team):
    from projects.models import Location

    peru = Location.objects.create(name="Peru", kind="country", code="PE")
    client.force_login(team["manager"])
    url = reverse("projects:new-place")
    place = {"name": "Lurín", "kind": "district", "parent": peru.pk}
    half = client.post(url, {**place, "latitude": "-12.27"})
    assert half.context["form"].errors["longitude"] == [
        "Give both the latitude and the longitude, or neither."
    ]
    off = client.post(url, {**place, "latitude": "-95", "longitude": "-190"})
    assert set(off.context["form"].errors) == {"latitude", "longitude"}
    assert not Location.objects.filter(name="Lurín").exists()
    client.post(url, {**place, "latitude": "-12.27", "longitude": "-76.87"})
    lurin = Location.objects.get(name="Lurín")
    assert (str(lurin.latitude), str(lurin.longitude)) == ("-12.27000", "-76.87000")


def test_adding_a_partner_says_a_role_it_holds_and_a_note_too_long_at_once(client, team):
    project = team["project"]
    partner = Partnership.objects.get(project=project, role=Partnership.Role.EXTENDING)
    before = Partnership.every.filter(project=project).count()
    client.force_login(team["manager"])
    response = client.post(
        reverse("projects:setup", args=[project.pk]),
        {
            "action": "partner",
            "partner-organisation": partner.organisation_id,
            "partner-role": Partnership.Role.EXTENDING,
            "partner-note": "n" * 300,
        },
    )
    errors = response.context["partner_form"].errors
    assert response.status_code == 400
    assert "note" in errors
    assert errors["organisation"] == ["Partner P already has this role in the project."]
    assert Partnership.every.filter(project=project).count() == before
