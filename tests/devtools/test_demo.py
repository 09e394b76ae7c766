"""The demo portfolio holds every seed case as CATALOGUE.md lists it."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.models import Indicator, ProgressUpdate
from libraries.models import Library, Link
from partners.models import User
from projects.models import Project

pytestmark = pytest.mark.django_db

# (project code, indicator code) → (measure, target, {(dimension, category): (value, share)})
CATALOGUE = {
    ("mam-la-ensenada", "MAM-1"): ("count", D(10), {}),
    ("mam-la-ensenada", "MAM-2"): ("milestone", D(1), {}),
    ("mam-la-ensenada", "MAM-3"): (
        "count",
        D(4),
        {
            ("neighbourhood", "virgen-del-carmen"): (D(1), None),
            ("neighbourhood", "cerrito-de-la-libertad"): (D(1), None),
            ("neighbourhood", "vista-hermosa"): (D(1), None),
            ("neighbourhood", "los-jazmines"): (D(1), None),
        },
    ),
    ("mam-la-ensenada", "MAM-4"): ("milestone", D(1), {}),
    ("mam-la-ensenada", "MAM-5"): ("count", D(2), {}),
    ("mam-la-ensenada", "MAM-6"): ("count", None, {}),
    ("mam-la-ensenada", "MAM-7"): ("count", D(1515), {("sex", "women"): (None, D("0.51"))}),
    ("circular-la-victoria-el-agustino", "CE-1"): (
        "count",
        D(75),
        {("sex", "women"): (None, D("0.4"))},
    ),
    ("circular-la-victoria-el-agustino", "CE-2"): (
        "count",
        D(160),
        {("sex", "women"): (None, D("0.6"))},
    ),
    ("circular-la-victoria-el-agustino", "CE-3"): ("count", D(20), {}),
    ("circular-la-victoria-el-agustino", "CE-4"): (
        "count",
        D(8),
        {("district", "la-victoria"): (D(4), None), ("district", "el-agustino"): (D(4), None)},
    ),
    ("circular-la-victoria-el-agustino", "CE-5"): (
        "count",
        D(160),
        {("sex", "women"): (None, D("0.6"))},
    ),
    ("lid-displacement-integration", "LID-1.1"): (
        "count",
        D(600),
        {("gender-group", "women-lgbtiq"): (D(550), None), ("gender-group", "men"): (D(50), None)},
    ),
    ("lid-displacement-integration", "LID-1.2"): ("count", D(300), {}),
    ("lid-displacement-integration", "LID-1.3"): (
        "count",
        D(569),
        {("gender-group", "women-lgbtiq"): (D(522), None), ("gender-group", "men"): (D(47), None)},
    ),
    ("lid-displacement-integration", "LID-1.4"): (
        "count",
        D(569),
        {("gender-group", "women-lgbtiq"): (D(522), None), ("gender-group", "men"): (D(47), None)},
    ),
    ("lid-displacement-integration", "LID-1.5"): ("milestone", D(1), {}),
    ("lid-displacement-integration", "LID-1.6"): ("count", D(30), {}),
    ("lid-displacement-integration", "LID-2.1"): ("milestone", D(1), {}),
    ("lid-displacement-integration", "LID-2.2"): (
        "count",
        D(400),
        {("sex", "women"): (None, D("0.5"))},
    ),
    ("lid-displacement-integration", "LID-2.3"): (
        "count",
        D(600),
        {("sex", "women"): (None, D("0.5"))},
    ),
    ("lid-displacement-integration", "LID-2.4"): (
        "count",
        D(300),
        {("sex", "women"): (None, D("0.5"))},
    ),
    ("lid-displacement-integration", "LID-2.5"): (
        "count",
        D(300),
        {("sex", "women"): (None, D("0.5"))},
    ),
    ("lid-displacement-integration", "LID-2.6"): ("count", D(8000), {}),
    ("lid-displacement-integration", "LID-3.1"): ("milestone", D(1), {}),
    ("lid-displacement-integration", "LID-3.2"): (
        "count",
        D(1000),
        {("sex", "women"): (None, D("0.5"))},
    ),
    ("lid-displacement-integration", "LID-3.3"): ("count", D(10000), {}),
    ("lid-displacement-integration", "LID-3.4"): (
        "count",
        D(1000),
        {("sex", "women"): (None, D("0.5")), ("age", "minors"): (None, D("0.2"))},
    ),
    ("lid-displacement-integration", "LID-3.5"): (
        "count",
        D(1000),
        {("sex", "women"): (None, D("0.5")), ("age", "minors"): (None, D("0.2"))},
    ),
    ("lid-displacement-integration", "LID-3.6"): (
        "count",
        D(380),
        {
            ("stakeholder-group", "officials"): (D(320), None),
            ("stakeholder-group", "neighbourhood-councils"): (D(30), None),
            ("stakeholder-group", "cso-members"): (D(30), None),
        },
    ),
    ("lid-displacement-integration", "LID-3.7"): ("count", D(1000), {}),
    ("lid-displacement-integration", "LID-3.8"): ("count", D(5), {}),
    ("santa-anita-public-spaces", "SA-1"): ("milestone", D(1), {}),
    ("santa-anita-public-spaces", "SA-2"): ("count", D(5), {}),
    ("santa-anita-public-spaces", "SA-3"): ("amount", None, {}),
    ("santa-anita-public-spaces", "SA-4"): ("count", D(30), {}),
    ("santa-anita-public-spaces", "SA-5"): ("count", D(5), {}),
    ("santa-anita-public-spaces", "SA-6"): ("percentage", D(100), {}),
    ("santa-anita-public-spaces", "SA-7"): ("count", D(20), {}),
    ("santa-anita-public-spaces", "SA-8"): ("count", D(10), {}),
    ("santa-anita-public-spaces", "SA-I1"): ("percentage", D(60), {}),
    ("santa-anita-public-spaces", "SA-I2"): ("percentage", D(30), {}),
    ("santa-anita-public-spaces", "SA-I3"): ("percentage", D(100), {}),
    ("conamovidi-network", "CN-1"): (
        "count",
        D(380),
        {
            ("leader-role", "soup-kitchen"): (D(250), None),
            ("leader-role", "violence-prevention"): (D(80), None),
            ("leader-role", "environment"): (D(30), None),
            ("leader-role", "anti-covid"): (D(18), None),
        },
    ),
    ("conamovidi-network", "CN-2"): ("count", None, {}),
    ("conamovidi-network", "CN-3"): ("count", None, {}),
}


def test_every_catalogue_indicator_is_loaded_with_its_targets(demo):
    loaded = {
        (indicator.project.code, indicator.code): indicator
        for indicator in Indicator.objects.select_related("project").prefetch_related(
            "category_targets__category__dimension"
        )
    }
    assert set(loaded) == set(CATALOGUE)
    for key, (measure, target, category_targets) in CATALOGUE.items():
        indicator = loaded[key]
        assert indicator.measure == measure, key
        assert indicator.target_value == target, key
        assert indicator.unit or measure in ("milestone", "percentage"), key
        assert {
            (t.category.dimension.slug, t.category.slug): (t.target_value, t.target_share)
            for t in indicator.category_targets.all()
        } == category_targets, key


def test_range_target_of_the_company_contributions(demo):
    contributions = Indicator.objects.get(code="SA-3")
    assert (contributions.target_kind, contributions.target_min, contributions.target_max) == (
        "range",
        D(25000),
        D(50000),
    )
    assert contributions.currency == "USD"


def test_loading_twice_changes_nothing(demo):
    counts = (
        Project.objects.count(),
        Indicator.objects.count(),
        ProgressUpdate.objects.count(),
        User.objects.count(),
        Library.objects.count(),
        Link.objects.count(),
    )
    call_command("load_demo", "--reset-demo-accounts", verbosity=0)
    assert counts == (
        Project.objects.count(),
        Indicator.objects.count(),
        ProgressUpdate.objects.count(),
        User.objects.count(),
        Library.objects.count(),
        Link.objects.count(),
    )


def test_every_demo_progress_figure_is_labelled_illustrative(demo):
    assert ProgressUpdate.objects.exists()
    assert not ProgressUpdate.objects.filter(is_illustrative=False).exists()
    assert not ProgressUpdate.objects.exclude(narrative__icontains="illustrative").exists()


def test_associates_indicator_has_no_approved_progress_yet(demo):
    associates = Indicator.objects.get(code="CE-5")
    assert not associates.updates.filter(status="approved").exists()


def login(client, username):
    client.force_login(User.objects.get(username=username))


def test_setec_viewer_sees_the_mano_a_mano_project_and_setecs_share(client, demo):
    login(client, "setec-viewer")
    home = client.get(reverse("portfolio-home")).text
    assert "Supporting women&#x27;s emancipation" in home
    assert "69,966 EUR" in home
    assert "setec Foundation: 16,322 EUR (23.3 %)" in home
    assert "Alliances for a Circular Economy" not in home
    assert "From displacement to integration" not in home
    project = Project.objects.get(code="mam-la-ensenada")
    page = client.get(reverse("project", args=[project.pk])).text
    assert "16,322 EUR" in page
    assert "23.3 %" in page
    for code in ("circular-la-victoria-el-agustino", "lid-displacement-integration"):
        other = Project.objects.get(code=code)
        assert client.get(reverse("project", args=[other.pk])).status_code == 404


def test_mano_a_mano_editor_sees_the_mano_a_mano_project(client, demo):
    login(client, "mam-editor")
    home = client.get(reverse("portfolio-home")).text
    assert "Supporting women&#x27;s emancipation" in home
    assert "Santa Anita" not in home


def test_eu_viewer_sees_both_eu_funded_projects_through_the_facility(client, demo):
    login(client, "eu-viewer")
    home = client.get(reverse("portfolio-home")).text
    assert "Alliances for a Circular Economy" in home
    assert "From displacement to integration" in home
    assert "Supporting women&#x27;s emancipation" not in home


def test_user_of_no_organisation_sees_nothing_and_gets_404_everywhere(client, demo):
    login(client, "outsider")
    assert "You have no projects to see yet" in client.get(reverse("portfolio-home")).text
    for project in Project.objects.all():
        assert client.get(reverse("project", args=[project.pk])).status_code == 404


def test_project_page_shows_the_seed_documents_targets(client, demo):
    login(client, "admin")
    lid = Project.objects.get(code="lid-displacement-integration")
    page = client.get(reverse("project", args=[lid.pk])).text
    assert "at least 600 people" in page
    assert "Women and LGBTIQ people" in page
    assert "550" in page
    circular = Project.objects.get(code="circular-la-victoria-el-agustino")
    page = client.get(reverse("project", args=[circular.pk])).text
    assert "at least 160 associates" in page
    assert "60 % (96)" in page


def test_loading_the_demo_without_debug_is_refused_unless_asked_for(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--reset-demo-accounts"):
        call_command("load_demo", verbosity=0)
    assert not User.objects.filter(username="admin").exists()
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.parametrize(
    ("language", "sign_out", "my_indicators"),
    [("es", "Cerrar sesión", "Mis indicadores"), ("fr", "Se déconnecter", "Mes indicateurs")],
)
def test_a_manager_works_through_every_page_of_a_project_in_their_language(
    client, demo, language, sign_out, my_indicators
):
    login(client, "mam-manager")
    client.cookies["django_language"] = language
    project = Project.objects.get(code__startswith="mam")
    indicator = project.indicators.order_by("pk").first()
    update = ProgressUpdate.objects.filter(indicator__project=project).first()
    pages = [
        reverse("portfolio-home"),
        reverse("project", args=[project.pk]),
        reverse("projects:setup", args=[project.pk]),
        reverse("project-report", args=[project.pk]),
        reverse("indicators:framework", args=[project.pk]),
        reverse("indicators:periods", args=[project.pk]),
        reverse("indicators:mine"),
        reverse("indicators:review"),
        reverse("indicators:indicator", args=[indicator.pk]),
        reverse("indicators:report", args=[indicator.pk]),
        reverse("indicators:targets", args=[indicator.pk]),
        reverse("indicators:update", args=[update.pk]),
        reverse("dashboards"),
        reverse("profile"),
        reverse("organisations"),
    ]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        text = response.text
        assert f'lang="{language}"' in text, url
        assert sign_out in text and my_indicators in text, url
        assert "Sign out" not in text, url
