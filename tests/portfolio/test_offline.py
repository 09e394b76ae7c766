"""The service worker, what the entry form weighs on a first visit, and compressed assets."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

BUDGET = 60 * 1024  # bytes, compressed


@pytest.fixture
def editor_and_form(client):
    ngo = OrganisationFactory()
    project = ProjectFactory()
    PartnershipFactory(project=project, organisation=ngo)
    indicator = IndicatorFactory(project=project)
    client.force_login(MembershipFactory(organisation=ngo, role="editor").user)
    return reverse("indicators:report", args=[indicator.pk])


def test_the_service_worker_is_served_from_the_root_and_never_kept_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    text = response.text
    assert "/static/css/portal.css" in text and "/static/js/offline.js" in text
    # Only "My indicators" and report forms are kept on the device, never other pages.
    assert r"/^\/indicators\/(mine|\d+\/report)\/$/" in text


def test_the_forms_kept_offline_are_those_linked_from_my_indicators(client, editor_and_form):
    mine = client.get(reverse("indicators:mine")).text
    assert "data-keep-offline" in mine
    assert editor_and_form in mine
    form = client.get(editor_and_form).text
    assert 'id="outbox"' in form and "/static/js/offline.js" in form
    assert 'name="request_key"' in form  # what makes a report sent twice count once


def test_signed_out_pages_load_no_offline_script(client):
    page = client.get(reverse("login")).text
    assert "offline.js" not in page and 'id="outbox"' not in page


def test_the_entry_form_first_load_is_under_60_kb_compressed(client, editor_and_form):
    response = client.get(editor_and_form, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    sizes = {"page": len(response.content)}
    html = gzip.decompress(response.content).decode()
    assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert "css/portal.css" in assets and "js/offline.js" in assets
    for asset in assets:
        found = finders.find(asset)
        assert found, asset
        with open(str(found), "rb") as file:
            sizes[asset] = len(gzip.compress(file.read(), compresslevel=9))
    worker = client.get("/sw.js", HTTP_ACCEPT_ENCODING="gzip")
    sizes["sw.js"] = len(worker.content)
    print(f"entry form, first load: {sum(sizes.values())} bytes compressed {sizes}")
    assert sum(sizes.values()) < BUDGET, sizes


def test_styles_and_scripts_are_served_compressed_in_production(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # The portal's own assets: the admin's and the API browser's would only take time.
    call_command(
        "collectstatic", "--noinput", "-i", "admin", "-i", "drf_spectacular_sidecar", verbosity=0
    )
    from django.templatetags.static import static
    from whitenoise.middleware import WhiteNoiseMiddleware

    with override_settings(DEBUG=False):
        middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
        for asset in ("css/portal.css", "js/offline.js", "js/update-form.js"):
            url = static(asset)
            assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url  # named by content
            response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip"))
            assert response.status_code == 200
            assert response["Content-Encoding"] == "gzip", asset
            assert "immutable" in response["Cache-Control"]
