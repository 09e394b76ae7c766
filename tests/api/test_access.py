"""The access matrix over every endpoint: 401 without credentials, 404 for what a token may not
see, 403 for what it may see but not do, approved figures only for funders."""

import pytest

from indicators.models import Indicator, ProgressUpdate
from partners.models import Organisation
from projects.models import Project

pytestmark = pytest.mark.django_db

LISTS = ["organisations", "projects", "indicators", "updates"]


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("endpoint", LISTS)
def test_anonymous_gets_401_on_every_list(api, endpoint):
    response = api().get(f"/api/v1/{endpoint}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_gets_401_on_details_and_writes(api):
    project = Project.objects.get(code="mam-la-ensenada")
    client = api()
    assert client.get(f"/api/v1/projects/{project.pk}/").status_code == 401
    assert client.get(f"/api/v1/projects/{project.pk}/iati/").status_code == 401
    assert client.post("/api/v1/updates/", {}).status_code == 401


def test_a_wrong_or_revoked_token_gets_401(api, tokens):
    from api.models import ApiToken
    from api.services import revoke_token
    from partners.models import User

    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token abc.def")
    assert client.get("/api/v1/projects/").status_code == 401
    token = ApiToken.objects.get(prefix=tokens["setec_read"].split(".")[0])
    revoke_token(token=token, by=User.objects.get(username="admin"))
    assert api("setec_read").get("/api/v1/projects/").status_code == 401


def test_organisation_a_gets_404_for_organisation_b(api):
    mam_project = Project.objects.get(code="mam-la-ensenada")
    mam_indicator = Indicator.objects.get(code="MAM-1")
    mam_update = ProgressUpdate.objects.filter(indicator__code="MAM-1").get()
    client = api("aspem_write")
    for url in (
        f"/api/v1/projects/{mam_project.pk}/",
        f"/api/v1/projects/{mam_project.pk}/iati/",
        f"/api/v1/indicators/{mam_indicator.pk}/",
        f"/api/v1/indicators/{mam_indicator.pk}/periods/",
        f"/api/v1/updates/{mam_update.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.patch(f"/api/v1/updates/{mam_update.pk}/", {"version": 1}).status_code == 404
    assert client.post(f"/api/v1/updates/{mam_update.pk}/reopen/", {"note": "x"}).status_code == 404
    created = client.post(
        "/api/v1/updates/", {"indicator": mam_indicator.pk, "as_of": "2025-01-01", "value": 3}
    )
    assert created.status_code == 404
    assert mam_project.pk not in ids(client.get("/api/v1/projects/"))
    assert mam_indicator.pk not in ids(client.get("/api/v1/indicators/?page_size=500"))


def test_lists_hold_only_what_the_token_may_see(api):
    aspem = ids(api("aspem_read").get("/api/v1/projects/"))
    assert aspem == {Project.objects.get(code="circular-la-victoria-el-agustino").pk}
    setec = ids(api("setec_read").get("/api/v1/projects/"))
    assert setec == {Project.objects.get(code="mam-la-ensenada").pk}
    organisations = ids(api("setec_read").get("/api/v1/organisations/?page_size=500"))
    assert Organisation.objects.get(short_name="MAM").pk in organisations
    assert Organisation.objects.get(short_name="CONAMOVIDI").pk not in organisations


def test_a_read_token_gets_403_on_every_write(api):
    indicator = Indicator.objects.get(code="CE-3")
    pending = indicator.updates.get(status="submitted")
    client = api("aspem_read")
    assert (
        client.post(
            "/api/v1/updates/", {"indicator": indicator.pk, "as_of": "2026-01-01", "value": 1}
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/updates/{pending.pk}/", {"version": pending.version, "value": 2}
        ).status_code
        == 403
    )
    for action in ("submit", "approve", "return", "reopen"):
        assert (
            client.post(f"/api/v1/updates/{pending.pk}/{action}/", {"note": "x"}).status_code == 403
        )
    assert client.delete(f"/api/v1/updates/{pending.pk}/").status_code == 403
    assert ProgressUpdate.objects.filter(indicator=indicator).count() == 1


def test_a_funder_token_sees_approved_figures_only_and_writes_nothing(api):
    beneficiaries = Indicator.objects.get(code="MAM-7")
    pending = beneficiaries.updates.get(status="submitted")  # 180 more, awaiting approval
    client = api("setec_read")
    updates = client.get(f"/api/v1/updates/?indicator={beneficiaries.pk}").json()["results"]
    assert {u["status"] for u in updates} == {"approved"}
    assert client.get(f"/api/v1/updates/{pending.pk}/").status_code == 404
    indicator = client.get(f"/api/v1/indicators/{beneficiaries.pk}/").json()
    assert indicator["achieved_value"] == 1200.0
    assert (
        client.post(
            "/api/v1/updates/", {"indicator": beneficiaries.pk, "as_of": "2025-01-01", "value": 1}
        ).status_code
        == 403
    )


def test_approval_stays_with_people_unless_the_token_is_granted_it(api):
    indicator = Indicator.objects.get(code="CE-3")
    pending = indicator.updates.get(status="submitted")
    assert api("aspem_write").post(f"/api/v1/updates/{pending.pk}/approve/").status_code == 403
    response = api("aspem_approver").post(
        f"/api/v1/updates/{pending.pk}/approve/", {"version": pending.version}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
