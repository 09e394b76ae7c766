"""La Victoria: ASPEm and ADEC ATC implement the same project. Neither touches the other's
updates, in the pages or over the API."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from api.services import create_token
from indicators import services
from indicators.models import Indicator, ProgressUpdate
from partners.models import Organisation, User
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def la_victoria(demo):
    adec = Organisation.objects.get(short_name="ADEC ATC")
    aspem_editor = User.objects.get(username="aspem-editor")
    indicator = Indicator.objects.get(code="CE-5")

    def draft(value: int) -> ProgressUpdate:
        return services.create_update(
            indicator=indicator,
            by=aspem_editor,
            figures=services.Figures(as_of=date(2026, 6, 30), value=Decimal(value)),
        )

    admin = User.objects.get(username="admin")
    _token, write_key = create_token(
        organisation=adec, name="ADEC", scope="write", can_approve=True, by=admin
    )
    return {
        "draft": draft,
        "aspem_editor": aspem_editor,
        "adec_editor": MembershipFactory(organisation=adec, role="editor").user,
        "adec_manager": MembershipFactory(organisation=adec, role="manager").user,
        "adec_key": write_key,
    }


def test_adec_cannot_edit_delete_or_approve_aspem_updates_in_the_pages(client, la_victoria):
    first, second = la_victoria["draft"](10), la_victoria["draft"](20)
    client.force_login(la_victoria["adec_editor"])
    edit = client.post(
        f"/updates/{first.pk}/edit/",
        {"as_of": "2026-06-30", "value": "99", "version": first.version},
    )
    assert edit.status_code == 403
    delete = client.post(f"/updates/{second.pk}/delete/", {"version": second.version})
    assert delete.status_code == 403
    page = client.get(f"/updates/{first.pk}/")
    assert page.status_code == 200
    assert b"/edit/" not in page.content and b"/delete/" not in page.content

    services.submit_update(update=first, by=la_victoria["aspem_editor"])
    first.refresh_from_db()
    client.force_login(la_victoria["adec_manager"])
    approve = client.post(f"/updates/{first.pk}/approve/", {"version": first.version})
    assert approve.status_code == 403
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.value, first.status, first.organisation.short_name) == (10, "submitted", "ASPEm")
    assert second.status == "draft"


def test_adec_cannot_edit_delete_or_approve_aspem_updates_over_the_api(la_victoria):
    first, second = la_victoria["draft"](10), la_victoria["draft"](20)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {la_victoria['adec_key']}")
    patch = api.patch(
        f"/api/v1/updates/{first.pk}/", {"value": 99, "version": first.version}, format="json"
    )
    assert patch.status_code == 403
    assert api.delete(f"/api/v1/updates/{second.pk}/").status_code == 403
    services.submit_update(update=first, by=la_victoria["aspem_editor"])
    approve = api.post(f"/api/v1/updates/{first.pk}/approve/", {}, format="json")
    assert approve.status_code == 403
    assert set(
        ProgressUpdate.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    ) == {"submitted", "draft"}


def test_the_review_queue_lists_only_updates_the_manager_may_review(client, la_victoria):
    update = la_victoria["draft"](10)
    services.submit_update(update=update, by=la_victoria["aspem_editor"])
    client.force_login(la_victoria["adec_manager"])
    assert f"/updates/{update.pk}/".encode() not in client.get("/review/").content
    client.force_login(User.objects.get(username="aspem-manager"))
    assert f"/updates/{update.pk}/".encode() in client.get("/review/").content
