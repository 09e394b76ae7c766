"""Project titles, results, indicator names and units, dimensions and categories shown in the
reader's language where a translation exists, and as written otherwise."""

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import create_token
from core.translations import clean_translations
from indicators.models import Category, Dimension, Indicator
from indicators.services import define_indicator
from partners.models import Organisation, User
from projects.models import Project
from tests.factories import register_for_iati

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def api_client_for_demo(demo) -> APIClient:
    """Signed in with a read token of ASPEm, which implements the circular economy project."""
    _token, key = create_token(
        organisation=Organisation.objects.get(short_name="ASPEm"),
        name="translations",
        scope="read",
        by=User.objects.get(username="admin"),
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def page(client, username: str, url: str, language: str) -> str:
    client.force_login(User.objects.get(username=username))
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize(
    ("language", "target", "dimension", "women", "title"),
    [
        ("es", "al menos 160 asociados", "Sexo", "Mujeres", "La Victoria y El Agustino: Alianzas"),
        ("fr", "au moins 160 associés", "Sexe", "Femmes", "La Victoria et El Agustino : alliances"),
        ("en", "at least 160 associates", "Sex", "Women", "La Victoria and El Agustino: Alliances"),
    ],
)
def test_an_indicator_page_speaks_the_readers_language_down_to_units_and_categories(
    client, demo, language, target, dimension, women, title
):
    indicator = Indicator.objects.get(code="CE-5")
    text = page(
        client, "aspem-manager", reverse("indicators:indicator", args=[indicator.pk]), language
    )
    assert target in text
    assert f'{women} <span class="muted">({dimension})</span>' in text
    assert title in text
    # No translation of the indicator's name was given: it shows as the document wrote it.
    assert "Associates of the recyclers&#x27; associations strengthened" in text


def test_the_report_form_names_the_dimension_and_categories_in_the_readers_language(client, demo):
    indicator = Indicator.objects.get(code="CE-5")
    text = page(client, "aspem-editor", reverse("indicators:report", args=[indicator.pk]), "es")
    assert "Por Sexo" in text and "Por Sex<" not in text
    assert "Mujeres" in text and "Hombres" in text


def test_a_funders_dashboard_names_categories_in_the_readers_language(client, demo):
    project = Project.objects.get(code="circular-la-victoria-el-agustino")
    eu = project.fundings.get().funder
    url = reverse("dashboard-project", args=[eu.pk, "funder", project.pk])
    assert "Femmes" in page(client, "eu-viewer", url, "fr")
    assert "Women" in page(client, "eu-viewer", url, "en")


def test_a_manager_translates_a_projects_title_and_each_reader_sees_their_own(client, demo):
    project = Project.objects.get(code="mam-la-ensenada")
    manager = User.objects.get(username="mam-manager")
    client.force_login(manager)
    url = reverse("projects:edit", args=[project.pk])
    form = client.get(url).context["form"]
    assert {"title_es", "title_fr", "summary_es", "summary_fr"} <= set(form.fields)
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "locations"
    }
    data.update(
        {
            "locations": [str(pk) for pk in form.initial["locations"]],
            "planned_start": project.planned_start.isoformat(),
            "planned_end": project.planned_end.isoformat(),
            "title_fr": "Les femmes bâtissent La Ensenada",
            "title_es": "",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    project.refresh_from_db()
    assert project.translations == {"fr": {"title": "Les femmes bâtissent La Ensenada"}}
    detail = reverse("project", args=[project.pk])
    assert "Les femmes bâtissent La Ensenada" in page(client, "mam-manager", detail, "fr")
    # The Spanish translation was emptied: a Spanish reader gets the title as written.
    assert "Supporting women&#x27;s emancipation" in page(client, "mam-manager", detail, "es")


def test_a_new_dimension_comes_with_its_categories_in_other_languages(client, demo):
    client.force_login(User.objects.get(username="mam-manager"))
    url = reverse("indicators:new-dimension")
    wrong = client.post(
        url,
        {
            "name": "Household head",
            "kind": "group",
            "categories": "Woman\nMan",
            "name_es": "Jefatura del hogar",
            "categories_es": "Mujer",
        },
    )
    assert wrong.status_code == 400
    assert "one per line, as many and in the same order" in wrong.text
    assert not Dimension.objects.filter(name="Household head").exists()

    client.post(
        url,
        {
            "name": "Household head",
            "kind": "group",
            "categories": "Woman\nMan",
            "name_es": "Jefatura del hogar",
            "categories_es": "Mujer\nHombre",
        },
    )
    dimension = Dimension.objects.get(name="Household head")
    assert dimension.translated("name", "es") == "Jefatura del hogar"
    assert dimension.translated("name", "fr") == "Household head"
    names = [c.translated("name", "es") for c in dimension.categories.order_by("order")]
    assert names == ["Mujer", "Hombre"]


@pytest.mark.parametrize(
    ("translations", "message"),
    [
        ({"de": {"name": "Frauen"}}, "not a language of the portal"),
        ({"es": {"code": "x"}}, "cannot be translated"),
        ({"es": {"name": "Muj\x00eres"}}, "NUL"),
        ({"es": {"unit": "x" * 65}}, "longer than 64 characters"),
        ({"es": "Mujeres"}, "by field"),
    ],
)
def test_bad_translations_get_a_clear_message_and_store_nothing(demo, translations, message):
    indicator = Indicator.objects.get(code="CE-5")
    before = indicator.translations
    with pytest.raises(ValidationError, match=message):
        define_indicator(
            project=indicator.project,
            code="CE-new",
            name="New indicator",
            translations=translations,
        )
    assert not Indicator.objects.filter(code="CE-new").exists()
    indicator.refresh_from_db()
    assert indicator.translations == before


def test_empty_translations_are_not_stored():
    assert clean_translations(Category, {"es": {"name": "  "}, "fr": {"name": "Femmes"}}) == {
        "fr": {"name": "Femmes"}
    }


def test_iati_writes_each_language_as_a_narrative(api_client_for_demo):
    project = Project.objects.get(code="circular-la-victoria-el-agustino")
    register_for_iati(project)
    body = api_client_for_demo.get(f"/api/v1/projects/{project.pk}/iati/").content
    activity = ET.fromstring(body).find("iati-activity")
    assert activity.get(XML_LANG) == "en"
    narratives = activity.find("title").findall("narrative")
    by_language = {n.get(XML_LANG): n.text for n in narratives}
    assert by_language[None].startswith("La Victoria and El Agustino")
    assert by_language["es"] == "La Victoria y El Agustino: Alianzas para una Economía Circular"
    assert by_language["fr"].startswith("La Victoria et El Agustino")


def test_the_api_gives_the_language_and_translations(api_client_for_demo):
    project = Project.objects.get(code="circular-la-victoria-el-agustino")
    body = api_client_for_demo.get(f"/api/v1/projects/{project.pk}/").json()
    assert body["language"] == "en"
    assert body["translations"]["es"]["title"].startswith("La Victoria y El Agustino")
    indicator = Indicator.objects.get(code="CE-5")
    body = api_client_for_demo.get(f"/api/v1/indicators/{indicator.pk}/").json()
    assert body["translations"] == {"es": {"unit": "asociados"}, "fr": {"unit": "associés"}}


def test_an_existing_dimensions_translations_can_be_corrected_and_added(client, demo):
    sex = Dimension.objects.get(slug="sex")
    categories = list(sex.categories.order_by("order", "pk"))
    url = reverse("indicators:translate-dimension", args=[sex.pk])
    # Sex is shared by every organisation: an NGO's manager may not retranslate it.
    client.force_login(User.objects.get(username="mam-manager"))
    assert client.get(url).status_code == 403
    client.force_login(User.objects.get(username="admin"))
    form = client.get(url).text
    # Filled with the translations it has, in every language.
    assert 'value="Sexo"' in form and 'value="Sexe"' in form
    fields = {
        "name_en": "",
        "categories_en": "",
        "name_es": "Sexo",
        "categories_es": "\n".join(c.translated("name", "es") for c in categories),
        "name_fr": "Sexe déclaré",
        "categories_fr": "\n".join(c.translated("name", "fr") for c in categories),
    }
    refused = client.post(url, {**fields, "categories_fr": "Femmes"})
    assert refused.status_code == 400
    assert "as many and in the same order" in refused.text
    sex.refresh_from_db()
    assert sex.translated("name", "fr") == "Sexe"  # nothing half-saved
    assert client.post(url, fields).status_code == 302
    sex.refresh_from_db()
    assert sex.translated("name", "fr") == "Sexe déclaré"
    assert (sex.name, [c.name for c in sex.categories.order_by("order", "pk")]) == (
        "Sex",
        [c.name for c in categories],
    )  # the originals, which reports refer to, stay
    women = sex.categories.get(slug="women")
    assert women.translated("name", "es") == "Mujeres"


@pytest.mark.parametrize("username", ["aspem-editor", "eu-viewer", "outsider"])
def test_only_managers_and_administrators_translate_dimensions(client, demo, username):
    sex = Dimension.objects.get(slug="sex")
    client.force_login(User.objects.get(username=username))
    response = client.post(
        reverse("indicators:translate-dimension", args=[sex.pk]),
        {"name_fr": "Genre", "categories_fr": ""},
    )
    assert response.status_code == 403
    sex.refresh_from_db()
    assert sex.translated("name", "fr") == "Sexe"


def test_translating_a_dimension_that_does_not_exist_is_404(client, demo):
    client.force_login(User.objects.get(username="mam-manager"))
    missing = reverse("indicators:translate-dimension", args=[999999])
    assert client.get(missing).status_code == 404


def test_the_translation_form_is_refused_to_an_editor_before_anything_is_typed(client, demo):
    client.force_login(User.objects.get(username="aspem-editor"))
    sex = Dimension.objects.get(slug="sex")
    assert client.get(reverse("indicators:translate-dimension", args=[sex.pk])).status_code == 403
